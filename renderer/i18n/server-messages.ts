// The one way the console words what the server sends: an error or status code with params, from the catalogs in errors.ts.
import type { MessageParam, WireMessage } from '../../common/messages';
import { ERROR_CATALOGS } from './errors';
import { pluralForm, type Lang } from './index';

const PLACEHOLDER = /\{([A-Za-z0-9_]+)(?::([^{}]*))?\}/g;

function textOf(lang: Lang, code: string): string | undefined {
  const catalog = ERROR_CATALOGS[lang] as Record<string, string>;
  return Object.prototype.hasOwnProperty.call(catalog, code) ? catalog[code] : undefined;
}

/**
 * The words for a server code in `lang`, its params filled in (a nested message is worded in turn); `fallback` (the
 * server's English text) only when the console does not know the code (a newer server).
 */
export function serverMessage(lang: Lang, code: string | undefined, params: Record<string, MessageParam> | undefined, fallback: string): string {
  const text = code === undefined ? undefined : textOf(lang, code);
  if (text === undefined) return fallback;
  const p = params ?? {};
  return text.replace(PLACEHOLDER, (whole, name: string, forms: string | undefined) => {
    const v = p[name];
    if (v === undefined) return whole;
    if (typeof v === 'object') return serverMessage(lang, v.code, v.params, String(v.code));
    return forms === undefined ? String(v) : pluralForm(lang, forms, v);
  });
}

/** A status reason (a camera's or unit's `reason`) in words, else the English `lastError`, else null. */
export function statusReason(lang: Lang, reason: WireMessage | null | undefined, lastError: string | null | undefined): string | null {
  if (reason) return serverMessage(lang, reason.code, reason.params, lastError ?? reason.code);
  return lastError ?? null;
}

/** Whether the console has words for a code in every language (the catalog test uses it). */
export function knowsCode(code: string): boolean {
  return (Object.keys(ERROR_CATALOGS) as Lang[]).every((l) => textOf(l, code) !== undefined);
}
