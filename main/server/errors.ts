// API errors: ApiError, and the one mapping from ErrorKind (and storage/unexpected errors) to HTTP status and JSON body.
import { ErrorKind, type ErrorBody } from '../../common/errors';
import { assertNever } from '../../common/events';
import type { FieldError } from '../../common/schema';
import { StorageError } from '../../storage/repositories';

export class ApiError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly fields?: FieldError[],
    /** Extra response headers (e.g. Allow for 405). */
    readonly headers?: Record<string, string>,
    /** A stable code the console words in its language (ErrorBody code). */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static validation(fields: FieldError[], message = 'request is invalid'): ApiError {
    return new ApiError(ErrorKind.Validation, message, fields);
  }

  static notFound(message: string): ApiError {
    return new ApiError(ErrorKind.NotFound, message);
  }

  static conflict(field: string, message: string): ApiError {
    return new ApiError(ErrorKind.Conflict, message, [{ path: field, message }]);
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

function body(kind: ErrorKind, message: string, fields?: FieldError[], code?: string): ErrorBody {
  return { error: { kind, message, ...(fields && fields.length ? { fields } : {}), ...(code ? { code } : {}) } };
}

/**
 * Turns anything thrown by a handler into a response. ApiError and StorageError keep their message;
 * anything else is logged in full and answered with a generic 500 (no internals leak to the client).
 */
export function toErrorResponse(err: unknown, log: (msg: string) => void): ErrorResponse {
  if (err instanceof ApiError) {
    return { status: httpStatus(err.kind), body: body(err.kind, err.message, err.fields, err.code), headers: err.headers };
  }
  if (err instanceof StorageError) {
    switch (err.code) {
      case 'conflict': {
        const fields = err.field ? [{ path: err.field, message: err.message }] : undefined;
        return { status: httpStatus(ErrorKind.Conflict), body: body(ErrorKind.Conflict, err.message, fields) };
      }
      case 'not_found':
        return { status: httpStatus(ErrorKind.NotFound), body: body(ErrorKind.NotFound, err.message) };
      case 'io':
        log(`[http] storage error: ${err.stack ?? err.message}`);
        return { status: httpStatus(ErrorKind.Unavailable), body: body(ErrorKind.Unavailable, 'storage is unavailable; see the server log') };
      default:
        return assertNever(err.code);
    }
  }
  const e = err as Error | undefined;
  log(`[http] unexpected error: ${e?.stack ?? String(err)}`);
  return { status: httpStatus(ErrorKind.Internal), body: body(ErrorKind.Internal, 'internal server error; see the server log') };
}
