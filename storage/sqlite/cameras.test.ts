// Tests of SqliteCameraRepo against a real SQLite file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageError } from '../repositories';
import { camera, openTempStore, segment, T0, type TempStore } from './test-utils';

describe('SqliteCameraRepo', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('creates, reads and lists cameras with all fields mapped', async () => {
    const repo = t.store.cameras;
    const a = await repo.create(
      camera('Gate A', {
        subUrl: 'rtsp://10.0.0.1/stream2',
        username: 'viewer',
        password: 's3cret',
        transport: 'udp',
        enabled: false,
        segmentSeconds: 120,
        retentionDays: 7,
        groupName: 'North',
        description: 'Main gate',
      }),
      T0,
    );
    expect(a).toEqual({
      id: a.id,
      kind: 'rtsp',
      name: 'Gate A',
      url: 'rtsp://10.0.0.1/stream1',
      subUrl: 'rtsp://10.0.0.1/stream2',
      username: 'viewer',
      password: 's3cret',
      transport: 'udp',
      enabled: false,
      segmentSeconds: 120,
      retentionDays: 7,
      groupName: 'North',
      description: 'Main gate',
      createdMs: T0,
      updatedMs: T0,
    });
    const b = await repo.create(camera('Gate B'), T0 + 1);
    expect(b.enabled).toBe(true);
    expect(b.subUrl).toBeNull();
    expect(await repo.get(a.id)).toEqual(a);
    expect(await repo.getByName('Gate B')).toEqual(b);
    expect(await repo.get(999)).toBeNull();
    expect(await repo.getByName('nope')).toBeNull();
    expect((await repo.list()).map((c) => c.name)).toEqual(['Gate A', 'Gate B']);
  });

  it('rejects a duplicate name with a conflict on field "name"', async () => {
    await t.store.cameras.create(camera('Gate'), T0);
    const err = await t.store.cameras.create(camera('Gate'), T0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(err).toMatchObject({ code: 'conflict', field: 'name' });
    expect((err as Error).message).toContain('Gate');
  });

  it('updates only the given fields, sets updatedMs, and can null optional fields', async () => {
    const repo = t.store.cameras;
    const c = await repo.create(camera('Gate', { groupName: 'North', password: 'pw' }), T0);
    const u = await repo.update(c.id, { enabled: false, groupName: null, retentionDays: 90 }, T0 + 5000);
    expect(u).toEqual({ ...c, enabled: false, groupName: null, retentionDays: 90, updatedMs: T0 + 5000 });
    expect(await repo.get(c.id)).toEqual(u);
    const same = await repo.update(c.id, {}, T0 + 6000);
    expect(same).toEqual({ ...u, updatedMs: T0 + 6000 });
    expect(await repo.update(999, { enabled: true }, T0)).toBeNull();
  });

  it('rejects renaming to an existing name with a conflict', async () => {
    const repo = t.store.cameras;
    await repo.create(camera('A'), T0);
    const b = await repo.create(camera('B'), T0);
    await expect(repo.update(b.id, { name: 'A' }, T0)).rejects.toMatchObject({ code: 'conflict', field: 'name' });
    expect((await repo.get(b.id))?.name).toBe('B');
  });

  it('enforces the transport and segmentSeconds constraints', async () => {
    await expect(t.store.cameras.create(camera('X', { transport: 'http' as never }), T0)).rejects.toThrow(/CHECK constraint/);
    await expect(t.store.cameras.create(camera('Y', { segmentSeconds: 0 }), T0)).rejects.toThrow(/CHECK constraint/);
  });

  it('deletes the camera but keeps its segments', async () => {
    const c = await t.store.cameras.create(camera('Gate'), T0);
    const seg = await t.store.segments.insert(segment(c.id, T0, T0 + 60_000));
    expect(await t.store.cameras.delete(c.id)).toBe(true);
    expect(await t.store.cameras.delete(c.id)).toBe(false);
    expect(await t.store.cameras.get(c.id)).toBeNull();
    expect(await t.store.segments.get(seg.id)).toEqual(seg);
    expect(await t.store.segments.listRange(c.id, T0, T0 + 60_000, 10)).toEqual([seg]);
  });
});
