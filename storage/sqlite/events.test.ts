// Tests of SqliteEventRepo against a real SQLite file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventRow } from '../repositories';
import { openTempStore, T0, type TempStore } from './test-utils';

describe('SqliteEventRepo', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('inserts events and round-trips the JSON detail', async () => {
    const e: Omit<EventRow, 'id'> = {
      cameraId: 4,
      type: 'motion',
      state: 'open',
      startMs: T0,
      endMs: null,
      detail: { zone: 'door', score: 0.93, boxes: [[1, 2, 3, 4]], note: 'ünïcode "quoted"' },
    };
    const row = await t.store.events.insert(e);
    expect(row).toEqual({ id: row.id, ...e });
    const sys = await t.store.events.insert({ cameraId: null, type: 'disk_low', state: null, startMs: T0 + 1, endMs: T0 + 2, detail: null });
    expect(sys.detail).toBeNull();
    const undef = await t.store.events.insert({ cameraId: null, type: 'x', state: null, startMs: T0 + 3, endMs: null, detail: undefined });
    expect(undef.detail).toBeNull();
    const scalar = await t.store.events.insert({ cameraId: null, type: 'x', state: null, startMs: T0 + 4, endMs: null, detail: 'text' });
    expect(scalar.detail).toBe('text');
  });

  it('lists events starting in [startMs, endMs) by camera and type, ordered by start', async () => {
    const repo = t.store.events;
    const ins = (cameraId: number | null, type: string, startMs: number) =>
      repo.insert({ cameraId, type, state: null, startMs, endMs: startMs + 10, detail: { n: startMs - T0 } });
    await ins(1, 'motion', T0 - 1);
    const a = await ins(1, 'motion', T0 + 20);
    const b = await ins(1, 'offline', T0);
    const c = await ins(2, 'motion', T0 + 10);
    const d = await ins(null, 'disk_low', T0 + 30);
    await ins(1, 'motion', T0 + 100);

    const ids = (rows: EventRow[]) => rows.map((r) => r.id);
    expect(ids(await repo.listRange({ startMs: T0, endMs: T0 + 100, limit: 100 }))).toEqual([b.id, c.id, a.id, d.id]);
    expect(ids(await repo.listRange({ cameraId: 1, startMs: T0, endMs: T0 + 100, limit: 100 }))).toEqual([b.id, a.id]);
    expect(ids(await repo.listRange({ type: 'motion', startMs: T0, endMs: T0 + 100, limit: 100 }))).toEqual([c.id, a.id]);
    expect(ids(await repo.listRange({ cameraId: 1, type: 'motion', startMs: T0, endMs: T0 + 100, limit: 100 }))).toEqual([a.id]);
    expect(ids(await repo.listRange({ startMs: T0, endMs: T0 + 100, limit: 2 }))).toEqual([b.id, c.id]);
    expect(await repo.listRange({ startMs: T0 + 100, endMs: T0, limit: 10 })).toEqual([]);
    expect((await repo.listRange({ cameraId: 2, startMs: T0, endMs: T0 + 100, limit: 10 }))[0]?.detail).toEqual({ n: 10 });
  });
});
