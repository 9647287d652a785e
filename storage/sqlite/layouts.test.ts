// Tests of SqliteLayoutRepo against a real SQLite file: per-user upsert, isolation, deletion.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UserRow } from '../repositories';
import { openTempStore, T0, type TempStore } from './test-utils';

describe('SqliteLayoutRepo', () => {
  let t: TempStore;
  let alice: UserRow;
  let bob: UserRow;
  beforeEach(async () => {
    t = await openTempStore();
    const user = (username: string) =>
      t.store.users.create({ username, passwordHash: 'x', role: 'dispatcher', displayName: username, disabled: false, createdMs: T0 });
    alice = await user('alice');
    bob = await user('bob');
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it("inserts, replaces by name, and lists only the owner's layouts", async () => {
    const doc = { layout: '4', tiles: [1, null, 3] };
    const a1 = await t.store.layouts.upsert(alice.id, 'Night', doc, T0);
    expect(a1).toEqual({ id: a1.id, userId: alice.id, name: 'Night', json: doc, updatedMs: T0 });
    const a2 = await t.store.layouts.upsert(alice.id, 'Night', { layout: '1', tiles: [5] }, T0 + 5);
    expect(a2).toEqual({ id: a1.id, userId: alice.id, name: 'Night', json: { layout: '1', tiles: [5] }, updatedMs: T0 + 5 });
    const b1 = await t.store.layouts.upsert(bob.id, 'Night', doc, T0);
    expect(b1.id).not.toBe(a1.id);
    await t.store.layouts.upsert(alice.id, 'Day', doc, T0);
    expect((await t.store.layouts.listForUser(alice.id)).map((l) => l.name)).toEqual(['Day', 'Night']);
    expect(await t.store.layouts.listForUser(bob.id)).toEqual([b1]);
  });

  it("deletes only the owner's layout", async () => {
    const a = await t.store.layouts.upsert(alice.id, 'Night', {}, T0);
    expect(await t.store.layouts.delete(bob.id, a.id)).toBe(false);
    expect(await t.store.layouts.listForUser(alice.id)).toHaveLength(1);
    expect(await t.store.layouts.delete(alice.id, a.id)).toBe(true);
    expect(await t.store.layouts.delete(alice.id, a.id)).toBe(false);
    expect(await t.store.layouts.listForUser(alice.id)).toEqual([]);
  });
});
