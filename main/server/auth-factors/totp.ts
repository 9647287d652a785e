// TOTP (RFC 6238) with otplib: secrets, otpauth URIs, QR codes (SVG, offline), code checks with a ±1 step window, recovery codes.
import crypto from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

/** Authenticator-app defaults: SHA-1, 6 digits, 30 s steps. */
export const TOTP_PERIOD_S = 30;
export const TOTP_DIGITS = 6;
/** Codes of the previous and the next step are accepted too (clock drift). */
export const TOTP_WINDOW_STEPS = 1;
export const RECOVERY_CODE_COUNT = 10;

/** A new random secret: 20 bytes (160 bits), base32. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function otpauthUri(issuer: string, username: string, secret: string): string {
  return generateURI({ issuer, label: username, secret, digits: TOTP_DIGITS, period: TOTP_PERIOD_S });
}

/** The URI as an SVG QR code, made on the server (no network). */
export function qrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** The time step of a moment. */
export function stepOf(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_S);
}

/** Whether a typed code looks like a TOTP code (6 digits, spaces allowed as typed from an app). */
export function isTotpCode(code: string): boolean {
  return /^\d{6}$/.test(code.replace(/\s/g, ''));
}

/**
 * The time step the code belongs to when it is valid at `nowMs` within ±1 step and later than `afterStep`
 * (a code of an already accepted step is a replay), else null.
 */
export async function matchTotp(secret: string, code: string, nowMs: number, afterStep: number): Promise<number | null> {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const r = await verify({
    secret,
    token,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: TOTP_PERIOD_S * TOTP_WINDOW_STEPS,
    ...(afterStep > 0 ? { afterTimeStep: afterStep } : {}),
  });
  return r.valid && 'timeStep' in r ? r.timeStep : null;
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** New single-use recovery codes, "xxxxx-xxxxx" (about 49 bits each). */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const one = () => Array.from({ length: 10 }, () => RECOVERY_ALPHABET[crypto.randomInt(RECOVERY_ALPHABET.length)]).join('');
  return Array.from({ length: count }, () => {
    const c = one();
    return `${c.slice(0, 5)}-${c.slice(5)}`;
  });
}

/** Whether a typed code looks like a recovery code (dashes, spaces and case ignored). */
export function isRecoveryCode(code: string): boolean {
  return /^[a-z0-9]{10}$/.test(normaliseRecovery(code));
}

function normaliseRecovery(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

/** What the database keeps of a recovery code: SHA-256 hex of its normalised form. */
export function hashRecoveryCode(code: string): string {
  return crypto.createHash('sha256').update(normaliseRecovery(code), 'utf8').digest('hex');
}
