// SQLite SessionRepo: login sessions keyed by the SHA-256 hex of the bearer token (never the token), and the addresses each account signed in from.
import { StorageError, type SessionRepo, type SessionRow } from '../repositories';
import type { Db } from './db';
import { ms } from './mapping';

interface SessionDbRow {
  token_hash: string;
  user_id: number;
  created_ms: number;
  expires_ms: number;
  last_seen_ms: number;
  address: string;
  user_agent: string;
}

const COLUMNS = 'token_hash, user_id, created_ms, expires_ms, last_seen_ms, address, user_agent';

function toRow(r: SessionDbRow): SessionRow {
  return {
    tokenHash: r.token_hash,
    userId: r.user_id,
    createdMs: r.created_ms,
    expiresMs: r.expires_ms,
    lastSeenMs: r.last_seen_ms,
    address: r.address,
    userAgent: r.user_agent,
  };
}

export class SqliteSessionRepo implements SessionRepo {
  constructor(private readonly db: Db) {}

  /** Throws 'conflict' (field 'tokenHash') on a duplicate hash and 'not_found' (field 'userId') for an unknown user. */
  async create(s: SessionRow): Promise<void> {
    try {
      await this.db.run(`INSERT INTO sessions (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
        s.tokenHash,
        s.userId,
        ms(s.createdMs),
        ms(s.expiresMs),
        ms(s.lastSeenMs),
        s.address.slice(0, 64),
        s.userAgent.slice(0, 256),
      ]);
    } catch (err) {
      if (err instanceof Error && /FOREIGN KEY constraint failed/.test(err.message)) {
        const e = new StorageError('not_found', `user ${s.userId} does not exist`, 'userId');
        e.cause = err;
        throw e;
      }
      throw err;
    }
  }

  /** The stored row, expired or not (the caller compares expiresMs with its clock). */
  async get(tokenHash: string): Promise<SessionRow | null> {
    const r = await this.db.get<SessionDbRow>(`SELECT ${COLUMNS} FROM sessions WHERE token_hash = ?`, [tokenHash]);
    return r ? toRow(r) : null;
  }

  async listForUser(userId: number): Promise<SessionRow[]> {
    const rows = await this.db.all<SessionDbRow>(`SELECT ${COLUMNS} FROM sessions WHERE user_id = ? ORDER BY created_ms DESC, token_hash`, [userId]);
    return rows.map(toRow);
  }

  async touch(tokenHash: string, lastSeenMs: number, expiresMs: number): Promise<void> {
    await this.db.run('UPDATE sessions SET last_seen_ms = ?, expires_ms = ? WHERE token_hash = ?', [ms(lastSeenMs), ms(expiresMs), tokenHash]);
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.run('DELETE FROM sessions WHERE token_hash = ?', [tokenHash]);
  }

  async deleteForUser(userId: number): Promise<void> {
    await this.db.run('DELETE FROM sessions WHERE user_id = ?', [userId]);
  }

  /** Deletes sessions with expiresMs <= nowMs; returns how many. */
  async deleteExpired(nowMs: number): Promise<number> {
    const res = await this.db.run('DELETE FROM sessions WHERE expires_ms <= ?', [ms(nowMs)]);
    return res.changes;
  }

  async isKnownAddress(userId: number, address: string): Promise<boolean> {
    return (await this.db.get('SELECT 1 AS one FROM login_addresses WHERE user_id = ? AND address = ?', [userId, address])) !== undefined;
  }

  async rememberAddress(userId: number, address: string, nowMs: number, keep: number): Promise<void> {
    const a = address.slice(0, 64);
    if (a === '') return;
    await this.db.run(
      'INSERT INTO login_addresses (user_id, address, first_ms, last_ms) VALUES (?, ?, ?, ?) ON CONFLICT (user_id, address) DO UPDATE SET last_ms = excluded.last_ms',
      [userId, a, ms(nowMs), ms(nowMs)],
    );
    await this.db.run(
      'DELETE FROM login_addresses WHERE user_id = ? AND address NOT IN (SELECT address FROM login_addresses WHERE user_id = ? ORDER BY last_ms DESC, address LIMIT ?)',
      [userId, userId, keep],
    );
  }
}
