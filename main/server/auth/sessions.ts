// Bearer-token sessions: idle timeout (sliding) and absolute timeout, the user's session list and revocation by a public id.
import crypto from 'node:crypto';
import type { SessionRow, Store, UserRow } from '../../../storage/repositories';
import type { Principal } from '../router';
import { hashToken, newToken } from './passwords';

export interface SessionTimeouts {
  /** A session ends after this long without requests. */
  idleMs: number;
  /** A session ends this long after its sign-in, however active. */
  maxMs: number;
}

/** Where a session was opened from (the session list shows it). */
export interface SessionOrigin {
  address: string;
  userAgent: string;
}

/** A session as its owner (or an administrator) sees it: never the token or its hash. */
export interface SessionEntry {
  /** Public id: derived from the token hash, cannot be turned back into it. */
  id: string;
  createdMs: number;
  lastSeenMs: number;
  /** When it ends unless used again (the earlier of the idle and the absolute end). */
  expiresMs: number;
  address: string;
  userAgent: string;
}

/** The public id of a session: 128 bits of SHA-256 over its token hash. */
export function sessionId(tokenHash: string): string {
  return crypto.createHash('sha256').update(`session-id:${tokenHash}`).digest('hex').slice(0, 32);
}

export class Sessions {
  constructor(
    private readonly store: Store,
    private readonly timeouts: SessionTimeouts,
    private readonly now: () => number,
  ) {}

  /** Creates a session for the user; returns the token (shown to the client once, never stored). */
  async create(user: UserRow, origin: SessionOrigin = { address: '', userAgent: '' }): Promise<{ token: string; tokenHash: string; expiresMs: number }> {
    const token = newToken();
    const tokenHash = hashToken(token);
    const nowMs = this.now();
    const expiresMs = this.endOf(nowMs, nowMs);
    await this.store.sessions.create({ tokenHash, userId: user.id, createdMs: nowMs, expiresMs, lastSeenMs: nowMs, ...origin });
    return { token, tokenHash, expiresMs };
  }

  /** The valid session's user, or null. `extend` slides the expiry (normal requests); the event stream only checks. */
  async resolve(token: string, extend = true): Promise<Principal | null> {
    if (token.length > 128 || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
    return this.resolveHash(hashToken(token), extend);
  }

  async resolveHash(tokenHash: string, extend = false): Promise<Principal | null> {
    const row = await this.store.sessions.get(tokenHash);
    if (!row) return null;
    const nowMs = this.now();
    if (row.expiresMs <= nowMs || row.createdMs + this.timeouts.maxMs <= nowMs) {
      await this.store.sessions.delete(tokenHash);
      return null;
    }
    const user = await this.store.users.get(row.userId);
    // A session older than the user's last password change is over, even if a crash kept its row (see accounts/passwords.ts).
    if (!user || user.disabled || (user.passwordChangedMs !== null && row.createdMs < user.passwordChangedMs)) {
      await this.store.sessions.delete(tokenHash);
      return null;
    }
    // Sliding expiry, never past the absolute end; skip the write when the last one was less than a second ago.
    if (extend && nowMs - row.lastSeenMs >= 1000) await this.store.sessions.touch(tokenHash, nowMs, this.endOf(row.createdMs, nowMs));
    return { user, tokenHash };
  }

  /** The user's live sessions, newest first (expired rows are dropped on the way). */
  async list(userId: number): Promise<Array<SessionEntry & { tokenHash: string }>> {
    const nowMs = this.now();
    const rows = await this.store.sessions.listForUser(userId);
    const live = rows.filter((r) => r.expiresMs > nowMs && r.createdMs + this.timeouts.maxMs > nowMs);
    return live.map((r) => ({ ...entryOf(r), expiresMs: Math.min(r.expiresMs, r.createdMs + this.timeouts.maxMs), tokenHash: r.tokenHash }));
  }

  /** The token hash of the user's session with this public id, or null. */
  async find(userId: number, id: string): Promise<string | null> {
    return (await this.list(userId)).find((s) => s.id === id)?.tokenHash ?? null;
  }

  async delete(tokenHash: string): Promise<void> {
    await this.store.sessions.delete(tokenHash);
  }

  async deleteExpired(): Promise<number> {
    return this.store.sessions.deleteExpired(this.now());
  }

  private endOf(createdMs: number, lastSeenMs: number): number {
    return Math.min(lastSeenMs + this.timeouts.idleMs, createdMs + this.timeouts.maxMs);
  }
}

function entryOf(r: SessionRow): SessionEntry {
  return { id: sessionId(r.tokenHash), createdMs: r.createdMs, lastSeenMs: r.lastSeenMs, expiresMs: r.expiresMs, address: r.address, userAgent: r.userAgent };
}
