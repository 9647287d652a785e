// End to end: evidence export through the real back end (real ffmpeg, real MPEG-TS segments, real SQLite), offline verification, path traversal, resume after restart, snapshots.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, ExportJob, Manifest, Snapshot } from '../../common/investigation';
import { run } from '../helpers/ffmpeg';
import { decodeBarcode, FPS, indexSegments, makeSegments, type RecordedSeg, addStoppedCamera } from './investigation-fixtures';
import { startInvServer, tempDir, until, type InvServer } from './investigation-server';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

async function probeDurationMs(file: string): Promise<number> {
  const r = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
  return Math.round(Number(r.stdout.trim()) * 1000);
}

/** Frame number in the barcode of the first (or only) frame of a file. */
async function firstFrameNumber(file: string): Promise<number> {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-s', '320x240', '-'], {
    maxBuffer: 1 << 24,
  });
  const buf = r.stdout;
  expect(buf.length).toBe(320 * 240);
  return decodeBarcode((x, y) => buf[y * 320 + x]!, 320);
}

function verifyCli(dir: string): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/verify-export.ts'), dir], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('evidence export (real back end, ffmpeg, segments with a gap)', () => {
  let dataDir: string;
  let srv: InvServer;
  let admin: string;
  let cameraId: number;
  let segs: RecordedSeg[];
  let t0: number;
  let kase: Case;

  beforeAll(async () => {
    dataDir = tempDir('export');
    srv = await startInvServer(dataDir);
    admin = await srv.token();
    const cam = await addStoppedCamera(srv.backend.store);
    cameraId = cam.id;
    t0 = Date.now() - 3_600_000 - (Date.now() % 1000);
    // Four 6 s segments; the third is missing (a gap from t0+12 s to t0+18 s).
    segs = await makeSegments(srv.backend.config.recordingsDir, cameraId, t0, 4, 6);
    await indexSegments(srv.backend.store, cameraId, segs, [2]);
    const c = await srv.api<Case>('POST', '/api/v1/cases', admin, { reference: 'CR-2026/0042', title: 'Gate incident' });
    expect(c.status).toBe(201);
    kase = c.body;
  }, 120_000);

  afterAll(async () => {
    if (process.env.DEBUG_LOGS) console.log(srv?.logs.join('\n'));
    await srv?.backend.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function exportAndWait(body: Record<string, unknown>): Promise<ExportJob> {
    const r = await srv.api<ExportJob>('POST', '/api/v1/exports', admin, { caseId: kase.id, sources: [{ cameraId }], ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return until(
      async () => {
        const j = (await srv.api<ExportJob>('GET', `/api/v1/exports/${r.body.id}`, admin)).body;
        return j.state === 'done' || j.state === 'failed' ? j : null;
      },
      120_000,
      `export ${r.body.id}`,
    );
  }

  it('exports three segments across a gap by stream copy: duration = recorded time, hashes verify, one changed byte is named', async () => {
    const job = await exportAndWait({ startMs: t0 + 3000, endMs: t0 + 22_000, name: 'gate' });
    expect(job.state, job.error ?? '').toBe('done');
    const dir = path.join(dataDir, 'exports', job.dirName);
    // The package's files over HTTP: a malformed %-escape is a 400, not a server error.
    const files = `${srv.backend.url}/api/v1/export-files/${job.id}`;
    const auth = { headers: { Authorization: `Bearer ${admin}` } };
    expect((await fetch(`${files}/%E0%A4%A.json`, auth)).status).toBe(400);
    expect((await fetch(`${files}/manifest.json`, auth)).status).toBe(200);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.caseReference).toBe('CR-2026/0042');
    expect(manifest.exportedBy).toBe('admin');
    const src = manifest.sources[0]!;
    expect(src.segments.map((s) => s.relPath)).toEqual([segs[0]!.relPath, segs[1]!.relPath, segs[3]!.relPath]);
    expect(src.recorded).toEqual([
      { startMs: t0 + 3000, endMs: t0 + 12_000 },
      { startMs: t0 + 18_000, endMs: t0 + 22_000 },
    ]);
    expect(src.cut).toBe('keyframe');
    const mp4 = path.join(dir, src.file!);
    const recordedMs = 9000 + 4000;
    const d = await probeDurationMs(mp4);
    expect(Math.abs(d - recordedMs), `ffprobe ${d} ms vs recorded ${recordedMs} ms`).toBeLessThan(300);
    expect(src.durationMs).toBe(d);
    // Starts at the keyframe at t0+3 s: frame 75.
    expect(await firstFrameNumber(mp4)).toBe(3 * FPS);
    // The source segments' hashes are those of the files.
    const segHash = spawnSync('sha256sum', [segs[0]!.file], { encoding: 'utf8' }).stdout.split(' ')[0];
    expect(src.segments[0]!.sha256).toBe(segHash);

    expect(verifyCli(dir)).toMatchObject({ code: 0 });
    const fd = fs.openSync(mp4, 'r+');
    const b = Buffer.alloc(1);
    fs.readSync(fd, b, 0, 1, 5000);
    b[0] = b[0]! ^ 0xff;
    fs.writeSync(fd, b, 0, 1, 5000);
    fs.closeSync(fd);
    const bad = verifyCli(dir);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(`CHANGED ${src.file}`);
    fs.writeFileSync(path.join(dir, 'extra.txt'), 'planted');
    fs.rmSync(path.join(dir, 'video', path.basename(mp4)));
    const worse = verifyCli(dir);
    expect(worse.out).toContain('ADDED   extra.txt');
    expect(worse.out).toContain(`REMOVED ${src.file}`);

    const audit = (await srv.api<Array<{ action: string; targetId: string }>>('GET', '/api/v1/audit?limit=200', admin)).body;
    expect(audit.some((a) => a.action === 'export.create' && a.targetId === String(job.id))).toBe(true);
    expect(audit.some((a) => a.action === 'export.done' && a.targetId === String(job.id))).toBe(true);
  }, 180_000);

  it('re-encodes frame-exactly with a burnt-in watermark when asked', async () => {
    const job = await exportAndWait({ startMs: t0 + 3480, endMs: t0 + 21_720, watermark: true });
    expect(job.state, job.error ?? '').toBe('done');
    const dir = path.join(dataDir, 'exports', job.dirName);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    const src = manifest.sources[0]!;
    expect(src.cut).toBe('frame-exact');
    expect(manifest.watermark).toBe(true);
    const d = await probeDurationMs(path.join(dir, src.file!));
    const recordedMs = 12_000 - 3480 + (21_720 - 18_000);
    expect(Math.abs(d - recordedMs), `ffprobe ${d} ms vs recorded ${recordedMs} ms`).toBeLessThan(120);
    expect(await firstFrameNumber(path.join(dir, src.file!))).toBe(Math.round(3.48 * FPS));
    expect(verifyCli(dir).code).toBe(0);
  }, 180_000);

  it('refuses case references and export names that could leave the export directory (400, field named)', async () => {
    for (const reference of ['../../etc/passwd', 'a/../../b', '/abs', 'x\\..\\y', '..']) {
      const r = await srv.api<{ error: { fields: Array<{ path: string }> } }>('POST', '/api/v1/cases', admin, { reference });
      expect(r.status, reference).toBe(400);
      expect(r.body.error.fields[0]!.path).toBe('reference');
    }
    const r = await srv.api<{ error: { fields: Array<{ path: string }> } }>('POST', '/api/v1/exports', admin, {
      caseId: kase.id,
      sources: [{ cameraId }],
      startMs: t0,
      endMs: t0 + 1000,
      name: '../../x',
    });
    expect(r.status).toBe(400);
    expect(r.body.error.fields[0]!.path).toBe('name');
    expect(fs.readdirSync(path.join(dataDir, 'exports')).every((n) => n.startsWith('CR-2026_0042_'))).toBe(true);
    // An export needs a case (its reference).
    const none = await srv.api('POST', '/api/v1/exports', admin, { sources: [{ cameraId }], startMs: t0, endMs: t0 + 1000 });
    expect(none.status).toBe(400);
  });

  it('keeps Chinese camera names in file names and accepts a Chinese case number (package verifies)', async () => {
    const ref = '沪公刑字〔2026〕123号';
    const c = await srv.api<Case>('POST', '/api/v1/cases', admin, { reference: ref, title: '十字路口' });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    expect(c.body.reference).toBe(ref);
    const ids: number[] = [];
    for (const name of ['测试画面', 'Street 01 十字路口']) {
      const cam = await srv.backend.store.cameras.create(
        {
          name,
          url: 'rtsp://127.0.0.1:1/none',
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
        Date.now(),
      );
      await indexSegments(srv.backend.store, cam.id, await makeSegments(srv.backend.config.recordingsDir, cam.id, t0, 1, 6));
      ids.push(cam.id);
    }
    const r = await srv.api<ExportJob>('POST', '/api/v1/exports', admin, {
      caseId: c.body.id,
      sources: ids.map((cameraId) => ({ cameraId })),
      startMs: t0 + 1000,
      endMs: t0 + 4000,
      name: '路口',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const job = await until(
      async () => {
        const j = (await srv.api<ExportJob>('GET', `/api/v1/exports/${r.body.id}`, admin)).body;
        return j.state === 'done' || j.state === 'failed' ? j : null;
      },
      120_000,
      'export of the Chinese-named cameras',
    );
    expect(job.state, job.error ?? '').toBe('done');
    expect(job.dirName.startsWith(`${ref}_`)).toBe(true);
    const dir = path.join(dataDir, 'exports', job.dirName);
    expect(fs.readdirSync(path.join(dir, 'video')).sort()).toEqual(['01-测试画面.mp4', '02-Street 01 十字路口.mp4']);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.caseReference).toBe(ref);
    expect(manifest.sources.map((s) => s.file)).toEqual(['video/01-测试画面.mp4', 'video/02-Street 01 十字路口.mp4']);
    expect(verifyCli(dir)).toMatchObject({ code: 0 });
    // The files download by their names.
    const res = await fetch(`${srv.backend.url}/api/v1/export-files/${job.id}/${encodeURIComponent('video/01-测试画面.mp4').replace('%2F', '/')}`, {
      headers: { Authorization: `Bearer ${admin}` },
    });
    expect(res.status).toBe(200);
  }, 180_000);

  it('cancels a queued export (state cancelled, no package left)', async () => {
    const a = await srv.api<ExportJob>('POST', '/api/v1/exports', admin, {
      caseId: kase.id,
      sources: [{ cameraId }],
      startMs: t0,
      endMs: t0 + 24_000,
      reencode: true,
    });
    const b = await srv.api<ExportJob>('POST', '/api/v1/exports', admin, {
      caseId: kase.id,
      sources: [{ cameraId }],
      startMs: t0,
      endMs: t0 + 24_000,
      reencode: true,
    });
    const c = await srv.api<ExportJob>('DELETE', `/api/v1/exports/${b.body.id}`, admin);
    expect(c.status).toBe(200);
    expect(c.body.state).toBe('cancelled');
    expect(fs.existsSync(path.join(dataDir, 'exports', b.body.dirName))).toBe(false);
    await until(async () => (await srv.api<ExportJob>('GET', `/api/v1/exports/${a.body.id}`, admin)).body.state === 'done', 120_000, 'first export');
    expect((await srv.api('DELETE', `/api/v1/exports/${a.body.id}`, admin)).status).toBe(409);
  }, 180_000);

  it('takes a frame-exact snapshot from a recording, with a verifiable manifest, and audits it', async () => {
    const tMs = t0 + 7000 + 13 * 40; // frame 188
    const r = await srv.api<Snapshot>('POST', '/api/v1/snapshots', admin, { cameraId, tMs, note: 'plate visible', caseId: kase.id });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const res = await fetch(`${srv.backend.url}/api/v1/snapshot-files/${r.body.id}.jpg`, { headers: { Authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(200);
    const jpg = path.join(dataDir, 'snap.jpg');
    fs.writeFileSync(jpg, Buffer.from(await res.arrayBuffer()));
    expect(await firstFrameNumber(jpg)).toBe(7 * FPS + 13);
    const dirs = fs.readdirSync(path.join(dataDir, 'snapshots'), { recursive: true }) as string[];
    const mdir = dirs.find((d) => d.endsWith('manifest.json'))!;
    expect(verifyCli(path.join(dataDir, 'snapshots', path.dirname(mdir))).code).toBe(0);
    const audit = (await srv.api<Array<{ action: string }>>('GET', '/api/v1/audit?action=snapshot.create', admin)).body;
    expect(audit.length).toBeGreaterThan(0);
    // No recording at that time: a clear 400.
    const gap = await srv.api('POST', '/api/v1/snapshots', admin, { cameraId, tMs: t0 + 14_000 });
    expect(gap.status).toBe(400);
  }, 60_000);

  it('resumes an export that was running when the server stopped', async () => {
    const job = await srv.backend.store.investigation.createExport(
      {
        caseId: kase.id,
        dirName: 'CR-2026_0042_resume',
        request: { caseId: kase.id, sources: [{ cameraId }], startMs: t0, endMs: t0 + 12_000 },
        createdBy: 'admin',
      },
      Date.now(),
    );
    await srv.backend.store.investigation.updateExport(job.id, { state: 'running', progress: 0.4 });
    await srv.backend.close();
    srv = await startInvServer(dataDir);
    admin = await srv.token();
    const done = await until(
      async () => {
        const j = (await srv.api<ExportJob>('GET', `/api/v1/exports/${job.id}`, admin)).body;
        return j.state === 'done' || j.state === 'failed' ? j : null;
      },
      120_000,
      'resumed export',
    );
    expect(done.state, done.error ?? '').toBe('done');
    expect(srv.logs.some((l) => l.includes(`[export ${job.id}] resuming after restart`))).toBe(true);
    expect(verifyCli(path.join(dataDir, 'exports', 'CR-2026_0042_resume')).code).toBe(0);
  }, 180_000);
});
