// Tests of SqliteOnvifRepo against a real SQLite file: all-or-nothing device creation, links, presets, tours, priorities.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewOnvifCamera, NewOnvifDevice } from '../repos/onvif';
import { camera as baseCamera, openTempStore, T0, type TempStore } from './test-utils';

const device: NewOnvifDevice = {
  host: '10.0.0.5',
  port: 80,
  urn: 'urn:uuid:abc',
  username: 'admin',
  passwordEnc: 'v1:iv:tag:cipher',
  manufacturer: 'Acme',
  model: 'PTZ-1',
  firmware: '1.0',
  serial: 'SN1',
};
/** An ONVIF encoder's camera: main and sub stream with credentials. */
const camera = (name: string) => baseCamera(name, { url: 'rtsp://10.0.0.5/main', subUrl: 'rtsp://10.0.0.5/sub', username: 'admin', password: 'pw' });
const link = (source: string): NewOnvifCamera => ({
  sourceToken: source,
  profileToken: `${source}-main`,
  subProfileToken: `${source}-sub`,
  snapshotUri: 'http://10.0.0.5/snap.jpg',
  ptz: true,
  codec: 'H264',
  width: 1920,
  height: 1080,
  fps: 25,
});

describe('SqliteOnvifRepo', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('creates a device with one camera per source and their links', async () => {
    const r = await t.store.onvif.createDevice(
      device,
      [
        { camera: camera('Enc 1'), link: link('vs1') },
        { camera: camera('Enc 2'), link: link('vs2') },
      ],
      T0,
    );
    expect(r.device).toMatchObject({ host: '10.0.0.5', port: 80, events: 'unknown', createdMs: T0, passwordEnc: 'v1:iv:tag:cipher' });
    expect(r.cameras.map((c) => c.name)).toEqual(['Enc 1', 'Enc 2']);
    const links = await t.store.onvif.listLinks();
    expect(links.map((l) => [l.cameraId, l.deviceId, l.sourceToken, l.ptz])).toEqual([
      [r.cameras[0].id, r.device.id, 'vs1', true],
      [r.cameras[1].id, r.device.id, 'vs2', true],
    ]);
    expect(await t.store.onvif.getDeviceByAddress('10.0.0.5', 80)).toEqual(r.device);
  });

  it('leaves nothing behind when one camera name is taken or the address is already added', async () => {
    await t.store.cameras.create(camera('Taken'), T0);
    await expect(
      t.store.onvif.createDevice(
        device,
        [
          { camera: camera('Fresh'), link: link('vs1') },
          { camera: camera('Taken'), link: link('vs2') },
        ],
        T0,
      ),
    ).rejects.toMatchObject({ code: 'conflict', field: 'name' });
    expect(await t.store.onvif.listDevices()).toEqual([]);
    expect((await t.store.cameras.list()).map((c) => c.name)).toEqual(['Taken']);
    expect(await t.store.onvif.listLinks()).toEqual([]);

    await t.store.onvif.createDevice(device, [{ camera: camera('A'), link: link('vs1') }], T0);
    await expect(t.store.onvif.createDevice(device, [{ camera: camera('B'), link: link('vs1') }], T0)).rejects.toMatchObject({
      code: 'conflict',
      field: 'host',
    });
    expect((await t.store.cameras.list()).map((c) => c.name)).toEqual(['Taken', 'A']);
  });

  it('drops the link with the camera and keeps cameras when the device goes', async () => {
    const r = await t.store.onvif.createDevice(
      device,
      [
        { camera: camera('A'), link: link('vs1') },
        { camera: camera('B'), link: link('vs2') },
      ],
      T0,
    );
    await t.store.cameras.delete(r.cameras[0].id);
    expect((await t.store.onvif.listLinks()).map((l) => l.cameraId)).toEqual([r.cameras[1].id]);
    expect(await t.store.onvif.deleteDevice(r.device.id)).toBe(true);
    expect(await t.store.onvif.listLinks()).toEqual([]);
    expect((await t.store.cameras.list()).map((c) => c.name)).toEqual(['B']);
  });

  it('keeps preset ids across renames and syncs with the device list', async () => {
    const { cameras } = await t.store.onvif.createDevice(device, [{ camera: camera('A'), link: link('vs1') }], T0);
    const id = cameras[0].id;
    const p1 = await t.store.onvif.upsertPreset(id, 'tok1', 'Gate');
    const p2 = await t.store.onvif.upsertPreset(id, 'tok2', 'Yard');
    expect((await t.store.onvif.upsertPreset(id, 'tok1', 'Main gate')).id).toBe(p1.id);
    const synced = await t.store.onvif.syncPresets(id, [
      { token: 'tok1', name: 'device name' },
      { token: 'tok3', name: 'Road' },
    ]);
    expect(synced.map((p) => [p.token, p.name])).toEqual([
      ['tok1', 'Main gate'],
      ['tok3', 'Road'],
    ]);
    expect(synced[0].id).toBe(p1.id);
    expect(await t.store.onvif.getPreset(p2.id)).toBeNull();
  });

  it('stores tours with ordered steps and their running flag', async () => {
    const { cameras } = await t.store.onvif.createDevice(device, [{ camera: camera('A'), link: link('vs1') }], T0);
    const steps = [
      { presetId: 2, dwellSeconds: 5 },
      { presetId: 1, dwellSeconds: 3 },
    ];
    const tour = await t.store.onvif.createTour(cameras[0].id, 'Night', steps, T0);
    expect(tour).toMatchObject({ name: 'Night', steps, running: false });
    await t.store.onvif.setTourRunning(tour.id, true, T0 + 1);
    expect((await t.store.onvif.listRunningTours()).map((x) => x.id)).toEqual([tour.id]);
    expect(await t.store.onvif.updateTour(tour.id, 'Day', steps.slice(0, 1), T0 + 2)).toMatchObject({ name: 'Day', steps: steps.slice(0, 1), running: true });
    expect(await t.store.onvif.deleteTour(tour.id)).toBe(true);
    expect(await t.store.onvif.listTours(cameras[0].id)).toEqual([]);
  });

  it('stores per-user priorities and clears them with null', async () => {
    const u = await t.store.users.create({ username: 'op', passwordHash: 'x', role: 'officer', displayName: 'op', disabled: false, createdMs: T0 });
    expect(await t.store.onvif.getPriority(u.id)).toBeNull();
    await t.store.onvif.setPriority(u.id, 35);
    expect(await t.store.onvif.listPriorities()).toEqual([{ userId: u.id, priority: 35 }]);
    await t.store.onvif.setPriority(u.id, null);
    expect(await t.store.onvif.getPriority(u.id)).toBeNull();
  });
});
