// SQLite AuditRepo: the append-only, hash-chained audit trail and its signed checkpoints (docs/design/audit.md).
import type { AuditEntry, AuditQuery } from '../../common/api';
import { auditEntryHash, GENESIS_HASH, type AuditCheckpoint, type ChainRow, type CheckpointReason } from '../audit-chain';
import type { AuditRepo, ChainHead, CheckpointSigner, NewAuditEntry } from '../repositories';
import type { Db, SqlValue } from './db';
import { jsonIn, jsonOut, ms } from './mapping';

/** Rows returned when the query has no limit (the API allows at most 5000). */
export const DEFAULT_AUDIT_LIMIT = 500;

interface AuditDbRow {
  id: number;
  ts_ms: number;
  user_id: number | null;
  username: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  detail: string | null;
  ip: string | null;
}

interface ChainDbRow extends AuditDbRow {
  prev_hash: string | null;
  hash: string | null;
}

interface CheckpointDbRow {
  id: number;
  last_id: number;
  hash: string;
  ts_ms: number;
  reason: CheckpointReason;
  key_fingerprint: string;
  signature: string;
}

const COLUMNS = 'id, ts_ms, user_id, username, action, target_type, target_id, detail, ip';

function toEntry(r: AuditDbRow): AuditEntry {
  return {
    id: r.id,
    tsMs: r.ts_ms,
    userId: r.user_id,
    username: r.username,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    detail: jsonOut(r.detail),
    ip: r.ip,
  };
}

/** A stored row as the chain sees it (verify-audit reads the same shape straight from the file). */
export function toChainRow(r: ChainDbRow): ChainRow {
  return {
    id: r.id,
    tsMs: r.ts_ms,
    userId: r.user_id,
    username: r.username,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    detailJson: r.detail,
    ip: r.ip,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export function toCheckpoint(r: CheckpointDbRow): AuditCheckpoint {
  return { id: r.id, lastId: r.last_id, hash: r.hash, tsMs: r.ts_ms, reason: r.reason, keyFingerprint: r.key_fingerprint, signature: r.signature };
}

export const CHAIN_COLUMNS = `${COLUMNS}, prev_hash, hash`;
export const CHECKPOINT_COLUMNS = 'id, last_id, hash, ts_ms, reason, key_fingerprint, signature';

export class SqliteAuditRepo implements AuditRepo {
  /** The last entry (id and hash), held so an append hashes without a read; null = read it before the next append. */
  private head: ChainHead | null = null;
  /** Appends and checkpoints run one after the other, so every caller (there are several AuditLogs) extends one chain. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(head: ChainHead) => void>();

  constructor(private readonly db: Db) {}

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.queue.then(fn, fn);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private async loadHead(): Promise<ChainHead> {
    const r = await this.db.get<{ id: number; hash: string | null }>('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1');
    // A last row without a hash was written around the chain (verify-audit names it); the chain goes on from genesis' value.
    this.head = r ? { id: r.id, hash: r.hash ?? GENESIS_HASH } : { id: 0, hash: GENESIS_HASH };
    return this.head;
  }

  append(e: NewAuditEntry): Promise<void> {
    return this.serial(async () => {
      const head = this.head ?? (await this.loadHead());
      const id = head.id + 1;
      const row = {
        id,
        tsMs: ms(e.tsMs),
        userId: e.userId,
        username: e.username,
        action: e.action,
        targetType: e.targetType,
        targetId: e.targetId,
        detailJson: jsonIn(e.detail),
        ip: e.ip,
      };
      const hash = auditEntryHash({ ...row, prevHash: head.hash });
      try {
        await this.db.run(
          `INSERT INTO audit_log (id, ts_ms, user_id, username, action, target_type, target_id, detail, ip, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [id, row.tsMs, row.userId, row.username, row.action, row.targetType, row.targetId, row.detailJson, row.ip, head.hash, hash],
        );
      } catch (err) {
        this.head = null; // e.g. another connection appended: read the head again next time
        throw err;
      }
      this.head = { id, hash };
      for (const l of this.listeners) l(this.head);
    });
  }

  /**
   * Newest first. Filters: tsMs >= startMs, tsMs < endMs, exact action, exact username; limit defaults to
   * DEFAULT_AUDIT_LIMIT.
   */
  async query(q: AuditQuery): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (q.startMs !== undefined) {
      where.push('ts_ms >= ?');
      params.push(ms(q.startMs));
    }
    if (q.endMs !== undefined) {
      where.push('ts_ms < ?');
      params.push(ms(q.endMs));
    }
    if (q.action !== undefined) {
      where.push('action = ?');
      params.push(q.action);
    }
    if (q.username !== undefined) {
      where.push('username = ?');
      params.push(q.username);
    }
    params.push(Math.max(0, Math.floor(q.limit ?? DEFAULT_AUDIT_LIMIT)));
    const sql = `SELECT ${COLUMNS} FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ts_ms DESC, id DESC LIMIT ?`;
    return (await this.db.all<AuditDbRow>(sql, params)).map(toEntry);
  }

  async chainRows(afterId: number, limit: number): Promise<ChainRow[]> {
    const rows = await this.db.all<ChainDbRow>(`SELECT ${CHAIN_COLUMNS} FROM audit_log WHERE id > ? ORDER BY id LIMIT ?`, [afterId, limit]);
    return rows.map(toChainRow);
  }

  async checkpoints(): Promise<AuditCheckpoint[]> {
    return (await this.db.all<CheckpointDbRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY id`)).map(toCheckpoint);
  }

  async lastCheckpoint(): Promise<AuditCheckpoint | null> {
    const r = await this.db.get<CheckpointDbRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY id DESC LIMIT 1`);
    return r ? toCheckpoint(r) : null;
  }

  chainHead(): Promise<ChainHead> {
    return this.serial(async () => this.head ?? (await this.loadHead()));
  }

  onAppended(listener: (head: ChainHead) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  addCheckpoint(reason: CheckpointReason, tsMs: number, signer: CheckpointSigner): Promise<AuditCheckpoint | null> {
    return this.serial(async () => {
      // The head this repository wrote (held in memory) is what gets signed; after a start (nothing written yet) the
      // file's, whose tail the caller has checked. A file whose last entry is not the one written here is refused.
      const written = this.head;
      const head = await this.loadHead();
      if (written && (written.id !== head.id || written.hash !== head.hash))
        throw new Error(`the last audit entry in the file (#${head.id}) is not the one written (#${written.id}): not signing`);
      const last = await this.lastCheckpoint();
      if (last && last.lastId === head.id && last.hash === head.hash) return null;
      if (!last && head.id === 0) return null;
      const c = { lastId: head.id, hash: head.hash, tsMs: ms(tsMs), reason };
      const { signature, keyFingerprint } = signer(c);
      const r = await this.db.run('INSERT INTO audit_checkpoints (last_id, hash, ts_ms, reason, key_fingerprint, signature) VALUES (?, ?, ?, ?, ?, ?)', [
        c.lastId,
        c.hash,
        c.tsMs,
        reason,
        keyFingerprint,
        signature,
      ]);
      return { id: r.lastId, ...c, keyFingerprint, signature };
    });
  }

  /**
   * Chains the rows written before migration 016 (SQLite cannot hash): in id order, in one transaction, once. The
   * update trigger is dropped and re-created (same text) inside that transaction. Returns how many rows it chained.
   */
  prepareChain(nowMs: number): Promise<number> {
    return this.serial(async () => {
      // A database migrated only part of the way (tests of earlier migrations) has no chain yet.
      if (!(await this.db.get("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'audit_chain_legacy'"))) return 0;
      const legacy = await this.db.get<{ until_id: number; chained_ms: number | null }>('SELECT until_id, chained_ms FROM audit_chain_legacy WHERE id = 1');
      if (!legacy || legacy.chained_ms !== null) return 0;
      const n = await this.db.transaction(async (tx) => {
        const again = await tx.get<{ chained_ms: number | null }>('SELECT chained_ms FROM audit_chain_legacy WHERE id = 1');
        if (!again || again.chained_ms !== null) return 0; // chained meanwhile by another process
        const trigger = await tx.get<{ sql: string }>("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'audit_log_no_update'");
        if (trigger) await tx.exec('DROP TRIGGER audit_log_no_update');
        const rows = (await tx.all<ChainDbRow>(`SELECT ${CHAIN_COLUMNS} FROM audit_log WHERE id <= ? ORDER BY id`, [legacy.until_id])).map(toChainRow);
        const st = await tx.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?');
        let prev = GENESIS_HASH;
        try {
          for (const r of rows) {
            const hash = auditEntryHash({ ...r, prevHash: prev });
            await st.run([prev, hash, r.id]);
            prev = hash;
          }
        } finally {
          await st.finalize();
        }
        if (trigger) await tx.exec(trigger.sql);
        await tx.run('UPDATE audit_chain_legacy SET chained_ms = ? WHERE id = 1', [ms(nowMs)]);
        return rows.length;
      });
      this.head = null;
      return n;
    });
  }
}
