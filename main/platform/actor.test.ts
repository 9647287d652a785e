// Tests of the one Actor type's helpers: a user actor from a user record, and the identity the audit trail stores.
import { describe, expect, test } from 'vitest';
import { actorIdentity, userActor } from './actor';

describe('Actor', () => {
  test('a user actor carries id, name, role and, when given, the client address', () => {
    expect(userActor({ id: 4, username: 'ann', role: 'dispatcher' }, '10.0.0.9')).toEqual({
      kind: 'user',
      userId: 4,
      username: 'ann',
      role: 'dispatcher',
      ip: '10.0.0.9',
    });
    expect(userActor({ id: 4, username: 'ann', role: 'dispatcher' })).not.toHaveProperty('ip');
  });

  test('the audit identity is the user for a user, nulls for the system or nobody', () => {
    expect(actorIdentity(userActor({ id: 4, username: 'ann', role: 'admin' }))).toEqual({ userId: 4, username: 'ann' });
    expect(actorIdentity({ kind: 'system', reason: 'alarm rule 3' })).toEqual({ userId: null, username: null });
    expect(actorIdentity(null)).toEqual({ userId: null, username: null });
  });
});
