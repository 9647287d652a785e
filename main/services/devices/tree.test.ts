// The organisation tree in memory: scopes, moves refused (cycle, depth, root), counts on status changes and moves, search.
import { describe, expect, it } from 'vitest';
import { ORG_MAX_DEPTH } from '../../../common/devices';
import { OrgCounter } from './counts';
import { searchTree } from './search';
import { OrgTreeIndex, type TreeDevice, type TreeNode } from './tree';

const node = (id: number, parentId: number | null, name: string, code: string | null = null, sortOrder = 0): TreeNode => ({
  id,
  parentId,
  name,
  code,
  sortOrder,
});
const device = (id: number, nodeId: number, name: string, extra: Partial<TreeDevice> = {}): TreeDevice => ({
  id,
  nodeId,
  kind: 'rtsp',
  name,
  enabled: true,
  code: null,
  callsign: null,
  serial: '',
  plate: null,
  ...extra,
});

/** 市局 (1) → 分局 (2) → 派出所 (3); 4 "Patrol" under the root. Devices 1 (node 3, channels 1, 6), 5 (node 2, channel 5), 7 agent (node 4). */
function fixture(): OrgTreeIndex {
  const t = new OrgTreeIndex();
  t.load(
    [node(1, null, ''), node(2, 1, '分局', '110101'), node(3, 2, '派出所 East'), node(4, 1, 'Patrol', null, -1)],
    [
      device(1, 3, 'Gate'),
      device(5, 2, 'FixtureCam PTZ-1', { kind: 'onvif', serial: 'FX0017' }),
      device(7, 4, 'PATROL-7', { kind: 'agent', callsign: 'PATROL-7', plate: '京A12345' }),
    ],
    [
      { id: 1, deviceId: 1, ordinal: 1, name: 'Gate north', code: null },
      { id: 6, deviceId: 1, ordinal: 2, name: 'Gate south', code: '34020000001310000006' },
      { id: 5, deviceId: 5, ordinal: 1, name: 'Dock PTZ', code: null },
      { id: 7, deviceId: 7, ordinal: 1, name: 'PATROL-7', code: null },
    ],
  );
  return t;
}

describe('OrgTreeIndex', () => {
  it('resolves the scope of a channel and of a device from memory (invariant 11)', () => {
    const t = fixture();
    expect(t.scopeOf({ channelId: 6 })).toEqual({ nodePath: [1, 2, 3], deviceId: 1, channelIds: [6] });
    expect(t.scopeOf({ deviceId: 1 })).toEqual({ nodePath: [1, 2, 3], deviceId: 1, channelIds: [1, 6] });
    expect(t.scopeOf({ deviceId: 7 })).toEqual({ nodePath: [1, 4], deviceId: 7, channelIds: [7] });
    expect(t.scopeOf({ channelId: 99 })).toBeNull();
    expect(t.scopeOf({ deviceId: 99 })).toBeNull();
  });

  it('lists channels in tree order: nodes by sort order then name, devices by name, channels by ordinal', () => {
    const t = fixture();
    expect(t.channelsUnder(1, true).map((c) => c.channelId)).toEqual([7, 5, 1, 6]); // Patrol (sort -1) first
    expect(t.channelsUnder(2, false).map((c) => c.channelId)).toEqual([5]);
    expect(t.channelsUnder(2, true).map((c) => c.channelId)).toEqual([5, 1, 6]);
  });

  it('refuses a move under the node itself or a descendant, of the root, and beyond the depth limit', () => {
    const t = fixture();
    expect(t.checkMove(2, 3)).toBe('cycle');
    expect(t.checkMove(2, 2)).toBe('cycle');
    expect(t.checkMove(1, 4)).toBe('root');
    expect(t.checkMove(2, 99)).toBe('parent_not_found');
    expect(t.checkMove(3, 4)).toBeNull();
    // a chain 10 → 11 → … down to depth 15 under node 4; moving node 2 (height 1) under its leaf would be depth 17
    let parent = 4;
    for (let id = 10; t.depthOf(parent) < ORG_MAX_DEPTH; id++) {
      t.putNode(node(id, parent, `level ${id}`));
      parent = id;
    }
    expect(t.depthOf(parent)).toBe(ORG_MAX_DEPTH);
    expect(t.canAddChild(parent)).toBe(false);
    expect(t.checkMove(3, t.node(parent)!.parentId!)).toBeNull(); // a leaf to depth 15: allowed
    expect(t.checkMove(2, t.node(parent)!.parentId!)).toBe('too_deep'); // 分局 with its child to depth 15 + 1
  });

  it('moves a node with its subtree: paths and scopes follow', () => {
    const t = fixture();
    t.putNode({ ...t.node(3)!, parentId: 4 });
    expect(t.pathOf(3)).toEqual([1, 4, 3]);
    expect(t.scopeOf({ channelId: 1 })!.nodePath).toEqual([1, 4, 3]);
    expect(t.childrenOf(2)).toEqual([]);
    expect(t.hasContent(2)).toBe(true); // device 5 is still there
    t.removeDevice(5);
    expect(t.hasContent(2)).toBe(false);
    expect(t.channel(5)).toBeNull();
  });
});

describe('OrgCounter', () => {
  it('counts subtree totals and follows status changes along the node path', () => {
    const t = fixture();
    const pushed: Array<Array<{ nodeId: number }>> = [];
    const c = new OrgCounter(t, { push: (x) => pushed.push(x) });
    c.flush();
    expect(c.of(1)).toEqual({ devices: 3, devicesOnline: 0, channels: 4, channelsLive: 0, channelsRecording: 0 });
    expect(c.of(2)).toEqual({ devices: 2, devicesOnline: 0, channels: 3, channelsLive: 0, channelsRecording: 0 });
    c.setChannelRecording(6, true);
    c.setChannelLive(6, true);
    c.setDeviceOnline(1, true);
    c.setDeviceOnline(1, true); // no change
    expect(c.of(3)).toMatchObject({ devicesOnline: 1, channelsLive: 1, channelsRecording: 1 });
    expect(c.of(1)).toMatchObject({ devicesOnline: 1, channelsRecording: 1 });
    expect(c.of(4)).toMatchObject({ devicesOnline: 0, channelsRecording: 0 });
    expect(c.flush().map((x) => x.nodeId)).toEqual([1, 2, 3]); // only the path of device 1, once
    expect(c.flush()).toEqual([]);
    c.setChannelRecording(6, false);
    expect(c.of(2).channelsRecording).toBe(0);
    c.close();
  });

  it('moves counts with a device moved to another node (recount)', () => {
    const t = fixture();
    const c = new OrgCounter(t, { push: () => undefined });
    c.setDeviceOnline(1, true);
    c.setChannelRecording(1, true);
    c.flush();
    t.putDevice({ ...t.device(1)!, nodeId: 4 });
    c.recount();
    expect(c.of(3)).toEqual({ devices: 0, devicesOnline: 0, channels: 0, channelsLive: 0, channelsRecording: 0 });
    expect(c.of(2)).toMatchObject({ devices: 1, devicesOnline: 0, channelsRecording: 0 });
    expect(c.of(4)).toEqual({ devices: 2, devicesOnline: 1, channels: 3, channelsLive: 0, channelsRecording: 1 });
    expect(c.of(1)).toMatchObject({ devices: 3, devicesOnline: 1, channelsRecording: 1 });
    expect(c.flush().map((x) => x.nodeId)).toEqual([2, 3, 4]); // the root's totals did not change
    c.close();
  });

  it('pushes at most once per interval, with every node changed in between', async () => {
    const t = fixture();
    const pushed: Array<number[]> = [];
    const c = new OrgCounter(t, { push: (x) => pushed.push(x.map((y) => y.nodeId)), intervalMs: 200 });
    c.flush();
    pushed.length = 0;
    c.setChannelRecording(1, true); // path 1, 2, 3
    c.setDeviceOnline(7, true); // path 1, 4
    c.setChannelLive(7, true);
    expect(pushed).toEqual([]); // not yet: within the interval of the last push
    await new Promise((r) => setTimeout(r, 400));
    expect(pushed).toEqual([[1, 2, 3, 4]]);
    c.close();
  });
});

describe('searchTree', () => {
  it('finds nodes, devices and channels by name, code, callsign, serial and plate, case-insensitively, with paths', () => {
    const t = fixture();
    expect(searchTree(t, 'patrol')).toEqual([
      { kind: 'node', id: 4, name: 'Patrol', code: null, path: [1, 4] },
      { kind: 'device', id: 7, name: 'PATROL-7', code: null, callsign: 'PATROL-7', path: [1, 4] },
      { kind: 'channel', id: 7, deviceId: 7, name: 'PATROL-7', code: null, path: [1, 4] },
    ]);
    expect(searchTree(t, '110101')).toEqual([{ kind: 'node', id: 2, name: '分局', code: '110101', path: [1, 2] }]);
    expect(searchTree(t, 'fx00')).toMatchObject([{ kind: 'device', id: 5 }]);
    expect(searchTree(t, '京a')).toMatchObject([{ kind: 'device', id: 7 }]);
    expect(searchTree(t, '1310000006')).toMatchObject([{ kind: 'channel', id: 6, deviceId: 1, path: [1, 2, 3] }]);
    expect(searchTree(t, 'GATE').map((h) => `${h.kind}${h.id}`)).toEqual(['device1', 'channel1', 'channel6']);
    expect(searchTree(t, 'gate', 2)).toHaveLength(2);
    expect(searchTree(t, '   ')).toEqual([]);
    expect(searchTree(t, 'nothing like this')).toEqual([]);
  });
});
