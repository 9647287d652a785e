// The organisation tree in memory (docs/design/devices.md "The organisation tree"): nodes, each device's node, each channel's device; scopes and tree order.
import type { ChannelRef, DeviceKind } from '../../../common/devices';
import { ORG_MAX_DEPTH, ROOT_NODE_ID } from '../../../common/devices';

export interface TreeNode {
  id: number;
  parentId: number | null;
  name: string;
  code: string | null;
  sortOrder: number;
}

export interface TreeDevice {
  id: number;
  nodeId: number;
  kind: DeviceKind;
  name: string;
  enabled: boolean;
  code: string | null;
  callsign: string | null;
  serial: string;
  plate: string | null;
}

export interface TreeChannel {
  id: number;
  deviceId: number;
  ordinal: number;
  name: string;
  code: string | null;
}

/** What a rights check is about (invariant 11): the node path from the root, the device, its channels (or the one channel). */
export interface ScopeTarget {
  nodePath: number[];
  deviceId: number | null;
  channelIds: number[];
}

/** Why a move is refused. */
export type MoveProblem = 'root' | 'cycle' | 'too_deep' | 'parent_not_found' | 'not_found';

const byOrder = (a: TreeNode, b: TreeNode) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name) || a.id - b.id;
const byName = (a: { name: string; id: number }, b: { name: string; id: number }) => a.name.localeCompare(b.name) || a.id - b.id;

export class OrgTreeIndex {
  private readonly nodes = new Map<number, TreeNode>();
  private readonly devices = new Map<number, TreeDevice>();
  private readonly channels = new Map<number, TreeChannel>();
  private readonly childNodes = new Map<number, Set<number>>();
  private readonly nodeDevices = new Map<number, Set<number>>();
  private readonly deviceChannels = new Map<number, Set<number>>();
  /** Cached paths (ids from the root to the node, both included); cleared by structural node changes. */
  private readonly paths = new Map<number, number[]>();
  private readonly watchers = new Set<() => void>();
  /** Grows with every structural change (a node added, moved or removed; a device or channel added, moved or removed): rights caches compare it. */
  version = 0;

  /** Calls `fn` after every structural change (see `version`); returns the unsubscribe. */
  watch(fn: () => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  private changed(): void {
    this.version++;
    for (const w of this.watchers) w();
  }

  /** Replaces everything (at start). */
  load(nodes: readonly TreeNode[], devices: readonly TreeDevice[], channels: readonly TreeChannel[]): void {
    for (const m of [this.nodes, this.devices, this.channels, this.childNodes, this.nodeDevices, this.deviceChannels, this.paths]) m.clear();
    for (const n of nodes) this.putNode(n);
    for (const d of devices) this.putDevice(d);
    for (const c of channels) this.putChannel(c);
    this.changed();
  }

  // ---------------------------------------------------------------- reads

  node(id: number): TreeNode | null {
    return this.nodes.get(id) ?? null;
  }
  device(id: number): TreeDevice | null {
    return this.devices.get(id) ?? null;
  }
  channel(id: number): TreeChannel | null {
    return this.channels.get(id) ?? null;
  }
  allNodes(): TreeNode[] {
    return [...this.nodes.values()];
  }
  allDevices(): TreeDevice[] {
    return [...this.devices.values()];
  }
  allChannels(): TreeChannel[] {
    return [...this.channels.values()];
  }

  /** Ids from the root to the node, both included ([] for an unknown node). O(depth), cached. */
  pathOf(nodeId: number): number[] {
    const cached = this.paths.get(nodeId);
    if (cached) return cached;
    const n = this.nodes.get(nodeId);
    if (!n) return [];
    const path = n.parentId === null ? [n.id] : [...this.pathOf(n.parentId), n.id];
    this.paths.set(nodeId, path);
    return path;
  }

  /** Depth of a node: 0 for the root. */
  depthOf(nodeId: number): number {
    return this.pathOf(nodeId).length - 1;
  }

  childrenOf(nodeId: number): TreeNode[] {
    return [...(this.childNodes.get(nodeId) ?? [])].map((id) => this.nodes.get(id)!).sort(byOrder);
  }

  devicesOf(nodeId: number): TreeDevice[] {
    return [...(this.nodeDevices.get(nodeId) ?? [])].map((id) => this.devices.get(id)!).sort(byName);
  }

  channelsOf(deviceId: number): TreeChannel[] {
    return [...(this.deviceChannels.get(deviceId) ?? [])].map((id) => this.channels.get(id)!).sort((a, b) => a.ordinal - b.ordinal || a.id - b.id);
  }

  /** Whether a node holds child nodes or devices (invariant 10: then it cannot be deleted). */
  hasContent(nodeId: number): boolean {
    return (this.childNodes.get(nodeId)?.size ?? 0) > 0 || (this.nodeDevices.get(nodeId)?.size ?? 0) > 0;
  }

  /** The node and every node below it, depth-first in tree order. */
  subtree(nodeId: number): TreeNode[] {
    const n = this.nodes.get(nodeId);
    if (!n) return [];
    const out: TreeNode[] = [];
    const walk = (x: TreeNode) => {
      out.push(x);
      for (const c of this.childrenOf(x.id)) walk(c);
    };
    walk(n);
    return out;
  }

  /** Height of the subtree below a node (0 for a leaf). */
  private heightBelow(nodeId: number): number {
    let h = 0;
    for (const c of this.childNodes.get(nodeId) ?? []) h = Math.max(h, 1 + this.heightBelow(c));
    return h;
  }

  /** Devices of a node, or of its whole subtree, in tree order. */
  devicesUnder(nodeId: number, recursive: boolean): TreeDevice[] {
    const nodes = recursive ? this.subtree(nodeId) : this.nodes.has(nodeId) ? [this.nodes.get(nodeId)!] : [];
    return nodes.flatMap((n) => this.devicesOf(n.id));
  }

  /** Channels of a node (or its subtree) in tree order: nodes depth-first (sort order, then name), devices by name, channels by ordinal. */
  channelsUnder(nodeId: number, recursive: boolean): ChannelRef[] {
    return this.devicesUnder(nodeId, recursive).flatMap((d) => this.channelsOf(d.id).map((c) => ({ channelId: c.id, deviceId: d.id, name: c.name })));
  }

  /** Whether the node is `ancestorId` or below it. */
  isUnder(nodeId: number, ancestorId: number): boolean {
    return this.pathOf(nodeId).includes(ancestorId);
  }

  /** Invariant 11: what a check on a channel or a device is about, from memory in O(depth). Null when unknown. */
  scopeOf(target: { channelId: number } | { deviceId: number }): ScopeTarget | null {
    if ('channelId' in target) {
      const c = this.channels.get(target.channelId);
      const d = c ? this.devices.get(c.deviceId) : undefined;
      if (!c || !d) return null;
      return { nodePath: this.pathOf(d.nodeId), deviceId: d.id, channelIds: [c.id] };
    }
    const d = this.devices.get(target.deviceId);
    if (!d) return null;
    return { nodePath: this.pathOf(d.nodeId), deviceId: d.id, channelIds: [...(this.deviceChannels.get(d.id) ?? [])].sort((a, b) => a - b) };
  }

  /** Invariant 10: why the node may not move under newParentId, or null when it may. */
  checkMove(nodeId: number, newParentId: number): MoveProblem | null {
    if (!this.nodes.has(nodeId)) return 'not_found';
    if (nodeId === ROOT_NODE_ID) return 'root';
    if (!this.nodes.has(newParentId)) return 'parent_not_found';
    if (this.isUnder(newParentId, nodeId)) return 'cycle';
    if (this.depthOf(newParentId) + 1 + this.heightBelow(nodeId) > ORG_MAX_DEPTH) return 'too_deep';
    return null;
  }

  /** Whether a child may be added under the node (depth limit). */
  canAddChild(parentId: number): boolean {
    return this.nodes.has(parentId) && this.depthOf(parentId) + 1 <= ORG_MAX_DEPTH;
  }

  /** A sibling (under parentId) already named `name`, other than exceptId. */
  siblingNamed(parentId: number, name: string, exceptId?: number): TreeNode | null {
    for (const id of this.childNodes.get(parentId) ?? []) {
      const n = this.nodes.get(id)!;
      if (n.name === name && n.id !== exceptId) return n;
    }
    return null;
  }

  // ---------------------------------------------------------------- writes (mirror of every stored change)

  putNode(n: TreeNode): void {
    const before = this.nodes.get(n.id);
    if (before && before.parentId !== n.parentId) {
      if (before.parentId !== null) this.childNodes.get(before.parentId)?.delete(n.id);
      this.paths.clear();
    }
    this.nodes.set(n.id, { ...n });
    if (n.parentId !== null) this.setOf(this.childNodes, n.parentId).add(n.id);
    if (!before || before.parentId !== n.parentId) this.changed();
  }

  removeNode(id: number): void {
    const n = this.nodes.get(id);
    if (!n) return;
    if (n.parentId !== null) this.childNodes.get(n.parentId)?.delete(id);
    this.nodes.delete(id);
    this.childNodes.delete(id);
    this.nodeDevices.delete(id);
    this.paths.clear();
    this.changed();
  }

  putDevice(d: TreeDevice): void {
    const before = this.devices.get(d.id);
    if (before && before.nodeId !== d.nodeId) this.nodeDevices.get(before.nodeId)?.delete(d.id);
    this.devices.set(d.id, { ...d });
    this.setOf(this.nodeDevices, d.nodeId).add(d.id);
    if (!before || before.nodeId !== d.nodeId) this.changed();
  }

  /** Removes the device and its channels. */
  removeDevice(id: number): void {
    const d = this.devices.get(id);
    if (!d) return;
    for (const c of this.deviceChannels.get(id) ?? []) this.channels.delete(c);
    this.deviceChannels.delete(id);
    this.nodeDevices.get(d.nodeId)?.delete(id);
    this.devices.delete(id);
    this.changed();
  }

  putChannel(c: TreeChannel): void {
    const before = this.channels.get(c.id);
    this.channels.set(c.id, { ...c });
    this.setOf(this.deviceChannels, c.deviceId).add(c.id);
    if (!before || before.deviceId !== c.deviceId) this.changed();
  }

  removeChannel(id: number): void {
    const c = this.channels.get(id);
    if (!c) return;
    this.deviceChannels.get(c.deviceId)?.delete(id);
    this.channels.delete(id);
    this.changed();
  }

  private setOf(m: Map<number, Set<number>>, key: number): Set<number> {
    let s = m.get(key);
    if (!s) m.set(key, (s = new Set()));
    return s;
  }
}
