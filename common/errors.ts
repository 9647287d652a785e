// The one list of error kinds the API can answer with; main/server/errors.ts maps each to an HTTP status.
import type { MessageCode, MessageParam } from './messages';
import type { FieldError } from './schema';

export enum ErrorKind {
  BadRequest = 'bad_request',
  Validation = 'validation',
  Unauthorized = 'unauthorized',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  MethodNotAllowed = 'method_not_allowed',
  Conflict = 'conflict',
  PayloadTooLarge = 'payload_too_large',
  /** Too many attempts (sign-in throttling); the response carries Retry-After. */
  TooManyRequests = 'too_many_requests',
  Unavailable = 'unavailable',
  Internal = 'internal',
}

/** The JSON body of every error response. */
export interface ErrorBody {
  error: {
    kind: ErrorKind;
    /** English, for logs and API clients. */
    message: string;
    /** Per-field problems for Validation (and Conflict on a field, e.g. a duplicate name), each with its own code. */
    fields?: FieldError[];
    /** The registered code of the problem (common/messages.ts, e.g. 'camera.not_found'), worded by the console. */
    code: MessageCode;
    /** The code's params (e.g. { id: 3 }); omitted when it has none. */
    params?: Record<string, MessageParam>;
  };
}
