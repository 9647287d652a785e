// The TOTP second factor of a user: enrolment (encrypted secret, first code, recovery codes), code checks without replay, throttle, reset.
import type { Role } from '../../../common/api';
import { ErrorKind } from '../../../common/errors';
import type { TotpSetup, TotpStatus } from '../../../common/factors';
import { msg } from '../../../common/messages';
import type { Store, UserRow } from '../../../storage/repositories';
import type { AuditLog } from '../../services/audit-log';
import { ApiError } from '../errors';
import { FailureLock } from '../auth';
import type { SecretSealer } from './secret';
import { hashRecoveryCode, isRecoveryCode, isTotpCode, matchTotp, newRecoveryCodes, newTotpSecret, otpauthUri, qrSvg } from './totp';

export interface TotpSettings {
  totpRoles: readonly Role[];
  totpRequiredRoles: readonly Role[];
  totpIssuer: string;
}

export type CodeCheck = { ok: true; via: 'totp' | 'recovery' } | { ok: false; lockMs: number };

export class TotpFactor {
  /** Wrong codes per user: 5 within 5 minutes lock further codes for 60 s (like passwords). */
  readonly throttle = new FailureLock();

  constructor(
    private readonly store: Pick<Store, 'factors'>,
    private readonly sealer: SecretSealer,
    private readonly audit: AuditLog,
    private readonly settings: TotpSettings,
    private readonly now: () => number,
  ) {}

  required(role: Role): boolean {
    return this.settings.totpRequiredRoles.includes(role);
  }

  allowed(role: Role): boolean {
    return this.required(role) || this.settings.totpRoles.includes(role);
  }

  /** Whether the user must give a code at sign-in (TOTP confirmed). */
  async enabled(userId: number): Promise<boolean> {
    return (await this.store.factors.totp(userId))?.enabledMs != null;
  }

  async status(user: UserRow): Promise<TotpStatus> {
    const row = await this.store.factors.totp(user.id);
    return {
      enabled: row?.enabledMs != null,
      pending: row !== null && row.enabledMs === null,
      allowed: this.allowed(user.role),
      required: this.required(user.role),
      recoveryCodesLeft: row?.enabledMs != null ? await this.store.factors.recoveryCodesLeft(user.id) : 0,
    };
  }

  /** A new secret for the user (replacing an unconfirmed one), stored sealed; its URI and QR code. */
  async begin(user: UserRow): Promise<TotpSetup> {
    if (!this.allowed(user.role)) throw new ApiError(ErrorKind.Forbidden, msg('factor.role_not_allowed'));
    if (await this.enabled(user.id)) throw ApiError.conflict('code', msg('factor.already_enabled'));
    const secret = newTotpSecret();
    await this.store.factors.putPendingTotp(user.id, this.sealer.seal(secret), this.now());
    const uri = otpauthUri(this.settings.totpIssuer, user.username, secret);
    return { secret, uri, qrSvg: await qrSvg(uri) };
  }

  /** The first code confirms the pending secret: TOTP is on; returns the recovery codes (only their hashes are kept). */
  async confirm(user: UserRow, code: string, ip: string): Promise<string[]> {
    const row = await this.store.factors.totp(user.id);
    if (!row || row.enabledMs !== null) throw ApiError.field('code', msg('factor.not_enrolling'));
    const key = `user:${user.id}`;
    const lockMs = this.throttle.begin(key, this.now());
    if (lockMs > 0) throw new ApiError(ErrorKind.Forbidden, msg('factor.throttled', { seconds: Math.ceil(lockMs / 1000) }));
    let step: number | null = null;
    try {
      step = await matchTotp(this.sealer.open(row.secretBox), code, this.now(), 0);
    } finally {
      this.throttle.end(key, step !== null, this.now());
    }
    if (step === null) throw ApiError.field('code', msg('factor.code_wrong'));
    const codes = newRecoveryCodes();
    if (!(await this.store.factors.enableTotp(user.id, step, codes.map(hashRecoveryCode), this.now())))
      throw ApiError.field('code', msg('factor.not_enrolling'));
    await this.audit.record({ actor: { user }, action: 'user.totp_enable', targetType: 'user', targetId: user.id, detail: { username: user.username }, ip });
    return codes;
  }

  /**
   * Checks a code of a user whose TOTP is on: a TOTP code of the ±1 step window newer than the last accepted one (then
   * it becomes the last), or an unused recovery code (then it is used). Throttled per user; failures audited.
   */
  async check(user: UserRow, code: string, ip: string, purpose: 'login' | 'disable'): Promise<CodeCheck> {
    const key = `user:${user.id}`;
    const lockMs = this.throttle.begin(key, this.now());
    if (lockMs > 0) {
      await this.failed(user, ip, purpose, 'throttled');
      return { ok: false, lockMs };
    }
    let via: 'totp' | 'recovery' | null = null;
    try {
      via = await this.match(user, code);
    } finally {
      this.throttle.end(key, via !== null, this.now());
    }
    if (via === null) {
      await this.failed(user, ip, purpose, 'code_wrong');
      return { ok: false, lockMs: 0 };
    }
    if (via === 'recovery')
      await this.audit.record({
        actor: { user },
        action: 'auth.recovery_code_used',
        targetType: 'user',
        targetId: user.id,
        detail: { username: user.username, left: await this.store.factors.recoveryCodesLeft(user.id) },
        ip,
      });
    return { ok: true, via };
  }

  private async match(user: UserRow, code: string): Promise<'totp' | 'recovery' | null> {
    const row = await this.store.factors.totp(user.id);
    if (!row || row.enabledMs === null) return null;
    if (isTotpCode(code)) {
      const step = await matchTotp(this.sealer.open(row.secretBox), code, this.now(), row.lastStep);
      // The step is taken atomically: of two parallel uses of one code only one passes.
      return step !== null && (await this.store.factors.advanceStep(user.id, step)) ? 'totp' : null;
    }
    if (isRecoveryCode(code)) return (await this.store.factors.useRecoveryCode(user.id, hashRecoveryCode(code), this.now())) ? 'recovery' : null;
    return null;
  }

  private async failed(user: UserRow, ip: string, purpose: 'login' | 'disable', reason: 'throttled' | 'code_wrong'): Promise<void> {
    await this.audit.record({
      actor: { userId: user.id, username: user.username },
      action: 'auth.totp_failed',
      targetType: 'user',
      targetId: user.id,
      detail: { username: user.username, purpose, reason },
      ip,
    });
  }

  /** Turns TOTP off (the caller checked the password and a code). */
  async disable(user: UserRow, ip: string): Promise<void> {
    if (this.required(user.role)) throw new ApiError(ErrorKind.Forbidden, msg('factor.required'));
    await this.store.factors.deleteTotp(user.id);
    await this.audit.record({ actor: { user }, action: 'user.totp_disable', targetType: 'user', targetId: user.id, detail: { username: user.username }, ip });
  }

  /** An administrator removes a user's TOTP (lost phone): off until set up again. Audited. */
  async reset(actor: { user: UserRow }, target: UserRow, ip: string): Promise<void> {
    const had = await this.store.factors.deleteTotp(target.id);
    await this.audit.record({ actor, action: 'user.totp_reset', targetType: 'user', targetId: target.id, detail: { username: target.username, had }, ip });
  }
}
