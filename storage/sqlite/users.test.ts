// Tests of SqliteUserRepo against a real SQLite file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROLES } from '../../common/api';
import { StorageError, type UserRow } from '../repositories';
import { openTempStore, T0, type TempStore } from './test-utils';

const user = (username: string, over: Partial<UserRow> = {}): Omit<UserRow, 'id'> => ({
  mustChangePassword: false,
  passwordChangedMs: null,
  username,
  passwordHash: 'scrypt$16384$8$1$c2FsdA==$aGFzaA==',
  role: 'officer',
  displayName: username.toUpperCase(),
  disabled: false,
  createdMs: T0,
  ...over,
});

describe('SqliteUserRepo', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('creates, counts, reads and lists users', async () => {
    const repo = t.store.users;
    expect(await repo.count()).toBe(0);
    const z = await repo.create(user('zoe', { role: 'admin', disabled: true }));
    const a = await repo.create(user('adam'));
    expect(z).toEqual({ id: z.id, ...user('zoe', { role: 'admin', disabled: true }) });
    expect(await repo.count()).toBe(2);
    expect(await repo.get(a.id)).toEqual(a);
    expect(await repo.getByUsername('zoe')).toEqual(z);
    expect(await repo.getByUsername('Zoe')).toBeNull();
    expect(await repo.get(99)).toBeNull();
    expect((await repo.list()).map((u) => u.username)).toEqual(['adam', 'zoe']);
  });

  it('keeps the forced password change flag and the time of the last change (migration 009)', async () => {
    const repo = t.store.users;
    const { mustChangePassword: _m, passwordChangedMs: _p, ...plain } = user('bob');
    const u = await repo.create(plain);
    expect(u).toMatchObject({ mustChangePassword: false, passwordChangedMs: null });
    const forced = await repo.create(user('cat', { mustChangePassword: true }));
    expect((await repo.get(forced.id))?.mustChangePassword).toBe(true);
    const changed = await repo.update(forced.id, { mustChangePassword: false, passwordChangedMs: T0 + 5 });
    expect(changed).toMatchObject({ mustChangePassword: false, passwordChangedMs: T0 + 5 });
    expect(await repo.get(forced.id)).toEqual(changed);
  });

  it('rejects a duplicate username with a conflict on field "username"', async () => {
    await t.store.users.create(user('ann'));
    const err = await t.store.users.create(user('ann', { role: 'admin' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(err).toMatchObject({ code: 'conflict', field: 'username' });
    expect(await t.store.users.count()).toBe(1);
  });

  it('updates the given fields and returns null for a missing user', async () => {
    const repo = t.store.users;
    const u = await repo.create(user('ann'));
    const changed = await repo.update(u.id, { role: 'investigator', disabled: true, passwordHash: 'scrypt$new' });
    expect(changed).toEqual({ ...u, role: 'investigator', disabled: true, passwordHash: 'scrypt$new' });
    expect(await repo.get(u.id)).toEqual(changed);
    expect(await repo.update(u.id, {})).toEqual(changed);
    expect(await repo.update(99, { disabled: true })).toBeNull();
    expect(await repo.update(99, {})).toBeNull();
  });

  it('accepts every role of common/api.ts and nothing else', async () => {
    for (const role of ROLES) await t.store.users.create(user(`u-${role}`, { role }));
    await expect(t.store.users.create(user('x', { role: 'superuser' as never }))).rejects.toThrow(/CHECK constraint/);
  });
});
