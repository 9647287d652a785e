// End to end: the configured ffmpegPath and ffprobePath start every ffmpeg and ffprobe of the back end (recording, export, snapshot, probe, version).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, ExportJob, Snapshot } from '../../common/investigation';
import type { Segment } from '../../common/api';
import { startServer, waitFor, type TestServer } from '../harness';
import { ensureClip } from '../helpers/clips';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';

/** A wrapper script that logs its arguments (one line per start, prefixed with `name`) and execs the real binary. */
function wrapper(dir: string, name: 'ffmpeg' | 'ffprobe', log: string): string {
  const real = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  expect(real, `${name} on PATH`).not.toBe('');
  const file = path.join(dir, `logged-${name}.sh`);
  fs.writeFileSync(file, `#!/bin/sh\nprintf '%s\\n' "${name} $*" >> '${log}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
  return file;
}

describe('the configured ffmpeg and ffprobe binaries', () => {
  let tmp: string;
  let log: string;
  let rtsp: RtspServer;
  let srv: TestServer;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-ffmpeg-paths-'));
    log = path.join(tmp, 'starts.log');
    const clip = await ensureClip({ width: 320, height: 180, fps: 10, seconds: 4, bitrateKbps: 200, audio: false });
    rtsp = await startRtspServer({ count: 1, clip });
    srv = await startServer({ tmp, tag: 'ffmpeg-paths', overrides: { ffmpegPath: wrapper(tmp, 'ffmpeg', log), ffprobePath: wrapper(tmp, 'ffprobe', log) } });
  }, 120_000);

  afterAll(async () => {
    await srv?.close();
    await rtsp?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('starts the recorder, the export, the snapshot, the probe and the version check through them', async () => {
    const starts = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);
    // The version check at start-up.
    expect(starts()).toContain('ffmpeg -version');

    // Recording: the long-running process (under the watchdog, which runs the configured binary).
    const cam = await srv.client.createCamera({ name: 'Wrapped', url: rtsp.url('/cam1'), segmentSeconds: 2 });
    const closed = await waitFor(
      async () => {
        const segs = await srv.client.segments({ cameraId: cam.id, startMs: 0, endMs: Date.now() + 3_600_000 });
        const done = segs.filter((s: Segment) => s.state === 'closed');
        return done.length >= 2 ? done : null;
      },
      { timeoutMs: 60_000, what: 'two closed segments' },
    );
    const recDir = path.join(srv.dataDir, 'recordings', String(cam.id));
    expect(starts().some((l) => l.startsWith('ffmpeg ') && l.includes('-stats_period') && l.includes(recDir))).toBe(true);

    // An export of the first segment: an ffmpeg job writing MP4, then ffprobe of the result.
    const seg = closed[0]!;
    const kase = await srv.client.ok<Case>('POST', '/api/v1/cases', { reference: 'FP-1', title: 'paths' });
    const job = await srv.client.ok<ExportJob>('POST', '/api/v1/exports', {
      caseId: kase.id,
      sources: [{ cameraId: cam.id }],
      startMs: seg.startMs,
      endMs: seg.endMs,
      name: 'wrapped',
    });
    const finished = await waitFor(
      async () => {
        const j = await srv.client.ok<ExportJob>('GET', `/api/v1/exports/${job.id}`);
        return j.state === 'done' || j.state === 'failed' ? j : null;
      },
      { timeoutMs: 60_000, what: 'the export' },
    );
    expect(finished.state, finished.error ?? '').toBe('done');
    expect(starts().some((l) => l.startsWith('ffmpeg ') && l.includes('-progress pipe:1') && /\.mp4(\s|$)/.test(l))).toBe(true);
    expect(starts().some((l) => l.startsWith('ffprobe ') && l.includes(path.join(srv.dataDir, 'exports')) && /\.mp4$/.test(l))).toBe(true);

    // A snapshot of a recorded moment: an ffmpeg job writing JPEG.
    const shot = await srv.client.ok<Snapshot>('POST', '/api/v1/snapshots', { cameraId: cam.id, tMs: Math.round((seg.startMs + seg.endMs) / 2) });
    expect(shot.id).toBeGreaterThan(0);
    expect(starts().some((l) => l.startsWith('ffmpeg ') && l.includes('-progress pipe:1') && /\.jpg(\s|$)/.test(l))).toBe(true);
  }, 180_000);
});
