// Sign-in factor contracts: the TOTP second step of a sign-in, enrolment from the account menu, its status (issue 13 item 5).
import type { LoginResponse } from './api';
import { s, type Infer } from './schema';

/** What POST /auth/login answers when the password was right but a second factor is due (no session yet). */
export interface SecondFactorChallenge {
  /** 'totp': enter a code (or a recovery code); 'totp_setup': the role requires TOTP and it is not set up yet. */
  secondFactor: 'totp' | 'totp_setup';
  /** Short-lived, single-purpose token for the second step (not a session: it opens nothing else). */
  pendingToken: string;
  expiresMs: number;
}

/** POST /auth/login: a session, or the second step. */
export type LoginResult = LoginResponse | SecondFactorChallenge;

export function isChallenge(r: LoginResult): r is SecondFactorChallenge {
  return 'secondFactor' in r;
}

const code = s.string({ minLength: 1, maxLength: 32, description: '6-digit code from the authenticator app, or a recovery code' });
const pendingToken = s.string({ minLength: 1, maxLength: 128, description: 'the pendingToken of the login answer' });

/** POST /auth/login/totp: the second step. */
export const TotpLogin = s.object({ pendingToken, code });
export type TotpLogin = Infer<typeof TotpLogin>;

/** POST /auth/login/totp/setup: a user whose role requires TOTP sets it up during sign-in. */
export const TotpLoginSetup = s.object({ pendingToken });

/** POST /auth/totp/confirm: the first code confirms an enrolment. */
export const TotpConfirm = s.object({ code });

/** POST /auth/totp/disable: the password and a code turn TOTP off. */
export const TotpDisable = s.object({ password: s.string({ minLength: 1, maxLength: 1024 }), code });

/** A new secret to enter in an authenticator app. */
export interface TotpSetup {
  /** Base32 secret (to type in when the QR code cannot be scanned). */
  secret: string;
  /** otpauth://totp/... URI. */
  uri: string;
  /** The URI as an SVG QR code (made on the server). */
  qrSvg: string;
}

/** The signed-in user's TOTP state. */
export interface TotpStatus {
  enabled: boolean;
  /** Set up but not confirmed yet. */
  pending: boolean;
  /** The user's role may turn it on. */
  allowed: boolean;
  /** The user's role must use it. */
  required: boolean;
  recoveryCodesLeft: number;
}

/** A confirmed enrolment: the recovery codes, shown once. */
export interface TotpEnabled {
  recoveryCodes: string[];
}

/** The second step's answer: a session (and the recovery codes when it completed a required setup). */
export type TotpLoginResponse = LoginResponse & { recoveryCodes?: string[] };
