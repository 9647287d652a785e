// SQLite InvestigationRepo against a real database file: cases, bookmarks, legal holds over shared segments, exports, snapshots, recorded ranges.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewSegment } from '../repositories';
import { openTempStore, type TempStore } from './test-utils';

const seg = (cameraId: number, i: number, startMs: number, durMs = 60_000): NewSegment => ({
  cameraId,
  relPath: `${cameraId}/${i}.ts`,
  startMs,
  endMs: startMs + durMs,
  durationMs: durMs,
  sizeBytes: 100,
  videoCodec: 'h264',
  audioCodec: null,
  width: 1,
  height: 1,
  fps: 25,
  state: 'closed',
  protected: false,
  recovered: false,
});

describe('SqliteInvestigationRepo', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('creates cases with unique references and counts their items', async () => {
    const inv = t.store.investigation;
    const c = await inv.createCase({ reference: 'A/1', title: 'x', createdBy: 'ines', nodeId: 1 }, 1000);
    await expect(inv.createCase({ reference: 'A/1', title: 'y', createdBy: 'ines', nodeId: 1 }, 1001)).rejects.toMatchObject({
      code: 'conflict',
      field: 'reference',
    });
    await inv.createBookmark({ cameraId: 3, startMs: 10, endMs: 20, note: 'Blue car', caseId: c.id, createdBy: 'ines', createdMs: 1002 });
    await inv.createBookmark({ cameraId: 4, startMs: 30, endMs: 40, note: 'other', caseId: null, createdBy: 'ines', createdMs: 1003 });
    await inv.createExport(
      { caseId: c.id, dirName: 'd1', request: { caseId: c.id, sources: [{ cameraId: 3 }], startMs: 0, endMs: 100 }, createdBy: 'ines' },
      1004,
    );
    expect(await inv.caseView(c.id)).toMatchObject({ reference: 'A/1', bookmarks: 1, exports: 1, hold: null, updatedMs: 1004 });
    expect((await inv.listBookmarks({ text: 'blue CAR', limit: 10 })).map((b) => b.cameraId)).toEqual([3]);
    expect((await inv.listBookmarks({ cameraId: 4, startMs: 35, endMs: 36, limit: 10 })).map((b) => b.note)).toEqual(['other']);
    expect((await inv.listBookmarks({ cameraId: 4, startMs: 41, endMs: 50, limit: 10 })).length).toBe(0);
  });

  it('protects held segments until the last hold listing them is released', async () => {
    const inv = t.store.investigation;
    await t.store.segments.insertMany([seg(1, 0, 0), seg(1, 1, 60_000), seg(1, 2, 120_000)]);
    const ids = (await t.store.segments.listRange(1, 0, 180_000, 10)).map((s) => s.id);
    const a = await inv.createCase({ reference: 'A', title: '', createdBy: 'u', nodeId: 1 }, 1);
    const b = await inv.createCase({ reference: 'B', title: '', createdBy: 'u', nodeId: 1 }, 1);
    const ha = await inv.placeHold(a.id, 'court', 'u', [ids[0]!, ids[1]!], 2);
    expect(ha.segments).toBe(2);
    await expect(inv.placeHold(a.id, 'again', 'u', [], 3)).rejects.toMatchObject({ code: 'conflict', field: 'hold' });
    await inv.placeHold(b.id, 'other court', 'u', [ids[1]!], 3);
    expect((await t.store.segments.listOldestDeletable({ limit: 10 })).map((s) => s.id)).toEqual([ids[2]]);
    expect(await inv.heldAmong(ids)).toEqual(new Set([ids[0], ids[1]]));
    const rel = await inv.releaseHold(a.id, 'admin', 4);
    expect(rel).toMatchObject({ releasedBy: 'admin', releasedMs: 4 });
    // Segment 1 is still held by case B.
    expect((await t.store.segments.listOldestDeletable({ limit: 10 })).map((s) => s.id)).toEqual([ids[0], ids[2]]);
    expect(await inv.releaseHold(a.id, 'admin', 5)).toBeNull();
    await inv.extendHold((await inv.activeHold(b.id))!.id, [ids[2]!]);
    expect((await t.store.segments.listOldestDeletable({ limit: 10 })).map((s) => s.id)).toEqual([ids[0]]);
    await inv.releaseHold(b.id, 'admin', 6);
    expect((await t.store.segments.listOldestDeletable({ limit: 10 })).length).toBe(3);
    expect(await inv.listActiveHolds()).toEqual([]);
  });

  it('keeps export state for resume and lists unfinished jobs', async () => {
    const inv = t.store.investigation;
    const c = await inv.createCase({ reference: 'E', title: '', createdBy: 'u', nodeId: 1 }, 1);
    const req = { caseId: c.id, sources: [{ cameraId: 1 }], startMs: 0, endMs: 10 };
    const j1 = await inv.createExport({ caseId: c.id, dirName: 'x1', request: req, createdBy: 'u' }, 2);
    const j2 = await inv.createExport({ caseId: c.id, dirName: 'x2', request: req, createdBy: 'u' }, 3);
    await inv.updateExport(j1.id, { state: 'running', progress: 0.5 });
    await inv.updateExport(j2.id, { state: 'done', progress: 1.2, finishedMs: 9, manifestSha256: 'f'.repeat(64) });
    expect((await inv.listUnfinishedExports()).map((j) => [j.id, j.state, j.progress])).toEqual([[j1.id, 'running', 0.5]]);
    expect(await inv.getExport(j2.id)).toMatchObject({ state: 'done', progress: 1, request: req });
    await expect(inv.createExport({ caseId: c.id, dirName: 'x1', request: req, createdBy: 'u' }, 4)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('merges recorded ranges across adjacent segments and clips them to the query', async () => {
    await t.store.segments.insertMany([seg(2, 0, 0), seg(2, 1, 60_500), seg(2, 2, 200_000), seg(5, 0, 0)]);
    expect(await t.store.investigation.recordedRanges(2, 10_000, 230_000, 1500)).toEqual([
      { startMs: 10_000, endMs: 120_500 },
      { startMs: 200_000, endMs: 230_000 },
    ]);
    expect(await t.store.investigation.recordedRanges(2, 10_000, 230_000, 100)).toHaveLength(3);
    expect(await t.store.investigation.recordedRanges(2, 130_000, 140_000, 1500)).toEqual([]);
  });

  it('stores snapshots with their file path and hash', async () => {
    const s = await t.store.investigation.createSnapshot({
      cameraId: 1,
      tMs: 5,
      source: 'playback',
      note: 'n',
      caseId: null,
      relPath: 'd/1',
      sha256: 'a'.repeat(64),
      sizeBytes: 9,
      createdBy: 'u',
      createdMs: 6,
    });
    expect(await t.store.investigation.getSnapshot(s.id)).toMatchObject({ relPath: 'd/1', tMs: 5, sha256: 'a'.repeat(64) });
    expect((await t.store.investigation.listSnapshots({ cameraId: 1, limit: 5 }))[0]).not.toHaveProperty('relPath');
  });
});
