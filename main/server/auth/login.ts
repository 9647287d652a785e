// Sign-in and sign-out: address gate → account pool → password on the hasher thread → (seam: second factor) → session; all audited.
import type { LoginResponse } from '../../../common/api';
import type { LoginResult, SecondFactorChallenge } from '../../../common/factors';
import { ErrorKind } from '../../../common/errors';
import { assertNever } from '../../../common/events';
import { msg, type ServerMessage } from '../../../common/messages';
import type { Store, UserRow } from '../../../storage/repositories';
import type { AuditLog } from '../../services/audit-log';
import { ApiError } from '../errors';
import type { Principal } from '../router';
import { HasherBusy, type PasswordHasher } from './hasher';
import { randomPassword, toUserInfo } from './passwords';
import type { RefusalAudit } from './refusal-audit';
import type { Sessions } from './sessions';
import { AccountThrottle, AddressGate, FailureLock, type PoolPass, type Refusal, type SignInLimits } from './throttle';

/** One sign-in attempt as the route hands it over. */
export interface LoginAttempt {
  username: string;
  password: string;
  /** Client address (as the server sees it). */
  ip: string;
  userAgent: string;
  /** The whole validated request body (a second factor's code travels here). */
  body?: Readonly<Record<string, unknown>>;
}

/**
 * A check after the password was right and before the session opens (the seam for a second factor): throws an ApiError
 * to refuse (audit the refusal itself), returns a challenge to answer with a second step instead of a session, or
 * nothing to let the sign-in through.
 */
export type AfterPasswordCheck = (user: UserRow, attempt: LoginAttempt) => Promise<SecondFactorChallenge | void>;

/**
 * How the credentials are checked (the seam for a directory): the user when the password is right, null when wrong.
 * `user` is the local row or null (unknown name). The default checks the local scrypt hash on the hasher thread.
 */
export type CredentialCheck = (user: UserRow | null, attempt: LoginAttempt) => Promise<UserRow | null>;

type FailReason = 'unknown_user' | 'bad_password' | 'disabled';

export interface AuthServiceOptions {
  store: Store;
  sessions: Sessions;
  audit: AuditLog;
  hasher: PasswordHasher;
  refusals: RefusalAudit;
  limits: SignInLimits;
  now: () => number;
}

export class AuthService {
  readonly sessions: Sessions;
  readonly hasher: PasswordHasher;
  /** Guesses of the current password on the own password change (per user; the caller is signed in). */
  readonly passwordChecks = new FailureLock();
  readonly gate: AddressGate;
  readonly accounts: AccountThrottle;
  /** Seams (issue 13 item 5: TOTP, LDAP): replaced by the factors module when configured. */
  checkCredentials: CredentialCheck = (user, attempt) => this.checkLocalPassword(user, attempt.password);
  readonly afterPassword: AfterPasswordCheck[] = [];
  private dummyHash: Promise<string> | null = null;
  private tarpitted = 0;

  constructor(private readonly o: AuthServiceOptions) {
    this.sessions = o.sessions;
    this.hasher = o.hasher;
    this.gate = new AddressGate(o.limits);
    this.accounts = new AccountThrottle(o.limits, o.now);
  }

  /**
   * Checks the credentials and opens a session. Order matters: the address gate (no hash, no database) first, then the
   * account's failure pool (known address or not), then the password on the hasher thread, then the after-password
   * checks. Refusals before a hash are 429/503 with Retry-After and audited per address per minute; wrong credentials
   * are 401 and audited one by one.
   */
  async login(attempt: LoginAttempt): Promise<LoginResult> {
    const { username, ip } = attempt;
    const refused = this.gate.admit(ip, this.o.now());
    if (refused) throw await this.refuseLater(attempt, refused);
    let passwordRight = false;
    try {
      const user = await this.o.store.users.getByUsername(username);
      const known = user !== null && (await this.o.store.sessions.isKnownAddress(user.id, ip));
      const pass = await this.accounts.begin(AccountThrottle.key(username, known ? ip : null));
      if (!('key' in pass)) throw await this.refuseLater(attempt, pass);
      try {
        const checked = await this.credentials(user, attempt);
        passwordRight = checked !== null;
        if (!checked) {
          await this.failed(attempt, user ? 'bad_password' : 'unknown_user', user?.id);
          throw new ApiError(ErrorKind.Unauthorized, msg('auth.invalid_credentials'));
        }
        return await this.admitUser(checked, attempt);
      } finally {
        this.accounts.end(pass as PoolPass, passwordRight);
      }
    } finally {
      this.gate.release(ip, passwordRight, this.o.now());
    }
  }

  /** The password (or directory) check; a full queue on the hasher thread is 503 with Retry-After, never a wait. */
  private async credentials(user: UserRow | null, attempt: LoginAttempt): Promise<UserRow | null> {
    try {
      return await this.checkCredentials(user, attempt);
    } catch (e) {
      if (!(e instanceof HasherBusy)) throw e;
      throw this.refuse(attempt, { reason: 'busy', retryAfterMs: e.retryAfterMs });
    }
  }

  /** The local check: the stored hash, or a dummy one for an unknown name (same work: timing does not tell which names exist). */
  private async checkLocalPassword(user: UserRow | null, password: string): Promise<UserRow | null> {
    if (!user) {
      this.dummyHash ??= this.hasher.hash(randomPassword());
      const dummy = await this.dummyHash.catch((e: unknown) => {
        this.dummyHash = null;
        throw e;
      });
      await this.hasher.verify(password, dummy);
      return null;
    }
    return (await this.hasher.verify(password, user.passwordHash)) ? user : null;
  }

  /** The password was right: a disabled account is refused, the after-password checks run, then the session opens. */
  private async admitUser(user: UserRow, attempt: LoginAttempt): Promise<LoginResult> {
    if (user.disabled) {
      await this.failed(attempt, 'disabled', user.id);
      throw new ApiError(ErrorKind.Unauthorized, msg('auth.disabled'));
    }
    for (const check of this.afterPassword) {
      const challenge = await check(user, attempt);
      if (challenge) return challenge;
    }
    return this.openSession(user, attempt);
  }

  /** Opens a session for a user who passed every check (also the second step of a sign-in); audited as auth.login. */
  async openSession(user: UserRow, attempt: Pick<LoginAttempt, 'ip' | 'userAgent'>, detail?: Record<string, unknown>): Promise<LoginResponse> {
    await this.sessions.deleteExpired();
    const session = await this.sessions.create(user, { address: attempt.ip, userAgent: attempt.userAgent });
    await this.o.store.sessions.rememberAddress(user.id, attempt.ip, this.o.now(), this.o.limits.knownAddresses);
    await this.o.audit.record({ actor: { user }, action: 'auth.login', targetType: 'user', targetId: user.id, ...(detail ? { detail } : {}), ip: attempt.ip });
    return { token: session.token, expiresMs: session.expiresMs, user: toUserInfo(user) };
  }

  /** Holds a 429 refusal's answer for a while (limits.tarpitMs, never past its Retry-After, a bounded number at once). */
  private async refuseLater(attempt: LoginAttempt, r: Refusal): Promise<ApiError> {
    const holdMs = Math.min(this.o.limits.tarpitMs, r.retryAfterMs);
    if (r.reason !== 'busy' && holdMs > 0 && this.tarpitted < this.o.limits.maxTarpitted) {
      this.tarpitted++;
      await new Promise((resolve) => setTimeout(resolve, holdMs));
      this.tarpitted--;
    }
    return this.refuse(attempt, r);
  }

  /** A refusal before any hash: 429 (address, account) or 503 (busy) with Retry-After; counted for the per-minute audit row. */
  private refuse(attempt: LoginAttempt, r: Refusal): ApiError {
    this.o.refusals.note(attempt.ip, attempt.username, r);
    const seconds = Math.max(1, Math.ceil(r.retryAfterMs / 1000));
    const headers = { 'Retry-After': String(seconds) };
    let m: ServerMessage;
    switch (r.reason) {
      case 'address':
        m = msg('auth.address_throttled', { seconds });
        break;
      case 'account':
        m = msg('auth.too_many_logins', { username: attempt.username, seconds });
        break;
      case 'busy':
        return new ApiError(ErrorKind.Unavailable, msg('auth.busy', { seconds }), { headers });
      default:
        return assertNever(r.reason);
    }
    return new ApiError(ErrorKind.TooManyRequests, m, { headers });
  }

  private async failed(attempt: LoginAttempt, reason: FailReason, userId?: number): Promise<void> {
    const { username, ip } = attempt;
    await this.o.audit.record({
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
    await this.o.audit.record({ actor: principal, action: 'auth.logout', targetType: 'user', targetId: principal.user.id, ip });
  }

  /** Writes the refusal rows counted so far now (tests; close does it too). */
  flushRefusals(): Promise<void> {
    return this.o.refusals.flush();
  }

  /** Writes the pending refusal rows and stops the hasher thread. */
  async close(): Promise<void> {
    await this.o.refusals.close();
    await this.hasher.close();
  }
}
