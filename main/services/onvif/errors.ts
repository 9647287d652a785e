// The errors the ONVIF modules throw (transport-neutral DomainErrors, main/platform/errors.ts), in one file.
import type { ErrorKind } from '../../../common/errors';
import type { ServerMessage } from '../../../common/messages';
import { fieldError } from '../../../common/schema';
import { DomainError } from '../../platform/errors';

/** An error of `kind` with a registered message, optionally on one field, with English detail for logs. */
export const fail = (kind: ErrorKind, m: ServerMessage, field?: string, message?: string): Error =>
  new DomainError(kind, m, { message, fields: field ? [fieldError(field, m, message)] : undefined });

export const notFound = (m: ServerMessage): Error => DomainError.notFound(m);

/** A conflict on a field (e.g. a duplicate name). */
export const conflict = (field: string, m: ServerMessage, message?: string): Error => DomainError.conflict(field, m, message);

/** True for an error made here (already worded for the operator). */
export const isOnvifFailure = (err: unknown): boolean => err instanceof DomainError;
