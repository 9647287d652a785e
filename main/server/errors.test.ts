// Tests of the ErrorKind → HTTP status mapping and of how thrown errors become responses.
import { describe, expect, test } from 'vitest';
import { ErrorKind } from '../../common/errors';
import { msg } from '../../common/messages';
import { fieldError } from '../../common/schema';
import { StorageError } from '../../storage/repositories';
import { ApiError, httpStatus, toErrorResponse } from './errors';

describe('errors', () => {
  test('every ErrorKind maps to a 4xx/5xx status', () => {
    for (const kind of Object.values(ErrorKind)) expect(httpStatus(kind)).toBeGreaterThanOrEqual(400);
    expect(httpStatus(ErrorKind.Validation)).toBe(400);
    expect(httpStatus(ErrorKind.Conflict)).toBe(409);
    expect(httpStatus(ErrorKind.PayloadTooLarge)).toBe(413);
  });

  test('ApiError keeps kind, message and fields, each with its registered code and params', () => {
    const r = toErrorResponse(ApiError.validation([fieldError('name', msg('schema.too_long', { max: 64 }))]), () => undefined);
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual({
      kind: 'validation',
      code: 'request.invalid',
      message: 'invalid body: name must be at most 64 characters',
      fields: [{ path: 'name', message: 'must be at most 64 characters', code: 'schema.too_long', params: { max: 64 } }],
    });
  });

  test('a not-found error carries its code and params; the English message is filled from the registry', () => {
    const r = toErrorResponse(ApiError.notFound(msg('camera.not_found', { id: 3 })), () => undefined);
    expect(r).toEqual({
      status: 404,
      headers: undefined,
      body: { error: { kind: 'not_found', code: 'camera.not_found', params: { id: 3 }, message: 'camera 3 does not exist' } },
    });
  });

  test('a storage conflict is 409 naming the field', () => {
    const r = toErrorResponse(new StorageError('conflict', 'a camera named "x" already exists', 'name'), () => undefined);
    expect(r.status).toBe(409);
    expect(r.body.error).toEqual({
      kind: 'conflict',
      code: 'storage.conflict',
      message: 'a camera named "x" already exists',
      fields: [{ path: 'name', message: 'a camera named "x" already exists', code: 'storage.conflict' }],
    });
  });

  test('unexpected errors are a generic 500; the real error goes to the log only', () => {
    const logs: string[] = [];
    const r = toErrorResponse(new Error('SQLITE_CORRUPT at /var/secret/path'), (m) => logs.push(m));
    expect(r.status).toBe(500);
    expect(JSON.stringify(r.body)).not.toContain('secret');
    expect(r.body.error.code).toBe('server.internal');
    expect(logs.join()).toContain('SQLITE_CORRUPT at /var/secret/path');
  });
});
