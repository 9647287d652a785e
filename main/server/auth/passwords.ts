// Password hashes (scrypt, "scrypt$N$r$p$salt$hash"), session tokens and their hashes, generated passwords, the user view.
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import type { UserInfo } from '../../../common/api';
import type { UserRow } from '../../../storage/repositories';

const scrypt = promisify(crypto.scrypt) as (pw: string, salt: Buffer, keyLen: number, opts: crypto.ScryptOptions) => Promise<Buffer>;

export const SCRYPT_PARAMS = { N: 16384, r: 8, p: 1, keyLen: 64, saltBytes: 16 } as const;

export function scryptMaxmem(N: number, r: number, p: number): number {
  return 128 * N * r * p + 1024 * 1024 * 2;
}

/** A stored hash taken apart; null when it is malformed or its cost is out of bounds. */
export interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  expected: Buffer;
}

export function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  // Bounds keep a corrupted row from making us allocate gigabytes.
  if (![N, r, p].every(Number.isSafeInteger) || N < 2 || N > 1 << 20 || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) return null;
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  if (salt.length === 0 || expected.length < 16) return null;
  return { N, r, p, salt, expected };
}

export function formatHash(N: number, r: number, p: number, salt: Buffer, hash: Buffer): string {
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/**
 * Hashes a password with a random 16-byte salt on Node's libuv pool. For administrative paths (creating users, a
 * password change); sign-in hashes on the dedicated hasher thread (hasher.ts) so a flood cannot starve SQLite.
 */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLen, saltBytes } = SCRYPT_PARAMS;
  const salt = crypto.randomBytes(saltBytes);
  const hash = await scrypt(password, salt, keyLen, { N, r, p, maxmem: scryptMaxmem(N, r, p) });
  return formatHash(N, r, p, salt, hash);
}

/** Checks a password against a stored hash in constant time (libuv pool); false for malformed hashes. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const h = parseHash(stored);
  if (!h) return false;
  let actual: Buffer;
  try {
    actual = await scrypt(password, h.salt, h.expected.length, { N: h.N, r: h.r, p: h.p, maxmem: scryptMaxmem(h.N, h.r, h.p) });
  } catch {
    return false;
  }
  return crypto.timingSafeEqual(actual, h.expected);
}

/** A new session token: 32 random bytes, base64url. */
export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** SHA-256 hex of a token: what the sessions table stores. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A random password without look-alike characters (0/O, 1/l/I). */
export function randomPassword(length = 16): string {
  let out = '';
  for (let i = 0; i < length; i++) out += PASSWORD_ALPHABET[crypto.randomInt(PASSWORD_ALPHABET.length)];
  return out;
}

export function toUserInfo(u: UserRow): UserInfo {
  return {
    id: u.id,
    username: u.username,
    role: u.role,
    displayName: u.displayName,
    disabled: u.disabled,
    createdMs: u.createdMs,
    mustChangePassword: u.mustChangePassword,
  };
}
