// Crash recovery on real files and a real SQLite index: partial segments, unindexed files, rows without files, junk.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempStore, segment, camera, type TempStore } from '../../storage/sqlite/test-utils';
import { ffprobeFile } from '../../test/helpers/media-assert';
import { recover } from './recovery';
import { testLauncher } from '../../test/harness/ffmpeg';

let t: TempStore;
let rec: string;
const logs: string[] = [];

/** Writes a real MPEG-TS segment of `seconds` with ffmpeg. */
function makeTs(file: string, seconds: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=320x240:rate=25`,
    '-t',
    String(seconds),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-g',
    '25',
    '-f',
    'mpegts',
    file,
  ]);
}

beforeEach(async () => {
  t = await openTempStore();
  rec = path.join(t.dir, 'recordings');
  logs.length = 0;
});
afterEach(async () => t.cleanup());

describe('recover', () => {
  it('closes partial segments with their true duration, indexes unknown files, drops rows without files and quarantines junk', async () => {
    const cam = await t.store.cameras.create(camera('gate'), 1);
    const id = cam.id;
    const base = 1_700_000_000_000;
    // (a) a segment that was being written when the server died: 3 s on disk.
    makeTs(path.join(rec, `${id}/${base}-000000.ts`), 3);
    const writing = await t.store.segments.insert(
      segment(id, base, base, { relPath: `${id}/${base}-000000.ts`, state: 'writing', durationMs: 0, sizeBytes: 0 }),
    );
    // (b) a file the index lacks (server died between ffmpeg opening it and the row insert): 2 s.
    makeTs(path.join(rec, `${id}/${base}-000001.ts`), 2);
    // (c) a closed row whose file is gone, (d) a writing row whose file is gone.
    const gone = await t.store.segments.insert(segment(id, base - 60_000, base - 1000, { relPath: `${id}/${base - 60_000}-000000.ts` }));
    const goneWriting = await t.store.segments.insert(
      segment(id, base + 10_000, base + 10_000, { relPath: `${id}/${base + 10_000}-000000.ts`, state: 'writing' }),
    );
    // (e) an empty file and (f) a garbage file, neither indexed.
    fs.writeFileSync(path.join(rec, `${id}/${base}-000002.ts`), '');
    fs.writeFileSync(path.join(rec, `${id}/${base}-000003.ts`), 'not a video at all');
    // (g) a healthy closed segment stays untouched.
    makeTs(path.join(rec, `${id}/${base - 120_000}-000000.ts`), 1);
    const healthy = await t.store.segments.insert(segment(id, base - 120_000, base - 119_000, { relPath: `${id}/${base - 120_000}-000000.ts` }));

    const report = await recover({ store: t.store, ffmpeg: testLauncher(), recordingsDir: rec, log: (m) => logs.push(m) });

    expect(report).toMatchObject({ closedPartial: 1, indexedUnknown: 1, droppedRows: 2, quarantined: 1, orphansKilled: 0 });
    const a = (await t.store.segments.get(writing.id))!;
    const probedA = ffprobeFile(path.join(rec, a.relPath));
    expect(a.state).toBe('closed');
    expect(a.recovered).toBe(true);
    expect(Math.abs(a.durationMs - probedA.durationS * 1000)).toBeLessThan(50);
    expect(a.durationMs).toBeGreaterThan(2800);
    expect(a.endMs).toBe(a.startMs + a.durationMs);
    expect(a.videoCodec).toBe('h264');
    expect(a.width).toBe(320);

    const b = (await t.store.segments.getByPath(`${id}/${base}-000001.ts`))!;
    expect(b).toMatchObject({ state: 'closed', recovered: true, cameraId: id });
    expect(Math.abs(b.durationMs - 2000)).toBeLessThan(100);
    expect(b.endMs).toBe(Math.round(fs.statSync(path.join(rec, b.relPath)).mtimeMs));

    expect(await t.store.segments.get(gone.id)).toBeNull();
    expect(await t.store.segments.get(goneWriting.id)).toBeNull();
    expect(await t.store.segments.get(healthy.id)).toMatchObject({ recovered: false, state: 'closed' });
    expect(fs.existsSync(path.join(rec, `${id}/${base}-000002.ts`))).toBe(false);
    expect(fs.existsSync(path.join(rec, `${id}/${base}-000003.ts.unreadable`))).toBe(true);
    expect(await t.store.segments.getByPath(`${id}/${base}-000003.ts`)).toBeNull();
    expect(await t.store.segments.listWriting()).toEqual([]);
    expect(logs.some((l) => l.includes('file is gone'))).toBe(true);

    // Running it again changes nothing.
    const again = await recover({ store: t.store, ffmpeg: testLauncher(), recordingsDir: rec, log: () => undefined });
    expect(again).toMatchObject({ closedPartial: 0, indexedUnknown: 0, droppedRows: 0, quarantined: 0 });
  });

  it('copes with an empty recordings directory that does not exist yet', async () => {
    const report = await recover({ store: t.store, ffmpeg: testLauncher(), recordingsDir: path.join(t.dir, 'nope'), log: () => undefined });
    expect(report.closedPartial + report.indexedUnknown + report.droppedRows).toBe(0);
  });
});
