// HTTP errors: ApiError (a DomainError with response headers), and the one mapping from ErrorKind (DomainError, storage and unexpected errors) to HTTP status and JSON body.
import { ErrorKind, type ErrorBody } from '../../common/errors';
import { assertNever } from '../../common/events';
import { englishOf, msg, type MessageParam, type ServerMessage } from '../../common/messages';
import { fieldError, type FieldError } from '../../common/schema';
import { DomainError, type DomainErrorOptions } from '../platform/errors';
import { StorageError } from '../../storage/repositories';

export interface ApiErrorOptions extends DomainErrorOptions {
  /** Extra response headers (e.g. Allow for 405). */
  headers?: Record<string, string>;
}

/** A DomainError raised by the HTTP adapter itself, optionally with response headers; services throw DomainError (main/platform/errors.ts). */
export class ApiError extends DomainError {
  readonly headers?: Record<string, string>;

  constructor(kind: ErrorKind, m: ServerMessage, opts: ApiErrorOptions = {}) {
    super(kind, m, opts);
    this.name = 'ApiError';
    this.headers = opts.headers;
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
    case ErrorKind.TooManyRequests:
      return 429;
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
 * Turns anything thrown by a handler into a response. DomainError (ApiError included) and StorageError keep their message;
 * anything else is logged in full and answered with a generic 500 (no internals leak to the client).
 */
export function toErrorResponse(err: unknown, log: (msg: string) => void): ErrorResponse {
  if (err instanceof DomainError) {
    const headers = err instanceof ApiError ? err.headers : undefined;
    return { status: httpStatus(err.kind), body: body(err.kind, err.msg, err.message, err.fields), headers };
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
