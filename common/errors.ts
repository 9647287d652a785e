// The one list of error kinds the API can answer with; main/server/errors.ts maps each to an HTTP status.
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
  Unavailable = 'unavailable',
  Internal = 'internal',
}

/** The JSON body of every error response. */
export interface ErrorBody {
  error: {
    kind: ErrorKind;
    message: string;
    /** Per-field problems for Validation (and Conflict on a field, e.g. a duplicate name). */
    fields?: FieldError[];
    /** A stable code (e.g. 'password.change_required') that the console words in its language; message stays English. */
    code?: string;
  };
}
