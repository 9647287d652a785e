// Routes /auth/login, /auth/logout, /auth/me, /auth/password (own password change).
import { PasswordChange } from '../../../common/accounts';
import { API_PREFIX, LoginRequest } from '../../../common/api';
import { changeOwnPassword } from '../accounts/passwords';
import { toUserInfo } from '../auth';
import { principalOf, route, type Route } from '../router';
import { LoginResponseSchema, UserInfoSchema } from '../views';
import type { DepsRef } from './deps';

export function authRoutes(deps: DepsRef): Route[] {
  return [
    route({
      method: 'POST',
      path: `${API_PREFIX}/auth/login`,
      auth: 'public',
      tag: 'auth',
      summary: 'Log in with username and password; returns a bearer token',
      description:
        'After 5 failed logins for a username within 5 minutes, further attempts for it are refused for 60 s. Every attempt is audited.',
      body: LoginRequest,
      response: { description: 'logged in', schema: LoginResponseSchema },
      handler: ({ body, ip }) => deps().auth.login(body.username, body.password, ip),
    }),
    route({
      method: 'POST',
      path: `${API_PREFIX}/auth/logout`,
      auth: 'any',
      tag: 'auth',
      passwordChangeDue: true,
      summary: 'End the current session',
      response: { status: 204, description: 'logged out' },
      handler: async (ctx) => {
        const p = principalOf(ctx);
        await deps().auth.logout(p, ctx.ip);
        deps().events.closeSession(p.tokenHash);
      },
    }),
    route({
      method: 'GET',
      path: `${API_PREFIX}/auth/me`,
      auth: 'any',
      tag: 'auth',
      passwordChangeDue: true,
      summary: 'The logged-in user',
      response: { description: 'the user of the token', schema: UserInfoSchema },
      handler: (ctx) => toUserInfo(principalOf(ctx).user),
    }),
    route({
      method: 'POST',
      path: `${API_PREFIX}/auth/password`,
      auth: 'any',
      passwordChangeDue: true,
      tag: 'auth',
      summary: 'Change your own password (the current one is required)',
      description:
        'Refused with 400 naming the field and a code: currentPassword "password.current_wrong"; newPassword "password.too_short", ' +
        '"password.too_long", "password.blank", "password.same_char", "password.contains_username", "password.common" or ' +
        '"password.unchanged"; after 5 wrong current passwords within 5 minutes, 403 with code "password.throttled" for 60 s. ' +
        'On success every other session of the user ends (this one stays) and a forced change is done. ' +
        'Audited as user.password_change, refusals as user.password_change_failed.',
      body: PasswordChange,
      response: { description: 'the user (mustChangePassword false)', schema: UserInfoSchema },
      handler: (ctx) => changeOwnPassword(deps(), principalOf(ctx), ctx.body, ctx.ip),
    }),
  ];
}
