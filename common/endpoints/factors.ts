// Declarations of the sign-in factor endpoints: the TOTP second step, enrolment, disabling, an administrator's reset.
import type { TotpEnabled, TotpLoginResponse, TotpSetup, TotpStatus } from '../factors';
import { TotpConfirm, TotpDisable, TotpLogin, TotpLoginSetup } from '../factors';
import { endpoint, typed } from '../endpoint';
import { IdParams } from './params';

const setupSchema = typed<TotpSetup>({
  type: 'object',
  properties: { secret: { type: 'string' }, uri: { type: 'string' }, qrSvg: { type: 'string' } },
  required: ['secret', 'uri', 'qrSvg'],
});
const statusSchema = typed<TotpStatus>({
  type: 'object',
  properties: {
    enabled: { type: 'boolean' },
    pending: { type: 'boolean' },
    allowed: { type: 'boolean' },
    required: { type: 'boolean' },
    recoveryCodesLeft: { type: 'integer' },
  },
  required: ['enabled', 'pending', 'allowed', 'required', 'recoveryCodesLeft'],
});
const enabledSchema = typed<TotpEnabled>({
  type: 'object',
  properties: { recoveryCodes: { type: 'array', items: { type: 'string' } } },
  required: ['recoveryCodes'],
});
const loginSchema = typed<TotpLoginResponse>({
  type: 'object',
  properties: {
    token: { type: 'string' },
    expiresMs: { type: 'integer' },
    user: { type: 'object' },
    recoveryCodes: { type: 'array', items: { type: 'string' } },
  },
  required: ['token', 'expiresMs', 'user'],
});

export const postAuthLoginTotp = endpoint({
  method: 'POST',
  path: '/api/v1/auth/login/totp',
  auth: 'public',
  tag: 'auth',
  summary: 'Second sign-in step: a TOTP code (or a recovery code) for the pendingToken of the login answer; returns a session',
  description:
    'Codes of the previous, current and next 30 s step are accepted, each once (a replay is refused). Wrong codes are throttled per user ' +
    '(5 within 5 minutes lock 60 s: 401 "factor.throttled"); a wrong code is 401 "factor.code_wrong", an expired or unknown pendingToken ' +
    '401 "factor.pending_invalid". When the pendingToken is of a required setup (secondFactor "totp_setup"), the code confirms it and the ' +
    'answer carries the recovery codes. Audited.',
  body: TotpLogin,
  response: { description: 'a session', schema: loginSchema },
});

export const postAuthLoginTotpSetup = endpoint({
  method: 'POST',
  path: '/api/v1/auth/login/totp/setup',
  auth: 'public',
  tag: 'auth',
  summary: 'During sign-in, when the role requires TOTP and it is not set up: a new secret and its QR code',
  body: TotpLoginSetup,
  response: { description: 'the secret, its otpauth URI and QR code', schema: setupSchema },
});

export const getAuthTotp = endpoint({
  method: 'GET',
  path: '/api/v1/auth/totp',
  auth: 'any',
  tag: 'auth',
  summary: "The signed-in user's two-step sign-in state",
  response: { description: 'state', schema: statusSchema },
});

export const postAuthTotpSetup = endpoint({
  method: 'POST',
  path: '/api/v1/auth/totp/setup',
  auth: 'any',
  tag: 'auth',
  summary: 'Start setting up TOTP: a new secret (stored encrypted) with its otpauth URI and QR code; confirm with a first code',
  description: '403 "factor.role_not_allowed" for roles not in totpRoles; 409 "factor.already_enabled" when it is on.',
  response: { description: 'the secret, its otpauth URI and QR code', schema: setupSchema },
});

export const postAuthTotpConfirm = endpoint({
  method: 'POST',
  path: '/api/v1/auth/totp/confirm',
  auth: 'any',
  tag: 'auth',
  summary: 'Confirm the setup with a first code: TOTP is on from now on; returns 10 single-use recovery codes (shown once)',
  body: TotpConfirm,
  response: { description: 'the recovery codes', schema: enabledSchema },
});

export const postAuthTotpDisable = endpoint({
  method: 'POST',
  path: '/api/v1/auth/totp/disable',
  auth: 'any',
  tag: 'auth',
  summary: 'Turn TOTP off with the password and a code',
  description: 'A wrong password is 400 on "password", a wrong code 400 on "code". A role that requires TOTP cannot turn it off (403). Audited.',
  body: TotpDisable,
  response: { description: 'the new state', schema: statusSchema },
});

export const deleteUsersByidTotp = endpoint({
  method: 'DELETE',
  path: '/api/v1/users/:id/totp',
  auth: 'users.manage',
  tag: 'users',
  summary: "Reset a user's TOTP (lost phone): it is off until they set it up again; their sessions end",
  description: 'Audited as user.totp_reset.',
  params: IdParams,
  response: { status: 204, description: 'reset' },
});
