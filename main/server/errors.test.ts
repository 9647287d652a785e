// Tests of the ErrorKind → HTTP status mapping and of how thrown errors become responses.
import { describe, expect, test } from 'vitest';
import { ErrorKind } from '../../common/errors';
import { StorageError } from '../../storage/repositories';
import { ApiError, httpStatus, toErrorResponse } from './errors';

describe('errors', () => {
  test('every ErrorKind maps to a 4xx/5xx status', () => {
    for (const kind of Object.values(ErrorKind)) expect(httpStatus(kind)).toBeGreaterThanOrEqual(400);
    expect(httpStatus(ErrorKind.Validation)).toBe(400);
    expect(httpStatus(ErrorKind.Conflict)).toBe(409);
    expect(httpStatus(ErrorKind.PayloadTooLarge)).toBe(413);
  });

  test('ApiError keeps kind, message and fields', () => {
    const r = toErrorResponse(ApiError.validation([{ path: 'url', message: 'bad' }]), () => undefined);
    expect(r).toMatchObject({ status: 400, body: { error: { kind: 'validation', fields: [{ path: 'url', message: 'bad' }] } } });
  });

  test('a storage conflict is 409 naming the field', () => {
    const r = toErrorResponse(new StorageError('conflict', 'a camera named "x" already exists', 'name'), () => undefined);
    expect(r.status).toBe(409);
    expect(r.body.error).toEqual({ kind: 'conflict', message: 'a camera named "x" already exists', fields: [{ path: 'name', message: 'a camera named "x" already exists' }] });
  });

  test('unexpected errors are a generic 500; the real error goes to the log only', () => {
    const logs: string[] = [];
    const r = toErrorResponse(new Error('SQLITE_CORRUPT at /var/secret/path'), (m) => logs.push(m));
    expect(r.status).toBe(500);
    expect(JSON.stringify(r.body)).not.toContain('secret');
    expect(logs.join()).toContain('SQLITE_CORRUPT at /var/secret/path');
  });
});
