// The errors the ONVIF modules throw: the one file here that names the server's ApiError (issue 17 item 4 replaces it with transport-neutral errors).
import { ErrorKind } from '../../../common/errors';
import type { ServerMessage } from '../../../common/messages';
import { fieldError } from '../../../common/schema';
import { ApiError } from '../../server/errors';

/** An error of `kind` with a registered message, optionally on one field, with English detail for logs. */
export const fail = (kind: ErrorKind, m: ServerMessage, field?: string, message?: string): Error =>
  new ApiError(kind, m, { message, fields: field ? [fieldError(field, m, message)] : undefined });

export const notFound = (m: ServerMessage): Error => ApiError.notFound(m);

/** A conflict on a field (e.g. a duplicate name). */
export const conflict = (field: string, m: ServerMessage, message?: string): Error => ApiError.conflict(field, m, message);

/** True for an error made here (already worded for the operator). */
export const isOnvifFailure = (err: unknown): boolean => err instanceof ApiError;
