// HTTP API of the remembered wall (/wall-state/:window) and its carousel against a real SQLite store.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Camera, LoginResponse, UnitKey, WallLayout } from '../../common/api';
import type { ErrorBody } from '../../common/errors';
import type { WallCarouselBody, WallStateBody, WallStateView } from '../../common/wall';
import { startTestServer, type TestServer } from './test-support';

describe('wall state API', () => {
  let t: TestServer;
  let admin: LoginResponse;
  let officer: LoginResponse;
  let dispatcher: LoginResponse;
  let cam: Camera;
  let cam2: Camera;
  let unit: UnitKey;

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
    cam = await json<Camera>(await t.call('POST', '/api/v1/cameras', { token: admin.token, body: { name: 'Gate', url: 'rtsp://10.1.1.1:554/a' } }), 201);
    cam2 = await json<Camera>(await t.call('POST', '/api/v1/cameras', { token: admin.token, body: { name: 'Yard', url: 'rtsp://10.1.1.2:554/a' } }), 201);
    unit = await json<UnitKey>(await t.call('POST', '/api/v1/units', { token: admin.token, body: { callsign: 'Car 7', type: 'vehicle' } }), 201);
  });
  afterAll(async () => {
    await t.close();
  });

  async function json<T>(r: Response, status: number): Promise<T> {
    const text = await r.text();
    expect(r.status, text).toBe(status);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  const wall = (over: Partial<WallStateBody> = {}): WallStateBody => ({
    layout: '4',
    tiles: [
      { kind: 'camera', id: cam.id, stream: 'sub' },
      null,
      { kind: 'unit', id: unit.unit.id, stream: 'sub' },
      { kind: 'camera', id: cam2.id, stream: 'main' },
    ],
    selected: 2,
    maximized: 3,
    tour: null,
    ...over,
  });

  test('401 without a session on every wall-state route', async () => {
    expect((await t.call('GET', '/api/v1/wall-state/0')).status).toBe(401);
    expect((await t.call('PUT', '/api/v1/wall-state/0', { body: wall() })).status).toBe(401);
    expect((await t.call('PUT', '/api/v1/wall-state/0/carousel', { body: { steps: [], step: 0, running: false } })).status).toBe(401);
    expect((await t.call('DELETE', '/api/v1/wall-state/0/carousel')).status).toBe(401);
  });

  test('a wall never saved reads back empty', async () => {
    expect(await json<WallStateView>(await t.call('GET', '/api/v1/wall-state/0', { token: officer.token }), 200)).toEqual({
      window: 0,
      state: null,
      carousel: null,
      updatedMs: null,
    });
  });

  test('400 on a bad body: unknown layout, a tile of an unknown kind, selection outside the grid, extra fields', async () => {
    const bads: unknown[] = [
      { ...wall(), layout: '5' },
      { ...wall(), tiles: [{ kind: 'drone', id: 1, stream: 'sub' }] },
      { ...wall(), tiles: [{ kind: 'camera', id: 0, stream: 'sub' }] },
      { ...wall(), tiles: Array(17).fill(null) },
      { ...wall(), tour: { group: 'A', seconds: 1, page: 0 } },
      { ...wall(), extra: true },
      wall({ layout: '1', selected: 3, maximized: null }),
      wall({ layout: '1+5', selected: 0, maximized: 6 }),
      { layout: '4' },
    ];
    for (const body of bads) {
      const r = await t.call('PUT', '/api/v1/wall-state/0', { token: officer.token, body });
      const e = (await json<ErrorBody>(r, 400)).error;
      expect(e.fields?.length, JSON.stringify(body)).toBeGreaterThan(0);
    }
    expect((await t.call('PUT', '/api/v1/wall-state/-1', { token: officer.token, body: wall() })).status).toBe(400);
    expect((await t.call('GET', '/api/v1/wall-state/0', { token: officer.token }).then((r) => r.json())).state).toBeNull();
  });

  test("each user and window keeps its own wall; user B never sees user A's", async () => {
    const saved = await json<WallStateView>(await t.call('PUT', '/api/v1/wall-state/0', { token: officer.token, body: wall() }), 200);
    expect(saved.state).toEqual(wall());
    expect(saved.updatedMs).toBe(t.clock.ms);
    const windowed = wall({
      layout: '1',
      tiles: [{ kind: 'camera', id: cam2.id, stream: 'main' }],
      selected: 0,
      maximized: null,
      tour: { group: 'Depot', seconds: 10, page: 1 },
    });
    await json(await t.call('PUT', '/api/v1/wall-state/2528732444', { token: officer.token, body: windowed }), 200);

    expect((await json<WallStateView>(await t.call('GET', '/api/v1/wall-state/0', { token: officer.token }), 200)).state).toEqual(wall());
    expect((await json<WallStateView>(await t.call('GET', '/api/v1/wall-state/2528732444', { token: officer.token }), 200)).state).toEqual(windowed);
    // Another user (another desk, another session) sees only their own (nothing yet).
    expect((await json<WallStateView>(await t.call('GET', '/api/v1/wall-state/0', { token: dispatcher.token }), 200)).state).toBeNull();
    await json(
      await t.call('PUT', '/api/v1/wall-state/0', { token: dispatcher.token, body: wall({ layout: '9', tiles: [], selected: null, maximized: null }) }),
      200,
    );
    expect((await json<WallStateView>(await t.call('GET', '/api/v1/wall-state/0', { token: officer.token }), 200)).state).toEqual(wall());
    // A new session of the same user (the next sign-in) gets it back.
    const again = await t.login('officer', 'officer-password-1');
    expect((await json<WallStateView>(await t.call('GET', '/api/v1/wall-state/0', { token: again.token }), 200)).state).toEqual(wall());
  });

  test('a deleted camera or unit comes back as an empty tile, not an error', async () => {
    const gone = await json<Camera>(await t.call('POST', '/api/v1/cameras', { token: admin.token, body: { name: 'Temp', url: 'rtsp://10.1.1.3:554/a' } }), 201);
    const goneUnit = await json<UnitKey>(await t.call('POST', '/api/v1/units', { token: admin.token, body: { callsign: 'Car 9', type: 'vehicle' } }), 201);
    const body = wall({
      tiles: [
        { kind: 'camera', id: gone.id, stream: 'sub' },
        { kind: 'camera', id: cam.id, stream: 'sub' },
        { kind: 'unit', id: goneUnit.unit.id, stream: 'sub' },
        null,
      ],
    });
    await json(await t.call('PUT', '/api/v1/wall-state/5', { token: officer.token, body }), 200);
    expect((await t.call('DELETE', `/api/v1/cameras/${gone.id}`, { token: admin.token })).status).toBe(204);
    expect((await t.call('DELETE', `/api/v1/units/${goneUnit.unit.id}`, { token: admin.token })).status).toBe(204);
    const back = await json<WallStateView>(await t.call('GET', '/api/v1/wall-state/5', { token: officer.token }), 200);
    expect(back.state?.tiles).toEqual([null, { kind: 'camera', id: cam.id, stream: 'sub' }, null, null]);
    // A tile claiming the wrong kind (a unit's id as a camera) is not that source either.
    await json(
      await t.call('PUT', '/api/v1/wall-state/5', { token: officer.token, body: wall({ tiles: [{ kind: 'camera', id: unit.unit.id, stream: 'sub' }] }) }),
      200,
    );
    expect((await json<WallStateView>(await t.call('GET', '/api/v1/wall-state/5', { token: officer.token }), 200)).state?.tiles).toEqual([null]);
  });

  describe('carousel', () => {
    async function layout(token: string, name: string): Promise<WallLayout> {
      return json<WallLayout>(await t.call('PUT', `/api/v1/layouts/${name}`, { token, body: { name, layout: '1', tiles: [cam.id] } }), 200);
    }

    test('the right decides: a dispatcher defines and runs it, an officer gets 403', async () => {
      const a = await layout(dispatcher.token, 'Gate');
      const b = await layout(dispatcher.token, 'Yard');
      const carousel: WallCarouselBody = {
        steps: [
          { layoutId: a.id, seconds: 20 },
          { layoutId: b.id, seconds: 30 },
        ],
        step: 1,
        running: true,
      };
      const r = await t.call('PUT', '/api/v1/wall-state/0/carousel', { token: officer.token, body: carousel });
      expect(r.status).toBe(403);
      const saved = await json<WallStateView>(await t.call('PUT', '/api/v1/wall-state/0/carousel', { token: dispatcher.token, body: carousel }), 200);
      expect(saved.carousel).toEqual(carousel);
      // The wall's own saves leave the carousel alone.
      await json(
        await t.call('PUT', '/api/v1/wall-state/0', { token: dispatcher.token, body: wall({ layout: '1', tiles: [], selected: null, maximized: null }) }),
        200,
      );
      const back = await json<WallStateView>(await t.call('GET', '/api/v1/wall-state/0', { token: dispatcher.token }), 200);
      expect(back.carousel).toEqual(carousel);
      expect(back.state?.layout).toBe('1');
      expect((await json<WallStateView>(await t.call('GET', '/api/v1/wall-state/0', { token: officer.token }), 200)).carousel).toBeNull();
      expect((await t.call('DELETE', '/api/v1/wall-state/0/carousel', { token: dispatcher.token })).status).toBe(204);
      expect((await json<WallStateView>(await t.call('GET', '/api/v1/wall-state/0', { token: dispatcher.token }), 200)).carousel).toBeNull();
    });

    test('400 on a bad carousel; a deleted layout drops out of it', async () => {
      const a = await layout(admin.token, 'One');
      const b = await layout(admin.token, 'Two');
      const c = await layout(admin.token, 'Three');
      const bads: unknown[] = [
        { steps: [{ layoutId: a.id, seconds: 20 }], step: 0, running: true },
        {
          steps: [
            { layoutId: a.id, seconds: 2 },
            { layoutId: b.id, seconds: 20 },
          ],
          step: 0,
          running: true,
        },
        {
          steps: [
            { layoutId: a.id, seconds: 20 },
            { layoutId: b.id, seconds: 20 },
          ],
          step: 2,
          running: true,
        },
        {
          steps: [
            { layoutId: a.id, seconds: 20 },
            { layoutId: b.id, seconds: 20 },
          ],
          step: 0,
        },
      ];
      for (const body of bads)
        expect((await t.call('PUT', '/api/v1/wall-state/1/carousel', { token: admin.token, body })).status, JSON.stringify(body)).toBe(400);
      const steps = [
        { layoutId: a.id, seconds: 20 },
        { layoutId: b.id, seconds: 30 },
        { layoutId: c.id, seconds: 40 },
      ];
      await json(await t.call('PUT', '/api/v1/wall-state/1/carousel', { token: admin.token, body: { steps, step: 2, running: true } }), 200);
      expect((await t.call('DELETE', `/api/v1/layouts/${b.id}`, { token: admin.token })).status).toBe(204);
      const back = await json<WallStateView>(await t.call('GET', '/api/v1/wall-state/1', { token: admin.token }), 200);
      expect(back.carousel).toEqual({ steps: [steps[0], steps[2]], step: 1, running: true });
      expect((await t.call('DELETE', `/api/v1/layouts/${c.id}`, { token: admin.token })).status).toBe(204);
      expect((await json<WallStateView>(await t.call('GET', '/api/v1/wall-state/1', { token: admin.token }), 200)).carousel).toBeNull();
    });
  });
});
