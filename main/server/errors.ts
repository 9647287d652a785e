// API errors: ApiError (always with a registered code, common/messages.ts), and the one mapping from ErrorKind (and storage/unexpected errors) to HTTP status and JSON body.
import { ErrorKind, type ErrorBody } from '../../common/errors';
import { assertNever } from '../../common/events';
import { englishOf, msg, type MessageParam, type ServerMessage } from '../../common/messages';
import { fieldError, type FieldError } from '../../common/schema';
import { StorageError } from '../../storage/repositories';

export interface ApiErrorOptions {
  /** English text for logs and API clients; default: the message's English template filled in. */
  message?: string;
  fields?: FieldError[];
  /** Extra response headers (e.g. Allow for 405). */
  headers?: Record<string, string>;
}

export class ApiError extends Error {
  readonly fields?: FieldError[];
  readonly headers?: Record<string, string>;

  constructor(
    readonly kind: ErrorKind,
    /** The registered code and params the console words in its language (ErrorBody code/params). */
    readonly msg: ServerMessage,
    opts: ApiErrorOptions = {},
  ) {
    super(opts.message ?? englishOf(msg));
    this.name = 'ApiError';
    this.fields = opts.fields;
    this.headers = opts.headers;
  }

  get code(): ServerMessage['code'] {
    return this.msg.code;
  }

  /** 400 with per-field problems (each with its code); the body's own code is 'request.invalid'. */
  static validation(fields: FieldError[], message?: string): ApiError {
    const summary = fields.map((f) => (f.path ? `${f.path} ${f.message}` : f.message)).join('; ');
    return new ApiError(ErrorKind.Validation, msg('request.invalid'), { fields, message: message ?? `invalid body: ${summary}` });
  }

  /** 400 for one field. */
  static field(path: string, m: ServerMessage, message?: string): ApiError {
    return ApiError.validation([fieldError(path, m)], message);
  }

  static notFound(m: ServerMessage, message?: string): ApiError {
    return new ApiError(ErrorKind.NotFound, m, { message });
  }

  /** 409 on a field (e.g. a duplicate name): the field carries the same code. */
  static conflict(field: string, m: ServerMessage, message?: string): ApiError {
    return new ApiError(ErrorKind.Conflict, m, { message, fields: [fieldError(field, m, message)] });
  }
}

/** The one place an ErrorKind becomes an HTTP status. */
export function httpStatus(kind: ErrorKind): number {
  switch (kind) {
    case ErrorKind.BadRequest:
      return 400;
    case ErrorKind.Validation:
      return 400;
    case ErrorKind.Unauthorized:
      return 401;
    case ErrorKind.Forbidden:
      return 403;
    case ErrorKind.NotFound:
      return 404;
    case ErrorKind.MethodNotAllowed:
      return 405;
    case ErrorKind.Conflict:
      return 409;
    case ErrorKind.PayloadTooLarge:
      return 413;
    case ErrorKind.Unavailable:
      return 503;
    case ErrorKind.Internal:
      return 500;
    default:
      return assertNever(kind);
  }
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers?: Record<string, string>;
}

function body(kind: ErrorKind, m: ServerMessage, message: string, fields?: FieldError[]): ErrorBody {
  const params = m.params as Record<string, MessageParam>;
  return {
    error: { kind, message, code: m.code, ...(Object.keys(params).length ? { params } : {}), ...(fields && fields.length ? { fields } : {}) },
  };
}

/**
 * Turns anything thrown by a handler into a response. ApiError and StorageError keep their message;
 * anything else is logged in full and answered with a generic 500 (no internals leak to the client).
 */
export function toErrorResponse(err: unknown, log: (msg: string) => void): ErrorResponse {
  if (err instanceof ApiError) {
    return { status: httpStatus(err.kind), body: body(err.kind, err.msg, err.message, err.fields), headers: err.headers };
  }
  if (err instanceof StorageError) {
    switch (err.code) {
      case 'conflict': {
        const m = msg('storage.conflict');
        const fields = err.field ? [fieldError(err.field, m, err.message)] : undefined;
        return { status: httpStatus(ErrorKind.Conflict), body: body(ErrorKind.Conflict, m, err.message, fields) };
      }
      case 'not_found':
        return { status: httpStatus(ErrorKind.NotFound), body: body(ErrorKind.NotFound, msg('storage.not_found'), err.message) };
      case 'io': {
        log(`[http] storage error: ${err.stack ?? err.message}`);
        const m = msg('storage.unavailable');
        return { status: httpStatus(ErrorKind.Unavailable), body: body(ErrorKind.Unavailable, m, englishOf(m)) };
      }
      default:
        return assertNever(err.code);
    }
  }
  const e = err as Error | undefined;
  log(`[http] unexpected error: ${e?.stack ?? String(err)}`);
  const m = msg('server.internal');
  return { status: httpStatus(ErrorKind.Internal), body: body(ErrorKind.Internal, m, englishOf(m)) };
}
