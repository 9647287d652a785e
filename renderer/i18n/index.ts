// Languages of the console: catalogs, typed translate(), the remembered language choice and the I18n context.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { Store } from '../state/store';
import { en, type Catalog, type MessageKey } from './en';
import { zhCN, type Placeholders } from './zh-CN';

export type { MessageKey } from './en';
export { ERROR_CATALOGS } from './errors';

export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export const CATALOGS: { readonly [L in Lang]: Catalog } = { en, 'zh-CN': zhCN };

/** Locale passed to Intl for numbers and dates. */
export function intlLocale(lang: Lang): string {
  return lang === 'zh-CN' ? 'zh-CN' : 'en-GB';
}

type En = typeof en;
/**
 * Values for a message's placeholders; messages without placeholders take none. Distributes over a union of
 * keys (a key chosen at run time), which then accepts what any of them accepts.
 */
export type Params<K extends MessageKey> = K extends unknown
  ? [Placeholders<En[K]>] extends [never]
    ? []
    : [Record<Placeholders<En[K]>, string | number>]
  : never;
export type Translate = <K extends MessageKey>(key: K, ...params: Params<K>) => string;

/**
 * A placeholder: "{name}", or a plural choice "{count:one=# camera;other=# cameras}" whose form is picked by the
 * language's plural rules (Intl.PluralRules category, falling back to "other"); "#" in the form is the number.
 */
const PLACEHOLDER = /\{([A-Za-z0-9_]+)(?::([^{}]*))?\}/g;

/** Placeholder names in a message, sorted, each once (used by the catalog test). */
export function placeholdersOf(message: string): string[] {
  return [...new Set([...message.matchAll(PLACEHOLDER)].map((m) => m[1]!))].sort();
}

/** The form of a plural choice ("one=# camera;other=# cameras") for `value` in `lang`. */
export function pluralForm(lang: Lang, forms: string, value: string | number): string {
  const byCategory = new Map<string, string>();
  for (const part of forms.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) byCategory.set(part.slice(0, eq).trim(), part.slice(eq + 1));
  }
  const n = Number(value);
  const category = Number.isFinite(n) ? new Intl.PluralRules(intlLocale(lang)).select(n) : 'other';
  const form = byCategory.get(category) ?? byCategory.get('other') ?? '#';
  return form.replace(/#/g, String(value));
}

export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  const text = CATALOGS[lang][key] ?? en[key] ?? key;
  if (!params) return text;
  return text.replace(PLACEHOLDER, (whole, name: string, forms: string | undefined) => {
    if (!(name in params)) return whole;
    return forms === undefined ? String(params[name]) : pluralForm(lang, forms, params[name]!);
  });
}

export function makeTranslate(lang: Lang): Translate {
  return ((key: MessageKey, ...params: [Record<string, string | number>?]) => translate(lang, key, params[0])) as Translate;
}

const STORAGE_KEY = 'argus.lang';

/** The stored choice, else the browser's language (Chinese → zh-CN, anything else → English). */
export function initialLang(storage: Pick<Storage, 'getItem'> | null, navigatorLanguages: readonly string[]): Lang {
  try {
    const stored = storage?.getItem(STORAGE_KEY);
    if (stored && (LANGS as readonly string[]).includes(stored)) return stored as Lang;
  } catch {
    // storage may be unavailable (privacy settings): fall through to the browser language
  }
  for (const l of navigatorLanguages) {
    const lower = l.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

function safeLocalStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** The console's current language; changing it re-renders the app and is remembered in localStorage. */
export const langStore = new Store<Lang>(
  initialLang(safeLocalStorage(), typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language]),
);

export function setLang(lang: Lang): void {
  try {
    safeLocalStorage()?.setItem(STORAGE_KEY, lang);
  } catch {
    // not remembered, still switched
  }
  langStore.set(lang);
}

export interface I18n {
  lang: Lang;
  locale: string;
  t: Translate;
}

export function makeI18n(lang: Lang): I18n {
  return { lang, locale: intlLocale(lang), t: makeTranslate(lang) };
}

export const I18nContext = createContext<I18n>(makeI18n('en'));

export function useI18n(): I18n {
  return useContext(I18nContext);
}
