// Tests of how the HTTP adapter treats the transport-neutral DomainError: ApiError is one, and toErrorResponse maps any of them.
import { describe, expect, test } from 'vitest';
import { ErrorKind } from '../../common/errors';
import { msg } from '../../common/messages';
import { DomainError } from '../platform/errors';
import { ApiError, toErrorResponse } from './errors';

describe('DomainError over HTTP', () => {
  test('ApiError is a DomainError, and the helpers build the class they are called on', () => {
    const a = ApiError.conflict('name', msg('storage.conflict'));
    expect(a).toBeInstanceOf(ApiError);
    expect(a).toBeInstanceOf(DomainError);
    expect(a.fields?.[0]).toMatchObject({ path: 'name', code: 'storage.conflict' });
    expect(DomainError.notFound(msg('camera.not_found', { id: 7 }))).not.toBeInstanceOf(ApiError);
  });

  test('the HTTP adapter maps a thrown DomainError to its status and body', () => {
    const r = toErrorResponse(DomainError.conflict('name', msg('storage.conflict'), 'name taken'), () => undefined);
    expect(r.status).toBe(409);
    expect(r.headers).toBeUndefined();
    expect(r.body.error).toMatchObject({
      kind: 'conflict',
      code: 'storage.conflict',
      message: 'name taken',
      fields: [{ path: 'name', code: 'storage.conflict' }],
    });
    const logged: string[] = [];
    toErrorResponse(new DomainError(ErrorKind.Unavailable, msg('storage.unavailable')), (m) => logged.push(m));
    expect(logged).toEqual([]);
  });
});
