// Rights on the live and operational routes and the event stream, with real grants (issue 13): an officer sees a node-granted camera and their own unit only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Camera, LoginResponse, UnitKey } from '../../common/api';
import type { Alarm } from '../../common/alarms';
import type { ChannelView, DeviceView } from '../../common/devices';
import { EVENTS_PATH, type ServerEvent } from '../../common/events';
import { startTestServer, type TestServer } from './test-support';

/** A console's event stream: every event it got, in order. */
async function listen(t: TestServer, token: string): Promise<{ events: ServerEvent[]; close(): void }> {
  const ws = new WebSocket(`ws://127.0.0.1:${t.port}${EVENTS_PATH}?token=${token}`);
  const events: ServerEvent[] = [];
  ws.on('message', (d: Buffer) => events.push(JSON.parse(d.toString()) as ServerEvent));
  await new Promise<void>((resolve, reject) => (ws.once('open', () => resolve()), ws.once('error', reject)));
  await new Promise((r) => setTimeout(r, 50));
  return { events, close: () => ws.close() };
}

const waitUntil = async (fn: () => boolean, what: string) => {
  const end = Date.now() + 10_000;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('live and operational rights with real grants', () => {
  let t: TestServer;
  let admin: LoginResponse;
  let officer: LoginResponse;
  let north: number;
  let camN: ChannelView; // under North: granted to the officer on the node
  let camN2: ChannelView; // under North too, denied to the officer on the channel
  let camS: ChannelView; // under South: not theirs
  let own: UnitKey; // the officer's own unit
  let other: UnitKey; // another unit

  const as = (token: string) => ({
    get: (p: string) => t.call('GET', `/api/v1${p}`, { token }),
    post: (p: string, body?: unknown) => t.call('POST', `/api/v1${p}`, { token, body }),
    patch: (p: string, body: unknown) => t.call('PATCH', `/api/v1${p}`, { token, body }),
  });
  const ids = async (r: Response) => ((await r.json()) as Array<{ id: number }>).map((x) => x.id).sort((a, b) => a - b);

  beforeAll(async () => {
    t = await startTestServer();
    await t.addUser('admin', 'admin-password-1', 'admin');
    const officerRow = await t.addUser('ofc', 'officer-password-1', 'officer');
    admin = await t.login('admin', 'admin-password-1');
    officer = await t.login('ofc', 'officer-password-1');
    const a = as(admin.token);
    const node = async (name: string) => ((await (await a.post('/org/nodes', { parentId: 1, name })).json()) as { id: number }).id;
    north = await node('North');
    const south = await node('South');
    const dev = async (nodeId: number, name: string, channels: string[]) =>
      (await (
        await a.post('/devices/rtsp', { nodeId, name, channels: channels.map((c, i) => ({ name: c, url: `rtsp://cam:secret@10.9.0.${i + 1}/s` })) })
      ).json()) as DeviceView;
    const dn = await dev(north, 'North box', ['North gate', 'North yard']);
    [camN, camN2] = dn.channels;
    camS = (await dev(south, 'South box', ['South gate'])).channels[0];
    own = (await (await a.post('/units', { callsign: 'Car 1', type: 'vehicle' })).json()) as UnitKey;
    other = (await (await a.post('/units', { callsign: 'Car 2', type: 'vehicle' })).json()) as UnitKey;
    // Grants: live.view on North (inherited by its cameras), denied on one of them; the officer's own unit assigned.
    await t.grant(officerRow.id, 'live.view', { node: north });
    await t.grant(officerRow.id, 'live.view', { channel: camN2.id }, 'deny');
    await t.app.access.setDeviceUsers(own.unit.id, [officerRow.id], { kind: 'system', reason: 'test setup' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists hold only what the officer may see; items they may not know are 404; no stream address without manage rights', async () => {
    const o = as(officer.token);
    expect(await ids(await o.get('/cameras'))).toEqual([camN.id]);
    expect(await ids(await o.get('/channels'))).toEqual([camN.id, own.unit.id].sort((x, y) => x - y));
    expect(await ids(await o.get('/units'))).toEqual([own.unit.id]);
    for (const p of [`/cameras/${camS.id}`, `/cameras/${camN2.id}`, `/channels/${camS.id}`, `/units/${other.unit.id}`])
      expect((await o.get(p)).status, p).toBe(404);
    const cam = (await (await o.get(`/cameras/${camN.id}`)).json()) as Camera;
    expect([cam.url, cam.username, cam.subUrl]).toEqual(['', null, null]);
    const ch = (await (await o.get(`/channels/${camN.id}`)).json()) as ChannelView;
    expect(ch.stream).toBeNull();
    // The admin (granted at the root) sees them all, with the address.
    const adminCam = (await (await as(admin.token).get(`/cameras/${camN.id}`)).json()) as Camera;
    expect(adminCam.url).toBe('rtsp://10.9.0.1/s');
    expect((await ids(await as(admin.token).get('/cameras'))).length).toBe(3);
  });

  it('live tickets: allowed on a node-granted camera and the own unit, 404 elsewhere (a denied channel too)', async () => {
    const o = as(officer.token);
    expect((await o.post('/live/tickets', { sourceId: camN.id })).status).toBe(200);
    expect((await o.post('/live/tickets', { sourceId: own.unit.id })).status).toBe(200);
    for (const id of [camS.id, camN2.id, other.unit.id]) expect((await o.post('/live/tickets', { sourceId: id })).status, `source ${id}`).toBe(404);
  });

  it('writes need the manage right on the object: the officer is refused, the layouts keep only tiles they may watch', async () => {
    const o = as(officer.token);
    expect((await o.patch(`/channels/${camN.id}`, { name: 'x' })).status).toBe(403);
    expect((await o.patch(`/cameras/${camN.id}`, { name: 'x' })).status).toBe(403);
    const put = await t.call('PUT', '/api/v1/layouts/mine', {
      token: officer.token,
      body: { name: 'mine', layout: '4', tiles: [camN.id, camS.id, own.unit.id] },
    });
    expect(put.status).toBe(200);
    const layouts = (await (await o.get('/layouts')).json()) as Array<{ tiles: Array<number | null> }>;
    expect(layouts[0].tiles).toEqual([camN.id, null, own.unit.id]);
  });

  it('PTZ: steering needs ptz.control on the channel (404 where they may not know it, 403 where they watch but may not steer)', async () => {
    const o = as(officer.token);
    expect((await o.post(`/cameras/${camS.id}/ptz/stop`)).status).toBe(404);
    expect((await o.post(`/cameras/${camN.id}/ptz/stop`)).status).toBe(403);
    expect((await o.post(`/channels/${camN.id}/ptz/home`)).status).toBe(403);
  });

  it('GPS: the track of a unit needs gps.history on it', async () => {
    const o = as(officer.token);
    expect((await o.get(`/gps/units/${other.unit.id}/track?startMs=0&endMs=1000`)).status).toBe(403);
  });

  it('the event stream sends the officer only events about what they may see; the admin gets all', async () => {
    const oc = await listen(t, officer.token);
    const ac = await listen(t, admin.token);
    const status = (channelId: number): ServerEvent => ({
      type: 'channel.status',
      status: { channelId, recording: 'recording', live: true, lastError: null } as never,
    });
    const alarm = (sourceId: number | null, id: number): ServerEvent => ({
      type: 'alarm.event',
      seq: id,
      kind: 'raised',
      atMs: 1,
      alarm: { id, sourceId } as Alarm,
      linkage: null,
    });
    const positions: ServerEvent = {
      type: 'gps.positions',
      positions: [own.unit.id, other.unit.id].map((unitId) => ({ unitId, tMs: 1, lat: 1, lon: 2 }) as never),
      links: [],
    };
    for (const ev of [status(camS.id), status(camN.id), alarm(camS.id, 1), alarm(own.unit.id, 2), alarm(null, 3), positions]) t.app.hub.publish(ev);
    t.app.hub.publish({ type: 'camera.changed', camera: (await (await as(admin.token).get(`/cameras/${camN.id}`)).json()) as Camera });
    await waitUntil(() => ac.events.filter((e) => e.type !== 'hello').length >= 7 && oc.events.some((e) => e.type === 'camera.changed'), 'the events');
    const got = oc.events.filter((e) => e.type !== 'hello');
    expect(got.filter((e) => e.type === 'channel.status').map((e) => (e as { status: { channelId: number } }).status.channelId)).toEqual([camN.id]);
    expect(got.filter((e) => e.type === 'alarm.event').map((e) => (e as { alarm: Alarm }).alarm.id)).toEqual([2]);
    const pos = got.find((e) => e.type === 'gps.positions') as Extract<ServerEvent, { type: 'gps.positions' }>;
    expect(pos.positions.map((p) => p.unitId)).toEqual([own.unit.id]);
    const changed = got.find((e) => e.type === 'camera.changed') as Extract<ServerEvent, { type: 'camera.changed' }>;
    expect(changed.camera.url).toBe('');
    expect(JSON.stringify(got)).not.toContain('10.9.0.1');
    // The admin got every one of them whole.
    expect(ac.events.filter((e) => e.type === 'alarm.event').length).toBe(3);
    oc.close();
    ac.close();
  });

  it('a grant given while connected reaches the open stream (rights.changed, then the new filter)', async () => {
    const oc = await listen(t, officer.token);
    await t.grant(officer.user.id, 'live.view', { node: 1 });
    await waitUntil(() => oc.events.some((e) => e.type === 'rights.changed'), 'rights.changed');
    t.app.hub.publish({ type: 'channel.status', status: { channelId: camS.id, recording: 'recording', live: true, lastError: null } as never });
    await waitUntil(() => oc.events.some((e) => e.type === 'channel.status'), 'the South camera status');
    // The deny on one channel still wins over the root grant.
    expect((await as(officer.token).post('/live/tickets', { sourceId: camN2.id })).status).toBe(404);
    expect((await as(officer.token).post('/live/tickets', { sourceId: camS.id })).status).toBe(200);
    oc.close();
  });
});
