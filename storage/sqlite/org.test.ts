// Tests of SqliteOrgRepo: the organisation tree keeps being a tree (invariant 10): moves, cycles, depth, deletes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORG_MAX_DEPTH, ROOT_NODE_ID } from '../../common/devices';
import { StorageError } from '../repositories';
import { OrgTreeError } from '../repos/devices';
import { openTempStore, T0, type TempStore } from './test-utils';

describe('SqliteOrgRepo', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const add = (parentId: number, name: string, code?: string) => t.store.org.create({ parentId, name, code }, T0);

  it('starts with an unnamed root and creates nodes with their path and depth, listed in tree order', async () => {
    expect(await t.store.org.list()).toEqual([
      { id: ROOT_NODE_ID, parentId: null, name: '', code: null, path: [1], depth: 0, sortOrder: 0, createdMs: 0, updatedMs: 0 },
    ]);
    const city = await add(ROOT_NODE_ID, '市局', '110000');
    const east = await add(city.id, '东城分局');
    const west = await t.store.org.create({ parentId: city.id, name: '西城分局', sortOrder: -1 }, T0 + 5);
    const station = await add(east.id, '和平里派出所');
    expect(station).toMatchObject({ parentId: east.id, path: [1, city.id, east.id, station.id], depth: 3, createdMs: T0 });
    expect(west).toMatchObject({ sortOrder: -1, createdMs: T0 + 5 });
    // Depth first; siblings by sortOrder, then name.
    expect((await t.store.org.list()).map((n) => n.name)).toEqual(['', '市局', '西城分局', '东城分局', '和平里派出所']);
    expect((await t.store.org.subtree(east.id)).map((n) => n.id)).toEqual([east.id, station.id]);
    expect(await t.store.org.subtree(999)).toEqual([]);
    expect(await t.store.org.childByName(city.id, '东城分局')).toEqual(east);
    expect(await t.store.org.childByName(ROOT_NODE_ID, '东城分局')).toBeNull();
  });

  it('refuses a taken sibling name or code, a missing parent, and more than 15 levels', async () => {
    const a = await add(ROOT_NODE_ID, 'A', '11');
    await add(a.id, 'Same');
    await expect(add(a.id, 'Same')).rejects.toMatchObject({ code: 'conflict', field: 'name' });
    await expect(add(ROOT_NODE_ID, 'B', '11')).rejects.toMatchObject({ code: 'conflict', field: 'code' });
    expect(await add(ROOT_NODE_ID, 'Same')).toMatchObject({ name: 'Same' }); // other parent: fine
    const missing = await add(999, 'X').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OrgTreeError);
    expect(missing).toMatchObject({ reason: 'parent_not_found' });

    let parent = a.id;
    for (let depth = 2; depth <= ORG_MAX_DEPTH; depth++) parent = (await add(parent, `L${depth}`)).id;
    expect((await t.store.org.get(parent))!.depth).toBe(ORG_MAX_DEPTH);
    await expect(add(parent, 'too deep')).rejects.toMatchObject({ reason: 'too_deep' });
  });

  it('moves a subtree in one step, rewriting every path and depth below it', async () => {
    const a = await add(ROOT_NODE_ID, 'A');
    const b = await add(ROOT_NODE_ID, 'B');
    const a1 = await add(a.id, 'A1');
    const a11 = await add(a1.id, 'A11');
    const moved = await t.store.org.update(a1.id, { parentId: b.id, name: 'A1 moved' }, T0 + 10);
    expect(moved).toMatchObject({ parentId: b.id, name: 'A1 moved', path: [1, b.id, a1.id], depth: 2, updatedMs: T0 + 10 });
    expect(await t.store.org.get(a11.id)).toMatchObject({ path: [1, b.id, a1.id, a11.id], depth: 3 });
    expect((await t.store.org.subtree(b.id)).map((n) => n.id)).toEqual([b.id, a1.id, a11.id]);
    expect((await t.store.org.subtree(a.id)).map((n) => n.id)).toEqual([a.id]);
    // Up to the root: depths shrink.
    await t.store.org.update(a1.id, { parentId: ROOT_NODE_ID }, T0 + 20);
    expect(await t.store.org.get(a11.id)).toMatchObject({ path: [1, a1.id, a11.id], depth: 2 });
    expect(await t.store.org.update(999, { name: 'x' }, T0)).toBeNull();
  });

  it('refuses a move under itself or a descendant, a move of the root, and a move deeper than 15 levels', async () => {
    const a = await add(ROOT_NODE_ID, 'A');
    const a1 = await add(a.id, 'A1');
    const a11 = await add(a1.id, 'A11');
    await expect(t.store.org.update(a.id, { parentId: a.id }, T0)).rejects.toMatchObject({ reason: 'cycle' });
    await expect(t.store.org.update(a.id, { parentId: a11.id }, T0)).rejects.toMatchObject({ reason: 'cycle' });
    await expect(t.store.org.update(ROOT_NODE_ID, { parentId: a.id }, T0)).rejects.toMatchObject({ reason: 'root' });
    await expect(t.store.org.update(a.id, { parentId: 999 }, T0)).rejects.toMatchObject({ reason: 'parent_not_found' });
    // A chain of 13 more levels under B: moving A (3 levels) under its end would reach depth 17.
    let deep = (await add(ROOT_NODE_ID, 'B')).id;
    for (let i = 0; i < 13; i++) deep = (await add(deep, `B${i}`)).id;
    expect((await t.store.org.get(deep))!.depth).toBe(14);
    await expect(t.store.org.update(a.id, { parentId: deep }, T0)).rejects.toMatchObject({ reason: 'too_deep' });
    // Nothing changed by the refusals.
    expect(await t.store.org.get(a11.id)).toMatchObject({ path: [1, a.id, a1.id, a11.id], depth: 3 });
    // A leaf fits: depth 15.
    expect(await t.store.org.update(a11.id, { parentId: deep }, T0)).toMatchObject({ depth: 15 });
  });

  it('deletes only empty nodes and never the root', async () => {
    const a = await add(ROOT_NODE_ID, 'A');
    const a1 = await add(a.id, 'A1');
    await expect(t.store.org.delete(a.id)).rejects.toMatchObject({ reason: 'not_empty' });
    await expect(t.store.org.delete(ROOT_NODE_ID)).rejects.toMatchObject({ reason: 'root' });
    const dev = await t.store.devices.createWithChannels({ device: { nodeId: a1.id, kind: 'rtsp', name: 'Cam' }, channels: [] }, T0);
    await expect(t.store.org.delete(a1.id)).rejects.toBeInstanceOf(OrgTreeError);
    await t.store.devices.update(dev.device.id, { nodeId: ROOT_NODE_ID }, T0);
    expect(await t.store.org.delete(a1.id)).toBe(true);
    expect(await t.store.org.delete(a1.id)).toBe(false);
    expect(await t.store.org.delete(a.id)).toBe(true);
    expect((await t.store.org.list()).map((n) => n.id)).toEqual([ROOT_NODE_ID]);
    // Ids are never reused, not even the highest one just deleted (a grant on a deleted node must not cover a new one).
    const b = await add(ROOT_NODE_ID, 'B');
    expect(b.id).toBeGreaterThan(a1.id);
    expect(b.path).toEqual([ROOT_NODE_ID, b.id]);
  });

  it('renames and recodes, with the same conflicts as create', async () => {
    const a = await add(ROOT_NODE_ID, 'A', '1100');
    const b = await add(ROOT_NODE_ID, 'B');
    expect(await t.store.org.update(b.id, { code: '1101', sortOrder: 3 }, T0 + 1)).toMatchObject({ code: '1101', sortOrder: 3 });
    const err = await t.store.org.update(b.id, { name: 'A' }, T0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(err).toMatchObject({ code: 'conflict', field: 'name' });
    await expect(t.store.org.update(b.id, { code: '1100' }, T0)).rejects.toMatchObject({ code: 'conflict', field: 'code' });
    expect(await t.store.org.update(a.id, { code: null }, T0)).toMatchObject({ code: null });
  });
});
