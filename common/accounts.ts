// Account contracts: own password change, admin reset, the password policy's limits and the codes of its refusals.
import { s, type Infer } from './schema';

/** Password policy limits (the server enforces them; the console shows them). */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

/**
 * Why a password is refused; sent as the `code` of the field error, worded by the console from its
 * catalogs (renderer/i18n/accounts.ts). The server's English `message` stays for API clients and logs.
 */
export const PASSWORD_PROBLEMS = [
  'password.too_short', // under PASSWORD_MIN_LENGTH
  'password.too_long', // over PASSWORD_MAX_LENGTH
  'password.blank', // only whitespace
  'password.same_char', // one character repeated
  'password.contains_username',
  'password.common', // in the list of the most common passwords
  'password.unchanged', // the new password is the current one
  'password.current_wrong', // the current password given is wrong
] as const;
export type PasswordProblem = (typeof PASSWORD_PROBLEMS)[number];

/** The error code of an own change refused after too many wrong current passwords (403; like the login throttle). */
export const PASSWORD_THROTTLED = 'password.throttled';

/** The error code of a refusal while a password change is due (403 on every other request). */
export const PASSWORD_CHANGE_REQUIRED = 'password.change_required';

// The schema's bound is wider than the policy's, so that an over-long password is refused with the policy's code.
const secret = (description: string) => s.string({ minLength: 1, maxLength: 4 * PASSWORD_MAX_LENGTH, description });

/** POST /auth/password: the signed-in user changes their own password (the current one is required). */
export const PasswordChange = s.object({
  currentPassword: secret('the password in use now'),
  newPassword: secret('the new password (policy: at least 10 characters, not the user name, not a common password)'),
});
export type PasswordChange = Infer<typeof PasswordChange>;

/** POST /users/:id/password: an administrator sets a new password; its user must change it at the next sign-in. */
export const PasswordReset = s.object({
  newPassword: secret('the temporary password (same policy); the user must change it at the next sign-in'),
});
export type PasswordReset = Infer<typeof PasswordReset>;
