// Tests of the deprecated CameraRepo / UnitRepo / OnvifRepo over devices and channels: what each old call does in the new tables.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT_NODE_ID } from '../../common/devices';
import type { NewUnit } from '../repositories';
import { camera, openTempStore, T0, type TempStore } from './test-utils';

const hash = (s: string) => createHash('sha256').update(s).digest('hex');
const unit = (callsign: string, over: Partial<NewUnit> = {}): NewUnit => ({
  callsign,
  type: 'vehicle',
  officer: null,
  enabled: true,
  groupName: null,
  segmentSeconds: 10,
  retentionDays: 30,
  streamKeyHash: hash(callsign),
  ...over,
});

describe('compat views over devices and channels', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('a camera is an rtsp device with one channel of the same id, under the root child named by its group', async () => {
    const a = await t.store.cameras.create(camera('Gate', { groupName: ' North yard ', enabled: false }), T0);
    const b = await t.store.cameras.create(camera('Dock', { groupName: 'North yard' }), T0);
    const c = await t.store.cameras.create(camera('Lobby', { groupName: null }), T0);
    expect(a).toMatchObject({ kind: 'rtsp', groupName: 'North yard', enabled: false, url: 'rtsp://10.0.0.1/stream1' });
    const north = await t.store.org.childByName(ROOT_NODE_ID, 'North yard');
    expect((await t.store.devices.list()).map((d) => [d.id, d.kind, d.name, d.nodeId, d.enabled])).toEqual([
      [a.id, 'rtsp', 'Gate', north!.id, true],
      [b.id, 'rtsp', 'Dock', north!.id, true],
      [c.id, 'rtsp', 'Lobby', ROOT_NODE_ID, true],
    ]);
    expect((await t.store.channels.list()).map((ch) => [ch.id, ch.deviceId, ch.enabled])).toEqual([
      [a.id, a.id, false],
      [b.id, b.id, true],
      [c.id, c.id, true],
    ]);

    // groupName moves the device; name renames the single-channel device too; stream fields go to rtsp_channels.
    const moved = await t.store.cameras.update(a.id, { groupName: 'Gatehouse', name: 'Gate 1', url: 'rtsp://10.0.0.2/main', enabled: true }, T0 + 5);
    expect(moved).toMatchObject({ name: 'Gate 1', groupName: 'Gatehouse', url: 'rtsp://10.0.0.2/main', enabled: true, updatedMs: T0 + 5 });
    const gatehouse = await t.store.org.childByName(ROOT_NODE_ID, 'Gatehouse');
    expect(await t.store.devices.get(a.id)).toMatchObject({ name: 'Gate 1', nodeId: gatehouse!.id });
    expect(await t.store.cameras.update(a.id, { groupName: null }, T0 + 6)).toMatchObject({ groupName: null });
    expect((await t.store.devices.get(a.id))!.nodeId).toBe(ROOT_NODE_ID);

    // Deleting the camera deletes its rtsp device; the node stays.
    expect(await t.store.cameras.delete(b.id)).toBe(true);
    expect(await t.store.devices.get(b.id)).toBeNull();
    expect(await t.store.org.get(north!.id)).not.toBeNull();
    expect(await t.store.cameras.delete(b.id)).toBe(false);
  });

  it('a disabled device disables its channels in the camera view; a unit is an agent device whose channel has its id', async () => {
    const cam = await t.store.cameras.create(camera('Gate'), T0);
    await t.store.devices.update(cam.id, { enabled: false }, T0);
    expect((await t.store.cameras.get(cam.id))!.enabled).toBe(false);

    const u = await t.store.units.create(unit('PATROL-7', { groupName: 'Patrol', officer: 'Wang Wei' }), T0);
    expect(await t.store.devices.get(u.id)).toMatchObject({
      kind: 'agent',
      name: 'PATROL-7',
      mobile: { callsign: 'PATROL-7', type: 'vehicle', officer: 'Wang Wei', plate: null },
    });
    expect(await t.store.channels.get(u.id)).toMatchObject({ deviceId: u.id, ordinal: 1, name: 'PATROL-7', segmentSeconds: 10 });
    expect(await t.store.cameras.get(u.id)).toMatchObject({ kind: 'uplink', url: 'uplink:', name: 'PATROL-7', groupName: 'Patrol' });
    // Through the camera view, enabled and the name are the unit's.
    await t.store.cameras.update(u.id, { enabled: false, name: 'PATROL-8' }, T0 + 1);
    expect(await t.store.units.get(u.id)).toMatchObject({ enabled: false, callsign: 'PATROL-8' });
    expect((await t.store.devices.get(u.id))!.mobile!.callsign).toBe('PATROL-8');
    await expect(t.store.units.update(u.id, { callsign: 'Gate' }, T0)).rejects.toMatchObject({ code: 'conflict', field: 'callsign' });
    await expect(t.store.cameras.update(cam.id, { name: 'PATROL-8' }, T0)).rejects.toMatchObject({ code: 'conflict', field: 'name' });
    expect(await t.store.cameras.delete(u.id)).toBe(true);
    expect(await t.store.devices.get(u.id)).toBeNull();
    expect(await t.store.agents.list()).toEqual([]);
  });

  it('an ONVIF device with two sources is one device with two channels; removing its link makes it an rtsp device that keeps recording', async () => {
    const link = (sourceToken: string) => ({
      sourceToken,
      profileToken: `${sourceToken}-main`,
      subProfileToken: null,
      snapshotUri: null,
      ptz: true,
      codec: 'H264',
      width: 1920,
      height: 1080,
      fps: 25,
    });
    await t.store.cameras.create(camera('Before'), T0);
    const made = await t.store.onvif.createDevice(
      { host: '10.0.0.5', port: 80, urn: null, username: 'admin', passwordEnc: 'v1:x', manufacturer: 'Acme', model: 'E2', firmware: '1.0', serial: 'S9' },
      [
        { camera: camera('Enc 1', { groupName: 'Yard' }), link: link('vs1') },
        { camera: camera('Enc 2', { groupName: 'Yard' }), link: link('vs2') },
      ],
      T0,
    );
    expect(made.cameras.map((c) => c.id)).toEqual([2, 3]);
    expect(made.device).toMatchObject({ id: 1, deviceId: 2, manufacturer: 'Acme', serial: 'S9', events: 'unknown' });
    expect(await t.store.devices.getWithChannels(2)).toMatchObject({
      device: { kind: 'onvif', name: 'Acme E2', vendor: 'Acme', model: 'E2', firmware: '1.0', serial: 'S9' },
      channels: [
        { id: 2, ordinal: 1, ptz: true, videoCodec: 'H264' },
        { id: 3, ordinal: 2, ptz: true },
      ],
    });
    expect((await t.store.onvif.listLinks()).map((l) => [l.cameraId, l.deviceId, l.sourceToken, l.codec])).toEqual([
      [2, 1, 'vs1', 'H264'],
      [3, 1, 'vs2', 'H264'],
    ]);
    await expect(t.store.onvif.createDevice({ ...made.device, passwordEnc: 'x' }, [], T0)).rejects.toMatchObject({ code: 'conflict', field: 'host' });
    await expect(
      t.store.onvif.createDevice(
        { host: '10.0.0.6', port: 80, urn: null, username: 'a', passwordEnc: 'x', manufacturer: '', model: '', firmware: '', serial: '' },
        [{ camera: camera('Enc 1'), link: link('a') }],
        T0,
      ),
    ).rejects.toMatchObject({ code: 'conflict', field: 'name', message: expect.stringContaining('"Enc 1"') });

    // Deleting one camera keeps the ONVIF device.
    expect(await t.store.cameras.delete(3)).toBe(true);
    expect(await t.store.devices.get(2)).toMatchObject({ kind: 'onvif' });
    const preset = await t.store.onvif.upsertPreset(2, 'p1', 'Gate');
    // Removing the link: the device becomes rtsp, its channel stays with its URL and presets, PTZ capability cleared.
    expect(await t.store.onvif.deleteDevice(1)).toBe(true);
    expect(await t.store.onvif.deleteDevice(1)).toBe(false);
    expect(await t.store.devices.get(2)).toMatchObject({ kind: 'rtsp', vendor: 'Acme' });
    expect(await t.store.channels.get(2)).toMatchObject({ ptz: false });
    expect(await t.store.cameras.get(2)).toMatchObject({ kind: 'rtsp', url: 'rtsp://10.0.0.1/stream1', groupName: 'Yard' });
    expect(await t.store.onvif.listLinks()).toEqual([]);
    expect(await t.store.onvif.listPresets(2)).toEqual([preset]);
  });
});
