// Recording matrix: every field shape a unit can publish over RTMP (and one it cannot), recorded by the real Recorder
// through a real MediaHub: segments play with the source's video codec and AAC audio exactly where the source has audio.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraStatus } from '../common/api';
import { FIELD_SHAPES, fieldClip, type FieldShape } from '../test/helpers/clips';
import { publishEnhancedHevc } from '../test/helpers/enhanced-rtmp';
import { FFMPEG_BIN, ffprobe, run as runBin } from '../test/helpers/ffmpeg';
import { waitFor } from '../test/helpers/media-assert';
import { publishRtmp, publishRtmpGst } from '../test/helpers/rtmp';
import { startRtspServer, type RtspServer } from '../test/helpers/rtsp-server';
import { cameraStreamPath, createMediaHub, type MediaHub, unitStreamPath } from './hub';
import { urlSource } from './stream-source';
import { Recorder, type ClosedSegment } from './recorder';
import { testLauncher } from '../test/harness/ffmpeg';

const ffmpeg = testLauncher();

let hub: MediaHub;
let port: number;
let rtsp: RtspServer;
/** The same cameras behind RTSP Digest authentication: their URL carries credentials, which reach ffmpeg on fd 3. */
let locked: RtspServer;
const SHAPES = (Object.keys(FIELD_SHAPES) as FieldShape[]).filter((s) => !process.env.SHAPE || s === process.env.SHAPE);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-rec-matrix-'));
const quiet = () => undefined;

beforeAll(async () => {
  // Units are recorded from the hub's read-back with the pre-roll, as in the server.
  hub = createMediaHub({ port: 0, host: '127.0.0.1', log: quiet, preRollApps: ['live'], onPrePublish: () => ({ allow: true }) });
  port = await hub.start();
  // One fake camera per shape, all on one RTSP server.
  const mounts: Record<string, string> = {};
  for (const shape of SHAPES) mounts[`/${shape}`] = await fieldClip(shape);
  rtsp = await startRtspServer({ mounts });
  locked = await startRtspServer({ mounts, auth: "matrix:pa ss'wörd", digest: true });
});
afterAll(async () => {
  await rtsp?.stop();
  await locked?.stop();
  await hub?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function recordUnit(unitId: number) {
  return harness(unitId, { url: hub.internalUrlFor(unitStreamPath(unitId)) });
}

function harness(id: number, cfg: { url: string; relayUrl?: string }) {
  const closed: ClosedSegment[] = [];
  const statuses: CameraStatus[] = [];
  const errors: string[] = [];
  const dir = fs.mkdtempSync(path.join(tmp, 'src-'));
  const rec = new Recorder(
    {
      cameraId: id,
      segmentSeconds: 2,
      recordingsDir: dir,
      source: urlSource(id, 'main', { kind: 'url', url: cfg.url, rtspTransport: 'tcp', secrets: [] }, `source ${id}`),
      ...cfg,
    },
    { onStatus: (s) => statuses.push(s), onSegmentOpened: quiet, onSegmentClosed: (s) => closed.push(s), onSegmentError: (p, m) => errors.push(`${p}: ${m}`) },
    { log: process.env.MATRIX_LOG ? (m) => console.log(`${Date.now()} ${m}`) : quiet, ffmpeg },
  );
  return { rec, closed, statuses, errors, dir };
}

/** The H.264 shapes FLV (RTMP) can carry in ffmpeg 5.1: every H.264 shape. */
const RTMP_SHAPES = SHAPES.filter((s) => FIELD_SHAPES[s].codec === 'h264');

/** At most this many shapes record at once (2 cores, shared): starved, a live source stops looking live. */
const PARALLEL = 3;
let running = 0;
const queue: Array<() => void> = [];
async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= PARALLEL) await new Promise<void>((r) => queue.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    queue.shift()?.();
  }
}

/** About 6 s recorded, then stopped: three 2 s segments (4 s GOPs make two 4 s segments). */
async function recordAbout6s(h: ReturnType<typeof harness>): Promise<void> {
  h.rec.start();
  await waitFor(() => h.statuses.some((s) => s.state === 'recording'), 'recording', 20_000);
  await waitFor(() => h.closed.reduce((a, s) => a + s.durationMs, 0) >= 6000, '6 s recorded', 40_000);
  await h.rec.close();
}

/**
 * Segments play with the source's video codec and size, AAC audio exactly where the source has audio (G.711 converted),
 * no unreadable data stream, the index says what is stored, and the durations add up.
 */
async function decodeErrors(file: string): Promise<string> {
  return (await runBin(FFMPEG_BIN, ['-v', 'error', '-i', file, '-f', 'null', '-'], { timeoutMs: 60_000 })).stderr.trim();
}

// Checks run asynchronously: a synchronous ffprobe would stall the other shapes' recorders (same event loop).
async function expectRecordedLike(shape: FieldShape, h: ReturnType<typeof harness>): Promise<void> {
  const source = FIELD_SHAPES[shape];
  expect(h.errors).toEqual([]);
  expect(h.statuses.filter((s) => s.state === 'reconnecting' || s.state === 'failed')).toEqual([]);
  const segs = [...h.closed].sort((a, b) => a.startMs - b.startMs);
  expect(segs.length).toBeGreaterThanOrEqual(2);
  const videoCodec = source.codec === 'h265' ? 'hevc' : 'h264';
  const wantAudio = source.audio === false ? null : 'aac';
  for (const s of segs) {
    const file = path.join(h.dir, s.relPath);
    const p = await ffprobe(file);
    const durationS = Number(p.format.duration);
    expect(p.streams.filter((x) => x.codec_type === 'video').map((x) => [x.codec_name, x.width, x.height])).toEqual([
      [videoCodec, source.width, source.height],
    ]);
    expect(p.streams.filter((x) => x.codec_type === 'audio').map((x) => x.codec_name)).toEqual(wantAudio ? [wantAudio] : []);
    expect(p.streams.filter((x) => x.codec_type === 'data')).toEqual([]);
    expect([s.videoCodec, s.audioCodec]).toEqual([videoCodec, wantAudio]);
    expect(Math.abs(durationS * 1000 - s.durationMs), s.relPath).toBeLessThan(200);
    expect(s.endMs - s.startMs).toBe(s.durationMs);
    expect(await decodeErrors(file)).toBe('');
  }
  // Segments never overlap, and those of one run follow each other without holes. (A G.711 source's first run stops as
  // soon as its audio codec is known, to record with AAC audio: what it wrote, if anything, is a run of its own.)
  const trace = JSON.stringify(segs.map((s) => [s.relPath, s.startMs, s.endMs]));
  const run = (s: ClosedSegment) => path.basename(s.relPath).split('-')[0];
  for (let i = 1; i < segs.length; i++) {
    expect(segs[i].startMs, trace).toBeGreaterThanOrEqual(segs[i - 1].endMs);
    if (run(segs[i]) === run(segs[i - 1])) expect(segs[i].startMs - segs[i - 1].endMs, trace).toBeLessThan(300);
  }
  expect(new Set(segs.map(run)).size).toBeLessThanOrEqual(source.audio === 'alaw' || source.audio === 'mulaw' ? 2 : 1);
}

describe('recording a camera over RTSP (with its live relay into the hub), per field shape', () => {
  it.concurrent.each(SHAPES.map((shape, i) => [shape, 300 + i] as const))(
    '%s',
    async (shape, cameraId) => {
      const h = harness(cameraId, { url: rtsp.url(`/${shape}`), relayUrl: hub.internalUrlFor(cameraStreamPath(cameraId, 'main')) });
      await slot(() => recordAbout6s(h));
      await expectRecordedLike(shape, h);
    },
    300_000,
  );
});

describe('recording a camera behind RTSP Digest auth (credentials handed over in an ffconcat script on fd 3), per field shape', () => {
  it.concurrent.each(SHAPES.map((shape, i) => [shape, 400 + i] as const))(
    '%s',
    async (shape, cameraId) => {
      const url = locked.url(`/${shape}`).replace('rtsp://', `rtsp://matrix:${encodeURIComponent("pa ss'wörd")}@`);
      const h = harness(cameraId, { url, relayUrl: hub.internalUrlFor(cameraStreamPath(cameraId, 'main')) });
      await slot(() => recordAbout6s(h));
      await expectRecordedLike(shape, h);
    },
    300_000,
  );
});

describe('recording a unit over RTMP, per field shape', () => {
  it.concurrent.each(RTMP_SHAPES.map((shape, i) => [shape, 100 + i] as const))(
    '%s',
    async (shape, unitId) => {
      const clip = await fieldClip(shape);
      const h = recordUnit(unitId);
      await slot(async () => {
        const pub = publishRtmp(`rtmp://127.0.0.1:${port}${unitStreamPath(unitId)}`, clip, { loop: true });
        try {
          await waitFor(() => hub.publisher(unitStreamPath(unitId)), 'the unit publishing', 15_000);
          await recordAbout6s(h);
        } finally {
          await pub.kill();
        }
      });
      await expectRecordedLike(shape, h);
    },
    300_000,
  );
});

// Video only: with its live test tone, GStreamer's flvmux sends audio whose timestamps step back now and then (by ~90 ms),
// which a stream copy keeps as it is.
describe('recording a unit whose RTMP publisher is not ffmpeg (GStreamer flvmux ! rtmp2sink)', () => {
  it.concurrent.each([['video only', 'h264-silent', false, 151]] as const)(
    '%s',
    async (_label, like, audio, unitId) => {
      const h = recordUnit(unitId);
      await slot(async () => {
        const { width, height } = FIELD_SHAPES[like];
        const pub = publishRtmpGst(`rtmp://127.0.0.1:${port}${unitStreamPath(unitId)}`, { audio, width, height });
        try {
          await waitFor(() => hub.publisher(unitStreamPath(unitId)), 'the unit publishing', 15_000);
          await recordAbout6s(h);
        } finally {
          await pub.kill();
        }
      });
      await expectRecordedLike(like, h);
    },
    300_000,
  );
});

describe('a unit publishing H.265 over Enhanced RTMP', () => {
  it('fails recording at once with a reason that names it (no empty "Recording stopped: "), and records nothing', async () => {
    const unitId = 200;
    const pub = publishEnhancedHevc(`rtmp://127.0.0.1:${port}${unitStreamPath(unitId)}`, await fieldClip('h265-silent'));
    const h = recordUnit(unitId);
    try {
      await pub.ready;
      // The hub takes the publish (the unit shows online) ...
      expect(hub.publisher(unitStreamPath(unitId))).toBeTruthy();
      h.rec.start();
      // ... and the recorder says why it cannot record it, failing at once (the recording alarm follows 'failed').
      const failed = await waitFor(() => h.statuses.find((s) => s.state === 'failed'), 'recorder failed', 30_000);
      expect(failed.lastError).toMatch(/H\.265.*Enhanced RTMP.*cannot record/);
      expect(failed.failures).toBe(1);
      expect(failed.nextRetryMs! - failed.sinceMs).toBeGreaterThanOrEqual(29_000);
    } finally {
      await h.rec.close();
      await pub.stop();
    }
    expect(h.statuses.map((s) => s.lastError)).not.toContain('Recording stopped: ');
    expect(h.closed).toEqual([]);
  }, 60_000);
});
