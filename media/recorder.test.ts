// Recorder against a real GStreamer RTSP server and real ffmpeg: segments, wall-clock times, failures, SIGKILL, outage.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CameraStatus } from '../common/api';
import { ensureClip } from '../test/helpers/clips';
import { startRtspServer, type RtspServer } from '../test/helpers/rtsp-server';
import { freePort } from '../test/helpers/net';
import { decodeErrors, ffprobeFile, waitFor } from '../test/helpers/media-assert';
import type { RecordCallbacks, RecordLauncher } from './record-process';
import { Recorder, type ClosedSegment, type RecorderConfig, type RecorderOptions } from './recorder';
import { urlSource } from './stream-source';
import { testLauncher } from '../test/harness/ffmpeg';

const ffmpeg = testLauncher();

let clip: string;
let rtsp: RtspServer;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-rec-'));
const quiet = () => undefined;

beforeAll(async () => {
  clip = await ensureClip({ width: 640, height: 360, fps: 25, seconds: 4, bitrateKbps: 800, audio: true });
  rtsp = await startRtspServer({ count: 2, clip });
});
afterAll(async () => {
  await rtsp?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A URL source, as the RTSP adapter makes it. */
function source(url: string, transport: 'tcp' | 'udp' = 'tcp') {
  return urlSource(7, 'main', { kind: 'url', url, rtspTransport: transport, secrets: [] }, url);
}

function harness(cfg: Partial<RecorderConfig> & { url: string; transport?: 'tcp' | 'udp' }, opts: RecorderOptions = {}) {
  const closed: ClosedSegment[] = [];
  const opened: string[] = [];
  const statuses: CameraStatus[] = [];
  const errors: string[] = [];
  const dir = fs.mkdtempSync(path.join(tmp, 'cam-'));
  const rec = new Recorder(
    { cameraId: 7, segmentSeconds: 2, recordingsDir: dir, source: source(cfg.url, cfg.transport), ...cfg },
    {
      onStatus: (s) => statuses.push(s),
      onSegmentOpened: (s) => opened.push(s.relPath),
      onSegmentClosed: (s) => closed.push(s),
      onSegmentError: (p, m) => errors.push(`${p}: ${m}`),
    },
    { log: quiet, ffmpeg, ...opts },
  );
  return { rec, closed, opened, statuses, errors, dir };
}

describe('Recorder', () => {
  it('writes contiguous, playable segments whose durations add up to the wall-clock time recorded', async () => {
    const h = harness({ url: rtsp.url('/cam1') });
    h.rec.start();
    await waitFor(() => h.statuses.some((s) => s.state === 'recording'), 'recording state');
    const recordingFromMs = Date.now();
    await waitFor(() => h.closed.length >= 3, 'three closed segments', 30_000);
    const stopAtMs = Date.now();
    await h.rec.close();
    const segs = h.closed;
    expect(segs.length).toBeGreaterThanOrEqual(4); // the last one is closed by the clean stop
    expect(h.errors).toEqual([]);
    for (const [i, s] of segs.entries()) {
      const file = path.join(h.dir, s.relPath);
      const p = ffprobeFile(file);
      expect(p.streams.find((x) => x.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
      expect(p.streams.find((x) => x.codec_type === 'audio')?.codec_name).toBe('aac');
      expect(Math.abs(p.durationS * 1000 - s.durationMs)).toBeLessThan(150);
      expect(s.endMs - s.startMs).toBe(s.durationMs);
      expect(s.sizeBytes).toBe(fs.statSync(file).size);
      expect(decodeErrors(file)).toBe('');
      if (i > 0) expect(s.startMs).toBe(segs[i - 1].endMs); // contiguous within one run
      if (i < segs.length - 1) expect(s.durationMs).toBeGreaterThan(1500); // 2 s segments cut at 1 s keyframes
    }
    const total = segs.reduce((a, s) => a + s.durationMs, 0);
    const wall = stopAtMs - recordingFromMs;
    // Recorded time covers the wall-clock time from the first frame to the stop (±1.5 s for start-up and shutdown).
    expect(Math.abs(total - wall)).toBeLessThan(1500);
    // The first segment starts close to when recording was first reported (anchored wall clock).
    expect(Math.abs(segs[0].startMs - recordingFromMs)).toBeLessThan(1500);
    expect(h.statuses.at(-1)?.state).toBe('stopped');
  });

  it('reports a refused connection in plain words and backs off 1 s, 2 s, 4 s', async () => {
    const port = await freePort();
    const h = harness({ url: `rtsp://127.0.0.1:${port}/nothing` });
    h.rec.start();
    const s3 = await waitFor(() => h.statuses.find((s) => s.failures === 3), 'third failure', 20_000);
    await h.rec.close();
    expect(s3.state).toBe('reconnecting');
    expect(s3.lastError).toMatch(/refused the connection/);
    // The same reason as a registered code the console words in its language.
    expect(s3.reason).toEqual({ code: 'status.refused', params: {} });
    const waits = [1, 2, 3].map((n) => {
      const s = h.statuses.find((x) => x.failures === n && x.nextRetryMs !== null)!;
      return s.nextRetryMs! - s.sinceMs;
    });
    expect(waits[0]).toBeGreaterThanOrEqual(900);
    expect(waits[0]).toBeLessThanOrEqual(1100);
    expect(waits[1]).toBeGreaterThanOrEqual(1900);
    expect(waits[2]).toBeGreaterThanOrEqual(3900);
    expect(h.closed).toEqual([]);
    expect(fs.existsSync(path.join(h.dir, '7')) ? fs.readdirSync(path.join(h.dir, '7')) : []).toEqual([]);
  });

  it('reports a wrong stream path as not found', async () => {
    const h = harness({ url: rtsp.url('/no-such-stream') });
    h.rec.start();
    const s = await waitFor(() => h.statuses.find((x) => x.failures >= 1), 'first failure', 20_000);
    await h.rec.close();
    expect(s.lastError).toMatch(/not found/i);
  });

  it('records over UDP too', async () => {
    const h = harness({ url: rtsp.url('/cam2'), transport: 'udp' });
    h.rec.start();
    await waitFor(() => h.closed.length >= 1, 'one closed segment', 30_000);
    await h.rec.close();
    const p = ffprobeFile(path.join(h.dir, h.closed[0].relPath), true);
    expect(p.frames).toBeGreaterThan(25);
  });

  it('after ffmpeg is killed with SIGKILL mid-segment, indexes the partial segment with its true length and records again', async () => {
    const h = harness({ url: rtsp.url('/cam1'), segmentSeconds: 30 });
    h.rec.start();
    await waitFor(() => h.statuses.some((s) => s.state === 'recording'), 'recording');
    await new Promise((r) => setTimeout(r, 4000));
    const pid = h.rec.pid!;
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    const partial = await waitFor(() => h.closed[0], 'partial segment reported', 15_000);
    expect(partial.durationMs).toBeGreaterThan(2500);
    expect(partial.durationMs).toBeLessThan(6500);
    const p = ffprobeFile(path.join(h.dir, partial.relPath));
    expect(Math.abs(p.durationS * 1000 - partial.durationMs)).toBeLessThan(150);
    // It comes back by itself with a new ffmpeg.
    await waitFor(() => h.rec.pid !== undefined && h.rec.pid !== pid && h.rec.status().state === 'recording', 'new run recording', 15_000);
    await h.rec.close();
    expect(h.closed.length).toBe(2);
    expect(h.closed[1].relPath).not.toBe(partial.relPath);
    expect(h.closed[1].startMs).toBeGreaterThanOrEqual(partial.endMs);
  });

  it('survives a 20 s camera outage: reconnects by itself and leaves the outage as a gap', async () => {
    const port = await freePort();
    const own = await startRtspServer({ count: 1, clip }, port);
    const h = harness({ url: own.url('/cam1') }, { stallMs: 8000 });
    try {
      h.rec.start();
      await waitFor(() => h.closed.length >= 1, 'first segment', 30_000);
      await own.stop();
      const downAt = Date.now();
      await waitFor(
        () => h.statuses.some((s) => (s.state === 'reconnecting' || s.state === 'failed') && s.sinceMs >= downAt - 1000),
        'reconnecting after outage',
        20_000,
      );
      const before = h.closed.length;
      await new Promise((r) => setTimeout(r, Math.max(0, 20_000 - (Date.now() - downAt))));
      const back = await startRtspServer({ count: 1, clip }, port);
      const upAt = Date.now();
      try {
        await waitFor(() => h.closed.length >= before + 1 && h.closed.at(-1)!.startMs >= upAt - 1000, 'segment after outage', 45_000);
      } finally {
        await h.rec.close();
        await back.stop();
      }
      const segs = h.closed;
      const gaps = segs.slice(1).map((s, i) => s.startMs - segs[i].endMs);
      const bigGaps = gaps.filter((g) => g > 1000);
      expect(bigGaps.length).toBe(1);
      expect(bigGaps[0]).toBeGreaterThan(18_000);
      expect(bigGaps[0]).toBeLessThan(20_000 + 35_000);
      expect(
        gaps.filter((g) => g < 0),
        JSON.stringify(segs.map((s) => [s.relPath, s.startMs, s.endMs, s.durationMs])),
      ).toEqual([]); // never overlapping
      for (const s of segs) expect(decodeErrors(path.join(h.dir, s.relPath))).toBe('');
    } finally {
      await own.stop().catch(() => undefined);
    }
  }, 120_000);
});

describe('Recorder against a flapping camera', () => {
  it('resumes within about a second of the next retry after each recovery of a camera that is down ~6 s and up 9 s, however often', async () => {
    const port = await freePort();
    let server: RtspServer | null = await startRtspServer({ count: 1, clip }, port);
    const h = harness({ url: `rtsp://127.0.0.1:${port}/cam1` });
    const downAtMs: number[] = [];
    try {
      h.rec.start();
      await waitFor(() => h.closed.length >= 1, 'first segment', 30_000);
      for (let cycle = 0; cycle < 3; cycle++) {
        downAtMs.push(Date.now());
        await server.stop();
        server = null;
        // 5 s, plus the fake camera's start-up: about 6 s down, back before the retry 7 s after the drop.
        await new Promise((r) => setTimeout(r, 5000));
        server = await startRtspServer({ count: 1, clip }, port);
        await new Promise((r) => setTimeout(r, 9000));
      }
    } finally {
      await h.rec.close();
      await server?.stop();
    }
    const segs = [...h.closed].sort((a, b) => a.startMs - b.startMs);
    const gaps = segs
      .slice(1)
      .map((s, i) => s.startMs - segs[i].endMs)
      .filter((g) => g > 1000);
    const trace = JSON.stringify({ downAtMs, segs: segs.map((s) => [s.startMs, s.endMs]) });
    // One hole per outage, each the outage plus the wait for the retry 7 s after the drop (1 s, 2 s, 4 s) and RTSP
    // set-up. Without the reset, the waits keep doubling (8 s, 16 s, 30 s) across outages.
    expect(gaps.length, trace).toBe(3);
    for (const g of gaps) expect(g, trace).toBeLessThan(9000);
  }, 150_000);
});

describe('Recorder backoff (injected launcher and clock)', () => {
  it('resets the backoff once video flows again: a source down 6 s, up 9 s loses the outage plus about a second, every time', async () => {
    vi.useFakeTimers();
    try {
      let nowMs = 0;
      let cameraUp = true;
      let run: { cb: RecordCallbacks; streamS: number; exited: boolean } | null = null;
      const launch: RecordLauncher = (_spec, cb) => {
        const r = { cb, streamS: 0, exited: false };
        const exit = (err: string | null, line: string) => {
          if (r.exited) return;
          r.exited = true;
          cb.onExit(err, [line]);
        };
        run = r;
        // A camera that is down refuses the connection at once.
        if (!cameraUp)
          setTimeout(() => exit('ffmpeg exited with code 1', '[tcp @ 0x1] [error] Connection to tcp://10.0.0.9:554 failed: Connection refused'), 50);
        return { pid: 1, stop: async () => exit(null, 'Exiting normally'), kill: () => exit('killed', 'killed') };
      };
      const statuses: CameraStatus[] = [];
      const dir = fs.mkdtempSync(path.join(tmp, 'flap-'));
      const rec = new Recorder(
        { cameraId: 9, source: source('rtsp://10.0.0.9/main'), segmentSeconds: 2, recordingsDir: dir },
        { onStatus: (s) => statuses.push(s), onSegmentOpened: () => undefined, onSegmentClosed: () => undefined, onSegmentError: () => undefined },
        { launch, now: () => nowMs, log: quiet, ffmpeg },
      );
      rec.start();
      const holesMs: number[] = [];
      let downAtMs: number | null = null;
      // (async: each run opens its source first, a promise)
      const step = async (ms: number) => {
        for (let i = 0; i < ms / 100; i++) {
          nowMs += 100;
          await vi.advanceTimersByTimeAsync(100);
          const r = run as { cb: RecordCallbacks; streamS: number; exited: boolean } | null;
          if (cameraUp && r && !r.exited && nowMs % 1000 === 0) {
            r.streamS += 1;
            r.cb.onProgress(r.streamS);
            if (downAtMs !== null) {
              holesMs.push(nowMs - downAtMs - 1000); // the first second of the run's video came before this progress line
              downAtMs = null;
            }
          }
        }
      };
      await step(9000);
      for (let cycle = 0; cycle < 6; cycle++) {
        cameraUp = false;
        downAtMs = nowMs;
        const r = run as { cb: RecordCallbacks; exited: boolean } | null;
        if (r && !r.exited) {
          r.exited = true;
          r.cb.onExit('ffmpeg exited with code 1', ['[in#0] [error] Error during demuxing: End of file']);
        }
        await step(6000);
        cameraUp = true;
        await step(9000);
      }
      void rec.close();
      expect(holesMs).toHaveLength(6);
      // Retries at 1, 3 and 7 s into each 6 s outage: the hole is the outage plus about a second, never growing.
      for (const h of holesMs) expect(h, JSON.stringify(holesMs)).toBeLessThanOrEqual(7100);
      expect(statuses.filter((s) => s.state === 'failed')).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
