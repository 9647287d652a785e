// HTTP API of units, live tickets and wall layouts against a real SQLite store (the hub side is in test/e2e/live-units.test.ts).
import { createHash } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Camera, LiveTicket, LoginResponse, Unit, UnitKey, WallLayout } from '../../common/api';
import { ErrorKind, type ErrorBody } from '../../common/errors';
import { parse } from '../../common/schema';
import type { SqliteStore } from '../../storage/sqlite/index';
import { startTestServer, type TestServer } from './test-support';
import { UnitKeySchema, UnitSchema, WallLayoutSchema } from '../../common/endpoints/schemas';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('units, live tickets and layouts API', () => {
  let t: TestServer;
  let admin: LoginResponse;
  let officer: LoginResponse;
  let dispatcher: LoginResponse;

  beforeAll(async () => {
    t = await startTestServer({ clock: true });
    await t.addUser('admin', 'admin-password-1', 'admin');
    await t.addUser('officer', 'officer-password-1', 'officer');
    await t.addUser('disp', 'disp-password-1', 'dispatcher');
    admin = await t.login('admin', 'admin-password-1');
    officer = await t.login('officer', 'officer-password-1');
    // Officers watch only their own unit by default (issue 13); this one may watch everything live.
    await t.grant(officer.user.id, 'live.view');
    dispatcher = await t.login('disp', 'disp-password-1');
  });
  afterAll(async () => {
    await t.close();
  });

  async function json<T>(r: Response, status: number): Promise<T> {
    const text = await r.text();
    expect(r.status, text).toBe(status);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async function errorOf(r: Response, status: number): Promise<ErrorBody['error']> {
    return (await json<ErrorBody>(r, status)).error;
  }

  describe('units', () => {
    test('create shows the key once; only its SHA-256 is stored; lists and reads never show it', async () => {
      const created = await json<UnitKey>(
        await t.call('POST', '/api/v1/units', { token: admin.token, body: { callsign: 'Car 12', type: 'vehicle', officer: 'Sgt. Li', groupName: 'Patrol' } }),
        201,
      );
      expect(parse(UnitKeySchema, created).ok).toBe(true);
      expect(created.streamKey).toMatch(/^[A-Za-z0-9_-]{32,}$/);
      expect(Buffer.from(created.streamKey, 'base64url').length).toBeGreaterThanOrEqual(24);
      expect(created.publishUrl).toBe(`rtmp://127.0.0.1:1935/live/${created.unit.id}?key=${created.streamKey}`);
      expect(created.unit).toMatchObject({
        callsign: 'Car 12',
        type: 'vehicle',
        officer: 'Sgt. Li',
        enabled: true,
        groupName: 'Patrol',
        segmentSeconds: 60,
        retentionDays: 30,
      });
      expect(created.unit.status).toMatchObject({ unitId: created.unit.id, online: false, recording: 'stopped' });
      const row = await t.store.units.get(created.unit.id);
      expect(row?.streamKeyHash).toBe(sha256(created.streamKey));
      expect(JSON.stringify(await (t.store as SqliteStore).db.all('SELECT * FROM agent_devices'))).not.toContain(created.streamKey);

      for (const [p, token] of [
        ['/api/v1/units', officer.token],
        [`/api/v1/units/${created.unit.id}`, dispatcher.token],
      ] as const) {
        const r = await t.call('GET', p, { token });
        const text = await r.clone().text();
        expect(r.status).toBe(200);
        expect(text).not.toContain(created.streamKey);
        expect(text).not.toContain(row!.streamKeyHash);
      }
      const list = await json<Unit[]>(await t.call('GET', '/api/v1/units', { token: officer.token }), 200);
      for (const u of list) expect(parse(UnitSchema, u).ok).toBe(true);
      // Units are not cameras.
      const cams = await json<Camera[]>(await t.call('GET', '/api/v1/cameras', { token: officer.token }), 200);
      expect(cams.find((c) => c.id === created.unit.id)).toBeUndefined();
      expect((await t.call('GET', `/api/v1/cameras/${created.unit.id}`, { token: officer.token })).status).toBe(404);
      expect((await t.call('DELETE', `/api/v1/cameras/${created.unit.id}`, { token: admin.token })).status).toBe(404);

      const audit = await t.store.audit.query({ action: 'unit.create', limit: 10 });
      expect(audit[0]).toMatchObject({
        username: 'admin',
        targetType: 'unit',
        targetId: String(created.unit.id),
        detail: { callsign: 'Car 12', type: 'vehicle' },
      });
      expect(JSON.stringify(audit)).not.toContain(created.streamKey);
      expect(t.units.calls.at(-1)).toMatchObject({ op: 'changed', keyRotated: false, unit: { id: created.unit.id } });
    });

    test('rotate-key replaces the stored hash (the old key is useless), is audited and closes the running stream', async () => {
      const { unit, streamKey } = await json<UnitKey>(
        await t.call('POST', '/api/v1/units', { token: admin.token, body: { callsign: 'Body 3', type: 'body' } }),
        201,
      );
      t.clock.ms += 1000;
      const rotated = await json<UnitKey>(await t.call('POST', `/api/v1/units/${unit.id}/rotate-key`, { token: admin.token }), 200);
      expect(rotated.streamKey).not.toBe(streamKey);
      expect(rotated.unit.keyRotatedMs).toBeGreaterThan(unit.keyRotatedMs);
      const row = await t.store.units.get(unit.id);
      expect(row?.streamKeyHash).toBe(sha256(rotated.streamKey));
      expect(row?.streamKeyHash).not.toBe(sha256(streamKey));
      expect(t.units.calls.at(-1)).toMatchObject({ op: 'changed', keyRotated: true, unit: { id: unit.id } });
      expect((await t.store.audit.query({ action: 'unit.rotate_key', limit: 5 }))[0]).toMatchObject({
        targetId: String(unit.id),
        detail: { callsign: 'Body 3' },
      });
      expect((await t.call('POST', '/api/v1/units/99999/rotate-key', { token: admin.token })).status).toBe(404);
    });

    test('update and delete are admin-only, audited and keep the recordings; callsigns share the camera namespace', async () => {
      const cam = await json<Camera>(await t.call('POST', '/api/v1/cameras', { token: admin.token, body: { name: 'Gate 9', url: 'rtsp://10.0.0.9/s' } }), 201);
      const { unit } = await json<UnitKey>(await t.call('POST', '/api/v1/units', { token: admin.token, body: { callsign: 'Hand 1', type: 'handheld' } }), 201);
      for (const [method, p, body] of [
        ['POST', '/api/v1/units', { callsign: 'X', type: 'body' }],
        ['PATCH', `/api/v1/units/${unit.id}`, { enabled: false }],
        ['DELETE', `/api/v1/units/${unit.id}`, undefined],
        ['POST', `/api/v1/units/${unit.id}/rotate-key`, undefined],
      ] as const) {
        expect((await errorOf(await t.call(method, p, { token: officer.token, body }), 403)).kind).toBe(ErrorKind.Forbidden);
      }
      const dup = await errorOf(await t.call('POST', '/api/v1/units', { token: admin.token, body: { callsign: 'Gate 9', type: 'body' } }), 409);
      expect(dup.fields?.[0].path).toBe('callsign');
      const camDup = await errorOf(await t.call('PATCH', `/api/v1/cameras/${cam.id}`, { token: admin.token, body: { name: 'Hand 1' } }), 409);
      expect(camDup.message).toMatch(/unit/);
      const bad = await errorOf(await t.call('POST', '/api/v1/units', { token: admin.token, body: { callsign: 'a/b', type: 'drone', key: 'x' } }), 400);
      expect((bad.fields ?? []).map((f) => f.path).sort()).toEqual(['callsign', 'key', 'type']);

      const patched = await json<Unit>(
        await t.call('PATCH', `/api/v1/units/${unit.id}`, { token: admin.token, body: { enabled: false, officer: 'Cst. Wang' } }),
        200,
      );
      expect(patched).toMatchObject({ enabled: false, officer: 'Cst. Wang' });
      expect((await t.store.audit.query({ action: 'unit.update', limit: 5 }))[0]).toMatchObject({
        detail: { callsign: 'Hand 1', changes: { enabled: { from: true, to: false }, officer: { from: null, to: 'Cst. Wang' } } },
      });
      await t.store.segments.insert({
        cameraId: unit.id,
        relPath: `${unit.id}/1-000000.ts`,
        startMs: 1,
        endMs: 2,
        durationMs: 1,
        sizeBytes: 1,
        videoCodec: 'h264',
        audioCodec: null,
        width: 1,
        height: 1,
        fps: 25,
        state: 'closed',
        protected: false,
        recovered: false,
      });
      expect((await t.call('DELETE', `/api/v1/units/${unit.id}`, { token: admin.token })).status).toBe(204);
      expect(t.units.calls.at(-1)).toEqual({ op: 'removed', unitId: unit.id });
      expect((await t.call('GET', `/api/v1/units/${unit.id}`, { token: officer.token })).status).toBe(404);
      expect((await t.store.audit.query({ action: 'unit.delete', limit: 5 }))[0]).toMatchObject({ targetId: String(unit.id) });
      const segs = await t.call('GET', `/api/v1/segments?cameraId=${unit.id}&startMs=0&endMs=10`, { token: officer.token });
      expect(await json<unknown[]>(segs, 200)).toHaveLength(1);
    });
  });

  describe('live tickets', () => {
    test('any role gets signed URLs; sub falls back to main for a source without a sub stream; unknown source 404', async () => {
      const cam = await json<Camera>(
        await t.call('POST', '/api/v1/cameras', { token: admin.token, body: { name: 'Dual', url: 'rtsp://10.0.0.2/main', subUrl: 'rtsp://10.0.0.2/sub' } }),
        201,
      );
      const single = await json<Camera>(
        await t.call('POST', '/api/v1/cameras', { token: admin.token, body: { name: 'Single', url: 'rtsp://10.0.0.3/main' } }),
        201,
      );
      const now = t.clock.ms;
      const a = await json<LiveTicket>(await t.call('POST', '/api/v1/live/tickets', { token: officer.token, body: { sourceId: cam.id, stream: 'sub' } }), 200);
      expect(a.stream).toBe('sub');
      expect(a.expiresMs).toBe(now + 60_000);
      expect(a.flvUrl).toMatch(new RegExp(`^/api/v1/live/flv/${cam.id}\\.flv\\?stream=sub&u=${officer.user.id}&exp=${a.expiresMs}&sig=[A-Za-z0-9_-]{43}$`));
      expect(a.wsFlvUrl).toBe(a.flvUrl.replace('/live/flv/', '/live/ws/'));
      const b = await json<LiveTicket>(
        await t.call('POST', '/api/v1/live/tickets', { token: dispatcher.token, body: { sourceId: single.id, stream: 'sub' } }),
        200,
      );
      expect(b.stream).toBe('main');
      const c = await json<LiveTicket>(await t.call('POST', '/api/v1/live/tickets', { token: dispatcher.token, body: { sourceId: single.id } }), 200);
      expect(c.stream).toBe('main');
      expect((await errorOf(await t.call('POST', '/api/v1/live/tickets', { token: officer.token, body: { sourceId: 424242 } }), 404)).kind).toBe(
        ErrorKind.NotFound,
      );
      expect((await t.call('POST', '/api/v1/live/tickets', { body: { sourceId: cam.id } })).status).toBe(401);
    });

    test('stream URLs are refused without a valid, unexpired signature; a valid one is 503 while nothing is live', async () => {
      const cam = await json<Camera>(
        await t.call('POST', '/api/v1/cameras', { token: admin.token, body: { name: 'Ticketed', url: 'rtsp://10.0.0.4/main' } }),
        201,
      );
      const tk = await json<LiveTicket>(await t.call('POST', '/api/v1/live/tickets', { token: officer.token, body: { sourceId: cam.id } }), 200);
      const get = (p: string) => fetch(t.base + p);
      const [pathOnly, query] = tk.flvUrl.split('?');
      const q = new URLSearchParams(query);
      const variant = (k: string, v: string | null) => {
        const c = new URLSearchParams(q);
        if (v === null) c.delete(k);
        else c.set(k, v);
        return `${pathOnly}?${c}`;
      };
      expect((await errorOf(await get(pathOnly), 401)).message).toMatch(/ticket is required/);
      for (const k of ['sig', 'exp', 'u', 'stream']) expect((await get(variant(k, null))).status, `without ${k}`).toBe(401);
      const sig = q.get('sig')!;
      expect((await errorOf(await get(variant('sig', (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1))), 403)).kind).toBe(ErrorKind.Forbidden);
      expect((await get(variant('u', String(admin.user.id)))).status).toBe(403); // another user's id
      expect((await get(variant('stream', 'sub'))).status).toBe(403); // another stream
      expect((await get(variant('exp', String(tk.expiresMs + 3_600_000)))).status).toBe(403); // longer life
      expect((await get(tk.flvUrl.replace(`/flv/${cam.id}.flv`, `/flv/${cam.id + 1}.flv`))).status).toBe(403); // another source
      // Valid ticket, but no hub in this test server: 503 with a clear message.
      const unavailable = await errorOf(await get(tk.flvUrl), 503);
      expect(unavailable.message).toMatch(/media hub is not running/);
      expect((await get(`/api/v1/live/flv/abc.flv?${query}`)).status).toBe(404);
      expect((await fetch(t.base + tk.flvUrl, { method: 'POST' })).status).toBe(405);
      // Expired after 60 s.
      t.clock.ms += 60_001;
      expect((await errorOf(await get(tk.flvUrl), 401)).message).toMatch(/expired/);
    });

    test('the WS-FLV upgrade checks the ticket before the handshake', async () => {
      const cam = await json<Camera>(await t.call('POST', '/api/v1/cameras', { token: admin.token, body: { name: 'Ws', url: 'rtsp://10.0.0.5/main' } }), 201);
      const tk = await json<LiveTicket>(await t.call('POST', '/api/v1/live/tickets', { token: officer.token, body: { sourceId: cam.id } }), 200);
      const upgrade = (p: string) =>
        new Promise<number>((resolve, reject) => {
          const req = http.request(t.base + p, {
            headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' },
          });
          req.on('response', (res) => (res.resume(), resolve(res.statusCode ?? 0)));
          req.on('upgrade', (res, socket) => (socket.destroy(), resolve(res.statusCode ?? 101)));
          req.on('error', reject);
          req.end();
        });
      expect(await upgrade(tk.wsFlvUrl.split('?')[0])).toBe(401);
      expect(await upgrade(tk.wsFlvUrl.replace(/sig=(.)/, (_m, c: string) => `sig=${c === '_' ? 'A' : '_'}`))).toBe(403);
      expect(await upgrade(tk.wsFlvUrl)).toBe(503); // valid, but no hub here
    });
  });

  describe('wall layouts', () => {
    const body = (name: string, over: Record<string, unknown> = {}) => ({ name, layout: '4', tiles: [1, null, 2], ...over });

    test('each user saves, lists, replaces and deletes only their own layouts', async () => {
      const saved = await json<WallLayout>(
        await t.call('PUT', '/api/v1/layouts/Night%20shift', { token: officer.token, body: body('Night shift', { tourGroup: 'Depot', tourSeconds: 10 }) }),
        200,
      );
      expect(parse(WallLayoutSchema, saved).ok).toBe(true);
      expect(saved).toMatchObject({ name: 'Night shift', layout: '4', tiles: [1, null, 2], tourGroup: 'Depot', tourSeconds: 10 });
      const again = await json<WallLayout>(
        await t.call('PUT', '/api/v1/layouts/Night%20shift', { token: officer.token, body: body('Night shift', { layout: '1', tiles: [7] }) }),
        200,
      );
      expect(again).toMatchObject({ id: saved.id, layout: '1', tiles: [7], tourGroup: null, tourSeconds: null });
      await json(await t.call('PUT', '/api/v1/layouts/Night%20shift', { token: dispatcher.token, body: body('Night shift') }), 200);
      await json(await t.call('PUT', '/api/v1/layouts/Day', { token: officer.token, body: body('Day') }), 200);

      const mine = await json<WallLayout[]>(await t.call('GET', '/api/v1/layouts', { token: officer.token }), 200);
      expect(mine.map((l) => l.name)).toEqual(['Day', 'Night shift']);
      const theirs = await json<WallLayout[]>(await t.call('GET', '/api/v1/layouts', { token: dispatcher.token }), 200);
      expect(theirs.map((l) => [l.name, l.layout])).toEqual([['Night shift', '4']]);
      // Another user's layout cannot be deleted (404, as if it did not exist).
      expect((await t.call('DELETE', `/api/v1/layouts/${theirs[0].id}`, { token: officer.token })).status).toBe(404);
      expect((await t.call('DELETE', `/api/v1/layouts/${saved.id}`, { token: officer.token })).status).toBe(204);
      expect((await t.call('DELETE', `/api/v1/layouts/${saved.id}`, { token: officer.token })).status).toBe(404);
      expect((await json<WallLayout[]>(await t.call('GET', '/api/v1/layouts', { token: officer.token }), 200)).map((l) => l.name)).toEqual(['Day']);
      expect(await json<WallLayout[]>(await t.call('GET', '/api/v1/layouts', { token: dispatcher.token }), 200)).toHaveLength(1);
    });

    test('validation: name must match the path, tiles fit the layout, known layouts only', async () => {
      const mismatch = await errorOf(await t.call('PUT', '/api/v1/layouts/A', { token: officer.token, body: body('B') }), 400);
      expect(mismatch.fields).toEqual([{ path: 'name', message: 'must equal the name in the path', code: 'layout.name_mismatch' }]);
      const tooMany = await errorOf(
        await t.call('PUT', '/api/v1/layouts/Big', { token: officer.token, body: body('Big', { layout: '1+5', tiles: [1, 2, 3, 4, 5, 6, 7] }) }),
        400,
      );
      expect(tooMany.fields?.[0]).toMatchObject({ path: 'tiles', message: expect.stringMatching(/at most 6/) });
      await json(await t.call('PUT', '/api/v1/layouts/Big', { token: officer.token, body: body('Big', { layout: '1+5', tiles: [1, 2, 3, 4, 5, 6] }) }), 200);
      const bad = await errorOf(
        await t.call('PUT', '/api/v1/layouts/X', { token: officer.token, body: body('X', { layout: '5', tiles: [0], tourSeconds: 1, extra: true }) }),
        400,
      );
      expect((bad.fields ?? []).map((f) => f.path).sort()).toEqual(['extra', 'layout', 'tiles.0', 'tourSeconds']);
      expect((await t.call('PUT', '/api/v1/layouts/X', { body: body('X') })).status).toBe(401);
    });
  });
});
