// HTTP API of the device model (/org, /devices, /channels) against a real SQLite store: rights, validation, conflicts, atomic create, recording control, audit.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Camera, LoginResponse, Unit } from '../../common/api';
import type { AgentKey, ChannelRef, ChannelView, DeviceView, OrgNodeView, OrgSearchHit, OrgTree } from '../../common/devices';
import type { ErrorBody } from '../../common/errors';
import { parse } from '../../common/schema';
import { AgentKeySchema, DeviceSchema, OrgTreeSchema } from '../../common/endpoints/device-schemas';
import { startTestServer, type TestServer } from './test-support';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('device model API', () => {
  let t: TestServer;
  let admin: LoginResponse;
  let dispatcher: LoginResponse;

  beforeAll(async () => {
    t = await startTestServer();
    await t.addUser('admin', 'admin-password-1', 'admin');
    await t.addUser('disp', 'disp-password-1', 'dispatcher');
    admin = await t.login('admin', 'admin-password-1');
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
  const errorOf = async (r: Response, status: number) => (await json<ErrorBody>(r, status)).error;
  const as = (token: string) => ({
    get: (p: string) => t.call('GET', `/api/v1${p}`, { token }),
    post: (p: string, body?: unknown) => t.call('POST', `/api/v1${p}`, { token, body }),
    patch: (p: string, body: unknown) => t.call('PATCH', `/api/v1${p}`, { token, body }),
    put: (p: string, body: unknown) => t.call('PUT', `/api/v1${p}`, { token, body }),
    del: (p: string) => t.call('DELETE', `/api/v1${p}`, { token }),
  });
  const a = () => as(admin.token);
  const d = () => as(dispatcher.token);

  const rtspBody = (nodeId: number, name: string, channels: string[]) => ({
    nodeId,
    name,
    channels: channels.map((n, i) => ({ name: n, url: `rtsp://user:pa%3Ass@10.0.0.${i + 1}/${encodeURIComponent(n)}`, subUrl: `rtsp://10.0.0.${i + 1}/sub` })),
  });

  test('every new endpoint needs a session (401) and every write its right (403 for a dispatcher)', async () => {
    for (const [m, p] of [
      ['GET', '/org/tree'],
      ['GET', '/org/search?q=x'],
      ['GET', '/devices'],
      ['GET', '/channels'],
      ['POST', '/devices/rtsp'],
      ['DELETE', '/org/nodes/2'],
    ] as const) {
      const r = await t.call(m, `/api/v1${p}`, { body: m === 'POST' ? {} : undefined });
      expect((await errorOf(r, 401)).code, `${m} ${p}`).toMatch(/^auth\./);
    }
    for (const r of [
      await d().post('/org/nodes', { parentId: 1, name: 'X' }),
      await d().patch('/org/nodes/1', { name: 'X' }),
      await d().del('/org/nodes/1'),
      await d().post('/devices/rtsp', rtspBody(1, 'X', ['X1'])),
      await d().post('/devices/agent', { nodeId: 1, callsign: 'X', type: 'body' }),
      await d().patch('/devices/1', { name: 'X' }),
      await d().del('/devices/1'),
      await d().post('/devices/1/rotate-key'),
      await d().patch('/channels/1', { name: 'X' }),
      await d().del('/channels/1'),
      await d().put('/channels/1/place', { lat: 1, lon: 2, viewDeg: null }),
    ])
      expect((await errorOf(r, 403)).code).toBe('auth.forbidden');
    const tree = await json<OrgTree>(await d().get('/org/tree'), 200);
    expect(parse(OrgTreeSchema, tree).ok).toBe(true);
    expect(tree.nodes).toEqual([
      {
        id: 1,
        parentId: null,
        name: '',
        code: null,
        path: [1],
        sortOrder: 0,
        counts: { devices: 0, devicesOnline: 0, channels: 0, channelsLive: 0, channelsRecording: 0 },
      },
    ]);
  });

  test('PTZ answers under /channels/:id/ptz as under /cameras/:id/ptz (same handler and right)', async () => {
    for (const p of ['/ptz', '/ptz/presets']) {
      const [viaCamera, viaChannel] = [await errorOf(await a().get(`/cameras/5${p}`), 503), await errorOf(await a().get(`/channels/5${p}`), 503)];
      expect(viaChannel).toEqual(viaCamera); // this bare app runs no ONVIF feature
    }
    const aliases = t.app.routes.filter((r) => r.path.startsWith('/api/v1/channels/:id/ptz'));
    expect(aliases.length).toBeGreaterThan(15);
    for (const r of aliases) {
      const original = t.app.routes.find((o) => o.method === r.method && o.path === r.path.replace('/channels/', '/cameras/'))!;
      expect([r.auth, r.handler, r.body]).toEqual([original.auth, original.handler, original.body]);
    }
    expect((await errorOf(await t.call('GET', '/api/v1/channels/5/ptz'), 401)).code).toBe('auth.missing_token');
  });

  test('organisation tree: create, 409 on a sibling name, code and cycle, 400 on bad bodies and the root, delete only when empty; audited', async () => {
    const city = await json<OrgNodeView>(await a().post('/org/nodes', { parentId: 1, name: '市局', code: '110000' }), 201);
    const branch = await json<OrgNodeView>(await a().post('/org/nodes', { parentId: city.id, name: '分局' }), 201);
    const station = await json<OrgNodeView>(await a().post('/org/nodes', { parentId: branch.id, name: '派出所' }), 201);
    expect(station.path).toEqual([1, city.id, branch.id, station.id]);
    expect((await errorOf(await a().post('/org/nodes', { parentId: city.id, name: '分局' }), 409)).code).toBe('org.name_taken');
    expect((await errorOf(await a().post('/org/nodes', { parentId: 1, name: 'Other', code: '110000' }), 409)).code).toBe('org.code_taken');
    expect((await errorOf(await a().post('/org/nodes', { parentId: 999, name: 'Lost' }), 404)).code).toBe('org.parent_not_found');
    for (const body of [{ parentId: 1, name: '' }, { parentId: 1, name: 'A', code: '12ab' }, { parentId: 1, name: 'A', extra: 1 }, { name: 'no parent' }])
      expect((await errorOf(await a().post('/org/nodes', body), 400)).code, JSON.stringify(body)).toBe('request.invalid');
    expect((await errorOf(await a().patch(`/org/nodes/${city.id}`, { parentId: station.id }), 409)).code).toBe('org.cycle');
    expect((await errorOf(await a().patch('/org/nodes/1', { parentId: city.id }), 400)).code).toBe('org.root');
    expect((await errorOf(await a().del('/org/nodes/1'), 400)).code).toBe('org.root');
    expect((await errorOf(await a().del(`/org/nodes/${branch.id}`), 409)).code).toBe('org.node_not_empty');
    // depth: a chain down to level 15 under the station (level 3), then one more is refused
    let parent = station.id;
    for (let level = 4; level <= 15; level++) parent = (await json<OrgNodeView>(await a().post('/org/nodes', { parentId: parent, name: `L${level}` }), 201)).id;
    expect((await errorOf(await a().post('/org/nodes', { parentId: parent, name: 'L16' }), 409)).code).toBe('org.too_deep');
    // move the station under the root: its subtree follows
    const moved = await json<OrgNodeView>(await a().patch(`/org/nodes/${station.id}`, { parentId: 1 }), 200);
    expect(moved.path).toEqual([1, station.id]);
    const tree = await json<OrgTree>(await a().get('/org/tree'), 200);
    expect(tree.nodes.find((n) => n.name === 'L15')!.path.slice(0, 2)).toEqual([1, station.id]);
    expect((await t.store.audit.query({ action: 'org.move', limit: 5 }))[0]).toMatchObject({
      username: 'admin',
      targetType: 'org_node',
      targetId: String(station.id),
    });
    const empty = await json<OrgNodeView>(await a().post('/org/nodes', { parentId: 1, name: 'Empty' }), 201);
    await json(await a().del(`/org/nodes/${empty.id}`), 204);
    expect((await errorOf(await a().get(`/org/nodes/${empty.id}/channels`), 404)).code).toBe('org.node_not_found');
    expect((await t.store.audit.query({ action: 'org.delete', limit: 5 }))[0]).toMatchObject({ targetId: String(empty.id), detail: { name: 'Empty' } });
  });

  test('an RTSP device is created with its channels in one step, one id for the device and its first channel, recording started', async () => {
    const node = await json<OrgNodeView>(await a().post('/org/nodes', { parentId: 1, name: 'North yard' }), 201);
    const applied = t.recording.calls.length;
    const dev = await json<DeviceView>(await a().post('/devices/rtsp', rtspBody(node.id, 'Gate NVR', ['Gate north', 'Gate south'])), 201);
    expect(parse(DeviceSchema, dev).ok).toBe(true);
    expect(dev).toMatchObject({ nodeId: node.id, kind: 'rtsp', name: 'Gate NVR', mobile: null });
    expect(dev.channels.map((c) => [c.ordinal, c.name, c.recordMode])).toEqual([
      [1, 'Gate north', 'continuous'],
      [2, 'Gate south', 'continuous'],
    ]);
    expect(dev.channels[0]!.id).toBe(dev.id);
    expect(dev.channels[0]!.stream).toEqual({
      url: 'rtsp://10.0.0.1/Gate%20north',
      subUrl: 'rtsp://10.0.0.1/sub',
      username: 'user',
      hasPassword: true,
      transport: 'tcp',
    });
    const calls = t.recording.calls.slice(applied);
    expect(calls.map((c) => (c.op === 'apply' ? [c.op, c.camera.id, c.camera.url, c.camera.username, c.camera.password] : [c.op]))).toEqual([
      ['apply', dev.id, 'rtsp://10.0.0.1/Gate%20north', 'user', 'pa:ss'],
      ['apply', dev.channels[1]!.id, 'rtsp://10.0.0.2/Gate%20south', 'user', 'pa:ss'],
    ]);
    // dispatchers read it without stream settings; the old API shows the channels as cameras in the node's group
    const seen = await json<DeviceView>(await d().get(`/devices/${dev.id}`), 200);
    expect(seen.channels.map((c) => c.stream)).toEqual([null, null]);
    expect(seen.channels[0]!.hasSub).toBe(true);
    const cams = await json<Camera[]>(await d().get('/cameras'), 200);
    expect(cams.filter((c) => c.groupName === 'North yard').map((c) => c.name)).toEqual(['Gate north', 'Gate south']);
    const audit = (await t.store.audit.query({ action: 'device.create', limit: 5 }))[0]!;
    expect(audit).toMatchObject({ username: 'admin', targetType: 'device', targetId: String(dev.id), detail: { name: 'Gate NVR', nodeId: node.id } });
    expect(JSON.stringify(audit)).not.toContain('pa:ss');
    // all or nothing: a taken channel name (or a duplicate within the body) creates nothing and starts nothing
    const before = (await json<DeviceView[]>(await a().get('/devices'), 200)).length;
    const callsBefore = t.recording.calls.length;
    const e1 = await errorOf(await a().post('/devices/rtsp', rtspBody(node.id, 'Second', ['Fresh one', 'Gate south'])), 409);
    expect([e1.code, e1.fields?.[0]?.path]).toEqual(['device.name_taken', 'channels.1.name']);
    expect((await errorOf(await a().post('/devices/rtsp', rtspBody(node.id, 'Second', ['Twin', 'Twin'])), 409)).code).toBe('device.name_taken');
    expect((await errorOf(await a().post('/devices/rtsp', rtspBody(node.id, 'Second', [])), 400)).code).toBe('request.invalid');
    expect(
      (await errorOf(await a().post('/devices/rtsp', { ...rtspBody(node.id, 'Bad', ['Bad']), channels: [{ name: 'Bad', url: 'http://x/' }] }), 400)).fields?.[0]
        ?.path,
    ).toBe('channels.0.url');
    expect((await errorOf(await a().post('/devices/rtsp', rtspBody(999, 'Lost', ['Lost cam'])), 404)).code).toBe('org.node_not_found');
    expect((await json<DeviceView[]>(await a().get('/devices'), 200)).length).toBe(before);
    expect(await t.store.channels.getByName('Fresh one')).toBeNull();
    expect(t.recording.calls.length).toBe(callsBefore);
    // a channel added later gets the next ordinal; counts and channel lists follow
    const ch = await json<ChannelView>(await a().post(`/devices/${dev.id}/channels`, { name: 'Gate east', url: 'rtsp://10.0.0.3/east' }), 201);
    expect([ch.deviceId, ch.ordinal, ch.stream?.url]).toEqual([dev.id, 3, 'rtsp://10.0.0.3/east']);
    const tree = await json<OrgTree>(await a().get('/org/tree'), 200);
    expect(tree.nodes.find((n) => n.id === node.id)!.counts).toMatchObject({ devices: 1, channels: 3 });
    expect(tree.nodes.find((n) => n.id === 1)!.counts).toMatchObject({ devices: 1, channels: 3 });
    const refs = await json<ChannelRef[]>(await d().get('/org/nodes/1/channels?recursive=true'), 200);
    expect(refs.map((r) => r.name)).toEqual(['Gate north', 'Gate south', 'Gate east']);
    expect(await json<ChannelRef[]>(await d().get('/org/nodes/1/channels'), 200)).toEqual([]);
    expect((await json<ChannelView[]>(await d().get(`/channels?deviceId=${dev.id}`), 200)).map((c) => c.ordinal)).toEqual([1, 2, 3]);
  });

  test('channels: change (the recorder follows), 409 on a taken name, place on the map, delete keeps the recordings', async () => {
    const dev = await json<DeviceView>(await a().post('/devices/rtsp', rtspBody(1, 'Dock', ['Dock A', 'Dock B'])), 201);
    const [c1, c2] = dev.channels as [ChannelView, ChannelView];
    const n = t.recording.calls.length;
    const changed = await json<ChannelView>(
      await a().patch(`/channels/${c2.id}`, { url: 'rtsp://bob:secret@10.9.9.9/b', retentionDays: 7, recordMode: 'off' }),
      200,
    );
    expect([changed.retentionDays, changed.recordMode, changed.stream?.url, changed.stream?.username]).toEqual([7, 'off', 'rtsp://10.9.9.9/b', 'bob']);
    const call = t.recording.calls[n]!;
    expect(call.op === 'apply' && [call.camera.id, call.camera.url, call.camera.password, call.camera.retentionDays]).toEqual([
      c2.id,
      'rtsp://10.9.9.9/b',
      'secret',
      7,
    ]);
    expect((await t.store.audit.query({ action: 'channel.update', limit: 1 }))[0]).toMatchObject({
      targetId: String(c2.id),
      detail: { changes: { password: 'changed' } },
    });
    expect((await errorOf(await a().patch(`/channels/${c2.id}`, { name: 'Dock A' }), 409)).code).toBe('device.name_taken');
    expect((await errorOf(await a().patch(`/channels/${c2.id}`, {}), 400)).code).toBe('request.invalid');
    expect((await errorOf(await a().patch('/channels/99999', { name: 'Nope' }), 404)).code).toBe('channel.not_found');
    const placed = await json<ChannelView>(await a().put(`/channels/${c1.id}/place`, { lat: 39.9, lon: 116.4, viewDeg: 135 }), 200);
    expect(placed.place).toEqual({ lat: 39.9, lon: 116.4, viewDeg: 135 });
    expect((await json<ChannelView[]>(await d().get('/channels?placed=true'), 200)).map((c) => c.id)).toContain(c1.id);
    expect((await json<ChannelView>(await a().del(`/channels/${c1.id}/place`), 200)).place).toBeNull();
    // delete: the recorder stops first; segments of the channel stay
    const seg = await t.store.segments.insert({
      cameraId: c2.id,
      relPath: `${c2.id}/seg.mp4`,
      startMs: 1000,
      endMs: 2000,
      durationMs: 1000,
      sizeBytes: 10,
      videoCodec: 'h264',
      audioCodec: null,
      width: 1,
      height: 1,
      fps: 25,
      state: 'closed',
      protected: false,
      recovered: false,
    });
    const m = t.recording.calls.length;
    await json(await a().del(`/channels/${c2.id}`), 204);
    expect(t.recording.calls.slice(m)).toEqual([{ op: 'remove', cameraId: c2.id }]);
    expect(await t.store.segments.get(seg.id)).not.toBeNull();
    expect((await errorOf(await d().get(`/channels/${c2.id}`), 404)).code).toBe('channel.not_found');
    expect((await json<DeviceView>(await a().get(`/devices/${dev.id}`), 200)).channels.map((c) => c.id)).toEqual([c1.id]);
    // deleting the device stops and removes the rest
    const k = t.recording.calls.length;
    await json(await a().del(`/devices/${dev.id}`), 204);
    expect(t.recording.calls.slice(k)).toEqual([{ op: 'remove', cameraId: c1.id }]);
    expect((await errorOf(await a().get(`/devices/${dev.id}`), 404)).code).toBe('device.not_found');
    expect((await t.store.audit.query({ action: 'device.delete', limit: 1 }))[0]).toMatchObject({ targetId: String(dev.id), detail: { name: 'Dock' } });
  });

  test('agent devices: key shown once, callsign unique, the unit service told; rotate-key; its channel goes only with it', async () => {
    const patrol = await json<OrgNodeView>(await a().post('/org/nodes', { parentId: 1, name: 'Patrol' }), 201);
    const created = await json<AgentKey>(
      await a().post('/devices/agent', { nodeId: patrol.id, callsign: 'PATROL-7', type: 'vehicle', officer: 'Wang Wei', plate: '京A12345' }),
      201,
    );
    expect(parse(AgentKeySchema, created).ok).toBe(true);
    const dev = created.device;
    expect(dev).toMatchObject({ kind: 'agent', name: 'PATROL-7', mobile: { callsign: 'PATROL-7', type: 'vehicle', officer: 'Wang Wei', plate: '京A12345' } });
    expect(dev.channels.map((c) => [c.id, c.name])).toEqual([[dev.id, 'PATROL-7']]);
    expect(created.publishUrl).toContain(`/live/${dev.id}?key=`);
    expect((await t.store.agents.get(dev.id))!.streamKeyHash).toBe(sha256(created.streamKey));
    expect(t.units.calls.at(-1)).toMatchObject({ op: 'changed', unit: { id: dev.id, callsign: 'PATROL-7' }, keyRotated: false });
    expect(JSON.stringify(await t.store.audit.query({ action: 'device.create', limit: 10 }))).not.toContain(created.streamKey);
    const unit = await json<Unit>(await d().get(`/units/${dev.id}`), 200);
    expect([unit.callsign, unit.type, unit.groupName]).toEqual(['PATROL-7', 'vehicle', 'Patrol']);
    expect((await errorOf(await a().post('/devices/agent', { nodeId: 1, callsign: 'PATROL-7', type: 'body' }), 409)).code).toBe('device.callsign_taken');
    expect((await errorOf(await a().post('/devices/agent', { nodeId: 1, callsign: 'bad/callsign', type: 'body' }), 400)).fields?.[0]?.path).toBe('callsign');
    const rotated = await json<AgentKey>(await a().post(`/devices/${dev.id}/rotate-key`), 200);
    expect(rotated.streamKey).not.toBe(created.streamKey);
    expect((await t.store.agents.get(dev.id))!.streamKeyHash).toBe(sha256(rotated.streamKey));
    expect(t.units.calls.at(-1)).toMatchObject({ op: 'changed', keyRotated: true });
    const cam = await json<DeviceView>(await a().post('/devices/rtsp', rtspBody(1, 'Fixed', ['Fixed cam'])), 201);
    expect((await errorOf(await a().post(`/devices/${cam.id}/rotate-key`), 400)).code).toBe('device.not_agent');
    expect((await errorOf(await a().post(`/devices/${dev.id}/channels`, { name: 'Second', url: 'rtsp://x/y' }), 400)).code).toBe('device.not_rtsp');
    expect((await errorOf(await a().del(`/channels/${dev.id}`), 400)).code).toBe('channel.agent_single');
    expect((await errorOf(await a().put(`/channels/${dev.id}/place`, { lat: 1, lon: 1, viewDeg: null }), 400)).code).toBe('channel.mobile_place');
    expect((await errorOf(await a().patch(`/channels/${dev.id}`, { url: 'rtsp://x/y' }), 400)).code).toBe('request.invalid');
    expect((await errorOf(await a().patch(`/devices/${cam.id}`, { callsign: 'X' }), 400)).code).toBe('request.invalid');
    // search by callsign, plate; filters
    const hits = await json<OrgSearchHit[]>(await d().get('/org/search?q=patrol'), 200);
    expect(hits.map((h) => `${h.kind}:${h.id}`)).toEqual([`node:${patrol.id}`, `device:${dev.id}`, `channel:${dev.id}`]);
    expect(hits[1]!.path).toEqual([1, patrol.id]);
    expect((await json<OrgSearchHit[]>(await d().get('/org/search?q=%E4%BA%ACa'), 200)).map((h) => h.id)).toEqual([dev.id]);
    expect((await errorOf(await d().get('/org/search'), 400)).code).toBe('request.invalid');
    expect((await json<DeviceView[]>(await d().get('/devices?mobile=true'), 200)).map((x) => x.id)).toEqual([dev.id]);
    expect((await json<DeviceView[]>(await d().get(`/devices?nodeId=${patrol.id}`), 200)).map((x) => x.id)).toEqual([dev.id]);
    expect(await json<DeviceView[]>(await d().get('/devices?kind=agent&nodeId=1'), 200)).toEqual([]);
    expect((await json<DeviceView[]>(await d().get('/devices?kind=agent&nodeId=1&recursive=true'), 200)).map((x) => x.id)).toEqual([dev.id]);
    // move and rename: audited, the tree's counts move, the unit service hears the new callsign
    const other = await json<OrgNodeView>(await a().post('/org/nodes', { parentId: 1, name: 'Traffic' }), 201);
    const moved = await json<DeviceView>(await a().patch(`/devices/${dev.id}`, { nodeId: other.id, callsign: 'TRAFFIC-1' }), 200);
    expect([moved.nodeId, moved.name, moved.mobile?.callsign, moved.channels[0]!.name]).toEqual([other.id, 'TRAFFIC-1', 'TRAFFIC-1', 'TRAFFIC-1']);
    expect(t.units.calls.at(-1)).toMatchObject({ op: 'changed', unit: { callsign: 'TRAFFIC-1' } });
    expect((await t.store.audit.query({ action: 'device.move', limit: 1 }))[0]).toMatchObject({
      targetId: String(dev.id),
      detail: { from: patrol.id, to: other.id },
    });
    const tree = await json<OrgTree>(await a().get('/org/tree'), 200);
    expect(tree.nodes.find((x) => x.id === patrol.id)!.counts.devices).toBe(0);
    expect(tree.nodes.find((x) => x.id === other.id)!.counts).toMatchObject({ devices: 1, channels: 1 });
    expect((await errorOf(await a().del(`/org/nodes/${other.id}`), 409)).code).toBe('org.node_not_empty');
    // delete: the unit service closes the publish first
    await json(await a().del(`/devices/${dev.id}`), 204);
    expect(t.units.calls.at(-1)).toEqual({ op: 'removed', unitId: dev.id });
    expect((await errorOf(await d().get(`/units/${dev.id}`), 404)).code).toBe('unit.not_found');
  });
});
