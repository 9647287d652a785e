// A full recordings disk (a real tmpfs of a few MB): a clear error, nothing already written is lost, retention makes room.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, waitFor, type TestServer } from '../harness';
import { ensureClip } from '../helpers/clips';
import { decodeErrors, ffprobeFile } from '../helpers/media-assert';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';

let rtsp: RtspServer;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-diskfull-'));
const mounts: string[] = [];

/** Mounts a tmpfs of `mb` MiB (the test machine runs as root, as CI does). */
function smallDisk(name: string, mb: number): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mb}m`, 'tmpfs', dir]);
  } catch (e) {
    throw new Error(`this test mounts a small tmpfs to fill it and needs root: ${(e as Error).message}`, { cause: e });
  }
  mounts.push(dir);
  return dir;
}

beforeAll(async () => {
  // ~4 Mbit/s, so a few MB fill within seconds.
  const clip = await ensureClip({ width: 1280, height: 720, fps: 25, seconds: 4, bitrateKbps: 4000, audio: true, name: 'fill' });
  rtsp = await startRtspServer({ count: 1, clip });
});
afterAll(async () => {
  await rtsp?.stop();
  for (const m of mounts) execFileSync('umount', ['-l', m]);
  fs.rmSync(root, { recursive: true, force: true });
});

async function backendOn(recordingsDir: string, minFreeBytes: number): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(root, 'data-'));
  // A 4 Mbit/s camera fills a few MB within seconds: check free space twice a second here (default 5 s).
  const overrides = { recordingsDir, minFreeBytes, retentionIntervalMs: 3_600_000, freeSpaceCheckMs: 500 };
  return startServer({ tmp: root, dataDir, overrides, adminPassword: 'disk-full-test', signIn: false, recorderOptions: { maxBackoffMs: 2000 } });
}

describe('full recordings disk', () => {
  it('reports "disk is full", keeps every written segment playable, keeps serving, and resumes once there is room', async () => {
    const disk = smallDisk('full', 6);
    const srv = await backendOn(disk, 0);
    const b = srv.backend;
    try {
      const cam = await b.store.cameras.create(
        {
          name: 'fill',
          url: rtsp.url('/cam1'),
          subUrl: null,
          username: null,
          password: null,
          transport: 'tcp',
          enabled: true,
          segmentSeconds: 2,
          retentionDays: 30,
          groupName: null,
          description: null,
        },
        Date.now(),
      );
      await b.recording.apply(cam);
      const full = await waitFor(
        () => {
          const s = b.recording.status(cam.id);
          return s.lastError?.includes('disk is full') ? s : null;
        },
        { what: 'the disk-full error', timeoutMs: 60_000 },
      );
      expect(['reconnecting', 'failed']).toContain(full.state);
      const health = await fetch(`${b.url}/api/v1/health`);
      expect(health.status).toBe(200);
      await b.recording.flush();
      const closed = (await b.store.segments.listRange(cam.id, 0, Date.now() + 60_000, 1000)).filter((s) => s.state === 'closed');
      expect(closed.length).toBeGreaterThanOrEqual(2);
      const byStart = [...closed].sort((x, y) => x.startMs - y.startMs);
      for (const [i, s] of byStart.entries()) {
        const file = path.join(disk, s.relPath);
        expect(Math.abs(ffprobeFile(file).durationS * 1000 - s.durationMs)).toBeLessThan(300);
        if (i < byStart.length - 1) {
          expect(decodeErrors(file)).toBe('');
        } else {
          // The segment being written when the disk filled ends in a torn last frame; everything before it decodes.
          const p = ffprobeFile(file, true);
          expect(p.frames).toBeGreaterThanOrEqual(Math.floor((s.durationMs / 1000) * 25 * 0.9));
        }
      }
      // An operator frees space (here: the oldest half of the recordings); recording resumes by itself.
      const drop = closed.slice(0, Math.ceil(closed.length / 2));
      for (const s of drop) fs.rmSync(path.join(disk, s.relPath));
      await b.store.segments.deleteByIds(drop.map((s) => s.id));
      const resumedAt = Date.now();
      await waitFor(
        async () =>
          (await b.store.segments.listRange(cam.id, resumedAt, Date.now() + 60_000, 100)).some((s) => s.state === 'closed' && s.startMs >= resumedAt - 500),
        { what: 'a new segment after space was freed', timeoutMs: 30_000 },
      );
    } finally {
      await srv.close();
    }
  }, 150_000);

  it('with a minimum free space set, retention deletes the oldest segments in time and recording never stops', async () => {
    const disk = smallDisk('managed', 8);
    const srv = await backendOn(disk, 3 * 1024 * 1024);
    const b = srv.backend;
    try {
      const cam = await b.store.cameras.create(
        {
          name: 'managed',
          url: rtsp.url('/cam1'),
          subUrl: null,
          username: null,
          password: null,
          transport: 'tcp',
          enabled: true,
          segmentSeconds: 2,
          retentionDays: 30,
          groupName: null,
          description: null,
        },
        Date.now(),
      );
      await b.recording.apply(cam);
      const firstAt = Date.now();
      await new Promise((r) => setTimeout(r, 25_000)); // ~12 MB written to an 8 MB disk
      expect(b.recording.status(cam.id).state).toBe('recording');
      expect(b.recording.status(cam.id).failures).toBe(0);
      await b.recording.remove(cam.id);
      const segs = (await b.store.segments.listRange(cam.id, 0, Date.now() + 60_000, 1000)).filter((s) => s.state === 'closed');
      // The oldest went; what remains is contiguous up to the end.
      expect(segs[0].startMs).toBeGreaterThan(firstAt + 2000);
      for (let i = 1; i < segs.length; i++) expect(segs[i].startMs).toBe(segs[i - 1].endMs);
      for (const s of segs) expect(decodeErrors(path.join(disk, s.relPath))).toBe('');
    } finally {
      await srv.close();
    }
  }, 120_000);

  it('after SQLITE_FULL on a full data volume, no segment stays `writing` or unindexed once the database can write again', async () => {
    const dataDir = smallDisk('db', 8);
    const recordingsDir = fs.mkdtempSync(path.join(root, 'rec-'));
    const srv = await startServer({
      tmp: root,
      dataDir,
      overrides: { recordingsDir, minFreeBytes: 0, retentionIntervalMs: 3_600_000 },
      adminPassword: 'disk-full-test',
      signIn: false,
      recorderOptions: { maxBackoffMs: 2000 },
    });
    const b = srv.backend;
    const logs = srv.logs;
    const filler = path.join(dataDir, 'filler');
    try {
      const cam = await b.store.cameras.create(
        {
          name: 'db full',
          url: rtsp.url('/cam1'),
          subUrl: null,
          username: null,
          password: null,
          transport: 'tcp',
          enabled: true,
          segmentSeconds: 2,
          retentionDays: 30,
          groupName: null,
          description: null,
        },
        Date.now(),
      );
      await b.recording.apply(cam);
      const rows = () => b.store.segments.listRange(cam.id, 0, Date.now() + 60_000, 1000);
      await waitFor(async () => (await rows()).some((r) => r.state === 'closed'), { what: 'a closed segment', timeoutMs: 30_000 });
      // Fill the data volume: SQLite's next write that needs a new block fails with SQLITE_FULL.
      const fd = fs.openSync(filler, 'w');
      for (const chunk of [Buffer.alloc(256 * 1024), Buffer.alloc(4096), Buffer.alloc(512)]) {
        try {
          for (;;) fs.writeSync(fd, chunk);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
        }
      }
      fs.closeSync(fd);
      await waitFor(() => logs.find((l) => /index write failed: .*(SQLITE_FULL|full)/i.test(l)), {
        what: 'an index write failing with SQLITE_FULL',
        timeoutMs: 30_000,
      });
      await new Promise((r) => setTimeout(r, 4000)); // segments keep closing while the index cannot be written
      fs.rmSync(filler);
      // The index catches up by itself: every file but the one being written has a closed row; only that one is `writing`.
      await waitFor(
        async () => {
          const all = await rows();
          const files = fs
            .readdirSync(path.join(recordingsDir, String(cam.id)))
            .filter((f) => f.endsWith('.ts'))
            .sort();
          const closed = new Set(all.filter((r) => r.state === 'closed').map((r) => path.basename(r.relPath)));
          const writing = all.filter((r) => r.state === 'writing');
          return writing.length <= 1 && files.slice(0, -1).every((f) => closed.has(f)) && all.length >= files.length - 1;
        },
        { what: 'every segment indexed after the disk-full period', timeoutMs: 20_000 },
      );
      await b.recording.remove(cam.id);
      const final = await rows();
      expect(final.filter((r) => r.state !== 'closed')).toEqual([]);
      expect(final.length).toBe(fs.readdirSync(path.join(recordingsDir, String(cam.id))).filter((f) => f.endsWith('.ts')).length);
    } finally {
      fs.rmSync(filler, { force: true });
      await srv.close();
    }
  }, 120_000);
});
