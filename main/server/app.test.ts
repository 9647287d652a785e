// Integration tests of the HTTP API against a real SQLite store: auth, validation, cameras, users, segments, audit.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AuditEntry, Camera, LoginResponse, Segment, UserInfo } from '../../common/api';
import { ErrorKind, type ErrorBody } from '../../common/errors';
import { parse } from '../../common/schema';
import { CameraSchema, SegmentSchema } from '../../common/endpoints/schemas';
import { startTestServer, type TestServer } from './test-support';

const ADMIN_PW = 'admin-password-1';
const OFFICER_PW = 'officer-password-1';

async function errorOf(r: Response): Promise<ErrorBody['error']> {
  const body = (await r.json()) as ErrorBody;
  expect(body.error).toBeDefined();
  return body.error;
}

function fieldPaths(e: ErrorBody['error']): string[] {
  return (e.fields ?? []).map((f) => f.path);
}

async function auditOf(t: TestServer, action: string): Promise<AuditEntry[]> {
  return t.store.audit.query({ action, limit: 100 });
}

describe('HTTP API', () => {
  let t: TestServer;
  let admin: LoginResponse;
  let officer: LoginResponse;

  beforeAll(async () => {
    t = await startTestServer();
    await t.addUser('admin', ADMIN_PW, 'admin');
    await t.addUser('officer', OFFICER_PW, 'officer');
    admin = await t.login('admin', ADMIN_PW);
    officer = await t.login('officer', OFFICER_PW);
  });
  afterAll(async () => {
    await t.close();
  });

  const sample = (over: Record<string, unknown> = {}) => ({
    name: `cam-${Math.random().toString(36).slice(2, 8)}`,
    url: 'rtsp://10.1.1.1:554/stream1',
    ...over,
  });

  async function createCamera(body: Record<string, unknown>): Promise<Camera> {
    const r = await t.call('POST', '/api/v1/cameras', { token: admin.token, body });
    expect(r.status, await r.clone().text()).toBe(201);
    return (await r.json()) as Camera;
  }

  describe('authentication', () => {
    test('every protected route answers 401 without a token and with a bad token', async () => {
      const protectedRoutes = t.app.routes.filter((r) => r.auth !== 'public');
      expect(protectedRoutes.length).toBeGreaterThan(8);
      for (const r of protectedRoutes) {
        const p = r.path.replace(/:[A-Za-z]+/g, '1');
        const body = r.body ? {} : undefined;
        for (const token of [undefined, 'bogus-token', 'A'.repeat(43), '']) {
          const res = await t.call(r.method, p, { token, body });
          expect(res.status, `${r.method} ${r.path} token=${token}`).toBe(401);
          expect((await errorOf(res)).kind).toBe(ErrorKind.Unauthorized);
        }
        const malformed = await fetch(t.base + p, { method: r.method, headers: { Authorization: 'Basic YWRtaW46eA==' } });
        expect(malformed.status, `${r.method} ${r.path} basic auth`).toBe(401);
      }
    });

    test('public routes are exactly health, login (with its TOTP second step, which takes a pending token) and openapi.json', () => {
      const pub = t.app.routes
        .filter((r) => r.auth === 'public')
        .map((r) => `${r.method} ${r.path}`)
        .sort();
      expect(pub).toEqual([
        'GET /api/v1/health',
        'GET /api/v1/openapi.json',
        'POST /api/v1/auth/login',
        'POST /api/v1/auth/login/totp',
        'POST /api/v1/auth/login/totp/setup',
      ]);
    });

    test('login succeeds, returns the user and a working token, and is audited', async () => {
      const before = (await auditOf(t, 'auth.login')).length;
      const r = await t.call('POST', '/api/v1/auth/login', { body: { username: 'admin', password: ADMIN_PW } });
      expect(r.status).toBe(200);
      const body = (await r.json()) as LoginResponse;
      expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(body.user).toMatchObject({ username: 'admin', role: 'admin', disabled: false });
      expect(JSON.stringify(body)).not.toContain('scrypt');
      expect(body.expiresMs).toBeGreaterThan(Date.now());
      const me = await t.call('GET', '/api/v1/auth/me', { token: body.token });
      expect(me.status).toBe(200);
      expect(((await me.json()) as UserInfo).username).toBe('admin');
      const rows = await auditOf(t, 'auth.login');
      expect(rows.length).toBe(before + 1);
      expect(rows[0]).toMatchObject({ username: 'admin', action: 'auth.login', ip: expect.stringContaining('127.0.0.1') });
      // Only the SHA-256 of the token is stored.
      const stored = await t.store.sessions.get(body.token);
      expect(stored).toBeNull();
    });

    test('failed logins are 401 and audited with the username tried and the IP, never the password', async () => {
      const wrong = await t.call('POST', '/api/v1/auth/login', { body: { username: 'officer', password: 'not-the-password' } });
      expect(wrong.status).toBe(401);
      const e = await errorOf(wrong);
      expect(e.kind).toBe(ErrorKind.Unauthorized);
      expect(e.message).toBe('invalid username or password');
      const unknown = await t.call('POST', '/api/v1/auth/login', { body: { username: 'nobody-here', password: 'whatever-pw' } });
      expect(unknown.status).toBe(401);
      expect((await errorOf(unknown)).message).toBe('invalid username or password');

      const rows = await auditOf(t, 'auth.login_failed');
      const forOfficer = rows.find((a) => a.username === 'officer');
      expect(forOfficer).toMatchObject({ action: 'auth.login_failed', detail: { username: 'officer', reason: 'bad_password' } });
      expect(forOfficer?.ip).toContain('127.0.0.1');
      expect(rows.find((a) => a.username === 'nobody-here')).toMatchObject({ userId: null, detail: { reason: 'unknown_user' } });
      expect(JSON.stringify(rows)).not.toContain('not-the-password');
      expect(JSON.stringify(rows)).not.toContain('whatever-pw');
    });

    test('logout ends the session and is audited', async () => {
      const s = await t.login('officer', OFFICER_PW);
      const r = await t.call('POST', '/api/v1/auth/logout', { token: s.token });
      expect(r.status).toBe(204);
      expect((await t.call('GET', '/api/v1/auth/me', { token: s.token })).status).toBe(401);
      expect((await auditOf(t, 'auth.logout'))[0]).toMatchObject({ username: 'officer' });
    });

    test('a disabled user cannot log in, and disabling ends their sessions', async () => {
      await t.addUser('temp-disp', 'temp-password', 'dispatcher');
      const s = await t.login('temp-disp', 'temp-password');
      const id = s.user.id;
      const r = await t.call('PATCH', `/api/v1/users/${id}`, { token: admin.token, body: { disabled: true } });
      expect(r.status).toBe(200);
      expect(((await r.json()) as UserInfo).disabled).toBe(true);
      expect((await t.call('GET', '/api/v1/cameras', { token: s.token })).status).toBe(401);
      const again = await t.call('POST', '/api/v1/auth/login', { body: { username: 'temp-disp', password: 'temp-password' } });
      expect(again.status).toBe(401);
      expect((await errorOf(again)).message).toMatch(/disabled/);
    });

    test('non-admins get 403 for camera, user and audit administration; an officer reads only the cameras granted to them', async () => {
      const cam = await createCamera(sample());
      const attempts: Array<[string, string, unknown]> = [
        ['POST', '/api/v1/cameras', sample()],
        ['PATCH', `/api/v1/cameras/${cam.id}`, { retentionDays: 5 }],
        ['DELETE', `/api/v1/cameras/${cam.id}`, undefined],
        ['GET', '/api/v1/users', undefined],
        ['POST', '/api/v1/users', { username: 'x1', password: 'password-1', role: 'admin' }],
        ['PATCH', `/api/v1/users/${officer.user.id}`, { role: 'admin' }],
        ['POST', `/api/v1/users/${officer.user.id}/password`, { newPassword: 'river-lamp-orbit-7' }],
        ['GET', '/api/v1/audit', undefined],
      ];
      for (const [method, p, body] of attempts) {
        const r = await t.call(method, p, { token: officer.token, body });
        expect(r.status, `${method} ${p}`).toBe(403);
        expect((await errorOf(r)).kind).toBe(ErrorKind.Forbidden);
      }
      expect((await t.store.cameras.get(cam.id))?.retentionDays).toBe(30);
      // Officers hold live.view only on their own unit by default (issue 13): the camera is not theirs to know.
      const list = await t.call('GET', '/api/v1/cameras', { token: officer.token });
      expect(list.status).toBe(200);
      expect(((await list.json()) as Array<{ id: number }>).map((c) => c.id)).not.toContain(cam.id);
      expect((await t.call('GET', `/api/v1/cameras/${cam.id}`, { token: officer.token })).status).toBe(404);
    });
  });

  describe('request handling', () => {
    test('malformed JSON is 400 bad_request naming the problem', async () => {
      const r = await t.call('POST', '/api/v1/cameras', { token: admin.token, rawBody: '{"name": "x",' });
      expect(r.status).toBe(400);
      const e = await errorOf(r);
      expect(e.kind).toBe(ErrorKind.BadRequest);
      expect(e.message).toMatch(/^malformed JSON: /);
    });

    test('a wrong content type or an empty body is 400', async () => {
      const r = await t.call('POST', '/api/v1/cameras', { token: admin.token, rawBody: 'name=x', contentType: 'application/x-www-form-urlencoded' });
      expect(r.status).toBe(400);
      expect((await errorOf(r)).message).toMatch(/Content-Type: application\/json/);
      const empty = await fetch(`${t.base}/api/v1/cameras`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${admin.token}`, 'Content-Type': 'application/json' },
      });
      expect(empty.status).toBe(400);
    });

    test('validation names every bad field, unknown fields included', async () => {
      const r = await t.call('POST', '/api/v1/cameras', {
        token: admin.token,
        body: { url: 'rtsp://h/x', segmentSeconds: 1, transport: 'smoke', color: 'red', rtspUrl: 'rtsp://y' },
      });
      expect(r.status).toBe(400);
      const e = await errorOf(r);
      expect(e.kind).toBe(ErrorKind.Validation);
      expect(fieldPaths(e).sort()).toEqual(['color', 'name', 'rtspUrl', 'segmentSeconds', 'transport']);
      expect(e.fields?.find((f) => f.path === 'color')?.message).toBe('unknown field');
      expect(e.message).toContain('color unknown field');
    });

    test('a non-object body is a validation error', async () => {
      const r = await t.call('POST', '/api/v1/cameras', { token: admin.token, body: [1, 2] });
      expect(r.status).toBe(400);
      expect((await errorOf(r)).kind).toBe(ErrorKind.Validation);
    });

    test('a body over 1 MiB is 413, with or without Content-Length', async () => {
      const big = JSON.stringify({ name: 'x', url: 'rtsp://h/' + 'a'.repeat(1024 * 1024) });
      const r = await t.call('POST', '/api/v1/cameras', { token: admin.token, rawBody: big });
      expect(r.status).toBe(413);
      expect((await errorOf(r)).kind).toBe(ErrorKind.PayloadTooLarge);

      // Chunked upload: the limit is enforced while streaming.
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request(`${t.base}/api/v1/cameras`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${admin.token}`, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        const chunk = Buffer.alloc(64 * 1024, 'a');
        let sent = 0;
        const pump = () => {
          while (sent < 24) {
            sent++;
            if (!req.write(chunk)) return req.once('drain', pump);
          }
          req.end();
        };
        pump();
      });
      expect(status).toBe(413);
      expect(await t.store.cameras.getByName('x')).toBeNull();
    });

    test('unknown API paths are 404 JSON, a wrong method is 405 with Allow', async () => {
      const r = await t.call('GET', '/api/v1/nothing-here', { token: admin.token });
      expect(r.status).toBe(404);
      expect(r.headers.get('content-type')).toMatch(/application\/json/);
      expect((await errorOf(r)).kind).toBe(ErrorKind.NotFound);
      const m = await t.call('PUT', '/api/v1/cameras', { token: admin.token, body: {} });
      expect(m.status).toBe(405);
      expect(m.headers.get('allow')).toBe('GET, POST');
      expect((await errorOf(m)).kind).toBe(ErrorKind.MethodNotAllowed);
    });

    test('a non-numeric id is a validation error naming it; a missing camera is 404', async () => {
      const r = await t.call('GET', '/api/v1/cameras/abc', { token: admin.token });
      expect(r.status).toBe(400);
      expect(fieldPaths(await errorOf(r))).toEqual(['id']);
      const missing = await t.call('GET', '/api/v1/cameras/999999', { token: admin.token });
      expect(missing.status).toBe(404);
    });

    test('responses carry security headers and no CORS headers', async () => {
      const r = await t.call('GET', '/api/v1/health');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
      const pre = await fetch(`${t.base}/api/v1/cameras`, {
        method: 'OPTIONS',
        headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' },
      });
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    });

    test('health is public and reveals details only with a token', async () => {
      const r = await t.call('GET', '/api/v1/health');
      expect(r.status).toBe(200);
      const body = (await r.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ ok: true, version: expect.any(String), uptimeMs: expect.any(Number) });
      expect(Object.keys(body).sort()).toEqual(['ok', 'uptimeMs', 'version']);
      const authed = (await (await t.call('GET', '/api/v1/health', { token: officer.token })).json()) as Record<string, unknown>;
      expect(authed.recordingsDir).toBe(t.config.recordingsDir);
    });
  });

  describe('cameras', () => {
    test('create moves URL credentials out, applies defaults, never returns the password, applies and audits', async () => {
      const name = 'Main gate';
      const camera = await createCamera({ name, url: 'rtsp://op:s3cr%40t@10.0.0.5:554/h264?ch=1' });
      expect(parse(CameraSchema, camera).ok).toBe(true); // exactly the documented fields: no password
      expect(camera).toMatchObject({
        name,
        url: 'rtsp://10.0.0.5:554/h264?ch=1',
        username: 'op',
        hasPassword: true,
        transport: 'tcp',
        enabled: true,
        segmentSeconds: t.config.segmentSeconds,
        retentionDays: 30,
        status: { cameraId: camera.id, state: 'stopped' },
      });
      expect(JSON.stringify(camera)).not.toContain('s3cr');
      const row = await t.store.cameras.get(camera.id);
      expect(row).toMatchObject({ username: 'op', password: 's3cr@t', url: 'rtsp://10.0.0.5:554/h264?ch=1' });
      const applied = t.recording.calls.filter((c) => c.op === 'apply' && c.camera.id === camera.id);
      expect(applied).toHaveLength(1);
      const audit = (await auditOf(t, 'camera.create')).find((a) => a.targetId === String(camera.id));
      expect(audit).toMatchObject({ username: 'admin', targetType: 'camera', detail: { name, hasPassword: true, username: 'op' } });
      expect(JSON.stringify(audit)).not.toContain('s3cr');

      for (const list of [
        await t.call('GET', '/api/v1/cameras', { token: officer.token }),
        await t.call('GET', `/api/v1/cameras/${camera.id}`, { token: officer.token }),
      ]) {
        const text = await list.text();
        expect(text).not.toContain('s3cr');
        expect(text).not.toContain('"password"');
      }
    });

    test('explicit username/password win over the URL ones', async () => {
      const c = await createCamera(sample({ url: 'rtsp://a:b@10.0.0.6/s', username: 'real', password: 'realpw' }));
      expect(c.username).toBe('real');
      expect(c.url).toBe('rtsp://10.0.0.6/s');
      expect((await t.store.cameras.get(c.id))?.password).toBe('realpw');
    });

    test('bad URL scheme and malformed URL are 400 naming url', async () => {
      for (const url of ['http://x', 'not a url', 'rtsp://']) {
        const r = await t.call('POST', '/api/v1/cameras', { token: admin.token, body: sample({ url }) });
        expect(r.status, url).toBe(400);
        const e = await errorOf(r);
        expect(e.kind).toBe(ErrorKind.Validation);
        expect(fieldPaths(e)).toEqual(['url']);
      }
      const r = await t.call('POST', '/api/v1/cameras', { token: admin.token, body: sample({ subUrl: 'ftp://x/y' }) });
      expect(fieldPaths(await errorOf(r))).toEqual(['subUrl']);
    });

    test('a duplicate name is 409 on field name and stores nothing', async () => {
      const c = await createCamera(sample({ name: 'Dup' }));
      const applies = t.recording.calls.length;
      const r = await t.call('POST', '/api/v1/cameras', { token: admin.token, body: sample({ name: 'Dup' }) });
      expect(r.status).toBe(409);
      const e = await errorOf(r);
      expect(e.kind).toBe(ErrorKind.Conflict);
      expect(fieldPaths(e)).toEqual(['name']);
      expect((await t.store.cameras.list()).filter((x) => x.name === 'Dup')).toHaveLength(1);
      expect(t.recording.calls.length).toBe(applies);
      // Renaming another camera onto it conflicts the same way.
      const other = await createCamera(sample());
      const p = await t.call('PATCH', `/api/v1/cameras/${other.id}`, { token: admin.token, body: { name: 'Dup' } });
      expect(p.status).toBe(409);
      expect(fieldPaths(await errorOf(p))).toEqual(['name']);
      expect((await t.store.cameras.get(c.id))?.name).toBe('Dup');
    });

    test('the unique constraint backs up the name check (409 on name, no second row)', async () => {
      await createCamera(sample({ name: 'Unique' }));
      const orig = t.store.cameras.getByName;
      t.store.cameras.getByName = async () => null; // as if another writer inserted between check and insert
      try {
        const r = await t.call('POST', '/api/v1/cameras', { token: admin.token, body: sample({ name: 'Unique' }) });
        expect(r.status).toBe(409);
        expect(fieldPaths(await errorOf(r))).toEqual(['name']);
      } finally {
        t.store.cameras.getByName = orig;
      }
      expect((await t.store.cameras.list()).filter((x) => x.name === 'Unique')).toHaveLength(1);
    });

    test('concurrent creates with the same name store exactly one', async () => {
      const rs = await Promise.all(Array.from({ length: 5 }, () => t.call('POST', '/api/v1/cameras', { token: admin.token, body: sample({ name: 'Race' }) })));
      expect(rs.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
      expect((await t.store.cameras.list()).filter((x) => x.name === 'Race')).toHaveLength(1);
    });

    test('PATCH changes only the given fields, password null clears it, and re-applies', async () => {
      const c = await createCamera(sample({ url: 'rtsp://u:pw@10.0.0.7/s', groupName: 'North', description: 'lobby' }));
      const r = await t.call('PATCH', `/api/v1/cameras/${c.id}`, { token: admin.token, body: { retentionDays: 7 } });
      expect(r.status).toBe(200);
      const after = (await r.json()) as Camera;
      expect(after).toMatchObject({ ...c, retentionDays: 7, updatedMs: expect.any(Number), status: expect.any(Object) });
      expect((await t.store.cameras.get(c.id))?.password).toBe('pw');
      const last = t.recording.calls.at(-1);
      expect(last?.op === 'apply' && last.camera.retentionDays === 7).toBe(true);

      const cleared = (await (await t.call('PATCH', `/api/v1/cameras/${c.id}`, { token: admin.token, body: { password: null } })).json()) as Camera;
      expect(cleared.hasPassword).toBe(false);
      expect(cleared.username).toBe('u');
      expect((await t.store.cameras.get(c.id))?.password).toBeNull();

      const moved = (await (
        await t.call('PATCH', `/api/v1/cameras/${c.id}`, { token: admin.token, body: { url: 'rtsp://v:newpw@10.0.0.8/t', enabled: false } })
      ).json()) as Camera;
      expect(moved).toMatchObject({ url: 'rtsp://10.0.0.8/t', username: 'v', hasPassword: true, enabled: false, groupName: 'North' });

      const audits = (await auditOf(t, 'camera.update')).filter((a) => a.targetId === String(c.id));
      expect(audits.map((a) => a.detail)).toEqual(
        expect.arrayContaining([
          { name: c.name, changes: { retentionDays: { from: 30, to: 7 } } },
          { name: c.name, changes: { password: 'cleared' } },
          {
            name: c.name,
            changes: {
              url: { from: 'rtsp://10.0.0.7/s', to: 'rtsp://10.0.0.8/t' },
              username: { from: 'u', to: 'v' },
              enabled: { from: true, to: false },
              password: 'set',
            },
          },
        ]),
      );
      expect(JSON.stringify(audits)).not.toContain('newpw');
    });

    test('PATCH with an empty body or bad fields is 400; unknown camera is 404', async () => {
      const c = await createCamera(sample());
      const empty = await t.call('PATCH', `/api/v1/cameras/${c.id}`, { token: admin.token, body: {} });
      expect(empty.status).toBe(400);
      const bad = await t.call('PATCH', `/api/v1/cameras/${c.id}`, { token: admin.token, body: { url: 'http://x', nme: 'y' } });
      expect(fieldPaths(await errorOf(bad)).sort()).toEqual(['nme', 'url']);
      const missing = await t.call('PATCH', '/api/v1/cameras/987654', { token: admin.token, body: { enabled: false } });
      expect(missing.status).toBe(404);
    });

    test('DELETE stops the recorder, removes the row and is audited', async () => {
      const c = await createCamera(sample());
      const r = await t.call('DELETE', `/api/v1/cameras/${c.id}`, { token: admin.token });
      expect(r.status).toBe(204);
      expect(t.recording.calls.at(-1)).toEqual({ op: 'remove', cameraId: c.id });
      expect(await t.store.cameras.get(c.id)).toBeNull();
      expect((await t.call('GET', `/api/v1/cameras/${c.id}`, { token: admin.token })).status).toBe(404);
      expect((await t.call('DELETE', `/api/v1/cameras/${c.id}`, { token: admin.token })).status).toBe(404);
      expect((await auditOf(t, 'camera.delete')).find((a) => a.targetId === String(c.id))).toMatchObject({ username: 'admin', detail: { name: c.name } });
    });
  });

  describe('segments', () => {
    test('query is validated; results have no file paths', async () => {
      const c = await createCamera(sample());
      const t0 = 1_700_000_000_000;
      for (let i = 0; i < 3; i++) {
        await t.store.segments.insert({
          cameraId: c.id,
          relPath: `${c.id}/2023/seg-${i}.mp4`,
          startMs: t0 + i * 60_000,
          endMs: t0 + (i + 1) * 60_000,
          durationMs: 60_000,
          sizeBytes: 1000,
          videoCodec: 'h264',
          audioCodec: null,
          width: 1280,
          height: 720,
          fps: 25,
          state: 'closed',
          protected: false,
          recovered: false,
        });
      }
      const ok = await t.call('GET', `/api/v1/segments?cameraId=${c.id}&startMs=${t0}&endMs=${t0 + 120_000}`, { token: officer.token });
      expect(ok.status).toBe(200);
      const segs = (await ok.json()) as Segment[];
      expect(segs.map((s) => s.startMs)).toEqual([t0, t0 + 60_000]);
      for (const s of segs) expect(parse(SegmentSchema, s).ok).toBe(true);
      expect(JSON.stringify(segs)).not.toContain('.mp4');

      const limited = (await (
        await t.call('GET', `/api/v1/segments?cameraId=${c.id}&startMs=0&endMs=${t0 * 2}&limit=1`, { token: officer.token })
      ).json()) as Segment[];
      expect(limited).toHaveLength(1);

      const cases: Array<[string, string[]]> = [
        [`startMs=0&endMs=10`, ['cameraId']],
        [`cameraId=${c.id}&startMs=10&endMs=10`, ['endMs']],
        [`cameraId=${c.id}&startMs=20&endMs=10`, ['endMs']],
        [`cameraId=abc&startMs=x&endMs=1.5`, ['cameraId', 'endMs', 'startMs']],
        [`cameraId=${c.id}&startMs=0&endMs=10&limit=0`, ['limit']],
        [`cameraId=${c.id}&startMs=0&endMs=10&foo=1`, ['foo']],
        [`cameraId=1&cameraId=2&startMs=0&endMs=10`, ['cameraId']],
      ];
      for (const [q, paths] of cases) {
        const r = await t.call('GET', `/api/v1/segments?${q}`, { token: officer.token });
        expect(r.status, q).toBe(400);
        const e = await errorOf(r);
        expect(e.kind).toBe(ErrorKind.Validation);
        expect(fieldPaths(e).sort(), q).toEqual(paths);
      }
    });
  });

  describe('users and audit', () => {
    test('admin creates, lists and updates users; all audited, no password hashes exposed', async () => {
      const r = await t.call('POST', '/api/v1/users', { token: admin.token, body: { username: 'inv1', password: 'investigate-1', role: 'investigator' } });
      expect(r.status).toBe(201);
      const u = (await r.json()) as UserInfo;
      expect(u).toMatchObject({ username: 'inv1', role: 'investigator', displayName: '', disabled: false });
      const dup = await t.call('POST', '/api/v1/users', { token: admin.token, body: { username: 'inv1', password: 'investigate-2', role: 'officer' } });
      expect(dup.status).toBe(409);
      expect(fieldPaths(await errorOf(dup))).toEqual(['username']);
      const weak = await t.call('POST', '/api/v1/users', { token: admin.token, body: { username: 'bad name', password: 'short', role: 'boss' } });
      expect(fieldPaths(await errorOf(weak)).sort()).toEqual(['role', 'username']);
      // The password policy is checked once the body is well formed, and names its reason.
      const short = await t.call('POST', '/api/v1/users', { token: admin.token, body: { username: 'good.name', password: 'short', role: 'officer' } });
      expect((await errorOf(short)).fields).toMatchObject([{ path: 'password', code: 'password.too_short' }]);

      const list = await t.call('GET', '/api/v1/users', { token: admin.token });
      const text = await list.text();
      expect(text).toContain('inv1');
      expect(text).not.toContain('scrypt');

      const s = await t.login('inv1', 'investigate-1');
      const p = await t.call('PATCH', `/api/v1/users/${u.id}`, { token: admin.token, body: { role: 'dispatcher' } });
      expect(p.status).toBe(200);
      expect(((await p.json()) as UserInfo).role).toBe('dispatcher');
      // A password is no longer set through PATCH (POST /users/:id/password resets it; see accounts/passwords.test.ts).
      const pw = await t.call('PATCH', `/api/v1/users/${u.id}`, { token: admin.token, body: { password: 'new-password-9' } });
      expect(fieldPaths(await errorOf(pw))).toEqual(['password']);
      expect((await t.call('GET', '/api/v1/auth/me', { token: s.token })).status).toBe(200);

      expect((await auditOf(t, 'user.create')).find((a) => a.targetId === String(u.id))).toMatchObject({
        username: 'admin',
        detail: { username: 'inv1', role: 'investigator' },
      });
      const upd = (await auditOf(t, 'user.update')).find((a) => a.targetId === String(u.id));
      expect(upd?.detail).toEqual({ username: 'inv1', changes: { role: { from: 'investigator', to: 'dispatcher' } } });
      const all = JSON.stringify(await t.store.audit.query({ limit: 5000 }));
      expect(all).not.toContain('new-password-9');
      expect(all).not.toContain('investigate-1');
    });

    test('an admin changing their own password keeps their session', async () => {
      await t.addUser('admin2', 'admin2-password', 'admin');
      const s = await t.login('admin2', 'admin2-password');
      const r = await t.call('POST', '/api/v1/auth/password', {
        token: s.token,
        body: { currentPassword: 'admin2-password', newPassword: 'harbour-lantern-52' },
      });
      expect(r.status).toBe(200);
      expect((await t.call('GET', '/api/v1/auth/me', { token: s.token })).status).toBe(200);
    });

    test('the last active administrator cannot be demoted or disabled', async () => {
      const admins = (await t.store.users.list()).filter((u) => u.role === 'admin' && !u.disabled);
      for (const a of admins.filter((x) => x.id !== admin.user.id))
        expect((await t.call('PATCH', `/api/v1/users/${a.id}`, { token: admin.token, body: { disabled: true } })).status).toBe(200);
      const r = await t.call('PATCH', `/api/v1/users/${admin.user.id}`, { token: admin.token, body: { role: 'officer' } });
      expect(r.status).toBe(409);
      expect(fieldPaths(await errorOf(r))).toEqual(['role']);
      const d = await t.call('PATCH', `/api/v1/users/${admin.user.id}`, { token: admin.token, body: { disabled: true } });
      expect(d.status).toBe(409);
      expect((await t.store.users.get(admin.user.id))?.role).toBe('admin');
    });

    test('GET /audit filters by action and validates its query', async () => {
      const r = await t.call('GET', '/api/v1/audit?action=auth.login&limit=2', { token: admin.token });
      expect(r.status).toBe(200);
      const rows = (await r.json()) as AuditEntry[];
      expect(rows.length).toBe(2);
      expect(rows.every((a) => a.action === 'auth.login')).toBe(true);
      const bad = await t.call('GET', '/api/v1/audit?limit=abc&user=x', { token: admin.token });
      expect(fieldPaths(await errorOf(bad)).sort()).toEqual(['limit', 'user']);
    });
  });
});

describe('sessions and throttling (controlled clock)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ clock: true });
    await t.addUser('disp', 'dispatch-pw-1', 'dispatcher');
  });
  afterAll(async () => {
    await t.close();
  });

  test('sessions expire after sessionIdleMs without requests and slide with activity', async () => {
    const idle = t.config.sessionIdleMs;
    const s = await t.login('disp', 'dispatch-pw-1');
    expect(s.expiresMs).toBe(t.clock.ms + idle);
    t.clock.ms += idle - 1000;
    expect((await t.call('GET', '/api/v1/auth/me', { token: s.token })).status).toBe(200);
    t.clock.ms += idle - 1000; // long after the original expiry, but within idle of the last request
    expect((await t.call('GET', '/api/v1/auth/me', { token: s.token })).status).toBe(200);
    t.clock.ms += idle;
    const r = await t.call('GET', '/api/v1/auth/me', { token: s.token });
    expect(r.status).toBe(401);
    expect((await errorOf(r)).kind).toBe(ErrorKind.Unauthorized);
  });

  test('after 5 failed logins the account pool spaces attempts out (429 + Retry-After, doubling), never a lock-out; audited', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await t.call('POST', '/api/v1/auth/login', { body: { username: 'disp', password: `wrong-${i}` } });
      expect(r.status).toBe(401);
      t.clock.ms += 10_000;
    }
    t.clock.ms -= 10_000; // right after the 5th failure
    const spaced = await t.call('POST', '/api/v1/auth/login', { body: { username: 'disp', password: 'dispatch-pw-1' } });
    expect(spaced.status).toBe(429);
    expect(spaced.headers.get('retry-after')).toBe('1');
    expect((await errorOf(spaced)).message).toMatch(/too many failed logins for "disp"; try again in 1 s/);
    t.clock.ms += 1000;
    expect((await t.call('POST', '/api/v1/auth/login', { body: { username: 'disp', password: 'wrong-5' } })).status).toBe(401);
    const doubled = await t.call('POST', '/api/v1/auth/login', { body: { username: 'disp', password: 'dispatch-pw-1' } });
    expect(doubled.status).toBe(429);
    expect(doubled.headers.get('retry-after')).toBe('2');

    // Other usernames are not affected.
    await t.addUser('disp2', 'dispatch-pw-2', 'dispatcher');
    await t.login('disp2', 'dispatch-pw-2');

    t.clock.ms += 2000;
    expect((await t.call('POST', '/api/v1/auth/login', { body: { username: 'disp', password: 'dispatch-pw-1' } })).status).toBe(200);
    const failed = await t.store.audit.query({ action: 'auth.login_failed', limit: 100 });
    expect(failed.filter((a) => a.username === 'disp' && (a.detail as { reason: string }).reason === 'bad_password')).toHaveLength(6);
    // Refusals before a hash are one row per address per minute.
    await t.app.auth.flushRefusals();
    const throttled = await t.store.audit.query({ action: 'auth.login_throttled', limit: 100 });
    expect(throttled).toHaveLength(1);
    expect(throttled[0]).toMatchObject({ username: 'disp', ip: expect.stringMatching(/127\.0\.0\.1/), detail: { count: 2, reasons: { account: 2 } } });
  });

  test('a correct login clears the pool: failures spread around successes never slow the user', async () => {
    await t.addUser('slow', 'slow-password', 'officer');
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) expect((await t.call('POST', '/api/v1/auth/login', { body: { username: 'slow', password: 'nope-nope' } })).status).toBe(401);
      expect((await t.call('POST', '/api/v1/auth/login', { body: { username: 'slow', password: 'slow-password' } })).status).toBe(200);
    }
  });
});
