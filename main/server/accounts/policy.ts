// The password policy: length, not blank or one repeated character, not the user name or containing it, not a common password.
import fs from 'node:fs';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type PasswordProblem } from '../../../common/accounts';

const WEAK_FILE = new URL('./weak-passwords.txt', import.meta.url);

let weak: ReadonlySet<string> | null = null;

/** The shipped list of the most common passwords (lower case), read once. */
export function weakPasswords(): ReadonlySet<string> {
  weak ??= new Set(
    fs
      .readFileSync(WEAK_FILE, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#')),
  );
  return weak;
}

export interface PolicyRefusal {
  code: PasswordProblem;
  /** English, for API clients and logs; the console words the code. */
  message: string;
}

/** Checks a new password for a user; returns why it is refused, or null when it is acceptable. */
export function checkPassword(password: string, username: string): PolicyRefusal | null {
  if (password.trim() === '') return { code: 'password.blank', message: 'must not be empty or only spaces' };
  const chars = [...password];
  if (chars.length < PASSWORD_MIN_LENGTH) return { code: 'password.too_short', message: `must be at least ${PASSWORD_MIN_LENGTH} characters long` };
  if (chars.length > PASSWORD_MAX_LENGTH) return { code: 'password.too_long', message: `must be at most ${PASSWORD_MAX_LENGTH} characters long` };
  if (chars.every((c) => c === chars[0])) return { code: 'password.same_char', message: 'must not be one character repeated' };
  const lower = password.toLowerCase();
  const name = username.trim().toLowerCase();
  if (name !== '' && lower.includes(name)) return { code: 'password.contains_username', message: 'must not be or contain the user name' };
  if (weakPasswords().has(lower) || weakPasswords().has(lower.trim()))
    return { code: 'password.common', message: 'is one of the most common passwords; choose another' };
  return null;
}
