// Tests of SqliteWallStateRepo against a real SQLite file: one wall per user and window, the two documents saved apart.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UserRow } from '../repositories';
import { openTempStore, T0, type TempStore } from './test-utils';

describe('SqliteWallStateRepo', () => {
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

  it('keeps one wall per user and window; the wall and the carousel are saved without touching each other', async () => {
    expect(await t.store.wallStates.get(alice.id, 0)).toBeNull();
    const wall = { layout: '4', tiles: [{ kind: 'camera', id: 3, stream: 'sub' }] };
    expect(await t.store.wallStates.putState(alice.id, 0, wall, T0)).toEqual({ userId: alice.id, windowId: 0, state: wall, carousel: null, updatedMs: T0 });
    const carousel = {
      steps: [
        { layoutId: 1, seconds: 20 },
        { layoutId: 2, seconds: 30 },
      ],
      step: 0,
      running: true,
    };
    expect(await t.store.wallStates.putCarousel(alice.id, 0, carousel, T0 + 1)).toEqual({
      userId: alice.id,
      windowId: 0,
      state: wall,
      carousel,
      updatedMs: T0 + 1,
    });
    const wall2 = { layout: '1', tiles: [] };
    expect((await t.store.wallStates.putState(alice.id, 0, wall2, T0 + 2)).carousel).toEqual(carousel);
    await t.store.wallStates.putState(alice.id, 2528732444, wall, T0);
    await t.store.wallStates.putCarousel(bob.id, 0, carousel, T0);
    expect(await t.store.wallStates.get(alice.id, 0)).toMatchObject({ state: wall2, carousel });
    expect(await t.store.wallStates.get(alice.id, 2528732444)).toMatchObject({ state: wall, carousel: null });
    expect(await t.store.wallStates.get(bob.id, 0)).toMatchObject({ state: null, carousel });
    expect((await t.store.wallStates.putCarousel(alice.id, 0, null, T0 + 3)).carousel).toBeNull();
  });

  it('goes with its user row (users are disabled, not deleted, but the schema says so)', async () => {
    await t.store.wallStates.putState(alice.id, 0, { layout: '4', tiles: [] }, T0);
    await t.store.db.run('DELETE FROM users WHERE id = ?', [alice.id]);
    expect(await t.store.wallStates.get(alice.id, 0)).toBeNull();
  });
});
