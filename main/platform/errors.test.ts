// Tests of the transport-neutral DomainError and of the HTTP adapter's handling of it (ApiError is a DomainError).
import { describe, expect, test } from 'vitest';
import { ErrorKind } from '../../common/errors';
import { msg } from '../../common/messages';
import { ApiError, toErrorResponse } from '../server/errors';
import { DomainError } from './errors';

describe('DomainError', () => {
  test('carries kind, registered code and English message; helpers build the class they are called on', () => {
    const e = DomainError.notFound(msg('camera.not_found', { id: 7 }));
    expect(e).toBeInstanceOf(DomainError);
    expect(e).not.toBeInstanceOf(ApiError);
    expect(e.kind).toBe(ErrorKind.NotFound);
    expect(e.code).toBe('camera.not_found');
    expect(e.message).toBe('camera 7 does not exist');
    const a = ApiError.conflict('name', msg('storage.conflict'));
    expect(a).toBeInstanceOf(ApiError);
    expect(a).toBeInstanceOf(DomainError);
    expect(a.fields?.[0]).toMatchObject({ path: 'name', code: 'storage.conflict' });
  });

  test('one field: a validation error whose summary names the field', () => {
    const e = DomainError.field('name', msg('schema.too_long', { max: 64 }));
    expect(e.kind).toBe(ErrorKind.Validation);
    expect(e.code).toBe('request.invalid');
    expect(e.message).toBe('invalid body: name must be at most 64 characters');
  });

  test('the HTTP adapter maps a thrown DomainError to its status and body', () => {
    const r = toErrorResponse(DomainError.conflict('name', msg('storage.conflict'), 'name taken'), () => undefined);
    expect(r.status).toBe(409);
    expect(r.headers).toBeUndefined();
    expect(r.body.error).toMatchObject({ kind: 'conflict', code: 'storage.conflict', message: 'name taken', fields: [{ path: 'name', code: 'storage.conflict' }] });
    const logged: string[] = [];
    toErrorResponse(new DomainError(ErrorKind.Unavailable, msg('storage.unavailable')), (m) => logged.push(m));
    expect(logged).toEqual([]);
  });
});
