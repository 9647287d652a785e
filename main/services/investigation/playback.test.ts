// Keyframe index of real ffmpeg-made MPEG-TS segments, the VOD pieces and playlist built from them, and the evidence actions other features call (bookmark, live snapshot).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { AuditLog } from '../audit-log';
import { openTempStore, type TempStore } from '../../../storage/sqlite/test-utils';
import { indexSegments, makeSegments, type RecordedSeg } from '../../../test/e2e/investigation-fixtures';
import type { FeatureContext } from '../features';
import { MAX_WINDOW_MS, playlistText } from './playback';
import { InvestigationService } from './service';
import { indexTsFile } from './ts-index';
import { testLauncher } from '../../../test/harness/ffmpeg';

/** No user's rights limit the service calls of these tests (the routes' checks are in investigation-rights tests). */
const SYSTEM_SESSION = { access: null, userId: 1, tokenHash: 'h' };

describe('VOD pieces from the segment index (real MPEG-TS)', () => {
  let t: TempStore;
  let svc: InvestigationService;
  let segs: RecordedSeg[];
  let cameraId: number;
  const t0 = 1_790_000_000_000;

  beforeAll(async () => {
    t = await openTempStore();
    const config = loadConfig({ dataDir: t.dir, env: {} });
    fs.mkdirSync(config.recordingsDir, { recursive: true });
    cameraId = (
      await t.store.cameras.create(
        {
          name: 'C',
          url: 'rtsp://h/x',
          subUrl: null,
          username: null,
          password: null,
          transport: 'tcp',
          enabled: false,
          segmentSeconds: 6,
          retentionDays: 30,
          groupName: null,
          description: null,
        },
        t0,
      )
    ).id;
    segs = await makeSegments(config.recordingsDir, cameraId, t0, 4, 6);
    await indexSegments(t.store, cameraId, segs, [2]); // gap from t0+12 s to t0+18 s
    const ctx = {
      config,
      store: t.store,
      log: () => undefined,
      now: () => t0 + 30_000,
      publish: () => undefined,
      onServerEvent: () => () => undefined,
      audit: new AuditLog(t.store, () => t0),
      ffmpeg: testLauncher(),
    } as unknown as FeatureContext;
    const none = () => Promise.reject(new Error('not available'));
    svc = new InvestigationService(
      ctx,
      { unitsNear: none, camerasNear: none, track: none },
      { exportsDir: path.join(t.dir, 'exports'), snapshotsDir: path.join(t.dir, 'snapshots') },
    );
  }, 60_000);

  afterAll(async () => {
    await t.cleanup();
  });

  it('finds every keyframe (one a second) with its byte offset, PAT and PMT', async () => {
    const idx = await indexTsFile(segs[0]!.file);
    expect(idx.keyframes.map((k) => Math.round(k.ptsS * 1000))).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
    expect(idx.keyframes.every((k) => k.offset % 188 === 0)).toBe(true);
    expect(idx.header.length).toBe(376);
    expect(idx.header[0]).toBe(0x47);
    expect(Math.round(idx.durationS * 1000)).toBe(6000);
    const buf = fs.readFileSync(segs[0]!.file);
    expect(buf[idx.keyframes[3]!.offset]).toBe(0x47);
    await expect(indexTsFile(path.join(t.dir, 'argus.db'))).rejects.toThrow(/no H.264/);
  });

  it('cuts the window into ~2 s pieces on wall-clock time, contiguous in media time, with a discontinuity at the gap', async () => {
    const map = await svc.playbackMap(cameraId, t0 + 1000, t0 + 60_000, SYSTEM_SESSION);
    const p = map.pieces;
    expect(p.map((x) => x.wallMs - t0)).toEqual([0, 2000, 4000, 6000, 8000, 10_000, 18_000, 20_000, 22_000]);
    expect(p.every((x) => Math.abs(x.durationS - 2) < 1e-6)).toBe(true);
    for (let i = 1; i < p.length; i++) expect(p[i]!.mediaS).toBeCloseTo(p[i - 1]!.mediaS + p[i - 1]!.durationS, 6);
    expect(p.map((x) => x.discontinuity)).toEqual([true, false, false, false, false, false, true, false, false]);
    const text = playlistText(cameraId, await svc.playback.pieces(cameraId, t0 + 1000, t0 + 60_000), 'tok en');
    expect(text).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(text.match(/#EXT-X-DISCONTINUITY/g)).toHaveLength(1);
    expect(text).toContain(`#EXT-X-PROGRAM-DATE-TIME:${new Date(t0 + 18_000).toISOString()}`);
    expect(text).toMatch(/piece\/\d+\/\d+-\d+\.ts\?sig=tok%20en&cam=/);
    expect(text).not.toContain('token=');
    expect(text.trim().endsWith('#EXT-X-ENDLIST')).toBe(true);
    // A window is capped.
    expect((await svc.playbackMap(cameraId, t0, t0 + 10 * MAX_WINDOW_MS, SYSTEM_SESSION)).endMs).toBe(t0 + MAX_WINDOW_MS);
  });

  it('bookmarks and takes a live snapshot for another feature (alarm linkage), as the system', async () => {
    const b = await svc.createBookmark({ cameraId, startMs: t0 + 1000, endMs: t0 + 3000, note: 'alarm 7', actor: { kind: 'system', reason: 'alarm rule 3' } });
    expect(await t.store.investigation.getBookmark(b.id)).toMatchObject({ createdBy: 'system:alarm rule 3', note: 'alarm 7' });
    // No segment is being written: a clear refusal.
    await expect(svc.takeSnapshot({ cameraId, note: 'x', actor: { kind: 'system', reason: 'r' } })).rejects.toMatchObject({ kind: 'conflict' });
    // The newest segment is being written: the live snapshot comes from its end.
    const last = (await t.store.segments.listRange(cameraId, t0, t0 + 60_000, 10)).at(-1)!;
    await t.store.segments.update(last.id, { state: 'writing' });
    const s = await svc.takeSnapshot({ cameraId, note: 'alarm 7', actor: { kind: 'system', reason: 'alarm rule 3' } });
    const row = (await t.store.investigation.getSnapshot(s.id))!;
    expect(row).toMatchObject({ source: 'live', createdBy: 'system:alarm rule 3' });
    const jpg = path.join(t.dir, 'snapshots', ...row.relPath.split('/'), 'snapshot.jpg');
    expect(fs.readFileSync(jpg).subarray(0, 2).toString('hex')).toBe('ffd8');
    const audit = await t.store.audit.query({ action: 'snapshot.create' });
    expect(audit).toHaveLength(1);
  });
});
