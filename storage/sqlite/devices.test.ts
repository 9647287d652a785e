// Tests of SqliteDeviceRepo, SqliteChannelRepo, SqliteRtspRepo and SqliteAgentRepo: ids from one counter, atomic creation, cascades.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT_NODE_ID } from '../../common/devices';
import type { AlarmOccurrence } from '../repos/alarms';
import type { NewChannel, NewDeviceWithChannels } from '../repos/devices';
import { openTempStore, segment, T0, type TempStore } from './test-utils';

const hash = (s: string) => createHash('sha256').update(s).digest('hex');

function rtspChannel(name: string, over: Partial<NewChannel> = {}): NewChannel {
  return {
    name,
    segmentSeconds: 60,
    retentionDays: 30,
    rtsp: { url: `rtsp://10.0.0.1/${encodeURIComponent(name)}`, subUrl: null, username: 'op', password: 'secret', transport: 'tcp' },
    ...over,
  };
}

const nvr = (name: string, channels: string[]): NewDeviceWithChannels => ({
  device: { nodeId: ROOT_NODE_ID, kind: 'rtsp', name },
  channels: channels.map((c) => rtspChannel(c)),
});

describe('SqliteDeviceRepo and SqliteChannelRepo', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('creates a device with its channels: the device and its first channel share one id, ordinals 1..n', async () => {
    expect(await t.store.devices.nextId()).toBe(1);
    const a = await t.store.devices.createWithChannels(nvr('NVR', ['Ch 1', 'Ch 2', 'Ch 3']), T0);
    expect(a.device).toEqual({
      id: 1,
      nodeId: ROOT_NODE_ID,
      kind: 'rtsp',
      name: 'NVR',
      code: null,
      vendor: '',
      model: '',
      firmware: '',
      serial: '',
      enabled: true,
      approved: true,
      mobile: null,
      createdMs: T0,
      updatedMs: T0,
    });
    expect(a.channels.map((c) => [c.id, c.deviceId, c.ordinal, c.name, c.recordMode, c.preAlarmS, c.postAlarmS])).toEqual([
      [1, 1, 1, 'Ch 1', 'continuous', 10, 30],
      [2, 1, 2, 'Ch 2', 'continuous', 10, 30],
      [3, 1, 3, 'Ch 3', 'continuous', 10, 30],
    ]);
    expect(await t.store.rtsp.get(2)).toEqual({
      channelId: 2,
      url: 'rtsp://10.0.0.1/Ch%202',
      subUrl: null,
      username: 'op',
      password: 'secret',
      transport: 'tcp',
    });
    const b = await t.store.devices.createWithChannels(nvr('Cam', ['Cam']), T0);
    expect([b.device.id, b.channels[0]!.id]).toEqual([4, 4]);
    expect(await t.store.devices.getWithChannels(1)).toEqual(a);
    // A channel added later takes the next id and ordinal.
    expect(await t.store.channels.create(1, rtspChannel('Ch 4'), T0 + 1)).toMatchObject({ id: 5, deviceId: 1, ordinal: 4 });
    expect(await t.store.devices.nextId()).toBe(6);
  });

  it('never reuses an id, not even after deleting the highest device or channel', async () => {
    const a = await t.store.devices.createWithChannels(nvr('A', ['A']), T0);
    const b = await t.store.devices.createWithChannels(nvr('B', ['B', 'B2']), T0);
    expect(b.channels.map((c) => c.id)).toEqual([2, 3]);
    expect(await t.store.channels.delete(3)).toBe(true);
    expect(await t.store.devices.delete(b.device.id)).toBe(true);
    const c = await t.store.devices.createWithChannels(nvr('C', ['C']), T0);
    expect(c.device.id).toBe(4);
    expect(await t.store.channels.create(a.device.id, rtspChannel('A2'), T0)).toMatchObject({ id: 5, ordinal: 2 });
    // The compat views take their ids from the same counter.
    expect(
      (
        await t.store.cameras.create(
          {
            name: 'Old API',
            url: 'rtsp://x/',
            subUrl: null,
            username: null,
            password: null,
            transport: 'tcp',
            enabled: true,
            segmentSeconds: 60,
            retentionDays: 30,
            groupName: null,
            description: null,
          },
          T0,
        )
      ).id,
    ).toBe(6);
    await t.store.cameras.delete(6);
    expect(
      (
        await t.store.units.create(
          { callsign: 'Car', type: 'vehicle', officer: null, enabled: true, groupName: null, segmentSeconds: 60, retentionDays: 30, streamKeyHash: hash('k') },
          T0,
        )
      ).id,
    ).toBe(7);
  });

  it('creates all or nothing: a taken channel name or a failing row leaves no device, channel or counter step behind', async () => {
    await t.store.devices.createWithChannels(nvr('A', ['Taken']), T0);
    const before = await t.store.devices.nextId();
    await expect(t.store.devices.createWithChannels(nvr('B', ['Free', 'Taken']), T0)).rejects.toMatchObject({
      code: 'conflict',
      field: 'name',
      message: expect.stringContaining('"Taken"'),
    });
    await expect(t.store.devices.createWithChannels(nvr('B', ['Twice', 'Twice']), T0)).rejects.toMatchObject({ code: 'conflict', field: 'name' });
    // A CHECK failure in the last channel's rtsp row (empty URL).
    const bad = nvr('B', ['Ok 1', 'Ok 2']);
    bad.channels[1]!.rtsp!.url = '';
    await expect(t.store.devices.createWithChannels(bad, T0)).rejects.toThrow(/CHECK constraint/);
    await expect(t.store.devices.createWithChannels({ ...nvr('B', ['Ok 1']), device: { nodeId: 99, kind: 'rtsp', name: 'B' } }, T0)).rejects.toMatchObject({
      code: 'not_found',
      field: 'nodeId',
    });
    expect((await t.store.devices.list()).map((d) => d.name)).toEqual(['A']);
    expect((await t.store.channels.list()).map((c) => c.name)).toEqual(['Taken']);
    expect(await t.store.rtsp.list()).toHaveLength(1);
    expect(await t.store.devices.nextId()).toBe(before);
  });

  it('keeps agent devices to one channel with a key row, callsigns unique, kinds fixed', async () => {
    const agent = (callsign: string): NewDeviceWithChannels => ({
      device: { nodeId: ROOT_NODE_ID, kind: 'agent', name: callsign, mobile: { callsign, type: 'body', officer: 'Li Na', plate: null } },
      channels: [{ name: callsign, segmentSeconds: 10, retentionDays: 30 }],
      agent: { streamKeyHash: hash(callsign) },
    });
    const a = await t.store.devices.createWithChannels(agent('BODY-1'), T0);
    expect(a.device.mobile).toEqual({ callsign: 'BODY-1', type: 'body', officer: 'Li Na', plate: null });
    expect(await t.store.agents.get(a.device.id)).toEqual({ deviceId: a.device.id, streamKeyHash: hash('BODY-1'), keyRotatedMs: T0 });
    expect(await t.store.devices.getByCallsign('BODY-1')).toEqual(a.device);
    await expect(t.store.devices.createWithChannels({ ...agent('BODY-1'), channels: [] }, T0)).rejects.toThrow(/exactly one channel/);
    await expect(t.store.channels.create(a.device.id, { name: 'second', segmentSeconds: 10, retentionDays: 30 }, T0)).rejects.toThrow(/exactly one channel/);
    // Another device with the same callsign (its channel named differently).
    const twin = agent('BODY-1');
    twin.channels[0]!.name = 'other';
    await expect(t.store.devices.createWithChannels(twin, T0)).rejects.toMatchObject({ code: 'conflict', field: 'callsign' });
    expect(await t.store.agents.setKey(a.device.id, hash('new'), T0 + 9)).toEqual({ deviceId: a.device.id, streamKeyHash: hash('new'), keyRotatedMs: T0 + 9 });
    expect((await t.store.devices.get(a.device.id))!.updatedMs).toBe(T0 + 9);
    expect(await t.store.agents.setKey(999, hash('x'), T0)).toBeNull();
    // Kind and device of a channel never change; a key row only for an agent.
    const cam = await t.store.devices.createWithChannels(nvr('Cam', ['Cam']), T0);
    await expect(t.store.db.run("UPDATE devices SET kind = 'onvif' WHERE id = ?", [cam.device.id])).rejects.toThrow(/cannot change/);
    await expect(t.store.db.run('UPDATE channels SET device_id = ? WHERE id = ?', [a.device.id, cam.channels[0]!.id])).rejects.toThrow(/cannot change/);
    await expect(t.store.db.run('INSERT INTO agent_devices VALUES (?, ?, 0)', [cam.device.id, hash('y')])).rejects.toThrow(/kind agent/);
  });

  it('updates devices (move, mobile identity) and channels (policy, place) and deletes configuration but not recordings', async () => {
    const node = await t.store.org.create({ parentId: ROOT_NODE_ID, name: 'Station' }, T0);
    const a = await t.store.devices.createWithChannels(nvr('A', ['A1', 'A2']), T0);
    expect(await t.store.devices.update(a.device.id, { nodeId: node.id, vendor: 'Hik', serial: 'S1' }, T0 + 1)).toMatchObject({
      nodeId: node.id,
      vendor: 'Hik',
      serial: 'S1',
      updatedMs: T0 + 1,
    });
    await expect(t.store.devices.update(a.device.id, { nodeId: 77 }, T0)).rejects.toMatchObject({ code: 'not_found', field: 'nodeId' });
    expect(await t.store.devices.update(a.device.id, { mobile: { callsign: 'VAN-1', type: 'vehicle', officer: null, plate: '京A12345' } }, T0)).toMatchObject({
      mobile: { callsign: 'VAN-1', plate: '京A12345' },
    });
    expect(await t.store.devices.update(a.device.id, { mobile: null }, T0)).toMatchObject({ mobile: null });
    expect(await t.store.devices.update(999, { name: 'x' }, T0)).toBeNull();
    // A rename of device and channel 1 together, all or nothing.
    expect(await t.store.devices.update(a.device.id, { name: 'A new', firstChannelName: 'A1 new' }, T0 + 3)).toMatchObject({ name: 'A new' });
    expect(await t.store.channels.get(a.device.id)).toMatchObject({ name: 'A1 new', updatedMs: T0 + 3 });
    await expect(t.store.devices.update(a.device.id, { name: 'A newer', firstChannelName: 'A2' }, T0)).rejects.toMatchObject({
      code: 'conflict',
      field: 'name',
    });
    expect((await t.store.devices.get(a.device.id))!.name).toBe('A new');

    const ch = await t.store.channels.update(2, { recordMode: 'alarm', preAlarmS: 0, postAlarmS: 60, ptz: true, videoCodec: 'h265' }, T0 + 2);
    expect(ch).toMatchObject({ id: 2, recordMode: 'alarm', preAlarmS: 0, postAlarmS: 60, ptz: true, videoCodec: 'h265', updatedMs: T0 + 2 });
    await expect(t.store.channels.update(2, { name: 'A1 new' }, T0)).rejects.toMatchObject({ code: 'conflict', field: 'name' });
    expect(await t.store.channels.setPlace(2, { lat: 39.9, lon: 116.4, viewDeg: null }, T0)).toBe(true);
    expect((await t.store.channels.get(2))!.place).toEqual({ lat: 39.9, lon: 116.4, viewDeg: null });
    expect(await t.store.channels.setPlace(999, null, T0)).toBe(false);
    expect(await t.store.rtsp.update(2, { password: null, subUrl: 'rtsp://10.0.0.1/sub' })).toMatchObject({
      password: null,
      subUrl: 'rtsp://10.0.0.1/sub',
      username: 'op',
    });
    expect((await t.store.channels.listByDevice(a.device.id)).map((c) => c.ordinal)).toEqual([1, 2]);

    const seg = await t.store.segments.insert(segment(2, T0, T0 + 60_000));
    await t.store.onvif.upsertPreset(2, 'p1', 'Gate');
    expect(await t.store.devices.delete(a.device.id)).toBe(true);
    expect(await t.store.devices.delete(a.device.id)).toBe(false);
    expect(await t.store.channels.list()).toEqual([]);
    expect(await t.store.rtsp.list()).toEqual([]);
    expect(await t.store.onvif.listPresets(2)).toEqual([]);
    expect(await t.store.segments.get(seg.id)).toEqual(seg);
  });

  it('names the device and channel of new alarms and events that do not name them (by the backfill rule)', async () => {
    const nvrDev = await t.store.devices.createWithChannels(nvr('NVR', ['N1', 'N2']), T0);
    const unit = await t.store.units.create(
      { callsign: 'Car', type: 'vehicle', officer: null, enabled: true, groupName: null, segmentSeconds: 60, retentionDays: 30, streamKeyHash: hash('k') },
      T0,
    );
    const base: Omit<AlarmOccurrence, 'sourceId' | 'type'> = {
      sourceName: 'x',
      severity: 'minor',
      atMs: T0,
      lat: null,
      lon: null,
      message: null,
      reason: null,
      deviceEventId: null,
      test: true,
      mergeable: false,
      reporter: null,
      cause: null,
      ruleIds: [],
      escalateRole: null,
      escalateDueMs: null,
      linkage: null,
    };
    const motion = await t.store.alarms.raise({ ...base, sourceId: nvrDev.channels[1]!.id, type: 'motion' }, 0, T0);
    const sos = await t.store.alarms.raise({ ...base, sourceId: unit.id, type: 'sos' }, 0, T0);
    const lost = await t.store.alarms.raise({ ...base, sourceId: unit.id, type: 'unit_offline', cause: 'telemetry_link_lost' }, 0, T0);
    const server = await t.store.alarms.raise({ ...base, sourceId: null, type: 'manual' }, 0, T0);
    const ids = [motion, sos, lost, server].map((f) => f.alarm.id);
    expect(
      await t.store.db.all('SELECT device_id, channel_id FROM alarms WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id', [JSON.stringify(ids)]),
    ).toEqual([
      { device_id: nvrDev.device.id, channel_id: nvrDev.channels[1]!.id },
      { device_id: unit.id, channel_id: null },
      { device_id: unit.id, channel_id: null },
      { device_id: null, channel_id: null },
    ]);
    const ev = await t.store.events.insert({ cameraId: nvrDev.channels[1]!.id, type: 'motion', state: null, startMs: T0, endMs: null, detail: null });
    expect(await t.store.db.get('SELECT device_id FROM events WHERE id = ?', [ev.id])).toEqual({ device_id: nvrDev.device.id });
  });
});
