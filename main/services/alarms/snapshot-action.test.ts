// An alarm rule's snapshot action against the real investigation service, real ffmpeg and SQLite (issue 12 item 7):
// a live picture from a growing long-GOP segment, the segment before when the open one has no frame yet, and worded reason codes (never ENOENT).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlarmFeedEvent } from '../../../common/alarms';
import type { ServerEvent } from '../../../common/events';
import { extractJpeg } from '../../../media/snapshot';
import type { NewSegment } from '../../../storage/repositories';
import { openTempStore, type TempStore } from '../../../storage/sqlite/test-utils';
import { FFMPEG_BIN, run } from '../../../test/helpers/ffmpeg';
import { loadConfig } from '../../config';
import { AuditLog } from '../audit-log';
import type { DomainError as ApiError } from '../../platform/errors';
import type { PtzActions } from '../contracts';
import type { FeatureContext } from '../features';
import { InvestigationService } from '../investigation/service';
import { AlarmCenter } from './center';
import { testLauncher } from '../../../test/harness/ffmpeg';

const NOW = 1_790_000_000_000;

/** An MPEG-TS of `seconds` with one keyframe at the start only (a camera with a long GOP). */
async function longGopTs(file: string, seconds: number): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const r = await run(FFMPEG_BIN, [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc=size=320x240:rate=25`,
    '-t',
    String(seconds),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-g',
    '250',
    '-keyint_min',
    '250',
    '-sc_threshold',
    '0',
    '-f',
    'mpegts',
    file,
  ]);
  expect(r.code, r.stderr).toBe(0);
}

describe('alarm snapshot action', () => {
  let t: TempStore;
  let svc: InvestigationService;
  let center: AlarmCenter;
  let pushed: AlarmFeedEvent[];
  let logs: string[];
  let camId: number;
  let recDir: string;

  const segment = (relPath: string, startMs: number, endMs: number, state: 'writing' | 'closed'): NewSegment => ({
    cameraId: camId,
    relPath,
    startMs,
    endMs,
    durationMs: endMs - startMs,
    sizeBytes: 1000,
    videoCodec: 'h264',
    audioCodec: null,
    width: 320,
    height: 240,
    fps: 25,
    state,
    protected: false,
    recovered: false,
  });

  beforeEach(async () => {
    t = await openTempStore();
    pushed = [];
    logs = [];
    const config = loadConfig({ dataDir: t.dir, env: {} });
    recDir = config.recordingsDir;
    const audit = new AuditLog(t.store, () => NOW);
    const ctx = {
      config,
      store: t.store,
      log: () => undefined,
      now: () => NOW,
      publish: () => undefined,
      onServerEvent: () => () => undefined,
      audit,
      ffmpeg: testLauncher(),
    } as unknown as FeatureContext;
    svc = new InvestigationService(ctx, { unitsNear: async () => [], camerasNear: async () => [] } as never, {
      exportsDir: `${t.dir}/exports`,
      snapshotsDir: `${t.dir}/snapshots`,
    });
    const ptz: PtzActions = { gotoPreset: async () => undefined };
    center = new AlarmCenter({
      store: t.store,
      publish: (ev: ServerEvent) => void (ev.type === 'alarm.event' && pushed.push(ev)),
      audit,
      log: (m) => logs.push(m),
      now: () => NOW,
      ptz,
      evidence: svc,
      mergeWindowMs: 0,
      offsetMinutes: () => 0,
    });
    const cam = await t.store.cameras.create(
      {
        name: 'Gate',
        url: 'rtsp://h/x',
        subUrl: null,
        username: null,
        password: null,
        transport: 'tcp',
        enabled: false,
        segmentSeconds: 60,
        retentionDays: 30,
        groupName: null,
        description: null,
      },
      NOW,
    );
    camId = cam.id;
    await t.store.alarms.createRule(
      { name: 'shot', enabled: true, sourceIds: [camId], groups: [], types: ['motion'], minSeverity: 'info', schedule: null, actions: { snapshot: true } },
      NOW,
    );
  });

  afterEach(async () => {
    await center.close();
    await t.cleanup();
  });

  const fire = async () => {
    await center.raise({ sourceId: camId, type: 'motion', atMs: NOW });
    await center.idle();
    const ev = pushed.at(-1)!;
    expect(ev.kind).toBe('action');
    return ev.alarm.actions.find((a) => a.kind === 'snapshot')!;
  };

  it('takes the live picture of a growing long-GOP segment (the old "1 s before the end" seek wrote no file: ENOENT)', async () => {
    const rel = `${camId}/live.ts`;
    await longGopTs(path.join(recDir, rel), 3);
    await t.store.segments.insert(segment(rel, NOW - 3000, NOW - 3000, 'writing'));
    // The cause: decoding from 1 s before the end starts mid-GOP, and ffmpeg exits 0 without writing the JPEG.
    const probe = path.join(t.dir, 'probe.jpg');
    await extractJpeg(testLauncher(), path.join(recDir, rel), -1, probe);
    expect(fs.existsSync(probe)).toBe(false);

    const out = await fire();
    expect([out.status, out.code, out.params]).toEqual(['ok', 'snapshot', { cameraId: camId }]);
    const file = await svc.snapshotFile(out.resultId!, null);
    const jpg = fs.readFileSync(file);
    expect(jpg.subarray(0, 2).toString('hex')).toBe('ffd8');
    expect(jpg.length).toBeGreaterThan(1000);
  });

  it('uses the segment that just closed when the open one has no frame yet', async () => {
    const prev = `${camId}/prev.ts`;
    await longGopTs(path.join(recDir, prev), 2);
    await t.store.segments.insert(segment(prev, NOW - 4000, NOW - 2000, 'closed'));
    const open = `${camId}/open.ts`;
    fs.writeFileSync(path.join(recDir, open), Buffer.alloc(0)); // opened a moment ago, nothing written yet
    await t.store.segments.insert(segment(open, NOW - 2000, NOW - 2000, 'writing'));
    const out = await fire();
    expect([out.status, out.code]).toEqual(['ok', 'snapshot']);
    const snap = (await svc.listSnapshots({ cameraId: camId }, null))[0]!;
    expect(snap.tMs).toBe(NOW - 2000);
  });

  it('records a worded reason, never the raw error, when there is no frame or no recording; the snapshot folder stays clean', async () => {
    const open = `${camId}/open.ts`;
    fs.mkdirSync(path.join(recDir, String(camId)), { recursive: true });
    fs.writeFileSync(path.join(recDir, open), Buffer.alloc(0));
    await t.store.segments.insert(segment(open, NOW - 500, NOW - 500, 'writing'));
    const noFrame = await fire();
    expect([noFrame.status, noFrame.code, noFrame.params]).toEqual(['failed', 'snapshot', { cameraId: camId, reason: 'no_frame' }]);
    await expect(svc.takeSnapshot({ cameraId: camId, note: 'x', actor: { kind: 'system', reason: 't' } })).rejects.toMatchObject({
      code: 'snapshot.no_frame',
    } satisfies Partial<ApiError>);

    // Not recording at all (no open segment).
    await t.store.db.run("UPDATE segments SET state = 'closed' WHERE camera_id = ?", [camId]);
    const notRec = await fire();
    expect([notRec.status, notRec.params.reason]).toEqual(['failed', 'not_recording']);

    const everything = JSON.stringify(pushed);
    expect(everything).not.toMatch(/ENOENT|snapshot\.jpg|not recording now/);
    expect(logs.some((l) => l.includes('not recording now'))).toBe(true); // the raw error is in the server log
    const left = fs.existsSync(`${t.dir}/snapshots`)
      ? (fs.readdirSync(`${t.dir}/snapshots`, { recursive: true }) as string[]).filter((f) => f.endsWith('.jpg'))
      : [];
    expect(left).toEqual([]);
  });
});
