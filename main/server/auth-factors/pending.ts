// Pending second steps of sign-ins: a short-lived random token per password accepted, held in memory, never a session.
import crypto from 'node:crypto';

export type PendingKind = 'totp' | 'totp_setup';

export interface PendingSignIn {
  userId: number;
  kind: PendingKind;
  expiresMs: number;
  /** The secret being set up during a required setup (sealed), once asked for. */
  setupSecret?: string;
}

/** How long the second step may take. */
export const PENDING_TTL_MS = 5 * 60_000;
const MAX_PENDING = 10_000;

export class PendingSignIns {
  private readonly byHash = new Map<string, PendingSignIn>();
  constructor(private readonly now: () => number) {}

  /** A new pending step; the token is handed to the client once, only its hash is kept. */
  create(userId: number, kind: PendingKind): { token: string; expiresMs: number } {
    const nowMs = this.now();
    if (this.byHash.size >= MAX_PENDING) this.prune(nowMs);
    // Still full of live entries: the oldest goes (Map keeps insertion order).
    if (this.byHash.size >= MAX_PENDING) this.byHash.delete(this.byHash.keys().next().value!);
    const token = crypto.randomBytes(32).toString('base64url');
    const expiresMs = nowMs + PENDING_TTL_MS;
    this.byHash.set(hash(token), { userId, kind, expiresMs });
    return { token, expiresMs };
  }

  /** The live entry of a token, or null. */
  get(token: string): PendingSignIn | null {
    const h = hash(token);
    const e = this.byHash.get(h);
    if (!e) return null;
    if (e.expiresMs <= this.now()) {
      this.byHash.delete(h);
      return null;
    }
    return e;
  }

  /** Ends a pending step (completed, or its user changed). */
  delete(token: string): void {
    this.byHash.delete(hash(token));
  }

  /** Ends every pending step of a user (TOTP reset, account disabled). */
  deleteUser(userId: number): void {
    for (const [h, e] of this.byHash) if (e.userId === userId) this.byHash.delete(h);
  }

  private prune(nowMs: number): void {
    for (const [h, e] of this.byHash) if (e.expiresMs <= nowMs) this.byHash.delete(h);
  }
}

function hash(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}
