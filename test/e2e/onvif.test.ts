// End to end (in-process back end, ONVIF simulators, GStreamer RTSP server, real `onvif` client): discovery, one-step add, failures, events, health.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Camera } from '../../common/api';
import { ROOT_NODE_ID, type DeviceView, type OrgNodeView } from '../../common/devices';
import type { DiscoverResponse, OnvifDeviceView } from '../../common/onvif';
import { addSim, startHarness, waitFor, type Harness } from '../onvif-sim/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
}, 90_000);

afterAll(async () => {
  await h?.close();
}, 60_000);

async function counts() {
  return {
    cameras: (await h.b.store.cameras.list()).length,
    devices: (await h.b.store.onvif.listDevices()).length,
    links: (await h.b.store.onvif.listLinks()).length,
  };
}

describe('discovery', () => {
  it('finds a device by a directed probe of an address range and tells whether it is added', async () => {
    const sim = await h.sim({ manufacturer: 'Acme Optics', model: 'Dome-9', serial: 'SN-991', firmware: '4.2.1' });
    const body = { multicast: false, targets: ['127.0.0.1-3'], port: sim.discoveryPort, timeoutMs: 800 };
    const r1 = await h.api<DiscoverResponse>('POST', '/api/v1/onvif/discover', body);
    expect(r1.status).toBe(200);
    const found = r1.body.devices.find((d) => d.urn === sim.urn)!;
    expect(found).toMatchObject({
      host: '127.0.0.1',
      port: sim.port,
      manufacturer: 'Acme Optics',
      model: 'Dome-9',
      via: 'directed',
      addedDeviceId: null,
      firmware: null,
    });

    // With credentials: firmware and serial number too.
    const r2 = await h.api<DiscoverResponse>('POST', '/api/v1/onvif/discover', { ...body, username: 'onvif', password: 'cam-secret-42' });
    expect(r2.body.devices.find((d) => d.urn === sim.urn)).toMatchObject({ firmware: '4.2.1', serial: 'SN-991', infoError: null });
    expect(JSON.stringify(r2.body)).not.toContain('cam-secret-42');

    await addSim(h, sim, 'Discovered cam');
    const r3 = await h.api<DiscoverResponse>('POST', '/api/v1/onvif/discover', body);
    expect(r3.body.devices.find((d) => d.urn === sim.urn)!.addedDeviceId).toEqual(expect.any(Number));
  }, 30_000);

  it('finds a device by the multicast WS-Discovery probe of the onvif library', async () => {
    const sim = await h.sim({ discoveryPort: 3702, multicast: true, model: 'Multicast-1' });
    const r = await h.api<DiscoverResponse>('POST', '/api/v1/onvif/discover', { timeoutMs: 1500 });
    expect(r.status).toBe(200);
    expect(r.body.devices.find((d) => d.urn === sim.urn)).toMatchObject({ port: sim.port, model: 'Multicast-1', via: 'multicast' });
  }, 30_000);

  it('rejects bad targets with a field-named 400', async () => {
    const r = await h.api('POST', '/api/v1/onvif/discover', { targets: ['10.0.0.0/8'] });
    expect(r.status).toBe(400);
    expect(r.body.error.fields[0].path).toBe('targets');
    const r2 = await h.api('POST', '/api/v1/onvif/discover', { timeoutMs: 'soon' });
    expect(r2.status).toBe(400);
    expect(r2.body.error.fields[0].path).toBe('timeoutMs');
  });
});

describe('one-step add', () => {
  it('creates the camera with main and sub stream from the profiles, records it, and never returns the password', async () => {
    const sim = await h.sim({
      manufacturer: 'Acme',
      model: 'PTZ-200',
      sources: [{ token: 'vs1', mainUri: h.rtsp.url('cam1'), subUri: h.rtsp.url('cam2'), width: 1920, height: 1080, fps: 25 }],
    });
    const r = await h.api<{ device: OnvifDeviceView; cameraIds: number[] }>('POST', '/api/v1/onvif/devices', {
      host: '127.0.0.1',
      port: sim.port,
      username: 'onvif',
      password: 'cam-secret-42',
      name: 'Gate PTZ',
    });
    expect(r.status).toBe(201);
    expect(r.body.cameraIds).toHaveLength(1);
    expect(r.body.device).toMatchObject({ manufacturer: 'Acme', model: 'PTZ-200', hasPassword: true, username: 'onvif' });
    expect(JSON.stringify(r.body)).not.toContain('cam-secret-42');
    const id = r.body.cameraIds[0];
    const cam = (await h.api<Camera>('GET', `/api/v1/cameras/${id}`)).body;
    expect(cam).toMatchObject({ name: 'Gate PTZ', url: h.rtsp.url('cam1'), subUrl: h.rtsp.url('cam2'), username: 'onvif', hasPassword: true });
    const link = await h.b.store.onvif.getLink(id);
    expect(link).toMatchObject({ profileToken: 'vs1-main', subProfileToken: 'vs1-sub', ptz: true, codec: 'H264', width: 1920, height: 1080, fps: 25 });
    expect(link!.snapshotUri).toContain('/snapshot/vs1-main.jpg');
    // The stored ONVIF password is encrypted; the API lists never show it.
    const dev = await h.b.store.onvif.getDevice(r.body.device.id);
    expect(dev!.passwordEnc).toMatch(/^s1:[0-9a-f]{8}:/); // sealed with the secrets key (main/platform/secret-box.ts)
    expect(dev!.passwordEnc).not.toContain('cam-secret-42');
    const list = await h.api<OnvifDeviceView[]>('GET', '/api/v1/onvif/devices');
    expect(JSON.stringify(list.body)).not.toContain('cam-secret-42');
    expect(h.logs.join('\n')).not.toContain('cam-secret-42');
    // One add, one "added … cameras" line (issue 11 item 14: it was reported twice).
    expect(h.logs.filter((l) => l.startsWith(`[onvif device ${r.body.device.id}] added `))).toEqual([
      `[onvif device ${r.body.device.id}] added Acme PTZ-200 at 127.0.0.1:${sim.port}: cameras ${id} (PTZ)`,
    ]);
    // The stream from the profile really records.
    await waitFor('camera recording', async () => (await h.api<Camera>('GET', `/api/v1/cameras/${id}`)).body.status.state === 'recording', 30_000, 250);
    // Audited, without the password.
    const audit = await h.b.store.audit.query({ action: 'onvif.device.add' } as never);
    expect(audit.some((a) => (a.detail as { host?: string })?.host === '127.0.0.1')).toBe(true);
    // Adding the same device again: 409 on host, nothing new.
    const before = await counts();
    const again = await h.api('POST', '/api/v1/onvif/devices', { host: '127.0.0.1', port: sim.port, username: 'onvif', password: 'cam-secret-42' });
    expect(again.status).toBe(409);
    expect(again.body.error.fields[0].path).toBe('host');
    expect(await counts()).toEqual(before);
  }, 60_000);

  it('turns an encoder with several video sources into several cameras', async () => {
    const sim = await h.sim({
      model: 'Enc-4',
      sources: [
        { token: 'in1', mainUri: h.rtsp.url('cam1'), ptz: false },
        { token: 'in2', mainUri: h.rtsp.url('cam2'), subUri: h.rtsp.url('cam3'), ptz: false },
      ],
    });
    const r = await h.api<{ cameraIds: number[] }>('POST', '/api/v1/onvif/devices', {
      host: '127.0.0.1',
      port: sim.port,
      username: 'onvif',
      password: 'cam-secret-42',
      name: 'Lobby',
      enabled: false,
    });
    expect(r.status).toBe(201);
    const cams = await Promise.all(r.body.cameraIds.map(async (id) => (await h.api<Camera>('GET', `/api/v1/cameras/${id}`)).body));
    expect(cams.map((c) => [c.name, c.url, c.subUrl])).toEqual([
      ['Lobby 1', h.rtsp.url('cam1'), null],
      ['Lobby 2', h.rtsp.url('cam2'), h.rtsp.url('cam3')],
    ]);
    const ptz = await h.api('GET', `/api/v1/cameras/${r.body.cameraIds[0]}/ptz`);
    expect(ptz.body.ptz).toBe(false);

    // Removing the device keeps its cameras as plain RTSP cameras.
    const dev = (await h.api<OnvifDeviceView[]>('GET', '/api/v1/onvif/devices')).body.find((d) => d.port === sim.port)!;
    expect(dev.cameraIds).toEqual(r.body.cameraIds);
    expect((await h.api('DELETE', `/api/v1/onvif/devices/${dev.id}`)).status).toBe(204);
    expect((await h.api<OnvifDeviceView[]>('GET', '/api/v1/onvif/devices')).body.find((d) => d.port === sim.port)).toBeUndefined();
    expect((await h.api('GET', `/api/v1/cameras/${r.body.cameraIds[1]}`)).status).toBe(200);
    expect(await h.b.store.onvif.getLink(r.body.cameraIds[1])).toBeNull();
    expect((await h.api('DELETE', `/api/v1/onvif/devices/${dev.id}`)).status).toBe(404);
    const audit = await h.b.store.audit.query({ action: 'onvif.device.delete' });
    expect(audit.some((a) => (a.detail as { deviceId?: number }).deviceId === dev.id)).toBe(true);
  }, 30_000);

  it('puts the new device under the organisation node given as nodeId (default: the root); an unknown node is a 400 on nodeId before anything is stored', async () => {
    const node = await h.api<OrgNodeView>('POST', '/api/v1/org/nodes', { parentId: ROOT_NODE_ID, name: 'ONVIF precinct' });
    expect(node.status).toBe(201);
    const sim = await h.sim({ model: 'Node-1', sources: [{ token: 'vs1', mainUri: h.rtsp.url('cam1'), ptz: false }] });
    const before = await counts();
    const bad = await h.api('POST', '/api/v1/onvif/devices', {
      host: '127.0.0.1',
      port: sim.port,
      username: 'onvif',
      password: 'cam-secret-42',
      name: 'Nowhere',
      enabled: false,
      nodeId: 99_999,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'org.node_not_found', fields: [expect.objectContaining({ path: 'nodeId' })] });
    expect(await counts()).toEqual(before);

    const r = await h.api<{ device: OnvifDeviceView; cameraIds: number[] }>('POST', '/api/v1/onvif/devices', {
      host: '127.0.0.1',
      port: sim.port,
      username: 'onvif',
      password: 'cam-secret-42',
      name: 'Precinct cam',
      enabled: false,
      nodeId: node.body.id,
    });
    expect(r.status).toBe(201);
    expect(r.body.device.deviceId).toEqual(expect.any(Number));
    const dev = await h.api<DeviceView>('GET', `/api/v1/devices/${r.body.device.deviceId}`);
    expect(dev.status).toBe(200);
    expect(dev.body).toMatchObject({ nodeId: node.body.id, kind: 'onvif', channels: r.body.cameraIds.map((id) => expect.objectContaining({ id })) });
    expect((await h.api<OnvifDeviceView[]>('GET', '/api/v1/onvif/devices')).body.find((d) => d.id === r.body.device.id)).toMatchObject({
      deviceId: r.body.device.deviceId,
    });

    // Without nodeId (and without groupName) the device goes under the root.
    const sim2 = await h.sim({ model: 'Node-2', sources: [{ token: 'vs1', mainUri: h.rtsp.url('cam2'), ptz: false }] });
    const r2 = await h.api<{ device: OnvifDeviceView }>('POST', '/api/v1/onvif/devices', {
      host: '127.0.0.1',
      port: sim2.port,
      username: 'onvif',
      password: 'cam-secret-42',
      name: 'Root cam',
      enabled: false,
    });
    expect(r2.status).toBe(201);
    expect((await h.api<DeviceView>('GET', `/api/v1/devices/${r2.body.device.deviceId}`)).body.nodeId).toBe(ROOT_NODE_ID);
  }, 30_000);

  it("adds a Media2-only (profile T) device through the library's Media2 path, with PTZ", async () => {
    const sim = await h.sim({
      media: 'media2',
      model: 'T-Cam',
      sources: [{ token: 'vs1', mainUri: h.rtsp.url('cam1'), subUri: h.rtsp.url('cam2'), width: 1920, height: 1080 }],
    });
    const r = await h.api<{ cameraIds: number[] }>('POST', '/api/v1/onvif/devices', {
      host: '127.0.0.1',
      port: sim.port,
      username: 'onvif',
      password: 'cam-secret-42',
      name: 'Profile T cam',
      enabled: false,
    });
    expect(r.status).toBe(201);
    expect(sim.callsOf('GetProfiles2')).toHaveLength(1);
    expect(sim.callsOf('GetProfiles')).toHaveLength(0);
    const cam = (await h.api<Camera>('GET', `/api/v1/cameras/${r.body.cameraIds[0]}`)).body;
    expect([cam.url, cam.subUrl]).toEqual([h.rtsp.url('cam1'), h.rtsp.url('cam2')]);
    expect(await h.b.store.onvif.getLink(cam.id)).toMatchObject({ codec: 'H265', width: 1920, height: 1080, ptz: true, profileToken: 'vs1-main' });
    expect((await h.api('POST', `/api/v1/cameras/${cam.id}/ptz/move`, { pan: 0.5, tilt: 0 })).status).toBe(204);
    expect(sim.getPosition().moving).toBe(true);
    expect((await h.api('POST', `/api/v1/cameras/${cam.id}/ptz/stop`)).status).toBe(204);
  }, 30_000);

  it('refuses a wrong password, an unreachable host, malformed XML and a hanging device quickly, leaving nothing behind', async () => {
    const sim = await h.sim();
    const before = await counts();
    const add = (port: number, password = 'cam-secret-42') => h.api('POST', '/api/v1/onvif/devices', { host: '127.0.0.1', port, username: 'onvif', password });

    const wrong = await add(sim.port, 'not-the-password');
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields[0].path).toBe('password');
    expect(wrong.body.error.message).toMatch(/refused the user name or password/);
    expect(sim.authFailures).toBeGreaterThan(0);

    const closedPort = await (await import('../helpers/net')).freePort();
    const unreachable = await add(closedPort);
    expect(unreachable.status).toBe(400);
    expect(unreachable.body.error.fields[0].path).toBe('host');
    expect(unreachable.body.error.message).toMatch(/unreachable/);

    sim.mode = 'malformed';
    const malformed = await add(sim.port);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/malformed/);

    sim.mode = 'hang';
    const t0 = Date.now();
    const hang = await add(sim.port);
    const tookMs = Date.now() - t0;
    expect(hang.status).toBe(400);
    expect(hang.body.error.message).toMatch(/did not answer/);
    expect(tookMs).toBeLessThan(1500 + 3000); // the ONVIF timeout (1.5 s here) plus margin, not the library's 2 minutes
    sim.mode = 'ok';

    expect(await counts()).toEqual(before);
    // The server is unaffected.
    expect((await h.api('GET', '/api/v1/onvif/devices')).status).toBe(200);
    expect((await add(sim.port)).status).toBe(201);
  }, 60_000);

  it('validates the body with field-named errors and requires admin', async () => {
    const r = await h.api('POST', '/api/v1/onvif/devices', { host: 'bad host!', username: 'x', password: 'y' });
    expect(r.status).toBe(400);
    expect(r.body.error.fields[0].path).toBe('host');
    const r2 = await h.api('POST', '/api/v1/onvif/devices', { host: '127.0.0.1', username: 'x' });
    expect(r2.body.error.fields[0].path).toBe('password');
    const officer = await h.addUser('officer1', 'officer');
    expect((await h.api('POST', '/api/v1/onvif/devices', { host: '127.0.0.1', username: 'x', password: 'y' }, officer)).status).toBe(403);
  });
});

describe('device events', () => {
  it('pushes motion, tamper and digital input over the WebSocket within 1 s and stores them', async () => {
    const sim = await h.sim({ subscriptionTtlMs: 3000 });
    const [id] = await addSim(h, sim, 'Events cam');
    await waitFor('PullPoint subscription', () => sim.activeSubscriptions() > 0);
    await new Promise((r) => setTimeout(r, 300)); // a pull is waiting on the device
    const cases = [
      { topic: 'tns1:VideoSource/MotionAlarm', source: { Source: 'vs1' }, data: { State: 'true' }, type: 'motion', state: 'active' },
      { topic: 'tns1:VideoSource/GlobalSceneChange/ImagingService', source: { Source: 'vs1' }, data: { State: 'true' }, type: 'tamper', state: 'active' },
      { topic: 'tns1:Device/Trigger/DigitalInput', source: { InputToken: 'DI1' }, data: { LogicalState: 'false' }, type: 'digital_input', state: 'inactive' },
    ] as const;
    for (const c of cases) {
      const firedMs = Date.now();
      sim.fireEvent({ topic: c.topic, source: c.source, data: c.data });
      const got = await waitFor(`${c.type} event`, () =>
        h.events.find((e) => e.atMs >= firedMs && e.ev.type === 'device.event' && e.ev.event.cameraId === id && e.ev.event.type === c.type),
      );
      expect(got.atMs - firedMs).toBeLessThan(1000);
      if (got.ev.type !== 'device.event') throw new Error('unreachable');
      expect(got.ev.event).toMatchObject({ state: c.state, detail: { source: 'onvif', topic: c.topic } });
      expect(Math.abs(got.ev.event.startMs - firedMs)).toBeLessThan(2000);
    }
    const rows = await h.b.store.events.listRange({ cameraId: id, startMs: 0, endMs: Date.now() + 10_000, limit: 10 });
    expect(rows.map((r) => r.type).sort()).toEqual(['digital_input', 'motion', 'tamper']);
  }, 30_000);

  it('renews the subscription before it expires and subscribes again after a device restart', async () => {
    const sim = await h.sim({ subscriptionTtlMs: 2000 });
    const [id] = await addSim(h, sim, 'Restart cam');
    await waitFor('subscribed', () => sim.activeSubscriptions() > 0);
    await waitFor('two renewals', () => sim.renewals >= 2, 10_000);
    expect(sim.subscriptionsCreated).toBe(1); // renewed, never expired
    await sim.restart(300);
    await waitFor('subscribed again', () => sim.activeSubscriptions() > 0 && sim.subscriptionsCreated >= 2, 15_000);
    await new Promise((r) => setTimeout(r, 300));
    const firedMs = Date.now();
    sim.fireEvent({ topic: 'tns1:VideoSource/MotionAlarm', source: { Source: 'vs1' }, data: { State: 'true' } });
    await waitFor('event after restart', () => h.events.find((e) => e.atMs >= firedMs && e.ev.type === 'device.event' && e.ev.event.cameraId === id));
  }, 40_000);

  it('marks a device without events once, without log spam', async () => {
    const sim = await h.sim({ events: false });
    await addSim(h, sim, 'No events cam');
    const dev = await waitFor('events unsupported', async () =>
      (await h.api<OnvifDeviceView[]>('GET', '/api/v1/onvif/devices')).body.find((d) => d.port === sim.port && d.events === 'unsupported'),
    );
    expect(dev.events).toBe('unsupported');
    await new Promise((r) => setTimeout(r, 2500));
    expect(h.logs.filter((l) => l.includes(`:${sim.port}]`) && /event/i.test(l))).toHaveLength(1);
  }, 20_000);
});

describe('health', () => {
  it('reports reachability and flags a device clock off by more than 5 s', async () => {
    const good = await h.sim({ clockOffsetMs: 1000 });
    const bad = await h.sim({ clockOffsetMs: -42_000 });
    await addSim(h, good, 'Clock good');
    const [badCam] = await addSim(h, bad, 'Clock bad');
    const devs = await waitFor('health checked', async () => {
      const l = (await h.api<OnvifDeviceView[]>('GET', '/api/v1/onvif/devices')).body;
      const g = l.find((d) => d.port === good.port);
      const b = l.find((d) => d.port === bad.port);
      return g?.health.checkedMs && b?.health.checkedMs ? { g, b } : null;
    });
    expect(devs.g.health).toMatchObject({ reachable: true, clockSkewed: false });
    expect(Math.abs(devs.g.health.clockOffsetMs! - 1000)).toBeLessThan(1500);
    expect(devs.b.health).toMatchObject({ reachable: true, clockSkewed: true });
    expect(Math.abs(devs.b.health.clockOffsetMs! + 42_000)).toBeLessThan(1500);
    const ev = await waitFor('health event', () =>
      h.events.find((e) => e.ev.type === 'onvif.health' && e.ev.cameraIds.includes(badCam) && e.ev.health.clockSkewed),
    );
    expect(ev).toBeTruthy();

    bad.mode = 'hang';
    await waitFor(
      'unreachable',
      async () => (await h.api<OnvifDeviceView[]>('GET', '/api/v1/onvif/devices')).body.find((d) => d.port === bad.port && !d.health.reachable),
      15_000,
    );
    bad.mode = 'ok';
    await waitFor(
      'reachable again',
      async () => (await h.api<OnvifDeviceView[]>('GET', '/api/v1/onvif/devices')).body.find((d) => d.port === bad.port && d.health.reachable),
      15_000,
    );
  }, 40_000);
});
