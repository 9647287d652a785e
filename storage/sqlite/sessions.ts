// SQLite SessionRepo: login sessions keyed by the SHA-256 hex of the bearer token (the token itself is never stored).
import { StorageError, type SessionRepo, type SessionRow } from '../repositories';
import type { Db } from './db';
import { ms } from './mapping';

interface SessionDbRow {
  token_hash: string;
  user_id: number;
  created_ms: number;
  expires_ms: number;
  last_seen_ms: number;
}

const COLUMNS = 'token_hash, user_id, created_ms, expires_ms, last_seen_ms';

function toRow(r: SessionDbRow): SessionRow {
  return { tokenHash: r.token_hash, userId: r.user_id, createdMs: r.created_ms, expiresMs: r.expires_ms, lastSeenMs: r.last_seen_ms };
}

export class SqliteSessionRepo implements SessionRepo {
  constructor(private readonly db: Db) {}

  /** Throws 'conflict' (field 'tokenHash') on a duplicate hash and 'not_found' (field 'userId') for an unknown user. */
  async create(s: SessionRow): Promise<void> {
    try {
      await this.db.run(`INSERT INTO sessions (${COLUMNS}) VALUES (?, ?, ?, ?, ?)`, [
        s.tokenHash,
        s.userId,
        ms(s.createdMs),
        ms(s.expiresMs),
        ms(s.lastSeenMs),
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
}
