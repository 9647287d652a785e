// SQLite AuditRepo: the append-only audit trail (who did what, when, from where); UPDATE/DELETE are blocked by triggers.
import type { AuditEntry, AuditQuery } from '../../common/api';
import type { AuditRepo, NewAuditEntry } from '../repositories';
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

export class SqliteAuditRepo implements AuditRepo {
  constructor(private readonly db: Db) {}

  async append(e: NewAuditEntry): Promise<void> {
    await this.db.run(`INSERT INTO audit_log (ts_ms, user_id, username, action, target_type, target_id, detail, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [
      ms(e.tsMs),
      e.userId,
      e.username,
      e.action,
      e.targetType,
      e.targetId,
      jsonIn(e.detail),
      e.ip,
    ]);
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
}
