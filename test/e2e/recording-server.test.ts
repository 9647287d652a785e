// End to end: the real server process records a real RTSP camera; kill -9 of the server; restart; recovery; clean stop.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Camera, Segment } from '../../common/api';
import { findRecorderProcesses } from '../../media/orphans';
import { ensureClip } from '../helpers/clips';
import { decodeErrors, ffprobeFile } from '../helpers/media-assert';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';
import { ADMIN_PASSWORD, startServer, waitFor, type ServerProcess } from '../harness';

let rtsp: RtspServer;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-e2e-rec-'));
const recDir = path.join(dataDir, 'recordings');
const running: ServerProcess[] = [];

beforeAll(async () => {
  const clip = await ensureClip({ width: 640, height: 360, fps: 25, seconds: 4, bitrateKbps: 800, audio: true });
  rtsp = await startRtspServer({ count: 4, clip });
});
afterAll(async () => {
  for (const s of running) await s.kill9();
  await rtsp?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The real server as a child process on `dir` (data kept between starts; the test signs in itself). */
async function start(dir: string): Promise<ServerProcess> {
  const srv = await startServer({ mode: 'process', tmp: dir, dataDir: dir, adminPassword: ADMIN_PASSWORD, signIn: false });
  running.push(srv.proc);
  return srv.proc;
}

async function segments(s: ServerProcess, token: string, cameraId: number): Promise<Segment[]> {
  const r = await s.api<Segment[]>('GET', `/api/v1/segments?cameraId=${cameraId}&startMs=0&endMs=${Date.now() + 3600_000}`, token);
  expect(r.status).toBe(200);
  return r.body;
}

describe('recording through the server', () => {
  it('records, survives kill -9 of the server without orphans, recovers the partial segment, and stops cleanly', async () => {
    const s1 = await start(dataDir);
    const token = await s1.login();
    const created = await s1.api<Camera>('POST', '/api/v1/cameras', token, { name: 'Gate 1', url: rtsp.url('/cam1'), segmentSeconds: 3 });
    expect(created.status).toBe(201);
    const cam = created.body;
    await waitFor(async () => (await segments(s1, token, cam.id)).filter((x) => x.state === 'closed').length >= 2, {
      what: 'two closed segments',
      timeoutMs: 40_000,
    });
    const st = await s1.api<Camera>('GET', `/api/v1/cameras/${cam.id}`, token);
    expect(st.body.status.state).toBe('recording');
    expect(st.body.status.bitrateBps).toBeGreaterThan(100_000);

    // Mid-segment: kill -9 the server.
    await new Promise((r) => setTimeout(r, 1500));
    expect(findRecorderProcesses(recDir).length).toBe(1);
    await s1.kill9();
    // No orphan keeps writing: the recorder ffmpeg goes away with its parent.
    await waitFor(() => findRecorderProcesses(recDir).length === 0, { what: 'recorder ffmpeg to exit after server kill -9', timeoutMs: 10_000 });
    const files = () => fs.readdirSync(path.join(recDir, String(cam.id))).map((f) => [f, fs.statSync(path.join(recDir, String(cam.id), f)).size] as const);
    const snap = JSON.stringify(files());
    await new Promise((r) => setTimeout(r, 1500));
    expect(JSON.stringify(files())).toBe(snap);

    // Restart: recovery closes the partial segment with its true duration; exactly one writer again.
    const s2 = await start(dataDir);
    const recoveryLine = await s2.waitLog(/\[argus\] recovery:/);
    expect(recoveryLine).toMatch(/[1-9]\d* partial segments closed|[1-9]\d* unindexed files indexed/);
    const token2 = await s2.login();
    await waitFor(async () => (await s2.api<Camera>('GET', `/api/v1/cameras/${cam.id}`, token2)).body.status.state === 'recording', {
      what: 'recording after restart',
      timeoutMs: 30_000,
    });
    expect(findRecorderProcesses(recDir).length).toBe(1);
    const after = await segments(s2, token2, cam.id);
    const recovered = after.filter((x) => x.recovered);
    expect(recovered.length).toBeGreaterThanOrEqual(1);
    for (const r of recovered) {
      const rel = fs.readdirSync(path.join(recDir, String(cam.id))).length; // directory still readable
      expect(rel).toBeGreaterThan(0);
      expect(r.state).toBe('closed');
      expect(r.durationMs).toBeGreaterThan(0);
      expect(r.endMs - r.startMs).toBe(r.durationMs);
    }
    await waitFor(
      async () => (await segments(s2, token2, cam.id)).filter((x) => !x.recovered && x.state === 'closed' && x.startMs > recovered.at(-1)!.endMs).length >= 1,
      { what: 'segment after restart', timeoutMs: 30_000 },
    );

    // Clean stop: every segment closed, nothing left writing, no ffmpeg left.
    expect(await s2.stop()).toBe(0);
    expect(findRecorderProcesses(recDir).length).toBe(0);
    const s3 = await start(dataDir);
    const token3 = await s3.login();
    await s3.api('PATCH', `/api/v1/cameras/${cam.id}`, token3, { enabled: false });
    const final = await segments(s3, token3, cam.id);
    await s3.stop();
    expect(final.filter((x) => x.state === 'writing')).toEqual([]);
    // Every segment on disk plays and its indexed duration matches ffprobe.
    const onDisk = fs.readdirSync(path.join(recDir, String(cam.id))).filter((f) => f.endsWith('.ts'));
    expect(onDisk.length).toBe(final.length);
    const byStart = [...final].sort((a, b) => a.startMs - b.startMs);
    for (let i = 1; i < byStart.length; i++) expect(byStart[i].startMs).toBeGreaterThanOrEqual(byStart[i - 1].endMs - 5); // never overlapping
    for (const f of onDisk) {
      const p = ffprobeFile(path.join(recDir, String(cam.id), f));
      expect(p.durationS).toBeGreaterThan(0);
      expect(decodeErrors(path.join(recDir, String(cam.id), f))).toBe('');
    }
    const totalIndexed = final.reduce((a, x) => a + x.durationMs, 0);
    const totalProbed = onDisk.reduce((a, f) => a + ffprobeFile(path.join(recDir, String(cam.id), f)).durationS * 1000, 0);
    expect(Math.abs(totalIndexed - totalProbed)).toBeLessThan(200 * onDisk.length);
  }, 240_000);

  // 'group': a service manager (systemd's KillMode=control-group) or Ctrl-C signals ffmpeg and the server together.
  it.each(['server', 'group'] as const)(
    'SIGTERM (%s) with four cameras recording closes every segment through the muxer (none left to recovery)',
    async (who) => {
      const dir = fs.mkdtempSync(path.join(dataDir, 'sigterm-'));
      const s1 = await start(dir);
      const token = await s1.login();
      const ids: number[] = [];
      for (const n of [1, 2, 3, 4]) {
        const r = await s1.api<Camera>('POST', '/api/v1/cameras', token, { name: `Dock ${n}`, url: rtsp.url(`/cam${n}`), segmentSeconds: 2 });
        expect(r.status).toBe(201);
        ids.push(r.body.id);
      }
      for (const id of ids) {
        await waitFor(async () => (await segments(s1, token, id)).filter((x) => x.state === 'closed').length >= 1, {
          what: `a closed segment of camera ${id}`,
          timeoutMs: 40_000,
        });
      }
      await new Promise((r) => setTimeout(r, 1000)); // mid-segment
      if (who === 'group') for (const p of findRecorderProcesses(path.join(dir, 'recordings'))) process.kill(p.pid, 'SIGTERM');
      expect(await s1.stop()).toBe(0);
      expect(s1.logs.filter((l) => /ended without closing|could not be probed|index write failed/.test(l))).toEqual([]);
      expect(findRecorderProcesses(path.join(dir, 'recordings')).length).toBe(0);

      const s2 = await start(dir);
      expect(await s2.waitLog(/\[argus\] recovery:/)).toMatch(/ 0 partial segments closed, 0 unindexed files indexed/);
      const token2 = await s2.login();
      for (const id of ids) await s2.api('PATCH', `/api/v1/cameras/${id}`, token2, { enabled: false });
      for (const id of ids) {
        const rows = await segments(s2, token2, id);
        expect(rows.length).toBeGreaterThanOrEqual(2);
        for (const row of rows) expect(row).toMatchObject({ state: 'closed', recovered: false });
        // The muxer's durations: each file's within a frame or two of what ffprobe reads.
        const files = fs.readdirSync(path.join(dir, 'recordings', String(id))).filter((f) => f.endsWith('.ts'));
        expect(files.length).toBe(rows.length);
        const probed = files.map((f) => ffprobeFile(path.join(dir, 'recordings', String(id), f)).durationS * 1000);
        const indexed = [...rows].sort((a, b) => a.startMs - b.startMs).map((r) => r.durationMs);
        for (const [i, ms] of [...probed].entries()) expect(Math.abs(ms - indexed[i])).toBeLessThan(150);
      }
      await s2.stop();
    },
    180_000,
  );
});
