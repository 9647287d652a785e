// Routes /auth/login, /auth/logout, /auth/me.
import { API_PREFIX, LoginRequest } from '../../../common/api';
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
      summary: 'The logged-in user',
      response: { description: 'the user of the token', schema: UserInfoSchema },
      handler: (ctx) => toUserInfo(principalOf(ctx).user),
    }),
  ];
}
