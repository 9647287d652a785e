// Routes of sign-in factors: the TOTP second step of a sign-in, enrolment and disabling from the account menu, an admin's reset.
import * as E from '../../../common/endpoints';
import { ErrorKind } from '../../../common/errors';
import { msg } from '../../../common/messages';
import { verifyPassword } from '../auth';
import { ApiError } from '../errors';
import { bind, principalOf, type Route } from '../router';
import type { DepsRef } from './deps';

export function factorRoutes(deps: DepsRef): Route[] {
  return [
    bind(E.postAuthLoginTotp, async ({ body, ip, req }) => {
      const d = deps();
      const { user, recoveryCodes } = await d.factors.complete(body.pendingToken, body.code, ip);
      const userAgent = String(req.headers['user-agent'] ?? '').slice(0, 256);
      const opened = await d.auth.openSession(user, { ip, userAgent }, { secondFactor: recoveryCodes ? 'totp_setup' : 'totp' });
      const session = { ...opened, user: { ...opened.user, rights: await d.access.summaryOf(opened.user) } };
      return recoveryCodes ? { ...session, recoveryCodes } : session;
    }),
    bind(E.postAuthLoginTotpSetup, ({ body }) => deps().factors.setupDuringSignIn(body.pendingToken)),
    bind(E.getAuthTotp, (ctx) => deps().factors.totp.status(principalOf(ctx).user)),
    bind(E.postAuthTotpSetup, (ctx) => deps().factors.totp.begin(principalOf(ctx).user)),
    bind(E.postAuthTotpConfirm, async (ctx) => ({ recoveryCodes: await deps().factors.totp.confirm(principalOf(ctx).user, ctx.body.code, ctx.ip) })),
    bind(E.postAuthTotpDisable, async (ctx) => {
      const d = deps();
      const user = principalOf(ctx).user;
      if (d.factors.totp.required(user.role)) throw new ApiError(ErrorKind.Forbidden, msg('factor.required'));
      if (!(await d.factors.totp.enabled(user.id))) throw ApiError.field('code', msg('factor.not_enabled'));
      // Password guesses here share the own password change's throttle (a session left open is not a password oracle).
      const key = `user:${user.id}`;
      const lockMs = d.auth.passwordChecks.begin(key, d.now());
      if (lockMs > 0) throw new ApiError(ErrorKind.Forbidden, msg('password.throttled', { seconds: Math.ceil(lockMs / 1000) }));
      let passwordOk = false;
      try {
        passwordOk = await verifyPassword(ctx.body.password, user.passwordHash);
      } finally {
        d.auth.passwordChecks.end(key, passwordOk, d.now());
      }
      if (!passwordOk) throw ApiError.field('password', msg('password.current_wrong'));
      const r = await d.factors.totp.check(user, ctx.body.code, ctx.ip, 'disable');
      if (!r.ok) {
        if (r.lockMs > 0) throw new ApiError(ErrorKind.Forbidden, msg('factor.throttled', { seconds: Math.ceil(r.lockMs / 1000) }));
        throw ApiError.field('code', msg('factor.code_wrong'));
      }
      await d.factors.totp.disable(user, ctx.ip);
      return d.factors.totp.status(user);
    }),
    bind(E.deleteUsersByidTotp, async (ctx) => {
      const d = deps();
      const target = await d.store.users.get(ctx.params.id);
      if (!target) throw ApiError.notFound(msg('user.not_found', { id: ctx.params.id }));
      await d.factors.totp.reset(principalOf(ctx), target, ctx.ip);
      d.factors.pending.deleteUser(target.id);
    }),
  ];
}
