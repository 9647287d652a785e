// Retention on a real SQLite index and real files: age per camera, byte budget, free space, protected and writing rows.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempStore, segment, camera, type TempStore } from '../../storage/sqlite/test-utils';
import type { ServerEvent } from '../../common/events';
import { RetentionService } from './retention';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 31, 12);
let t: TempStore;
let rec: string;

beforeEach(async () => {
  t = await openTempStore();
  rec = path.join(t.dir, 'rec');
});
afterEach(async () => t.cleanup());

async function seg(cameraId: number, startMs: number, over: { protected?: boolean; state?: 'writing' | 'closed'; sizeBytes?: number } = {}) {
  const relPath = `${cameraId}/${startMs}-000000.ts`;
  const file = path.join(rec, relPath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Buffer.alloc(over.sizeBytes ?? 1000));
  return t.store.segments.insert(
    segment(cameraId, startMs, startMs + 60_000, {
      relPath,
      sizeBytes: over.sizeBytes ?? 1000,
      protected: over.protected ?? false,
      state: over.state ?? 'closed',
    }),
  );
}

function service(cfg: Partial<ConstructorParameters<typeof RetentionService>[0]> = {}, events: ServerEvent[] = []) {
  return new RetentionService(
    { recordingsDir: rec, maxRecordingsBytes: 0, minFreeBytes: 0, intervalMs: 60_000, ...cfg },
    { store: t.store, log: () => undefined, now: () => NOW, publish: (e) => events.push(e) },
  );
}

const exists = (relPath: string) => fs.existsSync(path.join(rec, relPath));

describe('RetentionService', () => {
  it('deletes segments older than each camera retention, keeps protected and writing ones, and the files go with the rows', async () => {
    const a = await t.store.cameras.create(camera('a', { retentionDays: 7 }), 1);
    const b = await t.store.cameras.create(camera('b', { retentionDays: 30 }), 1);
    const oldA = await seg(a.id, NOW - 10 * DAY);
    const heldA = await seg(a.id, NOW - 10 * DAY + 60_000, { protected: true });
    const writingA = await seg(a.id, NOW - 9 * DAY, { state: 'writing' });
    const newA = await seg(a.id, NOW - 1 * DAY);
    const oldB = await seg(b.id, NOW - 10 * DAY);
    const events: ServerEvent[] = [];
    const rep = await service({}, events).runOnce();
    expect(rep.byAge).toBe(1);
    expect(await t.store.segments.get(oldA.id)).toBeNull();
    expect(exists(oldA.relPath)).toBe(false);
    for (const kept of [heldA, writingA, newA, oldB]) {
      expect(await t.store.segments.get(kept.id)).not.toBeNull();
      expect(exists(kept.relPath)).toBe(true);
    }
    expect(events).toEqual([{ type: 'retention.deleted', cameraId: a.id, segments: 1, bytes: 1000 }]);
  });

  it('keeps the total under the byte budget, oldest unprotected first across cameras', async () => {
    const a = await t.store.cameras.create(camera('a'), 1);
    const b = await t.store.cameras.create(camera('b'), 1);
    const s1 = await seg(a.id, NOW - 5 * 3600_000); // oldest, protected
    await t.store.segments.setProtected([s1.id], true);
    const s2 = await seg(b.id, NOW - 4 * 3600_000);
    const s3 = await seg(a.id, NOW - 3 * 3600_000);
    const s4 = await seg(b.id, NOW - 2 * 3600_000);
    const s5 = await seg(a.id, NOW - 1 * 3600_000);
    const rep = await service({ maxRecordingsBytes: 3000 }).runOnce();
    expect(rep.byBudget).toBe(2);
    expect(await t.store.segments.totalBytes()).toBe(3000);
    expect(await t.store.segments.get(s2.id)).toBeNull();
    expect(await t.store.segments.get(s3.id)).toBeNull();
    for (const kept of [s1, s4, s5]) expect(exists(kept.relPath)).toBe(true);
  });

  it('frees disk space down to the minimum, and stops (without touching protected data) when nothing else is deletable', async () => {
    const a = await t.store.cameras.create(camera('a'), 1);
    const segs = [];
    for (let i = 0; i < 5; i++) segs.push(await seg(a.id, NOW - (10 - i) * 3600_000));
    await t.store.segments.setProtected([segs[4].id], true);
    const svc = service({ minFreeBytes: 10_000 });
    // Free space as the deleted files would give it: 7,000 B free plus 1,000 B per deleted segment.
    svc.freeBytesOverride = () => 7000 + (5 - fs.readdirSync(path.join(rec, String(a.id))).length) * 1000;
    const rep = await svc.runOnce();
    expect(rep.byFreeSpace).toBe(3);
    expect(rep.freeBytesAfter).toBe(10_000);
    expect(await t.store.segments.get(segs[3].id)).not.toBeNull();

    svc.freeBytesOverride = () => 0; // a disk that stays full: everything unprotected goes, protected stays
    const rep2 = await svc.runOnce();
    expect(rep2.byFreeSpace).toBe(1);
    expect(await t.store.segments.get(segs[4].id)).not.toBeNull();
    expect(exists(segs[4].relPath)).toBe(true);
  });

  it('triggers a pass at once when the periodic free-space check finds too little space', async () => {
    const a = await t.store.cameras.create(camera('a'), 1);
    const s = await seg(a.id, NOW - 3600_000);
    const svc = new RetentionService(
      { recordingsDir: rec, maxRecordingsBytes: 0, minFreeBytes: 5000, intervalMs: 3600_000, freeCheckIntervalMs: 50 },
      { store: t.store, log: () => undefined, now: () => NOW },
    );
    let free = 10_000;
    svc.freeBytesOverride = () => free;
    svc.start();
    try {
      await new Promise((r) => setTimeout(r, 200));
      expect(await t.store.segments.get(s.id)).not.toBeNull();
      free = 100;
      const deadline = Date.now() + 5000;
      while ((await t.store.segments.get(s.id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(await t.store.segments.get(s.id)).toBeNull();
    } finally {
      await svc.close();
    }
  });
});

describe('RetentionService and deleted cameras', () => {
  it('ages out the recordings of a deleted camera with the default retention', async () => {
    const gone = await t.store.cameras.create(camera('gone', { retentionDays: 365 }), 1);
    const old = await seg(gone.id, NOW - 40 * DAY);
    const recent = await seg(gone.id, NOW - 10 * DAY);
    await t.store.cameras.delete(gone.id);
    const rep = await service().runOnce();
    expect(rep.byAge).toBe(1);
    expect(await t.store.segments.get(old.id)).toBeNull();
    expect(await t.store.segments.get(recent.id)).not.toBeNull();
  });
});
