// Declarations of the auth endpoints (served by main/server/routes/auth.ts).
import { PasswordChange } from '../accounts';
import { LoginRequest } from '../api';
import { endpoint, typed } from '../endpoint';
import type { LoginResult } from '../factors';
import { LoginResponseSchema, UserInfoSchema } from './schemas';

export const postAuthLogin = endpoint({
  method: 'POST',
  path: '/api/v1/auth/login',
  auth: 'public',
  tag: 'auth',
  summary: 'Log in with username and password; returns a bearer token',
  description:
    'With TOTP on (or required by the role), a correct password gives a second step instead of a session. After 5 failed logins for a username within 5 minutes, further attempts for it are refused for 60 s. Every attempt is audited.',
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
