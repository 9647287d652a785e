// Declarations of the auth endpoints (served by main/server/routes/auth.ts).
import { PasswordChange } from '../accounts';
import { LoginRequest } from '../api';
import { endpoint, typed } from '../endpoint';
import type { LoginResult } from '../factors';
import { s } from '../schema';
import { SessionIdParams, SessionView, UserSessionParams } from '../sessions';
import { IdParams } from './params';
import { LoginResponseSchema, UserInfoSchema } from './schemas';

export const postAuthLogin = endpoint({
  method: 'POST',
  path: '/api/v1/auth/login',
  auth: 'public',
  tag: 'auth',
  summary: 'Log in with username and password; returns a bearer token',
  description:
    'With TOTP on (or required by the role), a correct password gives a second step (secondFactor, pendingToken) instead of a session. ' +
    'Limits are checked before any password hash: an address that made too many attempts gets 429 with Retry-After ' +
    '(code "auth.address_throttled"), a server busy checking other sign-ins 503 with Retry-After ("auth.busy"). ' +
    'After 5 failed logins of an account, its next attempts are spaced out (1 s, doubling up to 2 min; 429, code ' +
    '"auth.too_many_logins"), counted apart for each address the account signed in from before, so guesses from ' +
    'elsewhere never slow the real user down; a correct login clears its count. Failed logins are audited one by one ' +
    '(auth.login_failed), refusals once per address per minute (auth.login_throttled).',
  body: LoginRequest,
  response: {
    description: 'logged in; or, when a second factor is due, { secondFactor, pendingToken, expiresMs } for POST /auth/login/totp (no session yet)',
    schema: typed<LoginResult>({
      oneOf: [
        LoginResponseSchema.json,
        {
          type: 'object',
          properties: { secondFactor: { type: 'string', enum: ['totp', 'totp_setup'] }, pendingToken: { type: 'string' }, expiresMs: { type: 'integer' } },
          required: ['secondFactor', 'pendingToken', 'expiresMs'],
        },
      ],
    }),
  },
});

export const postAuthLogout = endpoint({
  method: 'POST',
  path: '/api/v1/auth/logout',
  auth: 'any',
  tag: 'auth',
  passwordChangeDue: true,
  summary: 'End the current session',
  response: { status: 204, description: 'logged out' },
});

export const getAuthMe = endpoint({
  method: 'GET',
  path: '/api/v1/auth/me',
  auth: 'any',
  tag: 'auth',
  passwordChangeDue: true,
  summary: 'The logged-in user',
  response: { description: 'the user of the token', schema: UserInfoSchema },
});

export const postAuthPassword = endpoint({
  method: 'POST',
  path: '/api/v1/auth/password',
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
});

export const getAuthSessions = endpoint({
  method: 'GET',
  path: '/api/v1/auth/sessions',
  auth: 'any',
  passwordChangeDue: true,
  tag: 'auth',
  summary: 'Your signed-in sessions (newest first)',
  description: 'Each with its sign-in time, last request, end, address and browser; the one of this request is marked current. Never a token.',
  response: { description: 'the sessions', schema: s.array(SessionView) },
});

export const deleteAuthSessionsBysessionId = endpoint({
  method: 'DELETE',
  path: '/api/v1/auth/sessions/:sessionId',
  auth: 'any',
  passwordChangeDue: true,
  tag: 'auth',
  summary: 'End one of your sessions',
  description: 'Its token stops working at once and its event stream and live streams close. Audited as auth.session_revoke. 404 when it is not yours or over.',
  params: SessionIdParams,
  response: { status: 204, description: 'ended' },
});

export const getUsersByidSessions = endpoint({
  method: 'GET',
  path: '/api/v1/users/:id/sessions',
  auth: 'users.manage',
  tag: 'users',
  summary: "A user's signed-in sessions (newest first)",
  response: { description: 'the sessions', schema: s.array(SessionView) },
  params: IdParams,
});

export const deleteUsersByidSessionsBysessionId = endpoint({
  method: 'DELETE',
  path: '/api/v1/users/:id/sessions/:sessionId',
  auth: 'users.manage',
  tag: 'users',
  summary: "End one of a user's sessions",
  description: 'Its token stops working at once and its event stream and live streams close. Audited as auth.session_revoke.',
  params: UserSessionParams,
  response: { status: 204, description: 'ended' },
});
