// The device service over a real SQLite store: counts and channel/device statuses follow recorder and unit statuses, moves, scopeOf, tree edits refused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CameraState, CameraStatus, UnitStatus } from '../../../common/api';
import type { ServerEvent } from '../../../common/events';
import type { CameraRow, UnitRow } from '../../../storage/repositories';
import { openTempStore, type TempStore } from '../../../storage/sqlite/test-utils';
import { userActor } from '../../platform/actor';
import { DomainError } from '../../platform/errors';
import { AuditLog } from '../audit-log';
import { createDevices, type DevicesControl } from './index';

/** Recorder states set by the test (the recorders themselves are tested in media/ and recording e2e tests). */
class Statuses {
  readonly cams = new Map<number, CameraState>();
  readonly units = new Map<number, { online: boolean; video: boolean; recording: CameraState }>();
  readonly applied: number[] = [];
  readonly removed: number[] = [];
  recording = {
    status: (id: number): CameraStatus => ({
      cameraId: id,
      state: this.cams.get(id) ?? 'stopped',
      lastError: null,
      reason: null,
      bitrateBps: null,
      sinceMs: 0,
      failures: 0,
      nextRetryMs: null,
    }),
    apply: async (c: CameraRow) => void this.applied.push(c.id),
    remove: async (id: number) => void this.removed.push(id),
  };
  unitControl = {
    status: (id: number): UnitStatus => {
      const u = this.units.get(id) ?? { online: false, video: false, recording: 'stopped' as const };
      return {
        unitId: id,
        online: u.online,
        sinceMs: 0,
        video: { online: u.video, sinceMs: 0 },
        telemetry: { online: u.online && !u.video, sinceMs: 0, lastSeenMs: null },
        remoteAddress: null,
        bitrateBps: null,
        recording: u.recording,
        lastError: null,
        reason: null,
      };
    },
    changed: async (_u: UnitRow) => undefined,
    removed: async (_id: number) => undefined,
    publishUrl: (id: number, key: string) => `rtmp://127.0.0.1:1935/live/${id}?key=${key}`,
  };
}

describe('device service', () => {
  let tmp: TempStore;
  let st: Statuses;
  let events: ServerEvent[];
  let dev: DevicesControl;
  const admin = userActor({ id: 1, username: 'admin', role: 'admin' }, '127.0.0.1');
  const stream = (n: number) => ({ url: `rtsp://10.0.0.${n}/s`, subUrl: null, username: null, password: null, transport: 'tcp' as const });

  beforeEach(async () => {
    tmp = await openTempStore();
    st = new Statuses();
    events = [];
    dev = createDevices({
      repos: tmp.store,
      recording: st.recording,
      units: st.unitControl,
      audit: new AuditLog(tmp.store, Date.now),
      publish: (ev) => {
        events.push(ev);
        dev.read.onServerEvent(ev); // as the backend's publish tap does
      },
      segmentSeconds: 10,
      log: () => undefined,
      countsIntervalMs: 50,
    });
    await dev.read.start();
  });
  afterEach(async () => {
    dev.read.close();
    await tmp.cleanup();
  });

  /** 市局 → 分局 with an NVR (2 channels); Patrol with an agent. */
  async function fixture() {
    const city = await dev.org.create({ parentId: 1, name: '市局' }, admin);
    const branch = await dev.org.create({ parentId: city.id, name: '分局' }, admin);
    const patrol = await dev.org.create({ parentId: 1, name: 'Patrol' }, admin);
    const nvr = await dev.edit.createRtsp(
      {
        nodeId: branch.id,
        name: 'NVR',
        channels: [
          { name: 'Cam A', stream: stream(1) },
          { name: 'Cam B', stream: stream(2) },
        ],
      },
      admin,
    );
    const car = (await dev.edit.createAgent({ nodeId: patrol.id, callsign: 'PATROL-7', type: 'vehicle' }, admin)).device;
    return { city, branch, patrol, nvr, car };
  }
  const counts = (nodeId: number) => dev.read.counter.of(nodeId);
  const camStatus = (id: number, state: CameraState) => {
    st.cams.set(id, state);
    dev.read.onServerEvent({ type: 'camera.status', status: st.recording.status(id) });
  };

  it('counts follow recorder and unit statuses along the node path, with channel/device status events and org.counts ≤ 1/s', async () => {
    const { city, branch, patrol, nvr, car } = await fixture();
    expect(counts(1)).toEqual({ devices: 2, devicesOnline: 0, channels: 3, channelsLive: 0, channelsRecording: 0 });
    expect(st.applied).toEqual(nvr.channels.map((c) => c.id));
    events.length = 0;
    camStatus(nvr.channels[1]!.id, 'recording');
    expect(counts(branch.id)).toEqual({ devices: 1, devicesOnline: 1, channels: 2, channelsLive: 1, channelsRecording: 1 });
    expect(counts(city.id)).toMatchObject({ devicesOnline: 1, channelsRecording: 1 });
    expect(counts(patrol.id)).toMatchObject({ devicesOnline: 0, channelsRecording: 0 });
    expect(
      events.filter((e) => e.type === 'channel.status').map((e) => e.type === 'channel.status' && [e.status.channelId, e.status.recording, e.status.live]),
    ).toEqual([[nvr.channels[1]!.id, 'recording', true]]);
    expect(events.find((e) => e.type === 'device.status')).toMatchObject({ status: { deviceId: nvr.id, state: 'online', online: true } });
    st.units.set(car.id, { online: true, video: true, recording: 'recording' });
    dev.read.onServerEvent({ type: 'unit.status', status: st.unitControl.status(car.id) });
    expect(counts(patrol.id)).toEqual({ devices: 1, devicesOnline: 1, channels: 1, channelsLive: 1, channelsRecording: 1 });
    expect(counts(1)).toEqual({ devices: 2, devicesOnline: 2, channels: 3, channelsLive: 2, channelsRecording: 2 });
    await new Promise((r) => setTimeout(r, 200));
    const pushed = events.filter((e) => e.type === 'org.counts');
    expect(pushed).toHaveLength(1); // the changes since the last push, in one event
    expect(pushed[0]!.type === 'org.counts' && pushed[0]!.counts.map((c) => c.nodeId).sort((x, y) => x - y)).toEqual([1, city.id, branch.id, patrol.id]);
    camStatus(nvr.channels[1]!.id, 'reconnecting');
    expect(counts(1)).toMatchObject({ devicesOnline: 1, channelsRecording: 1 });
    expect(events.at(-1)).toMatchObject({ type: 'device.status', status: { deviceId: nvr.id, state: 'reconnecting', online: false } });
    // a status of something the tree does not know changes nothing
    camStatus(9999, 'recording');
    expect(counts(1)).toMatchObject({ devicesOnline: 1, channelsRecording: 1 });
  });

  it('a device moved to another node takes its counts along; scopeOf follows', async () => {
    const { city, branch, patrol, nvr } = await fixture();
    camStatus(nvr.id, 'recording');
    expect(dev.read.scopeOf({ channelId: nvr.channels[1]!.id })).toEqual({
      nodePath: [1, city.id, branch.id],
      deviceId: nvr.id,
      channelIds: [nvr.channels[1]!.id],
    });
    await dev.edit.update(nvr.id, { nodeId: patrol.id }, admin);
    expect(counts(branch.id)).toEqual({ devices: 0, devicesOnline: 0, channels: 0, channelsLive: 0, channelsRecording: 0 });
    expect(counts(city.id)).toMatchObject({ devices: 0, devicesOnline: 0 });
    expect(counts(patrol.id)).toEqual({ devices: 2, devicesOnline: 1, channels: 3, channelsLive: 1, channelsRecording: 1 });
    expect(dev.read.scopeOf({ deviceId: nvr.id })).toEqual({ nodePath: [1, patrol.id], deviceId: nvr.id, channelIds: nvr.channels.map((c) => c.id) });
    // moving a node moves the paths of everything below it
    await dev.org.update(branch.id, { parentId: patrol.id }, admin);
    await dev.edit.update(nvr.id, { nodeId: branch.id }, admin);
    expect(dev.read.scopeOf({ channelId: nvr.id })!.nodePath).toEqual([1, patrol.id, branch.id]);
    expect(counts(patrol.id)).toMatchObject({ devices: 2, devicesOnline: 1 });
    expect(events.filter((e) => e.type === 'org.changed').length).toBeGreaterThan(0);
    const changed = events.filter((e) => e.type === 'channel.changed');
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((e) => e.type === 'channel.changed' && e.channel.stream === null)).toBe(true); // URLs only for admins, over HTTP
    // deleting forgets its statuses
    await dev.edit.delete(nvr.id, admin);
    expect(st.removed).toEqual(nvr.channels.map((c) => c.id));
    expect(counts(1)).toMatchObject({ devices: 1, devicesOnline: 0, channels: 1 });
    expect(dev.read.scopeOf({ deviceId: nvr.id })).toBeNull();
  });

  it('refuses tree moves under itself or a descendant, beyond 15 levels, and of the root; nothing changes', async () => {
    const { city, branch } = await fixture();
    const refused = async (p: Promise<unknown>) => {
      const e = await p.then(
        () => null,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(DomainError);
      return (e as DomainError).code;
    };
    expect(await refused(dev.org.update(city.id, { parentId: branch.id }, admin))).toBe('org.cycle');
    expect(await refused(dev.org.update(1, { parentId: city.id }, admin))).toBe('org.root');
    let parent = branch.id;
    for (let level = 3; level <= 15; level++) parent = (await dev.org.create({ parentId: parent, name: `L${level}` }, admin)).id;
    expect(await refused(dev.org.create({ parentId: parent, name: 'L16' }, admin))).toBe('org.too_deep');
    const side = await dev.org.create({ parentId: 1, name: 'Side' }, admin);
    await dev.org.create({ parentId: side.id, name: 'Side child' }, admin);
    expect(await refused(dev.org.update(side.id, { parentId: (await tmp.store.org.get(parent))!.parentId! }, admin))).toBe('org.too_deep');
    expect((await tmp.store.org.get(side.id))!.path).toEqual([1, side.id]);
    expect(await refused(dev.org.delete(branch.id, admin))).toBe('org.node_not_empty');
    expect((await dev.read.orgTree()).nodes.map((n) => n.id)).toEqual((await tmp.store.org.list()).map((n) => n.id));
  });

  it('search finds by name, callsign and code with node paths; changes made outside the service reach the tree', async () => {
    const { patrol, car } = await fixture();
    expect((await dev.read.search('patrol-7')).map((h) => [h.kind, h.id, h.path])).toEqual([
      ['device', car.id, [1, patrol.id]],
      ['channel', car.id, [1, patrol.id]],
    ]);
    // a camera added through the old path (compat repo) and announced with camera.changed
    const row = await tmp.store.cameras.create(
      {
        name: 'Legacy cam',
        url: 'rtsp://10.1.1.1/x',
        subUrl: null,
        username: null,
        password: null,
        transport: 'tcp',
        enabled: true,
        segmentSeconds: 10,
        retentionDays: 30,
        groupName: null,
        description: null,
      },
      Date.now(),
    );
    dev.read.onServerEvent({ type: 'camera.deleted', cameraId: -1 });
    await new Promise((r) => setTimeout(r, 50));
    expect((await dev.read.search('legacy')).map((h) => [h.kind, h.id])).toEqual([
      ['device', row.id],
      ['channel', row.id],
    ]);
    expect(dev.read.counter.of(1).devices).toBe(3);
  });
});
