// End to end: kill -9 of a server recording two real RTSP cameras; each recorder ffmpeg's watchdog stops it (TERM, and KILL when the stop stalls), the segments stay playable and are indexed at the next start.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Camera, Segment } from '../../common/api';
import { findRecorderProcesses } from '../../media/orphans';
import { ensureClip } from '../helpers/clips';
import { decodeErrors, ffprobeFile } from '../helpers/media-assert';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';
import { startServer, waitFor, type ServerProcess, type TestServer } from '../harness';

let rtsp: RtspServer;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-e2e-watchdog-'));
const recDir = path.join(dataDir, 'recordings');
const servers: ServerProcess[] = [];
const stopped: number[] = [];

function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
const parentOf = (pid: number) => Number(/^\d+ \(.*\) \S+ (\d+)/.exec(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))![1]);
const cmdline = (pid: number) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);

beforeAll(async () => {
  const clip = await ensureClip({ width: 320, height: 180, fps: 10, seconds: 4, bitrateKbps: 150, audio: true });
  rtsp = await startRtspServer({ count: 2, clip });
});
afterAll(async () => {
  for (const pid of stopped) {
    // Only when the test failed before its watchdog killed it: never leave a stopped ffmpeg behind.
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  for (const s of servers) await s.kill9();
  await rtsp?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The real server as a child process on the test's data dir (kept between its two starts), signed in as admin. */
async function start(): Promise<{ srv: TestServer; proc: ServerProcess }> {
  const srv = await startServer({ mode: 'process', tmp: dataDir, dataDir });
  servers.push(srv.proc);
  return { srv, proc: srv.proc };
}

describe('recorder watchdog', () => {
  it('after kill -9 of the server, stops each ffmpeg: TERM closes the segment, KILL ends a stop that stalls; every file plays and is indexed at restart', async () => {
    const { srv: srv1, proc: s1 } = await start();
    const token = srv1.token;
    const cams: Camera[] = [];
    for (const n of [1, 2]) {
      const r = await s1.api<Camera>('POST', '/api/v1/cameras', token, { name: `Yard ${n}`, url: rtsp.url(`/cam${n}`), segmentSeconds: 2 });
      expect(r.status).toBe(201);
      cams.push(r.body);
    }
    const closed = async (id: number) =>
      (await s1.api<Segment[]>('GET', `/api/v1/segments?cameraId=${id}&startMs=0&endMs=${Date.now() + 3_600_000}`, token)).body.filter(
        (x) => x.state === 'closed',
      );
    for (const c of cams) await waitFor(async () => (await closed(c.id)).length >= 1, { what: `a closed segment of camera ${c.id}`, timeoutMs: 40_000 });

    // One ffmpeg per camera, each the child of its watchdog, which is the server's child.
    const procs = findRecorderProcesses(recDir);
    expect(procs.length).toBe(2);
    const ffOf = (id: number) => procs.find((p) => p.cmdline.some((a) => a.startsWith(path.join(recDir, String(id)) + '/')))!.pid;
    const [calm, stalled] = [ffOf(cams[0]!.id), ffOf(cams[1]!.id)];
    const watchdogs = [calm, stalled].map(parentOf);
    for (const w of watchdogs) {
      expect(cmdline(w).join(' ')).toMatch(/ffmpeg-supervised\.sh --watch/);
      expect(parentOf(w)).toBe(s1.proc.pid);
    }

    // The second ffmpeg cannot act on a signal any more (as when its shutdown blocks in a read or write).
    process.kill(stalled, 'SIGSTOP');
    stopped.push(stalled);
    await new Promise((r) => setTimeout(r, 800)); // mid-segment
    await s1.kill9();

    await waitFor(() => !alive(calm), { what: "the first ffmpeg to exit on its watchdog's TERM", timeoutMs: 15_000 });
    // A stopped process never handles TERM: it is gone only because its watchdog sent KILL after its bounded wait.
    await waitFor(() => !alive(stalled), { what: 'the stalled ffmpeg to be killed by its watchdog', timeoutMs: 20_000 });
    await waitFor(() => watchdogs.every((w) => !alive(w)), { what: 'the watchdogs to exit after their ffmpeg', timeoutMs: 10_000 });
    expect(findRecorderProcesses(recDir)).toEqual([]);

    // The segment the first ffmpeg was writing was closed by ffmpeg itself: it plays to its end without a decode error.
    const files = (id: number) =>
      fs
        .readdirSync(path.join(recDir, String(id)))
        .filter((f) => f.endsWith('.ts'))
        .sort()
        .map((f) => path.join(recDir, String(id), f));
    const lastCalm = files(cams[0]!.id).at(-1)!;
    expect(ffprobeFile(lastCalm).durationS).toBeGreaterThan(0);
    expect(decodeErrors(lastCalm)).toBe('');
    // The killed one's last segment is playable up to its last flushed packet.
    expect(ffprobeFile(files(cams[1]!.id).at(-1)!).durationS).toBeGreaterThan(0);

    // Restart: every file of both cameras has exactly one closed index row (the partial ones closed by recovery).
    const { srv: srv2, proc: s2 } = await start();
    await s2.waitLog(/\[argus\] recovery:/);
    const token2 = srv2.token;
    for (const c of cams) await s2.api('PATCH', `/api/v1/cameras/${c.id}`, token2, { enabled: false });
    for (const c of cams) {
      const list = async () => (await s2.api<Segment[]>('GET', `/api/v1/segments?cameraId=${c.id}&startMs=0&endMs=${Date.now() + 3_600_000}`, token2)).body;
      // (the restarted recorder may have opened a segment before the camera was disabled: wait until it is closed too)
      await waitFor(async () => (await list()).every((x) => x.state === 'closed'), { what: `camera ${c.id}: every segment closed`, timeoutMs: 20_000 });
      const segs = await list();
      expect(segs.map((x) => x.recovered).includes(true)).toBe(true);
      expect(segs.length, `camera ${c.id}`).toBe(files(c.id).length);
      expect(segs.every((x) => x.durationMs > 0)).toBe(true);
    }
    expect(await s2.stop()).toBe(0);
  }, 180_000);
});
