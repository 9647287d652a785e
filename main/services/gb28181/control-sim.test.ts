// GB/T 28181 control against the simulator process over the real SIP endpoint: PTZ through the PTZ controller (priority, presets) moves its head, Alarm → device event + Response OK, MobilePosition → the map's unit.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEvent } from '../../../common/events';
import { asLog } from '../../../common/log';
import { openTempStore, type TempStore } from '../../../storage/sqlite/test-utils';
import { waitFor } from '../../../test/harness';
import { ensureClip } from '../../../test/helpers/clips';
import { startGbSim, type GbSim } from '../../../test/helpers/gb-sim';
import type { UserActor } from '../../platform/actor';
import { loadConfig } from '../../platform/config-load';
import { AuditLog } from '../audit-log';
import { DeviceEventService } from '../device-events';
import type { GpsContext } from '../gps/context';
import { createGpsFeature } from '../gps/feature';
import type { OnvifContext } from '../onvif/context';
import { OnvifService } from '../onvif/service';
import { GbControlParts } from './control-parts';
import { GbEndpoint } from './endpoint';

const SERVER = '34020000002000000001';
const DOMAIN = '3402000000';
const DEVICE = '34020000001320000001';
const PASSWORD = 'gb-control-secret';
const admin: UserActor = { kind: 'user', userId: 1, username: 'admin', role: 'admin', ip: '127.0.0.1' };

let clip: string;
const stops: Array<() => unknown> = [];
beforeAll(async () => {
  clip = await ensureClip({ name: 'h264-g711a', width: 640, height: 360, seconds: 4, bitrateKbps: 600, audio: 'alaw' });
}, 120_000);
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

interface World {
  t: TempStore;
  sim: GbSim;
  ep: GbEndpoint;
  parts: GbControlParts;
  onvif: OnvifService;
  gps: ReturnType<typeof createGpsFeature>;
  published: ServerEvent[];
  deviceId: number;
  channelId: number;
  channelCode: string;
}

/** The real endpoint, store, PTZ controller (with the GB driver), device events and GPS feature; the simulator registered with a 2-channel catalog stored as Argus's channels. */
async function world(): Promise<World> {
  const t = await openTempStore();
  stops.push(() => t.cleanup());
  const dataDir = await mkdtemp(join(tmpdir(), 'gb-control-'));
  stops.push(() => rm(dataDir, { recursive: true, force: true }));
  const config = loadConfig({ dataDir, env: {} });
  const now = () => Date.now();
  const log = asLog(() => undefined, 'test');
  const published: ServerEvent[] = [];
  const listeners = new Set<(ev: ServerEvent) => void>();
  const publish = (ev: ServerEvent) => {
    published.push(ev);
    for (const l of listeners) l(ev);
  };
  const onServerEvent = (l: (ev: ServerEvent) => void) => {
    listeners.add(l);
    return () => listeners.delete(l);
  };
  const audit = new AuditLog(t.store, now);
  const deviceEvents = new DeviceEventService({ store: t.store, publish, log });

  const ep = new GbEndpoint({
    serverId: SERVER,
    domain: DOMAIN,
    bind: '127.0.0.1',
    port: 0,
    localHost: '127.0.0.1',
    log,
    now,
    maxFailuresPerMinute: 20,
    onMalformed: () => undefined,
    registrar: {
      device: (id) => Promise.resolve(id === DEVICE ? { approved: true, enabled: true, password: PASSWORD, keepaliveS: 60 } : null),
      sitePassword: () => null,
      unknownDevices: () => 'refuse',
      hold: () => Promise.resolve(),
      saveRegistration: () => Promise.resolve(),
      refused: () => undefined,
    },
  });
  await ep.start();
  stops.push(() => ep.close());

  const base = { config, store: t.store, log, now, publish, onServerEvent, audit, deviceEvents };
  const gps = createGpsFeature(base as unknown as GpsContext, { broadcastMs: 100, flushMs: 20 });
  await gps.start();
  stops.push(() => gps.close());
  const parts = new GbControlParts({ signalling: ep, store: t.store, deviceEvents, onServerEvent, audit, gps: gps.control, now, log, timeoutMs: 5_000 });
  parts.start();
  stops.push(() => parts.close());
  const onvif = new OnvifService(base as unknown as OnvifContext, [parts.ptzDriver]);
  await onvif.start();
  stops.push(() => onvif.close());

  const sim = await startGbSim({
    serverPort: ep.port,
    serverId: SERVER,
    domain: DOMAIN,
    deviceId: DEVICE,
    password: PASSWORD,
    channels: 2,
    clip,
    latitude: 31.83,
    longitude: 117.25,
  });
  stops.push(() => sim.stop());
  const state = await sim.state(DEVICE);
  const codes = (state.channels as Array<{ id: string; kind: string }>).filter((c) => c.kind === 'camera').map((c) => c.id);
  // The catalog as feat/gb-catalog stores it: one device, its camera channels with their GB codes and PTZ capability.
  const d = await t.store.devices.createWithChannels(
    {
      device: { nodeId: 1, kind: 'gb28181', name: '执法记录仪 07', code: DEVICE },
      channels: codes.map((code, i) => ({ name: `GB ${i + 1}`, code, ptz: true, segmentSeconds: 60, retentionDays: 30 })),
    },
    now(),
  );
  return { t, sim, ep, parts, onvif, gps, published, deviceId: d.device.id, channelId: d.channels[0]!.id, channelCode: codes[0]! };
}

type Head = { position: { pan: number; tilt: number; zoom: number }; presets: number[]; lastCommand: unknown };
async function head(w: World): Promise<Head> {
  const s = await w.sim.state(DEVICE);
  return (s.ptz as Record<string, Head>)[w.channelCode]!;
}

describe('GB/T 28181 control with the simulator', () => {
  it('moves the head through the PTZ controller, stops it, and holds control like any PTZ channel', async () => {
    const w = await world();
    const state = await w.onvif.ptzState(w.channelId, admin);
    expect(state).toMatchObject({ ptz: true, holder: null });
    const before = (await head(w)).position;
    await w.onvif.move(w.channelId, { pan: 1, tilt: 0 }, admin);
    const moved = await waitFor(
      async () => {
        const p = (await head(w)).position;
        return p.pan !== before.pan ? p : null;
      },
      { timeoutMs: 15_000, what: 'the simulator head panning' },
    );
    expect(moved.tilt).toBe(before.tilt);
    await w.onvif.stop(w.channelId, admin);
    await w.sim.waitFor((e) => e.ev === 'ptz' && (e.cmd as { kind: string }).kind === 'stop', { what: 'stop PTZCmd at the device' });
    expect((await head(w)).lastCommand).toEqual({ kind: 'stop' });
    await expect(w.onvif.ptzState(w.channelId, admin)).resolves.toMatchObject({ holder: { username: 'admin' } });
    const rows = await w.t.store.audit.query({ limit: 50 });
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['ptz.move', 'ptz.stop']));
  }, 90_000);

  it('saves a preset as a GB preset index, recalls it (the head returns there), lists it by PresetQuery and deletes it', async () => {
    const w = await world();
    await w.onvif.move(w.channelId, { pan: 1, tilt: 0.5 }, admin);
    await waitFor(async () => (await head(w)).position.pan > 5, { timeoutMs: 15_000, what: 'the head panning away' });
    await w.onvif.stop(w.channelId, admin);
    const preset = await w.onvif.createPreset(w.channelId, '大门', admin);
    expect(preset.name).toBe('大门');
    const saved = await waitFor(
      async () => {
        const h = await head(w);
        return h.presets.includes(1) ? h.position : null;
      },
      { what: 'preset 1 stored on the device' },
    );
    // elsewhere, then back to the preset
    await w.onvif.move(w.channelId, { pan: -1, tilt: 0 }, admin);
    await waitFor(async () => Math.abs((await head(w)).position.pan - saved.pan) > 5, { timeoutMs: 15_000, what: 'the head leaving the preset' });
    await w.onvif.stop(w.channelId, admin);
    await w.onvif.userGotoPreset(w.channelId, preset.id, admin);
    await waitFor(
      async () => {
        const p = (await head(w)).position;
        return Math.abs(p.pan - saved.pan) < 0.01 && Math.abs(p.tilt - saved.tilt) < 0.01;
      },
      { what: 'the head back at the preset' },
    );
    // PresetQuery lists it: the stored row keeps its id and the operator's name
    expect(await w.onvif.listPresets(w.channelId)).toEqual([{ ...preset }]);
    const second = await w.onvif.createPreset(w.channelId, 'Car park', admin);
    expect((await w.t.store.onvif.getPreset(second.id))?.token).toBe('2');
    await w.onvif.deletePreset(w.channelId, preset.id, admin);
    await waitFor(async () => !(await head(w)).presets.includes(1), { what: 'preset 1 removed on the device' });
    expect((await w.onvif.listPresets(w.channelId)).map((p) => p.name)).toEqual(['Car park']);
  }, 120_000);

  it('records an Alarm as a device event on its channel with its place and answers Response/Alarm OK', async () => {
    const w = await world();
    await w.sim.command({ cmd: 'alarm', channelId: w.channelCode, priority: 1, method: 5, type: 2, description: '移动侦测' });
    await w.sim.waitFor((e) => e.ev === 'response' && e.cmdType === 'Alarm' && e.result === 'OK', { what: 'the Response/Alarm OK at the device' });
    const rows = await w.t.store.events.listRange({ cameraId: w.channelId, startMs: 0, endMs: Date.now() + 60_000, limit: 10 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ cameraId: w.channelId, type: 'motion', state: 'pulse' });
    expect(rows[0]!.detail).toMatchObject({
      source: 'gb28181',
      gbSourceId: w.channelCode,
      alarmMethod: 5,
      alarmType: 2,
      severity: 'critical',
      message: '移动侦测',
    });
    expect(rows[0]!.detail).toMatchObject({ lat: 31.83, lon: 117.25 });
    expect(w.published.some((e) => e.type === 'device.event')).toBe(true);
  }, 90_000);

  it('feeds MobilePosition to the map: the device becomes a body-camera unit with a live position and a stored track', async () => {
    const w = await world();
    await w.sim.command({ cmd: 'position', latitude: 31.8301, longitude: 117.2512, speed: 36, direction: 90, send: 'message' });
    const unit = await waitFor(async () => (await w.gps.control.units()).find((u) => u.unitId === w.deviceId && u.position !== null), {
      timeoutMs: 20_000,
      what: 'the GB device on the map with a position',
    });
    expect(unit).toMatchObject({
      channelId: w.channelId,
      callsign: '执法记录仪 07',
      type: 'body',
      position: { lat: 31.8301, lon: 117.2512, speedMps: 10, headingDeg: 90 },
    });
    const device = await w.t.store.devices.get(w.deviceId);
    expect(device?.mobile).toMatchObject({ callsign: '执法记录仪 07', type: 'body' });
    const track = await w.gps.control.track(w.deviceId, 0, Date.now() + 60_000);
    expect(track).toHaveLength(1);
    const audit = await w.t.store.audit.query({ limit: 50 });
    expect(audit.map((r) => r.action)).toContain('gb.device.mobile');
  }, 90_000);

  it('reboots the device (TeleBoot) and starts/stops its own recording (RecordCmd), audited', async () => {
    const w = await world();
    await w.parts.admin.record(w.channelId, true, admin);
    expect(((await w.sim.state(DEVICE)).recording as Record<string, unknown>)[w.channelCode]).toBeTruthy();
    await w.parts.admin.record(w.channelId, false, admin);
    expect(((await w.sim.state(DEVICE)).recording as Record<string, unknown>)[w.channelCode]).toBeFalsy();
    const seen = w.sim.events.length;
    await w.parts.admin.reboot(w.deviceId, admin);
    await w.sim.waitFor((e) => e.ev === 'teleboot', { what: 'the device rebooting', after: seen, timeoutMs: 20_000 });
    await w.sim.waitFor((e) => e.ev === 'registered', { what: 'the device registering again', after: seen, timeoutMs: 30_000 });
    const audit = await w.t.store.audit.query({ limit: 50 });
    expect(audit.map((r) => r.action)).toEqual(expect.arrayContaining(['gb.record.start', 'gb.record.stop', 'gb.device.reboot']));
  }, 90_000);
});
