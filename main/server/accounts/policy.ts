// The password policy: length, not blank or one repeated character, not the user name or containing it, not a common password.
import fs from 'node:fs';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type PasswordProblem } from '../../../common/accounts';
import { englishOf, msg, type ServerMessage } from '../../../common/messages';

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
  /** The registered message (code and params). */
  msg: ServerMessage;
}

function refusal(code: PasswordProblem, m: ServerMessage): PolicyRefusal {
  return { code, message: englishOf(m), msg: m };
}

/** Checks a new password for a user; returns why it is refused, or null when it is acceptable. */
export function checkPassword(password: string, username: string): PolicyRefusal | null {
  if (password.trim() === '') return refusal('password.blank', msg('password.blank'));
  const chars = [...password];
  if (chars.length < PASSWORD_MIN_LENGTH) return refusal('password.too_short', msg('password.too_short', { min: PASSWORD_MIN_LENGTH }));
  if (chars.length > PASSWORD_MAX_LENGTH) return refusal('password.too_long', msg('password.too_long', { max: PASSWORD_MAX_LENGTH }));
  if (chars.every((c) => c === chars[0])) return refusal('password.same_char', msg('password.same_char'));
  const lower = password.toLowerCase();
  const name = username.trim().toLowerCase();
  if (name !== '' && lower.includes(name)) return refusal('password.contains_username', msg('password.contains_username'));
  if (weakPasswords().has(lower) || weakPasswords().has(lower.trim())) return refusal('password.common', msg('password.common'));
  return null;
}
