// Tests of the transport-neutral DomainError: kind, registered code, English message, and its helpers.
import { describe, expect, test } from 'vitest';
import { ErrorKind } from '../../common/errors';
import { msg } from '../../common/messages';
import { DomainError } from './errors';

describe('DomainError', () => {
  test('carries kind, registered code and English message', () => {
    const e = DomainError.notFound(msg('camera.not_found', { id: 7 }));
    expect(e).toBeInstanceOf(DomainError);
    expect(e.kind).toBe(ErrorKind.NotFound);
    expect(e.code).toBe('camera.not_found');
    expect(e.message).toBe('camera 7 does not exist');
    const c = DomainError.conflict('name', msg('storage.conflict'));
    expect(c.kind).toBe(ErrorKind.Conflict);
    expect(c.fields?.[0]).toMatchObject({ path: 'name', code: 'storage.conflict' });
  });

  test('one field: a validation error whose summary names the field', () => {
    const e = DomainError.field('name', msg('schema.too_long', { max: 64 }));
    expect(e.kind).toBe(ErrorKind.Validation);
    expect(e.code).toBe('request.invalid');
    expect(e.message).toBe('invalid body: name must be at most 64 characters');
  });
});
