// The logger contract every component takes: callable (an info line) and leveled with structured fields; no Node imports.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured context of one line (ids, paths, counts, an `err`); fields named like secrets are censored by the logger. */
export type LogFields = Record<string, unknown>;

/** A child's bindings: the component name and any fixed fields (e.g. `{ component: 'recorder', cameraId: 3 }`). */
export type LogBindings = { component?: string } & LogFields;

/**
 * A component's logger. Calling it (`log('message')`) logs at info, so code written for a plain `(msg) => void` keeps
 * working; `child` names a sub-component (`log.child('recorder')`) or adds fixed fields.
 */
export type Log = ((msg: string) => void) & {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(component: string | LogBindings): Log;
};

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** True when `fn` is a full Log (not just a `(msg) => void`). */
export function isLog(fn: unknown): fn is Log {
  return typeof fn === 'function' && typeof (fn as Partial<Log>).child === 'function' && typeof (fn as Partial<Log>).warn === 'function';
}

function fieldText(fields: LogFields | undefined): string {
  if (!fields) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    const s = v instanceof Error ? v.message : typeof v === 'string' ? v : JSON.stringify(v);
    parts.push(`${k}=${s}`);
  }
  return parts.length ? ' ' + parts.join(' ') : '';
}

/**
 * A Log over a plain line function (tests, or callers that have no logger): `WARN [component] message k=v`. It does not
 * redact: the real logger (main/platform/logger.ts) does. A Log given here is returned as it is (a child when named).
 */
export function asLog(fn: ((msg: string) => void) | Log | undefined, component?: string, sink: (line: string) => void = (l) => console.log(l)): Log {
  if (isLog(fn)) return component ? fn.child(component) : fn;
  const out = fn ?? sink;
  const make = (bindings: LogBindings): Log => {
    const { component: name, ...fixed } = bindings;
    const line = (level: LogLevel, msg: string, fields?: LogFields) => {
      const prefix = name && !msg.startsWith('[') ? `[${name}] ` : '';
      const lv = level === 'info' ? '' : `${level.toUpperCase()} `;
      out(`${lv}${prefix}${msg}${fieldText({ ...fixed, ...fields })}`);
    };
    const log = ((msg: string) => line('info', msg)) as Log;
    log.debug = (m, f) => line('debug', m, f);
    log.info = (m, f) => line('info', m, f);
    log.warn = (m, f) => line('warn', m, f);
    log.error = (m, f) => line('error', m, f);
    log.child = (c) => make(typeof c === 'string' ? { ...bindings, component: c } : { ...bindings, ...c });
    return log;
  };
  return make(component ? { component } : {});
}

/** What a component accepts as its logger: a Log, or any `(msg) => void` (wrapped with asLog). */
export type LogSink = Log | ((msg: string) => void);
