// GB/T 28181 control through the real back end and its API with the simulator process: PTZ pad moves the head, presets round-trip, Alarm → alarm with its place + Response OK, MobilePosition → unit on the map, reboot/recording on the device.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmList } from '../../common/alarms';
import type { MapUnit } from '../../common/gps';
import type { PtzPreset } from '../../common/onvif';
import { userActor } from '../../main/platform/actor';
import { startServer, waitFor, type TestServer } from '../harness';
import { ensureClip } from '../helpers/clips';
import { startGbSim, type GbSim } from '../helpers/gb-sim';

const SERVER = '34020000002000000001';
const DOMAIN = '3402000000';
const DEVICE = '34020000001320000007';
const PASSWORD = 'gb-control-e2e';

type Head = { position: { pan: number; tilt: number; zoom: number }; presets: number[]; lastCommand: unknown };

describe('GB/T 28181 control (back end, API, simulator)', () => {
  let srv: TestServer;
  let sim: GbSim;
  let deviceId: number;
  let channelId: number;
  let channelCode: string;
  const head = async (): Promise<Head> => ((await sim.state(DEVICE)).ptz as Record<string, Head>)[channelCode]!;

  beforeAll(async () => {
    const clip = await ensureClip({ name: 'h264-g711a', width: 640, height: 360, seconds: 4, bitrateKbps: 600, audio: 'alaw' });
    srv = await startServer({ tag: 'gb-control' });
    const gb = srv.backend.features.gb.control;
    const admin = userActor((await srv.backend.store.users.getByUsername('admin'))!, '127.0.0.1');
    deviceId = (await gb.add({ gbId: DEVICE, name: '执法记录仪 07', nodeId: 1, password: PASSWORD }, admin)).deviceId;
    sim = await startGbSim({
      serverPort: (await gb.settings()).port,
      serverId: SERVER,
      domain: DOMAIN,
      deviceId: DEVICE,
      password: PASSWORD,
      channels: 2,
      clip,
      latitude: 31.83,
      longitude: 117.25,
    });
    const codes = ((await sim.state(DEVICE)).channels as Array<{ id: string; kind: string }>).filter((c) => c.kind === 'camera').map((c) => c.id);
    channelCode = codes[0]!;
    // The camera channel as the catalog stores it (GB code, PTZ from PTZType); not recorded here (no media in this test).
    const ch = await srv.backend.store.channels.create(
      deviceId,
      { name: '执法记录仪 07 通道1', code: channelCode, ptz: true, recordMode: 'off', segmentSeconds: 60, retentionDays: 30 },
      Date.now(),
    );
    channelId = ch.id;
    await srv.backend.devices.read.reload();
  }, 120_000);

  afterAll(async () => {
    await sim?.stop();
    await srv?.close();
  });

  it('steers the head with the PTZ endpoints of the channel (move, stop) and shows who holds it', async () => {
    const state = await srv.client.ok<{ ptz: boolean }>('GET', `/api/v1/channels/${channelId}/ptz`);
    expect(state).toMatchObject({ ptz: true });
    const before = (await head()).position;
    expect((await srv.client.call('POST', `/api/v1/channels/${channelId}/ptz/move`, { pan: 0, tilt: 1 })).status).toBe(204);
    await waitFor(async () => (await head()).position.tilt > before.tilt, { timeoutMs: 15_000, what: 'the simulator head tilting up' });
    expect((await srv.client.call('POST', `/api/v1/channels/${channelId}/ptz/stop`)).status).toBe(204);
    await waitFor(async () => JSON.stringify((await head()).lastCommand) === JSON.stringify({ kind: 'stop' }), { what: 'stop at the device' });
    expect(await srv.client.ok('GET', `/api/v1/channels/${channelId}/ptz`)).toMatchObject({ holder: { username: 'admin' } });
    // PTZPosition (2022): where the head stopped, as the device reports it
    const at = (await head()).position;
    const pos = await srv.client.ok<{ pan: number; tilt: number; zoom: number }>('GET', `/api/v1/channels/${channelId}/ptz/position`);
    expect(pos.tilt).toBeCloseTo(at.tilt, 1);
    expect(pos.pan).toBeCloseTo(at.pan, 1);
    const audit = await srv.backend.store.audit.query({ action: 'ptz.move' });
    expect(audit[0]).toMatchObject({ username: 'admin', targetId: String(channelId) });
  }, 60_000);

  it('saves a preset (a GB preset index on the device) and goes back to it', async () => {
    const p = await srv.client.ok<PtzPreset>('POST', `/api/v1/channels/${channelId}/ptz/presets`, { name: '大门' }, 201);
    const saved = await waitFor(
      async () => {
        const h = await head();
        return h.presets.length > 0 ? h : null;
      },
      { what: 'the preset stored on the device' },
    );
    expect(await srv.client.call('POST', `/api/v1/channels/${channelId}/ptz/move`, { pan: 1, tilt: 0 })).toMatchObject({ status: 204 });
    await waitFor(async () => Math.abs((await head()).position.pan - saved.position.pan) > 3, { timeoutMs: 15_000, what: 'the head leaving the preset' });
    await srv.client.call('POST', `/api/v1/channels/${channelId}/ptz/stop`);
    expect((await srv.client.call('POST', `/api/v1/channels/${channelId}/ptz/presets/${p.id}/goto`)).status).toBe(204);
    await waitFor(async () => Math.abs((await head()).position.pan - saved.position.pan) < 0.01, { what: 'the head back at the preset' });
    expect(await srv.client.ok<PtzPreset[]>('GET', `/api/v1/channels/${channelId}/ptz/presets`)).toEqual([p]);
  }, 60_000);

  it('turns an Alarm into an alarm of the channel at the place it reports, and answers the device Response/Alarm OK', async () => {
    await sim.command({ cmd: 'alarm', channelId: channelCode, priority: 2, method: 5, type: 2, description: '移动侦测' });
    await sim.waitFor((e) => e.ev === 'response' && e.cmdType === 'Alarm' && e.result === 'OK', { what: 'the Response/Alarm at the device' });
    const alarm = await waitFor(
      async () => (await srv.client.ok<AlarmList>('GET', '/api/v1/alarms?state=open')).alarms.find((a) => a.sourceId === channelId && a.type === 'motion'),
      { what: 'the alarm in the alarm center' },
    );
    expect(alarm).toMatchObject({ severity: 'major', lat: 31.83, lon: 117.25, message: '移动侦测' });
    // An operator closes it: the device's alarm is reset (AlarmCmd ResetAlarm with its method and type).
    const seen = sim.events.length;
    expect((await srv.client.call('POST', `/api/v1/alarms/${alarm.id}/steps`, { action: 'close' })).status).toBe(200);
    const reset = await sim.waitFor((e) => e.ev === 'alarm-reset', { what: 'ResetAlarm at the device', after: seen });
    expect(reset).toMatchObject({ channelId: channelCode, value: 'ResetAlarm' });
  }, 60_000);

  it('recalls a preset on the GB channel by alarm linkage and goes home, with control released between', async () => {
    // home: stored on the device as preset 255, recalled by ptz/home
    expect((await srv.client.call('POST', `/api/v1/channels/${channelId}/ptz/home/set`)).status).toBe(204);
    const home = await waitFor(
      async () => {
        const h = await head();
        return h.presets.includes(255) ? h.position : null;
      },
      { what: 'home stored on the device' },
    );
    await srv.client.call('POST', `/api/v1/channels/${channelId}/ptz/move`, { pan: -1, tilt: -1 });
    await waitFor(async () => Math.abs((await head()).position.pan - home.pan) > 3, { timeoutMs: 15_000, what: 'the head leaving home' });
    await srv.client.call('POST', `/api/v1/channels/${channelId}/ptz/stop`);
    const preset = await srv.client.ok<PtzPreset>('POST', `/api/v1/channels/${channelId}/ptz/presets`, { name: 'Linkage' }, 201);
    const at = (await head()).position;
    expect((await srv.client.call('POST', `/api/v1/channels/${channelId}/ptz/home`)).status).toBe(204);
    await waitFor(async () => Math.abs((await head()).position.pan - home.pan) < 0.01, { what: 'the head at home' });
    expect((await srv.client.call('POST', `/api/v1/channels/${channelId}/ptz/release`)).status).toBe(204);
    // The device's tamper alarm recalls the preset through the alarm rule (system priority, the same path as ONVIF).
    const rule = await srv.client.call('POST', '/api/v1/alarm-rules', {
      name: 'GB tamper',
      sourceIds: [channelId],
      types: ['tamper'],
      actions: { ptz: { cameraId: null, presetId: preset.id } },
    });
    expect(rule.status).toBe(201);
    await sim.command({ cmd: 'alarm', channelId: channelCode, priority: 1, method: 2, type: 2, description: '防拆报警' });
    await waitFor(
      async () => {
        const p = (await head()).position;
        return Math.abs(p.pan - at.pan) < 0.01 && Math.abs(p.tilt - at.tilt) < 0.01;
      },
      { what: 'the head at the linkage preset' },
    );
    const alarm = await waitFor(
      async () =>
        (await srv.client.ok<AlarmList>('GET', '/api/v1/alarms?state=open')).alarms.find((a) => a.type === 'tamper' && a.actions.some((x) => x.kind === 'ptz')),
      { what: 'the tamper alarm with its ptz action' },
    );
    expect(alarm.actions.find((x) => x.kind === 'ptz')).toMatchObject({ status: 'ok' });
  }, 90_000);

  it('runs a tour over the GB presets on the server (each step a preset recall at the device) until stopped', async () => {
    const presets = await srv.client.ok<PtzPreset[]>('GET', `/api/v1/channels/${channelId}/ptz/presets`);
    expect(presets.length).toBeGreaterThanOrEqual(2);
    const tour = await srv.client.ok<{ id: number }>(
      'POST',
      `/api/v1/channels/${channelId}/ptz/tours`,
      { name: '巡航', steps: presets.slice(0, 2).map((p) => ({ presetId: p.id, dwellSeconds: 1 })) },
      201,
    );
    await srv.client.call('POST', `/api/v1/channels/${channelId}/ptz/release`);
    const seen = sim.events.length;
    expect((await srv.client.call('POST', `/api/v1/channels/${channelId}/ptz/tours/${tour.id}/start`)).status).toBe(200);
    const goto = (index: number) => (e: { ev: string; cmd?: unknown }) =>
      e.ev === 'ptz' && JSON.stringify(e.cmd) === JSON.stringify({ kind: 'preset-goto', preset: index });
    const first = await sim.waitFor(goto(1), { what: 'the tour at preset 1', after: seen });
    await sim.waitFor(goto(2), { what: 'the tour at preset 2', after: sim.events.indexOf(first) });
    expect((await srv.client.call('POST', `/api/v1/channels/${channelId}/ptz/tour/stop`)).status).toBe(204);
  }, 60_000);

  it('puts the device on the map as a body camera with its channel when it reports MobilePosition', async () => {
    await sim.command({ cmd: 'position', latitude: 31.8301, longitude: 117.2512, speed: 18, direction: 45, send: 'message' });
    const unit = await waitFor(
      async () => (await srv.client.ok<MapUnit[]>('GET', '/api/v1/gps/units')).find((u) => u.unitId === deviceId && u.position !== null),
      { timeoutMs: 20_000, what: 'the unit with a position on the map' },
    );
    expect(unit).toMatchObject({
      channelId,
      callsign: '执法记录仪 07',
      type: 'body',
      linkUp: true,
      position: { lat: 31.8301, lon: 117.2512, speedMps: 5, headingDeg: 45 },
    });
  }, 60_000);

  it('starts and stops recording on the device and reboots it, for admins only, audited', async () => {
    expect((await srv.client.call('POST', `/api/v1/gb28181/channels/${channelId}/record/start`)).status).toBe(204);
    expect(((await sim.state(DEVICE)).recording as Record<string, boolean>)[channelCode]).toBe(true);
    expect((await srv.client.call('POST', `/api/v1/gb28181/channels/${channelId}/record/stop`)).status).toBe(204);
    expect(((await sim.state(DEVICE)).recording as Record<string, boolean>)[channelCode]).toBe(false);
    expect((await srv.client.call('POST', `/api/v1/gb28181/channels/999999/record/start`)).status).toBe(404);
    await srv.client.createUser('dispatcher7', 'Dispatcher-pass-7', 'dispatcher');
    const dispatcher = srv.client.as(await srv.client.login('dispatcher7', 'Dispatcher-pass-7'));
    expect((await dispatcher.call('GET', `/api/v1/channels/${channelId}/ptz`)).status).toBe(200); // signed in, sees the channel
    expect((await dispatcher.call('POST', `/api/v1/gb28181/devices/${deviceId}/reboot`)).status).toBe(403);
    expect((await dispatcher.call('POST', `/api/v1/gb28181/channels/${channelId}/record/start`)).status).toBe(403);
    const seen = sim.events.length;
    expect((await srv.client.call('POST', `/api/v1/gb28181/devices/${deviceId}/reboot`)).status).toBe(204);
    await sim.waitFor((e) => e.ev === 'teleboot', { what: 'the device rebooting', after: seen });
    await sim.waitFor((e) => e.ev === 'registered', { what: 'the device registering again', after: seen, timeoutMs: 30_000 });
    for (const action of ['gb.record.start', 'gb.record.stop', 'gb.device.reboot'])
      expect((await srv.backend.store.audit.query({ action }))[0]).toMatchObject({ username: 'admin' });
  }, 90_000);
});
