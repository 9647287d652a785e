// Retention of channels recording on alarm with a pre-alarm, on a real SQLite index and real files: what overlaps an alarm window, is held, is recent or is written stays.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempStore, segment, camera, type TempStore } from '../../storage/sqlite/test-utils';
import type { RecordMode } from '../../common/devices';
import { RetentionService } from './retention';

const S = 1000;
const NOW = Date.UTC(2026, 0, 31, 12);
let t: TempStore;
let rec: string;

beforeEach(async () => {
  t = await openTempStore();
  rec = path.join(t.dir, 'rec');
});
afterEach(async () => t.cleanup());

async function seg(cameraId: number, startMs: number, over: { protected?: boolean; state?: 'writing' | 'closed' } = {}) {
  const relPath = `${cameraId}/${startMs}-000000.ts`;
  const file = path.join(rec, relPath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Buffer.alloc(1000));
  return t.store.segments.insert(segment(cameraId, startMs, startMs + 10 * S, { relPath, protected: over.protected ?? false, state: over.state ?? 'closed' }));
}

async function channel(name: string, recordMode: RecordMode, preAlarmS: number): Promise<number> {
  const c = await t.store.cameras.create(camera(name, { segmentSeconds: 10 }), NOW - 86_400_000);
  await t.store.channels.update(c.id, { recordMode, preAlarmS, postAlarmS: 30 }, NOW - 86_400_000);
  return c.id;
}

describe('retention of channels recording on alarm', () => {
  it('deletes old segments outside every alarm window and keeps those in a window, held, recent or being written', async () => {
    const pre = await channel('pre', 'alarm', 20);
    const cont = await channel('continuous', 'continuous', 20);
    const noPre = await channel('no pre', 'alarm', 0);
    // kept: max(20 s, 60 s) + one 10 s segment = the last 70 s
    const outside = await seg(pre, NOW - 3600 * S);
    const outside2 = await seg(pre, NOW - 600 * S);
    const inWindow = await seg(pre, NOW - 1800 * S);
    const touchesWindowEnd = await seg(pre, NOW - 1700 * S);
    const held = await seg(pre, NOW - 1200 * S, { protected: true });
    const writing = await seg(pre, NOW - 900 * S, { state: 'writing' });
    const recent = await seg(pre, NOW - 75 * S); // ends 65 s ago: inside the buffer
    const justOld = await seg(pre, NOW - 81 * S); // ends 71 s ago: outside it
    const contOld = await seg(cont, NOW - 3600 * S);
    const noPreOld = await seg(noPre, NOW - 3600 * S);
    await t.store.alarmWindows.upsert({ channelId: pre, alarmId: 1, startMs: NOW - 1795 * S, endMs: NOW - 1700 * S });
    // another channel's window protects nothing here
    await t.store.alarmWindows.upsert({ channelId: cont, alarmId: 2, startMs: NOW - 3600 * S, endMs: NOW - 500 * S });

    const svc = new RetentionService(
      { recordingsDir: rec, maxRecordingsBytes: 0, minFreeBytes: 0, intervalMs: 60_000 },
      { store: t.store, log: () => undefined, now: () => NOW },
    );
    const rep = await svc.runOnce();
    expect(rep.byPolicy).toBe(3);
    expect(rep.deletedSegments).toBe(3);
    for (const gone of [outside, outside2, justOld]) {
      expect(await t.store.segments.get(gone.id)).toBeNull();
      expect(fs.existsSync(path.join(rec, gone.relPath))).toBe(false);
    }
    for (const kept of [inWindow, touchesWindowEnd, held, writing, recent, contOld, noPreOld]) {
      expect(await t.store.segments.get(kept.id), kept.relPath).not.toBeNull();
      expect(fs.existsSync(path.join(rec, kept.relPath))).toBe(true);
    }
    // a later pass, 1000 s on, takes the segments that have aged out of the buffer since
    const later = new RetentionService(
      { recordingsDir: rec, maxRecordingsBytes: 0, minFreeBytes: 0, intervalMs: 60_000 },
      { store: t.store, log: () => undefined, now: () => NOW + 1000 * S },
    );
    expect((await later.runOnce()).byPolicy).toBe(1);
    expect(await t.store.segments.get(recent.id)).toBeNull();
  });
});
