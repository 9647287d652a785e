// Takes secrets out of log text and fields: URL credentials, secret query parameters, JSON-ish passwords, Authorization headers.

/** Field names whose values are never logged (any depth, any case); also pino's `redact` paths. */
export const SECRET_FIELD_NAMES = [
  'password',
  'newPassword',
  'oldPassword',
  'currentPassword',
  'token',
  'streamKey',
  'key',
  'ticket',
  'secret',
  'authorization',
  'cookie',
  'passwordHash',
  'tokenHash',
] as const;

export const CENSOR = '***';

const SECRET_KEYS = new Set(SECRET_FIELD_NAMES.map((k) => k.toLowerCase()));
/** Query parameters (and `name=value` words) whose value is a secret. */
const QUERY_NAMES = 'key|token|ticket|secret|password|passwd|pwd|sign|sig|signature|streamKey|stream_key|access_token|auth';

const RULES: ReadonlyArray<[RegExp, string | ((...m: string[]) => string)]> = [
  // scheme://user:pass@host, scheme://user@host → scheme://***@host (up to the last @ of the authority: a raw @ in a password)
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"'<>]+@/gi, `$1${CENSOR}@`],
  // ?key=…, &token=…, " secret=…" (also percent-encoded or escaped values, up to a separator or quote)
  [new RegExp(`(^|[?&;\\s,({"'])(${QUERY_NAMES})=([^&\\s"'<>;,)]*)`, 'gi'), `$1$2=${CENSOR}`],
  // "password": "…", 'token':'…', password: "…" (JSON-ish), also with JSON-escaped quotes
  [
    new RegExp(`((?:\\\\?["'])?(?:${QUERY_NAMES}|passwordHash|tokenHash|authorization)(?:\\\\?["'])?\\s*:\\s*\\\\?["'])((?:[^"'\\\\]|\\\\[^"'])*)`, 'gi'),
    `$1${CENSOR}`,
  ],
  // Authorization: Bearer …, Authorization: Basic …, authorization=…
  [
    /\b(authorization\s*[:=]\s*)(?:(bearer|basic|digest)\s+)?[^\s,;"'\\]+/gi,
    (_m, head: string, scheme?: string) => `${head}${scheme ? scheme + ' ' : ''}${CENSOR}`,
  ],
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${CENSOR}`],
];

/** The text with every secret shape replaced by ***. */
export function redactText(text: string): string {
  let out = text;
  for (const [re, to] of RULES) out = out.replace(re, to as string);
  return out;
}

function isSecretKey(k: string): boolean {
  return SECRET_KEYS.has(k.toLowerCase());
}

/** A copy of `value` with secret-named fields censored and every string redacted (Errors become { type, message, stack }). */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[deep]';
  if (value instanceof Error) {
    const e: Record<string, unknown> = { type: value.name, message: redactText(value.message) };
    if (value.stack) e.stack = redactText(value.stack);
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) e.code = code;
    return e;
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) && v !== undefined && v !== null ? CENSOR : redactValue(v, depth + 1);
  return out;
}

/** Fields of one log line, redacted (see redactValue). */
export function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  return redactValue(fields) as Record<string, unknown>;
}
