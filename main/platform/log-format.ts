// Words one JSON log record for people: `2026-12-07 01:22:03.123 WARN  [units] message k=v` (the terminal's lines).

/** A record as pino writes it (level as its label, see main/platform/logger.ts). */
export interface LogRecord {
  time?: string | number;
  level?: string;
  component?: string;
  msg?: string;
  [field: string]: unknown;
}

const HIDDEN = new Set(['time', 'level', 'component', 'msg', 'pid', 'hostname']);
const COLORS: Record<string, string> = { debug: '\x1b[90m', info: '\x1b[36m', warn: '\x1b[33m', error: '\x1b[31m' };

function valueText(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]*$/.test(v) && v !== '' ? v : JSON.stringify(v);
  if (typeof v === 'object' && v !== null && typeof (v as { message?: unknown }).message === 'string')
    return JSON.stringify((v as { message: string }).message);
  return JSON.stringify(v);
}

function timeText(t: string | number | undefined): string {
  const iso = typeof t === 'number' ? new Date(t).toISOString() : (t ?? new Date().toISOString());
  return iso.replace('T', ' ').replace(/Z$/, 'Z');
}

/**
 * The line for one record. `time: false` leaves the time out and the level when it is info (the form tests and the
 * embedders' line callbacks get). A message that starts with its own "[...]" prefix is not prefixed with the component.
 */
export function formatRecord(rec: LogRecord, opts: { time: boolean; colors?: boolean }): string {
  const level = rec.level ?? 'info';
  const msg = rec.msg ?? '';
  const parts: string[] = [];
  if (opts.time) parts.push(timeText(rec.time));
  if (opts.time || level !== 'info') {
    const word = level.toUpperCase().padEnd(opts.time ? 5 : 0);
    parts.push(opts.colors ? `${COLORS[level] ?? ''}${word}\x1b[0m` : word);
  }
  if (rec.component && !msg.startsWith('[')) parts.push(`[${rec.component}]`);
  parts.push(msg);
  for (const [k, v] of Object.entries(rec)) if (!HIDDEN.has(k) && v !== undefined) parts.push(`${k}=${valueText(v)}`);
  let line = parts.join(' ');
  const stack = (rec.err as { stack?: unknown } | undefined)?.stack;
  if ((level === 'error' || level === 'warn') && typeof stack === 'string')
    line +=
      '\n    ' +
      stack
        .split('\n')
        .slice(1, 7)
        .map((l) => l.trim())
        .join('\n    ');
  return line;
}
