// The console's organisation store: loads tree and devices, falls back when the server has no tree, follows events.
import { describe, expect, it } from 'vitest';
import type { DeviceView, OrgTree } from '../../common/devices';
import { OrgStore } from './org-store';

const tree: OrgTree = {
  nodes: [
    {
      id: 1,
      parentId: null,
      name: '',
      code: null,
      path: [1],
      sortOrder: 0,
      counts: { devices: 0, devicesOnline: 0, channels: 0, channelsLive: 0, channelsRecording: 0 },
    },
  ],
};

describe('OrgStore', () => {
  it('is available once tree and devices loaded, and applies org events', async () => {
    const store = new OrgStore({ orgTree: async () => tree, listDevices: async () => [] as DeviceView[] });
    expect(store.get().available).toBeNull();
    await store.reload();
    expect(store.get().available).toBe(true);
    expect(store.get().nodes.get(1)?.name).toBe('');
    store.apply({ type: 'org.counts', counts: [{ nodeId: 1, counts: { ...tree.nodes[0].counts, devices: 3, devicesOnline: 2 } }] });
    expect(store.get().nodes.get(1)?.counts.devicesOnline).toBe(2);
    store.close();
  });

  it('a server without the tree (404) leaves it unavailable, and events change nothing', async () => {
    const store = new OrgStore({ orgTree: () => Promise.reject(new Error('404')), listDevices: async () => [] });
    await store.reload();
    expect(store.get().available).toBe(false);
    store.apply({ type: 'org.changed', tree });
    expect(store.get().nodes.size).toBe(0);
    store.close();
  });
});
