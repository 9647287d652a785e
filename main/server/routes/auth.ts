// Routes /auth/login, /auth/logout, /auth/me, /auth/password (own password change).
import * as E from '../../../common/endpoints';
import { changeOwnPassword } from '../accounts/passwords';
import { toUserInfo } from '../auth';
import { principalOf, bind, type Route } from '../router';
import type { DepsRef } from './deps';

export function authRoutes(deps: DepsRef): Route[] {
  return [
    bind(E.postAuthLogin, async ({ body, ip }) => {
      const r = await deps().auth.login(body.username, body.password, ip);
      return { ...r, user: { ...r.user, rights: await deps().access.summaryOf(r.user) } };
    }),
    bind(E.postAuthLogout, async (ctx) => {
      const p = principalOf(ctx);
      await deps().auth.logout(p, ctx.ip);
      deps().events.closeSession(p.tokenHash);
    }),
    bind(E.getAuthMe, async (ctx) => {
      const user = principalOf(ctx).user;
      return { ...toUserInfo(user), rights: await deps().access.summaryOf(user) };
    }),
    bind(E.postAuthPassword, (ctx) => changeOwnPassword(deps(), principalOf(ctx), ctx.body, ctx.ip)),
  ];
}
