// The server's logger (pino): leveled JSON records, redacted in one place, to the terminal (readable or JSON) and a rotating file.
import path from 'node:path';
import pino from 'pino';
import type { Log, LogBindings, LogFields, LogLevel } from '../../common/log';
import { formatRecord, type LogRecord } from './log-format';
import { RotatingFile } from './log-file';
import { CENSOR, redactFields, redactText, SECRET_FIELD_NAMES } from './redact';
import type { Settings } from './settings';

export type TerminalFormat = 'pretty' | 'json' | 'off';

export interface LoggerOptions {
  /** Lines at or above this level are written (default info). */
  level?: LogLevel;
  /** The terminal (stdout): readable lines, JSON lines, or nothing (default pretty). */
  terminal?: TerminalFormat;
  /** JSON lines to `<dataDir>/logs/argus.log` (rotated); no file when absent. */
  dataDir?: string;
  file?: { maxBytes: number; keep: number };
  /** Instead of the terminal: each line, worded like the terminal's but without time (tests, embedders). */
  sink?: (line: string) => void;
  /** Where the terminal's lines go (default process.stdout; warnings and errors to process.stderr). */
  stdout?: TerminalStream;
  stderr?: TerminalStream;
}

/** The root logger: a Log plus what only its owner does. */
export type RootLog = Log & {
  /** The file being written (null without one). */
  readonly file: string | null;
  /**
   * Shows text to the person at the terminal only, never in the log file (the generated first admin password):
   * stdout, or the sink.
   */
  announce(text: string): void;
  /** Closes the log file (every line is already written: writes are synchronous). Later lines reach only the terminal. */
  close(): void;
};

type TerminalStream = { write(s: string): unknown; isTTY?: boolean };

export const DEFAULT_LOG_FILE = { maxBytes: 10 * 1024 * 1024, keep: 5 };

/** `<dataDir>/logs`: where the JSON log files are. */
export function logDirOf(dataDir: string): string {
  return path.join(dataDir, 'logs');
}

/** The logger the settings ask for: `logLevel`, `logTerminal`, and the file under `<dataDir>/logs/`. */
export function loggerOptionsOf(config: Pick<Settings, 'logLevel' | 'logTerminal' | 'logFileMaxBytes' | 'logFilesKept'> & { dataDir: string }): LoggerOptions {
  return {
    level: config.logLevel,
    terminal: config.logTerminal,
    dataDir: config.dataDir,
    file: { maxBytes: config.logFileMaxBytes, keep: config.logFilesKept },
  };
}

const REDACT_PATHS = SECRET_FIELD_NAMES.flatMap((k) => [k, `*.${k}`]);

export function createLogger(opts: LoggerOptions = {}): RootLog {
  const terminal = opts.terminal ?? 'pretty';
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? (opts.stdout ? stdout : process.stderr);
  const colors = !opts.sink && terminal === 'pretty' && !!stdout.isTTY;
  let file: RotatingFile | null = opts.dataDir
    ? new RotatingFile({ dir: logDirOf(opts.dataDir), ...(opts.file ?? DEFAULT_LOG_FILE) }, (err) =>
        stdout.write(`[log] cannot write the log file: ${redactText(err.message)}\n`),
      )
    : null;
  const filePath = file?.file ?? null;

  const destination = {
    write(line: string): void {
      file?.write(line);
      if (opts.sink) return opts.sink(formatRecord(JSON.parse(line) as LogRecord, { time: false }));
      if (terminal === 'off') return;
      const rec = JSON.parse(line) as LogRecord;
      const to = rec.level === 'warn' || rec.level === 'error' ? stderr : stdout;
      to.write(terminal === 'json' ? line : formatRecord(rec, { time: true, colors }) + '\n');
    },
  };
  const root = pino(
    {
      level: opts.level ?? 'info',
      base: { pid: process.pid },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: (e: unknown) => e }, // already { type, message, stack }, redacted (redactFields)
      redact: { paths: REDACT_PATHS, censor: CENSOR },
    },
    destination,
  );

  // Every line passes here: the message and the fields are redacted before pino sees them.
  const wrap = (bindings: LogBindings): Log => {
    const p = Object.keys(bindings).length ? root.child(redactFields(bindings)) : root;
    const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
      if (!p.isLevelEnabled(level)) return;
      const text = redactText(String(msg));
      if (fields) p[level](redactFields(fields), text);
      else p[level](text);
    };
    const log = ((msg: string) => emit('info', msg)) as Log;
    log.debug = (m, f) => emit('debug', m, f);
    log.info = (m, f) => emit('info', m, f);
    log.warn = (m, f) => emit('warn', m, f);
    log.error = (m, f) => emit('error', m, f);
    log.child = (c) => wrap(typeof c === 'string' ? { ...bindings, component: c } : { ...bindings, ...c });
    return log;
  };

  const out = wrap({}) as RootLog;
  Object.defineProperty(out, 'file', { get: () => filePath });
  out.announce = (text) => (opts.sink ? opts.sink(text) : void stdout.write(text.endsWith('\n') ? text : text + '\n'));
  out.close = () => {
    file?.close();
    file = null;
  };
  return out;
}
