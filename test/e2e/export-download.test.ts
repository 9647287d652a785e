// End to end: downloading an evidence package as one ZIP (whole and resumed with Range), unpacking it with standard tools and verifying it offline; single files; audit rows; refusals.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Case, ExportJob, Manifest } from '../../common/investigation';
import { indexSegments, makeSegments } from './investigation-fixtures';
import { startInvServer, tempDir, until, type InvServer } from './investigation-server';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

function verifyCli(dir: string): { code: number | null; out: string } {
  const r = spawnSync('npm', ['run', '--silent', 'verify-export', '--', dir], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('evidence package download (real back end, real export, unzip and Python zipfile)', () => {
  let dataDir: string;
  let srv: InvServer;
  let admin: string;
  let investigator: string;
  let job: ExportJob;
  const auth = (token: string, extra: Record<string, string> = {}) => ({ headers: { Authorization: `Bearer ${token}`, ...extra } });

  beforeAll(async () => {
    dataDir = tempDir('download');
    srv = await startInvServer(dataDir);
    admin = await srv.token();
    investigator = await srv.user('ina', 'investigator');
    const cam = await srv.backend.store.cameras.create(
      {
        name: '测试画面 Gate',
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
    const t0 = Date.now() - 3_600_000 - (Date.now() % 1000);
    const segs = await makeSegments(srv.backend.config.recordingsDir, cam.id, t0, 2, 6);
    await indexSegments(srv.backend.store, cam.id, segs);
    const c = await srv.api<Case>('POST', '/api/v1/cases', admin, { reference: '沪公刑字〔2026〕123号', title: 'download' });
    expect(c.status).toBe(201);
    const r = await srv.api<ExportJob>('POST', '/api/v1/exports', admin, {
      caseId: c.body.id,
      sources: [{ cameraId: cam.id }],
      startMs: t0 + 1000,
      endMs: t0 + 11_000,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    job = await until(
      async () => {
        const j = (await srv.api<ExportJob>('GET', `/api/v1/exports/${r.body.id}`, admin)).body;
        return j.state === 'done' || j.state === 'failed' ? j : null;
      },
      120_000,
      'export',
    );
    expect(job.state, job.error ?? '').toBe('done');
  }, 180_000);

  afterAll(async () => {
    await srv?.backend.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the package as one ZIP with its size known up front; a resumed range completes it; it unpacks and verifies', async () => {
    const url = `${srv.backend.url}/api/v1/export-files/${job.id}.zip`;
    const res = await fetch(url, auth(investigator));
    expect(res.status).toBe(200);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(`${job.dirName}.zip`)}`);
    const total = Number(res.headers.get('content-length'));
    const whole = Buffer.from(await res.arrayBuffer());
    expect(whole.length).toBe(total);
    expect(total).toBeGreaterThan(10_000);

    // Resume from the middle, as a browser or curl -C does after a broken connection.
    const mid = Math.floor(total / 2) + 17;
    const etag = res.headers.get('etag')!;
    const rest = await fetch(url, auth(investigator, { Range: `bytes=${mid}-`, 'If-Range': etag }));
    expect(rest.status).toBe(206);
    expect(rest.headers.get('content-range')).toBe(`bytes ${mid}-${total - 1}/${total}`);
    const tail = Buffer.from(await rest.arrayBuffer());
    expect(Buffer.concat([whole.subarray(0, mid), tail]).equals(whole)).toBe(true);
    const head = Buffer.from(await (await fetch(url, auth(investigator, { Range: `bytes=0-${mid - 1}` }))).arrayBuffer());
    expect(Buffer.concat([head, tail]).equals(whole)).toBe(true);
    expect((await fetch(url, auth(investigator, { Range: `bytes=${total}-` }))).status).toBe(416);

    const zipFile = path.join(dataDir, 'dl.zip');
    fs.writeFileSync(zipFile, Buffer.concat([head, tail]));
    const t = spawnSync('unzip', ['-t', zipFile], { encoding: 'utf8' });
    expect(t.status, t.stdout + t.stderr).toBe(0);
    const py = spawnSync('python3', ['-c', 'import sys,zipfile\nassert zipfile.ZipFile(sys.argv[1]).testzip() is None', zipFile], { encoding: 'utf8' });
    expect(py.status, py.stderr).toBe(0);
    const out = path.join(dataDir, 'unpacked');
    expect(spawnSync('unzip', ['-q', zipFile, '-d', out]).status).toBe(0);
    const pkg = path.join(out, job.dirName);
    const v = verifyCli(pkg);
    expect(v.code, v.out).toBe(0);
    expect(v.out).toContain('OK');
    // The unpacked package is the server's package: every file the manifest lists, nothing else.
    const manifest = JSON.parse(fs.readFileSync(path.join(pkg, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.files.length).toBeGreaterThan(0);
    expect(fs.readdirSync(path.join(dataDir, 'exports', job.dirName)).sort()).toEqual(fs.readdirSync(pkg).sort());

    const audit = (
      await srv.api<Array<{ action: string; targetId: string; username: string; detail: { file: string; range: string | null } }>>(
        'GET',
        '/api/v1/audit?limit=200',
        admin,
      )
    ).body;
    const rows = audit.filter((a) => a.action === 'export.download' && a.targetId === String(job.id));
    expect(rows.map((r) => r.detail.range).sort()).toEqual([null, `bytes 0-${mid - 1}/${total}`, `bytes ${mid}-${total - 1}/${total}`].sort());
    expect(rows.every((r) => r.detail.file === `${job.dirName}.zip` && r.username === 'ina')).toBe(true);
  }, 120_000);

  it('serves one file of the package, whole or a range, as an attachment, audited', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dataDir, 'exports', job.dirName, 'manifest.json'), 'utf8')) as Manifest;
    const rel = manifest.sources[0]!.file!;
    const onDisk = fs.readFileSync(path.join(dataDir, 'exports', job.dirName, ...rel.split('/')));
    const url = `${srv.backend.url}/api/v1/export-files/${job.id}/${rel.split('/').map(encodeURIComponent).join('/')}`;
    const res = await fetch(url, auth(investigator));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(res.headers.get('content-disposition')).toContain('attachment');
    expect(Buffer.from(await res.arrayBuffer()).equals(onDisk)).toBe(true);
    const part = await fetch(url, auth(investigator, { Range: 'bytes=100-199' }));
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(onDisk.subarray(100, 200))).toBe(true);
    const audit = (await srv.api<Array<{ action: string; detail: { file: string; range: string | null } }>>('GET', '/api/v1/audit?limit=200', admin)).body;
    expect(audit.some((a) => a.action === 'export.download' && a.detail.file === rel && a.detail.range === `bytes 100-199/${onDisk.length}`)).toBe(true);
  });

  it('refuses roles that may not see cases, and unknown exports', async () => {
    const url = `${srv.backend.url}/api/v1/export-files/${job.id}.zip`;
    for (const role of ['dispatcher', 'officer']) {
      const tok = await srv.user(`u-${role}`, role);
      expect((await fetch(url, auth(tok))).status).toBe(403);
      expect((await fetch(`${srv.backend.url}/api/v1/export-files/${job.id}/manifest.json`, auth(tok))).status).toBe(403);
    }
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(`${srv.backend.url}/api/v1/export-files/999999.zip`, auth(admin))).status).toBe(404);
    const audit = (await srv.api<Array<{ action: string; username: string | null }>>('GET', '/api/v1/audit?limit=500', admin)).body;
    expect(audit.some((a) => a.action === 'export.download' && (a.username ?? '').startsWith('u-'))).toBe(false);
  });

  it('serves preview frames of recordings to the roles that play them back', async () => {
    const cam = (await srv.backend.store.cameras.list())[0]!;
    const seg = (await srv.backend.store.segments.listRange(cam.id, 0, Date.now(), 10))[0]!;
    const url = (tMs: number) => `${srv.backend.url}/api/v1/frame-files/${cam.id}/${tMs}.jpg`;
    const ok = await fetch(url(seg.startMs + 2000), auth(await srv.user('d-frames', 'dispatcher')));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/jpeg');
    expect([...Buffer.from(await ok.arrayBuffer()).subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect((await fetch(url(seg.startMs - 3_600_000), auth(admin))).status).toBe(404);
    expect((await fetch(url(seg.startMs + 2000), auth(await srv.user('o-frames', 'officer')))).status).toBe(403);
  });

  it('pushes bookmark events to the roles that may see bookmarks, and case events only to case roles', async () => {
    const listen = async (token: string) => {
      const got: string[] = [];
      const ws = new WebSocket(`${srv.backend.url.replace('http', 'ws')}/api/v1/events?token=${token}`);
      ws.on('message', (d) => got.push(JSON.parse(String(d)).type));
      await new Promise((r) => ws.once('open', r));
      return { got, ws };
    };
    const officer = await srv.user('o2', 'officer');
    const dispatcher = await srv.user('d2', 'dispatcher');
    const [o, d, i] = [await listen(officer), await listen(dispatcher), await listen(investigator)];
    const cam = (await srv.backend.store.cameras.list())[0]!;
    const b = await srv.api('POST', '/api/v1/bookmarks', dispatcher, {
      cameraId: cam.id,
      startMs: Date.now() - 3_590_000,
      endMs: Date.now() - 3_589_000,
      note: 'seen',
    });
    expect(b.status).toBe(201);
    expect((await srv.api('POST', '/api/v1/cases', admin, { reference: 'EV-1' })).status).toBe(201);
    await until(
      async () => i.got.includes('investigation.case') && i.got.includes('investigation.bookmark') && d.got.includes('investigation.bookmark'),
      10_000,
      'events',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(d.got).not.toContain('investigation.case');
    expect(o.got.filter((t) => t.startsWith('investigation.'))).toEqual([]);
    for (const c of [o, d, i]) c.ws.close();
  });
});
