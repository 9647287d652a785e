// Tests of SqliteSegmentRepo: CRUD, overlap semantics of listRange, retention order, totals, and index usage.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewSegment } from '../repositories';
import { StorageError } from '../repositories';
import { LIST_RANGE_SQL, listRangeParams, MAX_SEGMENT_MS, oldestDeletableQuery } from './segments';
import { openTempStore, segment, T0, type TempStore } from './test-utils';

const MIN = 60_000;

describe('SqliteSegmentRepo', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('inserts and reads back a row with all fields mapped', async () => {
    const repo = t.store.segments;
    const s = await repo.insert(
      segment(3, T0, T0 + MIN, { relPath: 'cam-3/2025-03-01/00-00-00.mp4', audioCodec: 'aac', fps: 29.97, protected: true, recovered: true }),
    );
    expect(s).toEqual({
      id: s.id,
      cameraId: 3,
      relPath: 'cam-3/2025-03-01/00-00-00.mp4',
      startMs: T0,
      endMs: T0 + MIN,
      durationMs: MIN,
      sizeBytes: 1000,
      videoCodec: 'h264',
      audioCodec: 'aac',
      width: 1920,
      height: 1080,
      fps: 29.97,
      state: 'closed',
      protected: true,
      recovered: true,
    });
    expect(await repo.get(s.id)).toEqual(s);
    expect(await repo.getByPath('cam-3/2025-03-01/00-00-00.mp4')).toEqual(s);
    expect(await repo.get(12345)).toBeNull();
    expect(await repo.getByPath('nope.mp4')).toBeNull();
  });

  it('rounds fractional milliseconds (probe durations) to integers', async () => {
    const s = await t.store.segments.insert(segment(1, T0 + 0.4, T0 + 59_999.6, { durationMs: 59_999.2 }));
    expect(s).toMatchObject({ startMs: T0, endMs: T0 + 60_000, durationMs: 59_999 });
    expect(await t.store.segments.get(s.id)).toEqual(s);
  });

  it('rejects a duplicate relPath with a conflict on field "relPath"', async () => {
    await t.store.segments.insert(segment(1, T0, T0 + MIN, { relPath: 'a.mp4' }));
    const err = await t.store.segments.insert(segment(2, T0, T0 + MIN, { relPath: 'a.mp4' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(err).toMatchObject({ code: 'conflict', field: 'relPath' });
  });

  it('enforces end >= start, the maximum segment length and the state values', async () => {
    const repo = t.store.segments;
    await expect(repo.insert(segment(1, T0, T0 - 1))).rejects.toThrow(/CHECK constraint/);
    await expect(repo.insert(segment(1, T0, T0 + MAX_SEGMENT_MS + 1))).rejects.toThrow(/CHECK constraint/);
    await expect(repo.insert(segment(1, T0, T0, { state: 'open' as never }))).rejects.toThrow(/CHECK constraint/);
    await expect(repo.insert(segment(1, T0, T0 + MAX_SEGMENT_MS))).resolves.toMatchObject({ endMs: T0 + MAX_SEGMENT_MS });
  });

  it('updates a writing row to closed', async () => {
    const repo = t.store.segments;
    const w = await repo.insert(segment(1, T0, T0, { state: 'writing', sizeBytes: 0, durationMs: 0, videoCodec: null, width: null, height: null, fps: null }));
    expect(await repo.listWriting()).toEqual([w]);
    await repo.update(w.id, { state: 'closed', endMs: T0 + MIN, durationMs: MIN, sizeBytes: 5000, videoCodec: 'hevc', width: 640, height: 360, fps: 15 });
    const closed = await repo.get(w.id);
    expect(closed).toEqual({ ...w, state: 'closed', endMs: T0 + MIN, durationMs: MIN, sizeBytes: 5000, videoCodec: 'hevc', width: 640, height: 360, fps: 15 });
    expect(await repo.listWriting()).toEqual([]);
    await repo.update(w.id, {}); // no-op
    expect(await repo.get(w.id)).toEqual(closed);
  });

  describe('listRange', () => {
    // Window [t1, t2) = [T0 + 10 min, T0 + 20 min) on camera 1.
    const t1 = T0 + 10 * MIN;
    const t2 = T0 + 20 * MIN;
    let ids: Record<string, number>;

    beforeEach(async () => {
      const rows: Record<string, NewSegment> = {
        endsAtT1: segment(1, t1 - MIN, t1), // [t1-1m, t1): touches but does not overlap
        straddlesT1: segment(1, t1 - 30_000, t1 + 30_000), // starts before t1, ends after it
        inside: segment(1, t1 + 2 * MIN, t1 + 3 * MIN),
        straddlesT2: segment(1, t2 - 30_000, t2 + 30_000),
        startsAtT2: segment(1, t2, t2 + MIN), // [t2, t2+1m): outside
        longBefore: segment(1, t1 - MAX_SEGMENT_MS + 1, t1 + 1), // maximum-length segment reaching 1 ms into the window
        maxEndsAtT1: segment(1, t1 - MAX_SEGMENT_MS, t1, { relPath: 'max-ends-at-t1.mp4' }),
        otherCamera: segment(2, t1 + MIN, t1 + 2 * MIN),
        zeroLengthInside: segment(1, t1 + 5 * MIN, t1 + 5 * MIN, { state: 'writing' }),
      };
      ids = {};
      for (const [k, v] of Object.entries(rows)) ids[k] = (await t.store.segments.insert(v)).id;
    });

    it('returns the segments overlapping [t1, t2) ordered by start, including one that starts before t1', async () => {
      const got = await t.store.segments.listRange(1, t1, t2, 100);
      expect(got.map((s) => s.id)).toEqual([ids.longBefore, ids.straddlesT1, ids.inside, ids.zeroLengthInside, ids.straddlesT2]);
    });

    it('honours the limit and the camera', async () => {
      expect((await t.store.segments.listRange(1, t1, t2, 2)).map((s) => s.id)).toEqual([ids.longBefore, ids.straddlesT1]);
      expect((await t.store.segments.listRange(2, t1, t2, 100)).map((s) => s.id)).toEqual([ids.otherCamera]);
      expect(await t.store.segments.listRange(3, t1, t2, 100)).toEqual([]);
    });

    it('returns nothing for an empty window or a zero limit', async () => {
      expect(await t.store.segments.listRange(1, t2, t1, 100)).toEqual([]);
      expect(await t.store.segments.listRange(1, t1, t1, 100)).toEqual([]);
      expect(await t.store.segments.listRange(1, t1, t2, 0)).toEqual([]);
    });

    it('finds a segment covering the whole window', async () => {
      const a = T0 + 100 * MIN;
      const cover = await t.store.segments.insert(segment(5, a, a + 30 * MIN));
      expect(await t.store.segments.listRange(5, a + 10 * MIN, a + 11 * MIN, 10)).toEqual([cover]);
    });
  });

  describe('listOldestDeletable', () => {
    it('returns closed, unprotected rows oldest end first, with camera and end filters', async () => {
      const repo = t.store.segments;
      const a = await repo.insert(segment(1, T0 + 2 * MIN, T0 + 3 * MIN));
      const b = await repo.insert(segment(2, T0, T0 + MIN));
      const c = await repo.insert(segment(1, T0 + 4 * MIN, T0 + 9 * MIN)); // starts after d, ends after it
      const d = await repo.insert(segment(1, T0 + 3 * MIN, T0 + 5 * MIN));
      await repo.insert(segment(1, T0 - 10 * MIN, T0 - 9 * MIN, { protected: true }));
      await repo.insert(segment(1, T0 - 20 * MIN, T0 - 20 * MIN, { state: 'writing' }));

      const ids = (rows: { id: number }[]) => rows.map((r) => r.id);
      expect(ids(await repo.listOldestDeletable({ limit: 10 }))).toEqual([b.id, a.id, d.id, c.id]);
      expect(ids(await repo.listOldestDeletable({ limit: 2 }))).toEqual([b.id, a.id]);
      expect(ids(await repo.listOldestDeletable({ cameraId: 1, limit: 10 }))).toEqual([a.id, d.id, c.id]);
      expect(ids(await repo.listOldestDeletable({ endBeforeMs: T0 + 5 * MIN, limit: 10 }))).toEqual([b.id, a.id]);
      expect(ids(await repo.listOldestDeletable({ cameraId: 1, endBeforeMs: T0 + 5 * MIN + 1, limit: 10 }))).toEqual([a.id, d.id]);

      await repo.setProtected([a.id, d.id], true);
      expect(ids(await repo.listOldestDeletable({ limit: 10 }))).toEqual([b.id, c.id]);
      expect((await repo.get(a.id))?.protected).toBe(true);
      await repo.setProtected([a.id], false);
      expect(ids(await repo.listOldestDeletable({ limit: 10 }))).toEqual([b.id, a.id, c.id]);
    });
  });

  it('deletes by ids, lists paths, and keeps totalBytes in step', async () => {
    const repo = t.store.segments;
    expect(await repo.totalBytes()).toBe(0);
    const a = await repo.insert(segment(1, T0, T0 + MIN, { sizeBytes: 100 }));
    const b = await repo.insert(segment(2, T0, T0 + MIN, { sizeBytes: 20 }));
    const c = await repo.insert(segment(2, T0 + MIN, T0 + 2 * MIN, { sizeBytes: 3, state: 'writing' }));
    expect(await repo.totalBytes()).toBe(123);
    await repo.update(c.id, { sizeBytes: 4_000_000_000, state: 'closed' }); // > 2^31: 64-bit sizes
    expect(await repo.totalBytes()).toBe(4_000_000_120);
    expect(await repo.listPaths(1)).toEqual(new Set([a.relPath]));
    expect(await repo.listPaths(2)).toEqual(new Set([b.relPath, c.relPath]));
    expect(await repo.listPaths(3)).toEqual(new Set());
    expect(await repo.listCameraIds()).toEqual([1, 2]);
    await repo.deleteByIds([a.id, c.id, 999]);
    await repo.deleteByIds([]);
    expect(await repo.get(a.id)).toBeNull();
    expect(await repo.listPaths(2)).toEqual(new Set([b.relPath]));
    expect(await repo.listCameraIds()).toEqual([2]);
    expect(await repo.totalBytes()).toBe(20);
    await repo.deleteByIds([b.id]);
    expect(await repo.totalBytes()).toBe(0);
  });

  it('insertMany inserts everything in one transaction, or nothing on a conflict', async () => {
    const repo = t.store.segments;
    const many = Array.from({ length: 12_345 }, (_, i) => segment((i % 7) + 1, T0 + i * MIN, T0 + (i + 1) * MIN, { sizeBytes: i, fps: i % 2 ? 25 : 12.5 }));
    await repo.insertMany(many);
    await repo.insertMany([]);
    expect(await t.store.db.get('SELECT count(*) AS c FROM segments')).toEqual({ c: 12_345 });
    expect(await repo.totalBytes()).toBe((12_344 * 12_345) / 2);
    const one = await repo.getByPath(many[100]!.relPath);
    expect(one).toEqual({ id: one!.id, ...many[100] });

    const batch = [segment(9, T0, T0 + MIN, { relPath: 'new-1.mp4' }), segment(9, T0, T0 + MIN, { relPath: many[0]!.relPath })];
    await expect(repo.insertMany(batch)).rejects.toMatchObject({ code: 'conflict', field: 'relPath' });
    expect(await repo.getByPath('new-1.mp4')).toBeNull();
    expect(await repo.totalBytes()).toBe((12_344 * 12_345) / 2);
  });

  it('insertMany keeps nulls, booleans, unicode paths and fractional fps intact', async () => {
    const rows = [
      segment(1, T0, T0 + MIN, { relPath: 'kamera-ü/“quoted” \\ back.mp4', videoCodec: null, audioCodec: 'aac', width: null, height: null, fps: null }),
      segment(1, T0 + MIN, T0 + 2 * MIN, { protected: true, recovered: true, state: 'writing', fps: 29.97, sizeBytes: 4_000_000_000 }),
    ];
    await t.store.segments.insertMany(rows);
    const got = await t.store.segments.listRange(1, T0, T0 + 2 * MIN, 10);
    expect(got.map(({ id: _id, ...rest }) => rest)).toEqual(rows);
  });

  describe('query plans', () => {
    const plan = async (sql: string, params: unknown[]) =>
      (await t.store.db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params as never)).map((r) => r.detail);

    beforeEach(async () => {
      // 16 cameras x 600 one-minute segments, so the planner has a realistic table to choose from.
      const rows: NewSegment[] = [];
      for (let cam = 1; cam <= 16; cam++) for (let i = 0; i < 600; i++) rows.push(segment(cam, T0 + i * MIN, T0 + (i + 1) * MIN, { protected: i % 50 === 0 }));
      await t.store.segments.insertMany(rows);
    });

    for (const analyzed of [false, true]) {
      it(`listRange searches segments_camera_start with a bounded range, no scan or sort${analyzed ? ' (after ANALYZE)' : ''}`, async () => {
        if (analyzed) await t.store.db.exec('ANALYZE');
        const details = await plan(LIST_RANGE_SQL, [...listRangeParams(3, T0 + 60 * MIN, T0 + 120 * MIN, 1000)]);
        expect(details).toEqual(['SEARCH segments USING INDEX segments_camera_start (camera_id=? AND start_ms>? AND start_ms<?)']);
      });
    }

    it('retention queries use the partial indexes without sorting', async () => {
      const cases: Array<[Parameters<typeof oldestDeletableQuery>[0], RegExp]> = [
        [{ limit: 10 }, /^SCAN segments USING INDEX segments_deletable_end$/],
        [{ cameraId: 1, limit: 10 }, /^SEARCH segments USING INDEX segments_deletable_camera_end \(camera_id=\?\)$/],
        [{ endBeforeMs: T0, limit: 10 }, /^SEARCH segments USING INDEX segments_deletable_end \(end_ms<\?\)$/],
        [{ cameraId: 1, endBeforeMs: T0, limit: 10 }, /^SEARCH segments USING INDEX segments_deletable_camera_end \(camera_id=\? AND end_ms<\?\)$/],
      ];
      for (const [opts, expected] of cases) {
        const q = oldestDeletableQuery(opts);
        expect((await plan(q.sql, q.params)).join(' | ')).toMatch(expected);
      }
    });
  });
});
