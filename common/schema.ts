// Minimal runtime schema library: one definition yields the TypeScript type, the validator and the JSON Schema (for OpenAPI).
import { englishOf, msg, type MessageCode, type MessageParam, type ServerMessage } from './messages';

export interface JsonSchema {
  [key: string]: unknown;
}

export interface FieldError {
  /** Dotted path of the offending field, e.g. "rtspUrl" or "streams.0.url"; "" for the whole body. */
  path: string;
  /** English, for logs and API clients. */
  message: string;
  /** The registered code of the problem (common/messages.ts, e.g. 'schema.too_long'), worded by the console in its language. */
  code: MessageCode;
  /** The code's params (e.g. { max: 64 }). */
  params?: Record<string, MessageParam>;
}

/** A field error from a registered message; `message` defaults to the message's English text. */
export function fieldError(path: string, m: ServerMessage, message?: string): FieldError {
  const params = m.params as Record<string, MessageParam>;
  return { path, message: message ?? englishOf(m), code: m.code, ...(Object.keys(params).length ? { params } : {}) };
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export interface Schema<T> {
  readonly json: JsonSchema;
  readonly isOptional: boolean;
  /** Validates `input`; `path` prefixes error paths. Never throws. */
  check(input: unknown, path: string, errors: FieldError[]): T | undefined;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

function make<T>(json: JsonSchema, check: Schema<T>['check'], isOptional = false): Schema<T> {
  return { json, check, isOptional };
}

function fail(errors: FieldError[], path: string, m: ServerMessage): undefined {
  errors.push(fieldError(path, m));
  return undefined;
}

export interface StringOpts {
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
  /** The message for a value that does not match the pattern (a registered code). */
  patternHint?: ServerMessage;
  format?: string;
  /** Extra semantic check; return the problem (a registered message) or null. */
  refine?: (v: string) => ServerMessage | null;
  description?: string;
  /** A name or label shown on one line: refuses every control character (tab and line breaks too). */
  singleLine?: boolean;
}

/** Control characters no text field accepts: NUL and the other C0 controls but tab, LF and CR; DEL; the C1 controls. */
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** Every control character (for one-line names). */
const ANY_CONTROL_CHAR = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;

/** The latest time a time field accepts: 9999-12-31T23:59:59.999Z (UTC ms). */
export const MAX_TIME_MS = 253_402_300_799_999;

function string(opts: StringOpts = {}): Schema<string> {
  const json: JsonSchema = { type: 'string' };
  if (opts.minLength !== undefined) json.minLength = opts.minLength;
  if (opts.maxLength !== undefined) json.maxLength = opts.maxLength;
  if (opts.pattern) json.pattern = opts.pattern.source;
  if (opts.format) json.format = opts.format;
  if (opts.description) json.description = opts.description;
  return make(json, (v, path, errors) => {
    if (typeof v !== 'string') return fail(errors, path, msg('schema.not_string'));
    if (opts.minLength !== undefined && v.length < opts.minLength)
      return fail(errors, path, opts.minLength === 1 ? msg('schema.empty') : msg('schema.too_short', { min: opts.minLength }));
    if (opts.maxLength !== undefined && v.length > opts.maxLength) return fail(errors, path, msg('schema.too_long', { max: opts.maxLength }));
    if ((opts.singleLine ? ANY_CONTROL_CHAR : CONTROL_CHARS).test(v))
      return fail(errors, path, opts.singleLine ? msg('schema.control_chars_or_breaks') : msg('schema.control_chars'));
    if (opts.pattern && !opts.pattern.test(v)) return fail(errors, path, opts.patternHint ?? msg('schema.pattern', { pattern: opts.pattern.source }));
    if (opts.refine) {
      const problem = opts.refine(v);
      if (problem) return fail(errors, path, problem);
    }
    return v;
  });
}

export interface NumberOpts {
  min?: number;
  max?: number;
  description?: string;
}

/**
 * Whole numbers are bounded to safe integers unless the schema says narrower (1e308 is "whole" in JavaScript but no
 * database column or timer can hold it).
 */
function numeric(integer: boolean, o: NumberOpts): Schema<number> {
  const opts: NumberOpts = integer
    ? {
        ...o,
        min: Math.max(o.min ?? Number.MIN_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
        max: Math.min(o.max ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
      }
    : o;
  const json: JsonSchema = { type: integer ? 'integer' : 'number' };
  if (o.min !== undefined) json.minimum = o.min;
  if (o.max !== undefined) json.maximum = o.max;
  if (opts.description) json.description = opts.description;
  return make(json, (v, path, errors) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return fail(errors, path, msg('schema.not_number'));
    if (integer && !Number.isInteger(v)) return fail(errors, path, msg('schema.not_whole'));
    if (opts.min !== undefined && v < opts.min) return fail(errors, path, msg('schema.too_small', { min: opts.min }));
    if (opts.max !== undefined && v > opts.max) return fail(errors, path, msg('schema.too_large', { max: opts.max }));
    return v;
  });
}

function boolean(description?: string): Schema<boolean> {
  return make({ type: 'boolean', ...(description ? { description } : {}) }, (v, path, errors) =>
    typeof v === 'boolean' ? v : fail(errors, path, msg('schema.not_boolean')),
  );
}

function enumOf<const T extends readonly string[]>(values: T, description?: string): Schema<T[number]> {
  return make({ type: 'string', enum: [...values], ...(description ? { description } : {}) }, (v, path, errors) =>
    typeof v === 'string' && (values as readonly string[]).includes(v)
      ? (v as T[number])
      : fail(errors, path, msg('schema.not_one_of', { values: values.join(', ') })),
  );
}

function array<T>(item: Schema<T>, opts: { minItems?: number; maxItems?: number } = {}): Schema<T[]> {
  const json: JsonSchema = { type: 'array', items: item.json };
  if (opts.minItems !== undefined) json.minItems = opts.minItems;
  if (opts.maxItems !== undefined) json.maxItems = opts.maxItems;
  return make(json, (v, path, errors) => {
    if (!Array.isArray(v)) return fail(errors, path, msg('schema.not_list'));
    if (opts.minItems !== undefined && v.length < opts.minItems) return fail(errors, path, msg('schema.too_few_items', { min: opts.minItems }));
    if (opts.maxItems !== undefined && v.length > opts.maxItems) return fail(errors, path, msg('schema.too_many_items', { max: opts.maxItems }));
    const out: T[] = [];
    const before = errors.length;
    v.forEach((el, i) => {
      const r = item.check(el, path ? `${path}.${i}` : String(i), errors);
      out.push(r as T);
    });
    return errors.length === before ? out : undefined;
  });
}

function optional<T>(inner: Schema<T>): Schema<T | undefined> {
  return make(inner.json, (v, path, errors) => (v === undefined ? undefined : inner.check(v, path, errors)), true);
}

function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return make({ ...inner.json, nullable: true }, (v, path, errors) => (v === null ? null : inner.check(v, path, errors)), inner.isOptional);
}

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K]['isOptional'] extends true ? K : undefined extends Infer<S[K]> ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
export type ObjectOf<S extends Shape> = { [K in RequiredKeys<S>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> };

export interface ObjectSchema<S extends Shape> extends Schema<ObjectOf<S>> {
  readonly shape: S;
}

/** Strict object: unknown fields are an error naming the field. */
function object<S extends Shape>(shape: S, description?: string): ObjectSchema<S> {
  const required = Object.entries(shape)
    .filter(([, s]) => !s.isOptional)
    .map(([k]) => k);
  const json: JsonSchema = {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, s.json])),
    ...(required.length ? { required } : {}),
    ...(description ? { description } : {}),
  };
  const base = make<ObjectOf<S>>(json, (v, path, errors) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(errors, path, msg('schema.not_object'));
    const rec = v as Record<string, unknown>;
    const before = errors.length;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(rec)) {
      if (!Object.prototype.hasOwnProperty.call(shape, key)) fail(errors, path ? `${path}.${key}` : key, msg('schema.unknown_field'));
    }
    for (const [key, s] of Object.entries(shape)) {
      const p = path ? `${path}.${key}` : key;
      const val = rec[key];
      if (val === undefined) {
        if (!s.isOptional) fail(errors, p, msg('schema.required'));
        continue;
      }
      const r = s.check(val, p, errors);
      if (r !== undefined) out[key] = r;
      else if (val === null) out[key] = null;
    }
    return errors.length === before ? (out as ObjectOf<S>) : undefined;
  });
  return { ...base, shape };
}

/** Every field optional (for PATCH bodies); still strict about unknown fields; at least one field required. */
function partial<S extends Shape>(schema: ObjectSchema<S>): Schema<Partial<ObjectOf<S>>> {
  const shape = Object.fromEntries(Object.entries(schema.shape).map(([k, s]) => [k, s.isOptional ? s : optional(s)])) as Shape;
  const inner = object(shape);
  return make(inner.json, (v, path, errors) => {
    const r = inner.check(v, path, errors);
    if (r && Object.keys(r).length === 0 && typeof v === 'object' && v && Object.keys(v).length === 0) return fail(errors, path, msg('schema.no_change'));
    return r as Partial<ObjectOf<S>> | undefined;
  });
}

export function parse<T>(schema: Schema<T>, input: unknown): ParseResult<T> {
  const errors: FieldError[] = [];
  const value = schema.check(input, '', errors);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: value as T };
}

/** A time in UTC ms since the epoch, 1970 to the year 9999. */
function timeMs(description?: string): Schema<number> {
  return numeric(true, { min: 0, max: MAX_TIME_MS, description: description ?? 'UTC milliseconds since 1970-01-01 (up to the year 9999)' });
}

export const s = {
  string,
  int: (o: NumberOpts = {}) => numeric(true, o),
  number: (o: NumberOpts = {}) => numeric(false, o),
  timeMs,
  boolean,
  enum: enumOf,
  array,
  optional,
  nullable,
  object,
  partial,
};
