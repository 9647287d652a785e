// The organisation tree as the console holds it (nodes with counts, devices with channels): event reducer and tree order.
import { DEVICES_EVENT_TYPES, ROOT_NODE_ID, type ChannelView, type DeviceView, type DevicesServerEvent, type OrgNodeView } from '../../common/devices';
import { assertNever, type ServerEvent } from '../../common/events';

export interface OrgState {
  /** true: the server serves the organisation tree; false: it does not (an older server) or it failed; null: not known yet. */
  available: boolean | null;
  nodes: ReadonlyMap<number, OrgNodeView>;
  devices: ReadonlyMap<number, DeviceView>;
}

export const emptyOrg: OrgState = { available: null, nodes: new Map(), devices: new Map() };

export function isDevicesEvent(ev: ServerEvent): ev is DevicesServerEvent {
  return Object.prototype.hasOwnProperty.call(DEVICES_EVENT_TYPES, ev.type);
}

export function orgStateOf(nodes: readonly OrgNodeView[], devices: readonly DeviceView[]): OrgState {
  return { available: true, nodes: new Map(nodes.map((n) => [n.id, n])), devices: new Map(devices.map((d) => [d.id, d])) };
}

function withDevice(s: OrgState, d: DeviceView): OrgState {
  return { ...s, devices: new Map(s.devices).set(d.id, d) };
}

function patchChannel(s: OrgState, deviceId: number, fn: (list: ChannelView[]) => ChannelView[]): OrgState {
  const d = s.devices.get(deviceId);
  return d ? withDevice(s, { ...d, channels: fn(d.channels) }) : s;
}

function deviceOfChannel(s: OrgState, channelId: number): DeviceView | undefined {
  for (const d of s.devices.values()) if (d.channels.some((c) => c.id === channelId)) return d;
  return undefined;
}

/** Applies one server event; returns the same state when nothing changed. */
export function applyOrgEvent(s: OrgState, ev: DevicesServerEvent): OrgState {
  switch (ev.type) {
    case 'org.changed':
      return { ...s, nodes: new Map(ev.tree.nodes.map((n) => [n.id, n])) };
    case 'org.counts': {
      const nodes = new Map(s.nodes);
      for (const { nodeId, counts } of ev.counts) {
        const n = nodes.get(nodeId);
        if (n) nodes.set(nodeId, { ...n, counts });
      }
      return { ...s, nodes };
    }
    case 'device.changed':
      return withDevice(s, ev.device);
    case 'device.deleted': {
      if (!s.devices.has(ev.deviceId)) return s;
      const devices = new Map(s.devices);
      devices.delete(ev.deviceId);
      return { ...s, devices };
    }
    case 'device.status': {
      const d = s.devices.get(ev.status.deviceId);
      return d ? withDevice(s, { ...d, status: ev.status }) : s;
    }
    case 'channel.changed': {
      const c = ev.channel;
      return patchChannel(s, c.deviceId, (list) => [...list.filter((x) => x.id !== c.id), c].sort((a, b) => a.ordinal - b.ordinal));
    }
    case 'channel.deleted':
      return patchChannel(s, ev.deviceId, (list) => list.filter((x) => x.id !== ev.channelId));
    case 'channel.status': {
      const d = deviceOfChannel(s, ev.status.channelId);
      return d ? patchChannel(s, d.id, (list) => list.map((c) => (c.id === ev.status.channelId ? { ...c, status: ev.status } : c))) : s;
    }
    default:
      return assertNever(ev);
  }
}

const collator = () => new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Child nodes per parent (by sort order, then name) and devices per node (by name), sorted once per state. */
export interface OrgIndex {
  children: ReadonlyMap<number, OrgNodeView[]>;
  devices: ReadonlyMap<number, DeviceView[]>;
}

const indexes = new WeakMap<OrgState, OrgIndex>();

export function orgIndex(s: OrgState): OrgIndex {
  const known = indexes.get(s);
  if (known) return known;
  const c = collator();
  const children = new Map<number, OrgNodeView[]>();
  const push = <T>(m: Map<number, T[]>, key: number, v: T) => {
    const list = m.get(key);
    if (list) list.push(v);
    else m.set(key, [v]);
  };
  for (const n of s.nodes.values()) if (n.parentId !== null) push(children, n.parentId, n);
  for (const list of children.values()) list.sort((a, b) => a.sortOrder - b.sortOrder || c.compare(a.name, b.name) || a.id - b.id);
  const devices = new Map<number, DeviceView[]>();
  for (const d of s.devices.values()) push(devices, d.nodeId, d);
  for (const list of devices.values()) list.sort((a, b) => c.compare(a.name, b.name) || a.id - b.id);
  const index = { children, devices };
  indexes.set(s, index);
  return index;
}

/** Child nodes of a node, by sort order, then name. */
export function childNodes(s: OrgState, parentId: number): OrgNodeView[] {
  return orgIndex(s).children.get(parentId) ?? [];
}

/** Devices directly under a node, by name. */
export function nodeDevices(s: OrgState, nodeId: number): DeviceView[] {
  return orgIndex(s).devices.get(nodeId) ?? [];
}

export function sortedChannels(d: DeviceView): ChannelView[] {
  return [...d.channels].sort((a, b) => a.ordinal - b.ordinal || a.id - b.id);
}

/** The root node (id 1), else the node without a parent. */
export function rootNode(s: OrgState): OrgNodeView | undefined {
  return s.nodes.get(ROOT_NODE_ID) ?? [...s.nodes.values()].find((n) => n.parentId === null);
}

/** Nodes in tree order (depth first), each with its depth: the admin panel's list and its "Move to…" choices. */
export function flatNodes(s: OrgState): Array<{ node: OrgNodeView; depth: number }> {
  const out: Array<{ node: OrgNodeView; depth: number }> = [];
  const walk = (n: OrgNodeView, depth: number) => {
    out.push({ node: n, depth });
    for (const ch of childNodes(s, n.id)) walk(ch, depth + 1);
  };
  const root = rootNode(s);
  if (root) walk(root, 0);
  return out;
}

/** Whether `id` is `ancestorId` or below it. */
export function isWithin(s: OrgState, id: number, ancestorId: number): boolean {
  return s.nodes.get(id)?.path.includes(ancestorId) ?? false;
}

/** What a filter leaves visible: the matching items, what they hold, and the nodes and device above them. */
export interface OrgVisible {
  nodes: ReadonlySet<number>;
  devices: ReadonlySet<number>;
  channels: ReadonlySet<number>;
}

export interface OrgMatchers {
  node: (n: OrgNodeView) => boolean;
  device: (d: DeviceView) => boolean;
  channel: (c: ChannelView, d: DeviceView) => boolean;
}

function words(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

/** Whether every word of the query is in one of the texts (case-insensitive); an empty query matches. */
export function textMatches(query: string, texts: ReadonlyArray<string | null | undefined>): boolean {
  const w = words(query);
  if (w.length === 0) return true;
  const hay = texts.filter(Boolean).join(' ').toLowerCase();
  return w.every((x) => hay.includes(x));
}

/** Default matchers: node by name or code, device by name, code, callsign, officer or plate, channel by name or code. */
export function queryMatchers(query: string): OrgMatchers {
  return {
    node: (n) => textMatches(query, [n.name, n.code]),
    device: (d) => textMatches(query, [d.name, d.code, d.mobile?.callsign, d.mobile?.officer, d.mobile?.plate]),
    channel: (c) => textMatches(query, [c.name, c.code]),
  };
}

/** The visible part of the tree for a filter: a matching node shows all it holds; every hit shows the path to it. */
export function visibleFor(s: OrgState, m: OrgMatchers): OrgVisible {
  const nodes = new Set<number>();
  const devices = new Set<number>();
  const channels = new Set<number>();
  const showPath = (nodeId: number) => {
    for (const id of s.nodes.get(nodeId)?.path ?? [nodeId]) nodes.add(id);
  };
  const matchedNodes = [...s.nodes.values()].filter((n) => m.node(n)).map((n) => n.id);
  for (const id of matchedNodes) showPath(id);
  for (const n of s.nodes.values()) if (matchedNodes.some((a) => n.path.includes(a))) nodes.add(n.id);
  for (const d of s.devices.values()) {
    const underHit = matchedNodes.some((a) => isWithin(s, d.nodeId, a));
    const deviceHit = underHit || m.device(d);
    const hitChannels = d.channels.filter((c) => deviceHit || m.channel(c, d));
    if (!deviceHit && hitChannels.length === 0) continue;
    devices.add(d.id);
    for (const c of hitChannels) channels.add(c.id);
    showPath(d.nodeId);
  }
  return { nodes, devices, channels };
}
