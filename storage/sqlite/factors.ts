// SQLite FactorRepo: TOTP secrets (encrypted boxes), hashed recovery codes and directory accounts (migration 018).
import type { DirectoryAccountRow, FactorRepo, TotpRow } from '../repos/factors';
import type { Db } from './db';
import { ms } from './mapping';

interface TotpDbRow {
  user_id: number;
  secret_box: string;
  created_ms: number;
  enabled_ms: number | null;
  last_step: number;
}

const TOTP_COLUMNS = 'user_id, secret_box, created_ms, enabled_ms, last_step';

function toTotp(r: TotpDbRow): TotpRow {
  return { userId: r.user_id, secretBox: r.secret_box, createdMs: r.created_ms, enabledMs: r.enabled_ms, lastStep: r.last_step };
}

export class SqliteFactorRepo implements FactorRepo {
  constructor(private readonly db: Db) {}

  async totp(userId: number): Promise<TotpRow | null> {
    const r = await this.db.get<TotpDbRow>(`SELECT ${TOTP_COLUMNS} FROM user_totp WHERE user_id = ?`, [userId]);
    return r ? toTotp(r) : null;
  }

  async putPendingTotp(userId: number, secretBox: string, nowMs: number): Promise<TotpRow> {
    return this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM user_recovery_codes WHERE user_id = ?', [userId]);
      const r = await tx.get<TotpDbRow>(
        `INSERT INTO user_totp (user_id, secret_box, created_ms, enabled_ms, last_step) VALUES (?, ?, ?, NULL, 0)
         ON CONFLICT (user_id) DO UPDATE SET secret_box = excluded.secret_box, created_ms = excluded.created_ms, enabled_ms = NULL, last_step = 0
         RETURNING ${TOTP_COLUMNS}`,
        [userId, secretBox, ms(nowMs)],
      );
      return toTotp(r!);
    });
  }

  async enableTotp(userId: number, step: number, recoveryHashes: readonly string[], nowMs: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const r = await tx.run('UPDATE user_totp SET enabled_ms = ?, last_step = ? WHERE user_id = ? AND enabled_ms IS NULL', [ms(nowMs), step, userId]);
      if (r.changes !== 1) return false;
      await tx.run('DELETE FROM user_recovery_codes WHERE user_id = ?', [userId]);
      for (const h of recoveryHashes) await tx.run('INSERT INTO user_recovery_codes (user_id, code_hash, used_ms) VALUES (?, ?, NULL)', [userId, h]);
      return true;
    });
  }

  async advanceStep(userId: number, step: number): Promise<boolean> {
    const r = await this.db.run('UPDATE user_totp SET last_step = ? WHERE user_id = ? AND last_step < ?', [step, userId, step]);
    return r.changes === 1;
  }

  async deleteTotp(userId: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM user_recovery_codes WHERE user_id = ?', [userId]);
      return (await tx.run('DELETE FROM user_totp WHERE user_id = ?', [userId])).changes === 1;
    });
  }

  async useRecoveryCode(userId: number, codeHash: string, nowMs: number): Promise<boolean> {
    const r = await this.db.run('UPDATE user_recovery_codes SET used_ms = ? WHERE user_id = ? AND code_hash = ? AND used_ms IS NULL', [
      ms(nowMs),
      userId,
      codeHash,
    ]);
    return r.changes === 1;
  }

  async recoveryCodesLeft(userId: number): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT count(*) AS n FROM user_recovery_codes WHERE user_id = ? AND used_ms IS NULL', [userId]))?.n ?? 0;
  }

  async directoryAccount(userId: number): Promise<DirectoryAccountRow | null> {
    const r = await this.db.get<{ user_id: number; dn: string; groups: string; synced_ms: number }>(
      'SELECT user_id, dn, groups, synced_ms FROM directory_accounts WHERE user_id = ?',
      [userId],
    );
    return r ? { userId: r.user_id, dn: r.dn, groups: JSON.parse(r.groups) as string[], syncedMs: r.synced_ms } : null;
  }

  async putDirectoryAccount(row: DirectoryAccountRow): Promise<void> {
    await this.db.run(
      `INSERT INTO directory_accounts (user_id, dn, groups, synced_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET dn = excluded.dn, groups = excluded.groups, synced_ms = excluded.synced_ms`,
      [row.userId, row.dn, JSON.stringify(row.groups), ms(row.syncedMs)],
    );
  }
}
