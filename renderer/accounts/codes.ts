// The error of one field of an account form, in the user's language (worded from the server's code, renderer/i18n/errors.ts).
import { ApiError } from '../api';
import type { Translate } from '../i18n/index';

/** The error of one field, worded by its code (`t` kept for the callers' symmetry with the other field helpers). */
export function fieldText(_t: Translate, err: unknown, path: string): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  return err.fieldMessage(path);
}
