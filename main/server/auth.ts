// Authentication: scrypt password hashes, bearer-token sessions with sliding expiry, login throttling, first admin.
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import type { LoginResponse, UserInfo } from '../../common/api';
import type { LoginResult } from '../../common/factors';
import type { SignInFactors } from './auth-factors';
import { ErrorKind } from '../../common/errors';
import { msg } from '../../common/messages';
import { StorageError, type Store, type UserRow } from '../../storage/repositories';
import { settingFromEnv } from '../config';
import { checkPassword } from './accounts/policy';
import type { AuditLog } from '../services/audit-log';
import { ApiError } from './errors';
import type { Principal } from './router';

const scrypt = promisify(crypto.scrypt) as (pw: string, salt: Buffer, keyLen: number, opts: crypto.ScryptOptions) => Promise<Buffer>;

export const SCRYPT_PARAMS = { N: 16384, r: 8, p: 1, keyLen: 64, saltBytes: 16 } as const;

function scryptMaxmem(N: number, r: number, p: number): number {
  return 128 * N * r * p + 1024 * 1024 * 2;
}

/** Hashes a password as "scrypt$N$r$p$saltB64$hashB64" with a random 16-byte salt. */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLen, saltBytes } = SCRYPT_PARAMS;
  const salt = crypto.randomBytes(saltBytes);
  const hash = await scrypt(password, salt, keyLen, { N, r, p, maxmem: scryptMaxmem(N, r, p) });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Checks a password against a stored hash in constant time; false for malformed hashes. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  // Bounds keep a corrupted row from making us allocate gigabytes.
  if (![N, r, p].every(Number.isSafeInteger) || N < 2 || N > 1 << 20 || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) return false;
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  if (salt.length === 0 || expected.length < 16) return false;
  let actual: Buffer;
  try {
    actual = await scrypt(password, salt, expected.length, { N, r, p, maxmem: scryptMaxmem(N, r, p) });
  } catch {
    return false;
  }
  return crypto.timingSafeEqual(actual, expected);
}

/** A new session token: 32 random bytes, base64url. */
export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** SHA-256 hex of a token: what the sessions table stores. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A random password without look-alike characters (0/O, 1/l/I). */
export function randomPassword(length = 16): string {
  let out = '';
  for (let i = 0; i < length; i++) out += PASSWORD_ALPHABET[crypto.randomInt(PASSWORD_ALPHABET.length)];
  return out;
}

export function toUserInfo(u: UserRow): UserInfo {
  return {
    id: u.id,
    username: u.username,
    role: u.role,
    displayName: u.displayName,
    disabled: u.disabled,
    createdMs: u.createdMs,
    mustChangePassword: u.mustChangePassword,
  };
}

// ---------- login throttling ----------

export interface ThrottleOptions {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = { maxFailures: 5, windowMs: 5 * 60_000, lockMs: 60_000 };

interface ThrottleEntry {
  failures: number[];
  pending: number;
  lockedUntilMs: number;
}

/**
 * Per-username login throttle: after maxFailures failed logins within windowMs, further attempts are
 * refused for lockMs. Attempts still being checked count too, so parallel guesses cannot slip past the limit.
 */
export class LoginThrottle {
  private readonly entries = new Map<string, ThrottleEntry>();
  constructor(private readonly opts: ThrottleOptions = DEFAULT_THROTTLE) {}

  private entry(key: string): ThrottleEntry {
    let e = this.entries.get(key);
    if (!e) {
      e = { failures: [], pending: 0, lockedUntilMs: 0 };
      this.entries.set(key, e);
    }
    return e;
  }

  /** Starts an attempt: returns 0 if allowed (call end() later), else how many ms the lock still lasts. */
  begin(username: string, nowMs: number): number {
    const e = this.entry(username.toLowerCase());
    if (e.lockedUntilMs > nowMs) return e.lockedUntilMs - nowMs;
    e.failures = e.failures.filter((t) => t > nowMs - this.opts.windowMs);
    if (e.failures.length + e.pending >= this.opts.maxFailures) return this.opts.lockMs;
    e.pending++;
    return 0;
  }

  /** Ends an attempt begun with begin(); returns true when this failure locked the username. */
  end(username: string, ok: boolean, nowMs: number): boolean {
    const key = username.toLowerCase();
    const e = this.entry(key);
    e.pending = Math.max(0, e.pending - 1);
    let locked = false;
    if (ok) e.failures = [];
    else {
      e.failures = e.failures.filter((t) => t > nowMs - this.opts.windowMs);
      e.failures.push(nowMs);
      if (e.failures.length >= this.opts.maxFailures) {
        e.lockedUntilMs = nowMs + this.opts.lockMs;
        e.failures = [];
        locked = true;
      }
    }
    if (this.entries.size > 1000) this.prune(nowMs);
    return locked;
  }

  private prune(nowMs: number): void {
    for (const [k, e] of this.entries) {
      if (e.pending === 0 && e.lockedUntilMs <= nowMs && e.failures.every((t) => t <= nowMs - this.opts.windowMs)) this.entries.delete(k);
    }
  }
}

// ---------- sessions ----------

export class Sessions {
  constructor(
    private readonly store: Store,
    private readonly idleMs: number,
    private readonly now: () => number,
  ) {}

  /** Creates a session for the user; returns the token (shown to the client once, never stored). */
  async create(user: UserRow): Promise<{ token: string; tokenHash: string; expiresMs: number }> {
    const token = newToken();
    const tokenHash = hashToken(token);
    const nowMs = this.now();
    const expiresMs = nowMs + this.idleMs;
    await this.store.sessions.create({ tokenHash, userId: user.id, createdMs: nowMs, expiresMs, lastSeenMs: nowMs });
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
    if (row.expiresMs <= nowMs) {
      await this.store.sessions.delete(tokenHash);
      return null;
    }
    const user = await this.store.users.get(row.userId);
    // A session older than the user's last password change is over, even if a crash kept its row (see accounts/passwords.ts).
    if (!user || user.disabled || (user.passwordChangedMs !== null && row.createdMs < user.passwordChangedMs)) {
      await this.store.sessions.delete(tokenHash);
      return null;
    }
    // Sliding expiry; skip the write when the last one was less than a second ago.
    if (extend && nowMs - row.lastSeenMs >= 1000) await this.store.sessions.touch(tokenHash, nowMs, nowMs + this.idleMs);
    return { user, tokenHash };
  }

  async delete(tokenHash: string): Promise<void> {
    await this.store.sessions.delete(tokenHash);
  }

  async deleteExpired(): Promise<number> {
    return this.store.sessions.deleteExpired(this.now());
  }
}

// ---------- login / logout ----------

export class AuthService {
  private dummyHash: Promise<string> | null = null;
  /** Throttles guesses of the current password on the own password change (per user, like logins). */
  readonly passwordChecks = new LoginThrottle();

  constructor(
    private readonly store: Store,
    readonly sessions: Sessions,
    private readonly audit: AuditLog,
    private readonly throttle: LoginThrottle,
    private readonly now: () => number,
    /** The second factor and the directory (absent: passwords only). */
    private readonly factors?: SignInFactors,
  ) {}

  /** Checks the credentials; throws ApiError 401 (audited) on failure. A second step when one is due (no session yet). */
  async login(username: string, password: string, ip: string): Promise<LoginResult> {
    const lockMs = this.throttle.begin(username, this.now());
    if (lockMs > 0) {
      const seconds = Math.ceil(lockMs / 1000);
      await this.failed(username, ip, 'throttled');
      throw new ApiError(ErrorKind.Unauthorized, msg('auth.too_many_logins', { username, seconds }));
    }
    let ok = false;
    try {
      const user = await this.store.users.getByUsername(username);
      if (!user) {
        // Same work as for a real user so response time does not reveal which usernames exist.
        this.dummyHash ??= hashPassword(randomPassword());
        await verifyPassword(password, await this.dummyHash);
        await this.failed(username, ip, 'unknown_user');
        throw new ApiError(ErrorKind.Unauthorized, msg('auth.invalid_credentials'));
      }
      if (!(await verifyPassword(password, user.passwordHash))) {
        await this.failed(username, ip, 'bad_password', user.id);
        throw new ApiError(ErrorKind.Unauthorized, msg('auth.invalid_credentials'));
      }
      ok = true; // the password was right: does not count towards throttling
      if (user.disabled) {
        await this.failed(username, ip, 'disabled', user.id);
        throw new ApiError(ErrorKind.Unauthorized, msg('auth.disabled'));
      }
      // The seam of sign-in factors: a second step instead of a session when TOTP is due.
      const challenge = await this.factors?.challenge(user);
      if (challenge) {
        await this.audit.record({
          actor: { user },
          action: 'auth.password_ok',
          targetType: 'user',
          targetId: user.id,
          detail: { next: challenge.secondFactor },
          ip,
        });
        return challenge;
      }
      return await this.openSession(user, ip);
    } finally {
      this.throttle.end(username, ok, this.now());
    }
  }

  /** A new session for a user who passed every factor; audited as auth.login. */
  async openSession(user: UserRow, ip: string, detail?: Record<string, unknown>): Promise<LoginResponse> {
    await this.sessions.deleteExpired();
    const session = await this.sessions.create(user);
    await this.audit.record({ actor: { user }, action: 'auth.login', targetType: 'user', targetId: user.id, ...(detail ? { detail } : {}), ip });
    return { token: session.token, expiresMs: session.expiresMs, user: toUserInfo(user) };
  }

  private async failed(username: string, ip: string, reason: 'throttled' | 'unknown_user' | 'bad_password' | 'disabled', userId?: number): Promise<void> {
    await this.audit.record({
      actor: { userId: userId ?? null, username },
      action: 'auth.login_failed',
      targetType: 'user',
      targetId: userId,
      detail: { username, reason },
      ip,
    });
  }

  async logout(principal: Principal, ip: string): Promise<void> {
    await this.sessions.delete(principal.tokenHash);
    await this.audit.record({ actor: principal, action: 'auth.logout', targetType: 'user', targetId: principal.user.id, ip });
  }
}

// ---------- first start ----------

function box(lines: string[]): string {
  const width = Math.max(...lines.map((l) => l.length));
  const bar = '═'.repeat(width + 2);
  return ['╔' + bar + '╗', ...lines.map((l) => '║ ' + l.padEnd(width) + ' ║'), '╚' + bar + '╝'].join('\n');
}

/**
 * On first start (no users at all) creates user "admin" (role admin) with the password from
 * ARGUS_ADMIN_PASSWORD, or a random 16-character one printed once in a box. Returns whether it created one.
 */
export async function ensureAdmin(
  store: Store,
  log: (msg: string) => void,
  env: NodeJS.ProcessEnv = process.env,
  now: () => number = Date.now,
): Promise<boolean> {
  if ((await store.users.count()) > 0) return false;
  // Validated by its declaration (main/platform/settings.ts), then by the same policy as any password set in the console
  // (length, not the user name, not a common one): a refusal stops the start, naming ARGUS_ADMIN_PASSWORD.
  const fromEnv = settingFromEnv('adminPassword', env);
  const refusal = fromEnv ? checkPassword(fromEnv, 'admin') : null;
  if (refusal)
    throw new Error(`ARGUS_ADMIN_PASSWORD is refused by the password policy (${refusal.code}): it ${refusal.message}. Choose another and start again.`);
  const password = fromEnv ? fromEnv : randomPassword(16);
  let user: UserRow;
  try {
    user = await store.users.create({
      username: 'admin',
      passwordHash: await hashPassword(password),
      role: 'admin',
      displayName: '', // no English name made up by the server: the console shows the user name "admin" and the role in the user's language
      disabled: false,
      createdMs: now(),
      // A generated password was printed on the server's console: its user must replace it at the first sign-in.
      mustChangePassword: !fromEnv,
    });
  } catch (e) {
    if (e instanceof StorageError && e.code === 'conflict') return false; // created concurrently
    throw e;
  }
  const source = fromEnv ? 'ARGUS_ADMIN_PASSWORD' : 'generated';
  await store.audit.append({
    tsMs: now(),
    userId: null,
    username: null,
    action: 'user.create',
    targetType: 'user',
    targetId: String(user.id),
    detail: { username: 'admin', role: 'admin', passwordSource: source },
    ip: null,
  });
  if (fromEnv) log('[auth] created the first user "admin" with the password from ARGUS_ADMIN_PASSWORD');
  else
    log(
      '\n' +
        box([
          'Argus: first start - created the administrator account',
          '',
          '  username: admin',
          `  password: ${password}`,
          '',
          'This password is shown only once. Sign in: Argus asks you',
          'to change it at once (or set ARGUS_ADMIN_PASSWORD before',
          'the first start).',
        ]) +
        '\n',
    );
  return true;
}
