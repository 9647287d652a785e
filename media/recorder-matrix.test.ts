// Recording matrix: every field shape a unit can publish over RTMP (and one it cannot), recorded by the real Recorder
// through a real MediaHub: segments play with the source's video codec and AAC audio exactly where the source has audio.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraStatus } from '../common/api';
import { FIELD_SHAPES, fieldClip, type FieldShape } from '../test/helpers/clips';
import { publishEnhancedHevc } from '../test/helpers/enhanced-rtmp';
import { decodeErrors, ffprobeFile, waitFor } from '../test/helpers/media-assert';
import { publishRtmp } from '../test/helpers/rtmp';
import { MediaHub, unitStreamPath } from './hub';
import { Recorder, type ClosedSegment } from './recorder';

let hub: MediaHub;
let port: number;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-rec-matrix-'));
const quiet = () => undefined;

beforeAll(async () => {
  // Units are recorded from the hub's read-back with the pre-roll, as in the server.
  hub = new MediaHub({ port: 0, host: '127.0.0.1', log: quiet, preRollApps: ['live'], onPrePublish: () => ({ allow: true }) });
  port = await hub.start();
});
afterAll(async () => {
  await hub?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function recordUnit(unitId: number) {
  const closed: ClosedSegment[] = [];
  const statuses: CameraStatus[] = [];
  const errors: string[] = [];
  const dir = fs.mkdtempSync(path.join(tmp, 'unit-'));
  const rec = new Recorder(
    { cameraId: unitId, url: hub.internalUrlFor(unitStreamPath(unitId)), transport: 'tcp', segmentSeconds: 2, recordingsDir: dir },
    { onStatus: (s) => statuses.push(s), onSegmentOpened: quiet, onSegmentClosed: (s) => closed.push(s), onSegmentError: (p, m) => errors.push(`${p}: ${m}`) },
    { log: process.env.SHAPE ? console.log : quiet },
  );
  return { rec, closed, statuses, errors, dir };
}

/** The H.264 shapes FLV (RTMP) can carry in ffmpeg 5.1: every H.264 shape. */
const RTMP_SHAPES = (Object.keys(FIELD_SHAPES) as FieldShape[]).filter((s) => FIELD_SHAPES[s].codec === 'h264' && (!process.env.SHAPE || s === process.env.SHAPE));

describe('recording a unit over RTMP, per field shape', () => {
  it.concurrent.each(RTMP_SHAPES.map((shape, i) => [shape, 100 + i] as const))('%s', async (shape, unitId) => {
    const source = FIELD_SHAPES[shape];
    const clip = await fieldClip(shape);
    const pub = publishRtmp(`rtmp://127.0.0.1:${port}${unitStreamPath(unitId)}`, clip, { loop: true });
    const h = recordUnit(unitId);
    try {
      await waitFor(() => hub.publisher(unitStreamPath(unitId)), 'the unit publishing', 15_000);
      h.rec.start();
      await waitFor(() => h.statuses.some((s) => s.state === 'recording'), 'recording', 20_000);
      // About 6 s: three 2 s segments (4 s GOPs make 4 s segments: two of them).
      await waitFor(() => h.closed.reduce((a, s) => a + s.durationMs, 0) >= 6000, '6 s recorded', 40_000);
      await h.rec.close();
    } finally {
      await pub.kill();
    }
    expect(h.errors).toEqual([]);
    expect(h.statuses.map((s) => s.lastError).filter(Boolean)).toEqual([]);
    const segs = [...h.closed].sort((a, b) => a.startMs - b.startMs);
    expect(segs.length).toBeGreaterThanOrEqual(2);
    const wantAudio = source.audio === false ? null : 'aac';
    for (const s of segs) {
      const file = path.join(h.dir, s.relPath);
      const p = ffprobeFile(file);
      expect(p.streams.filter((x) => x.codec_type === 'video').map((x) => [x.codec_name, x.width, x.height])).toEqual([['h264', source.width, source.height]]);
      expect(p.streams.filter((x) => x.codec_type === 'audio').map((x) => x.codec_name)).toEqual(wantAudio ? [wantAudio] : []);
      expect(p.streams.filter((x) => x.codec_type === 'data')).toEqual([]);
      // The index says what is stored.
      expect([s.videoCodec, s.audioCodec]).toEqual(['h264', wantAudio]);
      expect(Math.abs(p.durationS * 1000 - s.durationMs), s.relPath).toBeLessThan(200);
      expect(s.endMs - s.startMs).toBe(s.durationMs);
      expect(decodeErrors(file)).toBe('');
    }
    // Durations add up: segments never overlap, and those of one run follow each other without holes. (A G.711 unit's
    // first run stops as soon as its audio codec is known, to record with AAC audio: its pre-roll is a run of its own.)
    const trace = JSON.stringify(segs.map((s) => [s.relPath, s.startMs, s.endMs]));
    const run = (s: ClosedSegment) => path.basename(s.relPath).split('-')[0];
    for (let i = 1; i < segs.length; i++) {
      expect(segs[i].startMs, trace).toBeGreaterThanOrEqual(segs[i - 1].endMs);
      if (run(segs[i]) === run(segs[i - 1])) expect(segs[i].startMs - segs[i - 1].endMs, trace).toBeLessThan(300);
    }
    expect(new Set(segs.map(run)).size).toBeLessThanOrEqual(source.audio === 'alaw' || source.audio === 'mulaw' ? 2 : 1);
  }, 120_000);
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
