// Routes /auth/login, /auth/logout, /auth/me, /auth/password (own password change).
import * as E from '../../../common/endpoints';
import { changeOwnPassword } from '../accounts/passwords';
import { toUserInfo } from '../auth';
import { principalOf, bind, type Route } from '../router';
import type { DepsRef } from './deps';
import { closeSessionStreams } from './sessions';

export function authRoutes(deps: DepsRef): Route[] {
  return [
    bind(E.postAuthLogin, async ({ body, ip, req }) => {
      const r = await deps().auth.login({
        username: body.username,
        password: body.password,
        ip,
        userAgent: String(req.headers['user-agent'] ?? '').slice(0, 256),
        body,
      });
      // A second factor may be due: the challenge carries no user (the session, with the rights, comes from /auth/login/totp).
      return 'user' in r ? { ...r, user: { ...r.user, rights: await deps().access.summaryOf(r.user) } } : r;
    }),
    bind(E.postAuthLogout, async (ctx) => {
      const p = principalOf(ctx);
      await deps().auth.logout(p, ctx.ip);
      closeSessionStreams(deps(), p.tokenHash);
    }),
    bind(E.getAuthMe, async (ctx) => {
      const user = principalOf(ctx).user;
      return { ...toUserInfo(user), rights: await deps().access.summaryOf(user) };
    }),
    bind(E.postAuthPassword, (ctx) => changeOwnPassword(deps(), principalOf(ctx), ctx.body, ctx.ip)),
  ];
}
