// The console's organisation tree state: event reducer, tree order, filter visibility, and the wall fill plan.
import { describe, expect, it } from 'vitest';
import type { ChannelView, DeviceView, OrgCounts, OrgNodeView } from '../../common/devices';
import { parseOrgDrag, orgDragData } from './drag';
import { applyOrgEvent, childNodes, flatNodes, isWithin, nodeDevices, orgStateOf, queryMatchers, sortedChannels, visibleFor } from './org-state';
import { fillPlan } from './wall-fill';

const zero: OrgCounts = { devices: 0, devicesOnline: 0, channels: 0, channelsLive: 0, channelsRecording: 0 };
function node(id: number, parentPath: number[], name: string, code: string | null = null, sortOrder = 0): OrgNodeView {
  return { id, parentId: parentPath.at(-1) ?? null, name, code, path: [...parentPath, id], sortOrder, counts: zero };
}
function channel(id: number, deviceId: number, ordinal: number, name: string): ChannelView {
  return {
    id,
    deviceId,
    ordinal,
    name,
    code: null,
    enabled: true,
    recordMode: 'continuous',
    preAlarmS: 0,
    postAlarmS: 0,
    segmentSeconds: 60,
    retentionDays: 30,
    ptz: false,
    hasSub: false,
    videoCodec: null,
    width: null,
    height: null,
    fps: null,
    place: null,
    description: null,
    stream: null,
    createdMs: 1,
    updatedMs: 1,
    status: { channelId: id, recording: 'connecting', live: null, lastError: null, reason: null, bitrateBps: null, sinceMs: 1, failures: 0, nextRetryMs: null },
  };
}
function device(id: number, nodeId: number, name: string, channels: ChannelView[], callsign: string | null = null): DeviceView {
  return {
    id,
    nodeId,
    kind: callsign ? 'agent' : 'rtsp',
    name,
    code: null,
    vendor: '',
    model: '',
    firmware: '',
    serial: '',
    enabled: true,
    approved: true,
    mobile: callsign ? { callsign, type: 'vehicle', officer: 'Li Wei', plate: null } : null,
    createdMs: 1,
    updatedMs: 1,
    status: { deviceId: id, state: 'online', reason: null, sinceMs: 1, online: true, links: {}, remoteAddress: null },
    channels,
  };
}

// 市局(1) → 分局 B(2, code 3301) → 派出所 C(3); 分局 A(4, sort first)
const nodes = [node(1, [], ''), node(2, [1], '分局 B', '3301', 2), node(3, [1, 2], '派出所 C'), node(4, [1], '分局 A', null, 1)];
const nvr = device(10, 3, 'NVR', [channel(12, 10, 2, 'Back'), channel(11, 10, 1, 'Front')]);
const car = device(20, 2, 'Car 7', [channel(20, 20, 1, 'Car 7')], 'Car 7');
const gate = device(30, 1, 'Gate', [channel(30, 30, 1, 'Gate')]);
const state = orgStateOf(nodes, [nvr, car, gate]);

describe('organisation tree state', () => {
  it('orders child nodes by sort order, devices by name, channels by ordinal', () => {
    expect(childNodes(state, 1).map((n) => n.id)).toEqual([4, 2]);
    expect(nodeDevices(state, 1).map((d) => d.id)).toEqual([30]);
    expect(sortedChannels(nvr).map((c) => c.id)).toEqual([11, 12]);
    expect(flatNodes(state).map((x) => [x.node.id, x.depth])).toEqual([
      [1, 0],
      [4, 1],
      [2, 1],
      [3, 2],
    ]);
    expect(isWithin(state, 3, 2)).toBe(true);
    expect(isWithin(state, 4, 2)).toBe(false);
  });

  it('applies counts, tree changes, device moves and channel statuses', () => {
    const counted = applyOrgEvent(state, { type: 'org.counts', counts: [{ nodeId: 2, counts: { ...zero, devices: 2, devicesOnline: 1 } }] });
    expect(counted.nodes.get(2)?.counts.devicesOnline).toBe(1);
    expect(counted.nodes.get(3)?.counts.devices).toBe(0);
    const moved = applyOrgEvent(state, { type: 'device.changed', device: { ...car, nodeId: 4 } });
    expect(nodeDevices(moved, 4).map((d) => d.id)).toEqual([20]);
    const gone = applyOrgEvent(state, { type: 'device.deleted', deviceId: 30 });
    expect(gone.devices.has(30)).toBe(false);
    const st = applyOrgEvent(state, { type: 'channel.status', status: { ...nvr.channels[0].status, channelId: 12, recording: 'recording' } });
    expect(st.devices.get(10)?.channels.find((c) => c.id === 12)?.status.recording).toBe('recording');
    const dropped = applyOrgEvent(state, { type: 'channel.deleted', channelId: 11, deviceId: 10 });
    expect(dropped.devices.get(10)?.channels.map((c) => c.id)).toEqual([12]);
    const tree = applyOrgEvent(state, { type: 'org.changed', tree: { nodes: nodes.filter((n) => n.id !== 4) } });
    expect(childNodes(tree, 1).map((n) => n.id)).toEqual([2]);
  });

  it('a filter shows hits with the path to them; a node hit shows all it holds', () => {
    const byCallsign = visibleFor(state, queryMatchers('car 7'));
    expect([...byCallsign.nodes].sort()).toEqual([1, 2]);
    expect([...byCallsign.devices]).toEqual([20]);
    const byOfficer = visibleFor(state, queryMatchers('li wei'));
    expect([...byOfficer.devices]).toEqual([20]);
    const byCode = visibleFor(state, queryMatchers('3301'));
    expect([...byCode.nodes].sort()).toEqual([1, 2, 3]);
    expect([...byCode.devices].sort()).toEqual([10, 20]);
    expect([...byCode.channels].sort()).toEqual([11, 12, 20]);
    const byChannel = visibleFor(state, queryMatchers('back'));
    expect([...byChannel.devices]).toEqual([10]);
    expect([...byChannel.channels]).toEqual([12]);
    expect(visibleFor(state, queryMatchers('nothing here')).nodes.size).toBe(0);
  });
});

describe('drag to the wall', () => {
  it('round-trips the drag payload and refuses anything else', () => {
    expect(parseOrgDrag(orgDragData({ kind: 'node', id: 4 }))).toEqual({ kind: 'node', id: 4 });
    expect(parseOrgDrag('device:9')).toEqual({ kind: 'device', id: 9 });
    expect(parseOrgDrag('camera:9')).toBeNull();
    expect(parseOrgDrag('')).toBeNull();
  });

  it('fills tiles from the dropped one and counts what did not fit', () => {
    expect(fillPlan(4, 1, [7, 8])).toEqual({
      assign: [
        { index: 1, sourceId: 7 },
        { index: 2, sourceId: 8 },
      ],
      left: 0,
    });
    expect(fillPlan(4, 2, [7, 8, 9, 10])).toEqual({
      assign: [
        { index: 2, sourceId: 7 },
        { index: 3, sourceId: 8 },
      ],
      left: 2,
    });
  });
});
