// Sign-in factors wired together: the TOTP second step (pending tokens, code checks, setup during sign-in) and the directory.
import { ErrorKind } from '../../../common/errors';
import type { SecondFactorChallenge, TotpSetup } from '../../../common/factors';
import { msg } from '../../../common/messages';
import type { Log } from '../../../common/log';
import type { Store, UserRow } from '../../../storage/repositories';
import type { AuditLog } from '../../services/audit-log';
import { DomainError } from '../../platform/errors';
import type { AuthService } from '../auth';
import { ApiError } from '../errors';
import { DirectoryAccounts, type DirectoryGroups } from './directory-accounts';
import { TotpFactor, type TotpSettings } from './factor';
import { DirectorySignIn, type DirectorySettings } from './ldap';
import { PendingSignIns } from './pending';
import type { SecretSealer } from './secret';

export interface SignInFactorsOptions {
  store: Pick<Store, 'factors' | 'users'>;
  audit: AuditLog;
  sealer: SecretSealer;
  settings: TotpSettings & DirectorySettings;
  now: () => number;
  log: Log;
  /** The access groups a directory sign-in keeps in step (read at sign-in time). */
  directoryGroups?: () => DirectoryGroups | null;
}

export class SignInFactors {
  readonly totp: TotpFactor;
  readonly pending: PendingSignIns;
  /** Directory (LDAP/AD) sign-in, when configured. */
  readonly directory: DirectoryAccounts | null;

  constructor(private readonly o: SignInFactorsOptions) {
    this.totp = new TotpFactor(o.store, o.sealer, o.audit, o.settings, o.now);
    this.pending = new PendingSignIns(o.now);
    const s = o.settings;
    this.directory = DirectorySignIn.configured(s)
      ? new DirectoryAccounts(new DirectorySignIn(s), o.store, o.audit, o.now, o.log.child('directory'), o.directoryGroups)
      : null;
  }

  /** Plugs into the sign-in's seams: the directory checks credentials of names it answers for; TOTP follows a right password. */
  plugInto(auth: AuthService): void {
    const dir = this.directory;
    if (dir) {
      const local = auth.checkCredentials;
      auth.checkCredentials = async (user, attempt) =>
        (await dir.handles(user)) ? dir.signIn(attempt.username, attempt.password, attempt.ip) : local(user, attempt);
    }
    auth.afterPassword.push(async (user, attempt) => {
      const c = await this.challenge(user);
      if (!c) return;
      await this.o.audit.record({
        actor: { user },
        action: 'auth.password_ok',
        targetType: 'user',
        targetId: user.id,
        detail: { next: c.secondFactor },
        ip: attempt.ip,
      });
      return c;
    });
  }

  /** After a correct password: the second step when one is due (TOTP on, or required by the role and not set up), else null. */
  async challenge(user: UserRow): Promise<SecondFactorChallenge | null> {
    const kind = (await this.totp.enabled(user.id)) ? 'totp' : this.totp.required(user.role) ? 'totp_setup' : null;
    if (kind === null) return null;
    const { token, expiresMs } = this.pending.create(user.id, kind);
    return { secondFactor: kind, pendingToken: token, expiresMs };
  }

  /** A required setup during sign-in: a new secret for the pending user. */
  async setupDuringSignIn(pendingToken: string): Promise<TotpSetup> {
    const p = this.pending.get(pendingToken);
    if (!p || p.kind !== 'totp_setup') throw new ApiError(ErrorKind.Unauthorized, msg('factor.pending_invalid'));
    return this.totp.begin(await this.userOf(p.userId));
  }

  /**
   * The second step: the code of the pending user (or the first code of a required setup). Returns the user to open a
   * session for, and the recovery codes of a setup; 401 on a wrong or throttled code or a stale token.
   */
  async complete(pendingToken: string, code: string, ip: string): Promise<{ user: UserRow; recoveryCodes?: string[] }> {
    const p = this.pending.get(pendingToken);
    if (!p) throw new ApiError(ErrorKind.Unauthorized, msg('factor.pending_invalid'));
    const user = await this.userOf(p.userId);
    if (p.kind === 'totp_setup') {
      try {
        const recoveryCodes = await this.totp.confirm(user, code, ip);
        this.pending.delete(pendingToken);
        return { user, recoveryCodes };
      } catch (e) {
        // At sign-in every refusal is a 401 with the confirm step's own code.
        if (e instanceof DomainError) throw new ApiError(ErrorKind.Unauthorized, e.kind === ErrorKind.Validation ? msg('factor.code_wrong') : e.msg);
        throw e;
      }
    }
    const r = await this.totp.check(user, code, ip, 'login');
    if (!r.ok) {
      if (r.lockMs > 0) throw new ApiError(ErrorKind.Unauthorized, msg('factor.throttled', { seconds: Math.ceil(r.lockMs / 1000) }));
      throw new ApiError(ErrorKind.Unauthorized, msg('factor.code_wrong'));
    }
    this.pending.delete(pendingToken);
    return { user };
  }

  private async userOf(userId: number): Promise<UserRow> {
    const user = await this.o.store.users.get(userId);
    if (!user || user.disabled) {
      this.pending.deleteUser(userId);
      throw new ApiError(ErrorKind.Unauthorized, msg('factor.pending_invalid'));
    }
    return user;
  }
}
