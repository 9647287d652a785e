// The console's words for the server's error codes (passwords and accounts), in the user's language.
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../common/accounts';
import { ApiError } from '../api';
import type { Translate } from '../i18n/index';

/** The message for a server code, or null when the console has no words for it (then the server's text is shown). */
export function codeText(t: Translate, code: string | undefined): string | null {
  switch (code) {
    case 'password.too_short':
      return t('accounts.code.password.too_short', { min: PASSWORD_MIN_LENGTH });
    case 'password.too_long':
      return t('accounts.code.password.too_long', { max: PASSWORD_MAX_LENGTH });
    case 'password.blank':
      return t('accounts.code.password.blank');
    case 'password.same_char':
      return t('accounts.code.password.same_char');
    case 'password.contains_username':
      return t('accounts.code.password.contains_username');
    case 'password.common':
      return t('accounts.code.password.common');
    case 'password.unchanged':
      return t('accounts.code.password.unchanged');
    case 'password.current_wrong':
      return t('accounts.code.password.current_wrong');
    case 'password.throttled':
      return t('accounts.code.password.throttled');
    case 'password.change_required':
      return t('accounts.code.password.change_required');
    default:
      return null;
  }
}

/** The error of one field, worded by its code when the console knows it, else the server's text. */
export function fieldText(t: Translate, err: unknown, path: string): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const f = err.fields.find((x) => x.path === path);
  if (!f) return undefined;
  return codeText(t, f.code) ?? f.message;
}
