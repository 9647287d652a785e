// Device service core: the tree, counts and statuses in memory (loaded at start, updated by every write), reads as API views, device/channel/org events.
import { assertNever, type ServerEvent } from '../../../common/events';
import { msg } from '../../../common/messages';
import type { ChannelListQuery, ChannelRef, ChannelView, DeviceListQuery, DeviceView, OrgNodeView, OrgSearchHit, OrgTree } from '../../../common/devices';
import type { Store } from '../../../storage/repositories';
import type { ChannelRow, DeviceRow, RtspChannelRow } from '../../../storage/repos/devices';
import { DomainError } from '../../platform/errors';
import type { AuditLog } from '../audit-log';
import type { RecordingControl } from '../recording-control';
import type { UnitControl } from '../unit-control';
import { OrgCounter } from './counts';
import { searchTree, DEFAULT_SEARCH_LIMIT } from './search';
import { OrgTreeIndex, type ScopeTarget, type TreeDevice } from './tree';
import { channelStatus, deviceStatus, legacyCamera, legacyUnit, toChannelView, toDeviceView } from './views';
import type { DeviceLinkBoard } from '../device-links';

export interface DeviceServiceDeps {
  /** Only the repositories the device model needs (the deprecated compat repos for the old events and control paths). */
  repos: Pick<Store, 'org' | 'devices' | 'channels' | 'rtsp' | 'agents' | 'cameras' | 'units'>;
  recording: RecordingControl;
  units: UnitControl;
  audit: Pick<AuditLog, 'record'>;
  publish: (ev: ServerEvent) => void;
  /** Default segment length of new channels (the server configuration's segmentSeconds). */
  segmentSeconds: number;
  now?: () => number;
  log?: (msg: string) => void;
  /** Least time between two org.counts events (default 1000 ms). */
  countsIntervalMs?: number;
  /** Control-link states of GB/T 28181 devices (their registration): a change publishes the device's status. */
  links?: DeviceLinkBoard;
}

const deviceOf = (d: DeviceRow): TreeDevice => ({
  id: d.id,
  nodeId: d.nodeId,
  kind: d.kind,
  name: d.name,
  enabled: d.enabled,
  code: d.code,
  callsign: d.mobile?.callsign ?? null,
  serial: d.serial,
  plate: d.mobile?.plate ?? null,
});
const channelOf = (c: ChannelRow) => ({ id: c.id, deviceId: c.deviceId, ordinal: c.ordinal, name: c.name, code: c.code });

export class DeviceService {
  readonly tree = new OrgTreeIndex();
  readonly counter: OrgCounter;
  readonly now: () => number;
  readonly log: (msg: string) => void;
  private loading: Promise<void> | null = null;
  private reloadChain: Promise<void> = Promise.resolve();
  private reloadQueued = false;
  private closed = false;
  private writeChain: Promise<unknown> = Promise.resolve();
  private emitting = false;

  constructor(readonly deps: DeviceServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.log = (m) => (deps.log ?? console.log)(`[devices] ${m}`);
    this.counter = new OrgCounter(this.tree, { push: (counts) => this.emit({ type: 'org.counts', counts }), intervalMs: deps.countsIntervalMs }, this.now);
    deps.links?.onChange((id) => {
      const d = this.tree.device(id);
      if (d && this.loading && !this.closed) this.refreshDevice(d, true);
    });
  }

  /** Runs configuration changes one after the other (reads of the tree never see half a change). */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.writeChain.then(async () => {
      await this.ready();
      return fn();
    });
    this.writeChain = run.catch(() => undefined);
    return run;
  }

  /** Loads the tree (call at start; every read waits for it). */
  start(): Promise<void> {
    return this.ready();
  }

  ready(): Promise<void> {
    return (this.loading ??= this.reload());
  }

  close(): void {
    this.closed = true;
    this.counter.close();
  }

  /** Reads the tree, devices and channels again (after changes made outside this service: old /cameras and /units paths, ONVIF). */
  reload(): Promise<void> {
    const run = async () => {
      const { org, devices, channels } = this.deps.repos;
      const [n, d, c] = await Promise.all([org.list(), devices.list(), channels.list()]);
      this.tree.load(
        n.map((x) => ({ id: x.id, parentId: x.parentId, name: x.name, code: x.code, sortOrder: x.sortOrder })),
        d.map(deviceOf),
        c.map(channelOf),
      );
      this.syncStatuses();
      this.counter.recount();
    };
    this.reloadChain = this.reloadChain.then(run, run);
    return this.reloadChain;
  }

  /** A reload soon, once however many changes ask for it meanwhile. */
  private scheduleReload(): void {
    if (this.reloadQueued || this.closed) return;
    this.reloadQueued = true;
    queueMicrotask(() => {
      this.reloadQueued = false;
      this.reload().catch((e: unknown) => this.log(`reload failed: ${(e as Error).message}`));
    });
  }

  /** Sets every device's and channel's status flags from the recorders and the unit service (after a load). */
  private syncStatuses(): void {
    for (const d of this.tree.allDevices()) this.refreshDevice(d, false);
  }

  /** Recomputes one device's online flag and its channels' live/recording flags; publishes their statuses when asked. */
  private refreshDevice(d: TreeDevice, publish: boolean, onlyChannel?: number): void {
    const channels = this.tree.channelsOf(d.id);
    for (const c of channels) {
      const st = channelStatus(this.deps, d, c.id);
      this.counter.setChannelRecording(c.id, st.recording === 'recording');
      this.counter.setChannelLive(c.id, st.live === true);
      if (publish && (onlyChannel === undefined || onlyChannel === c.id)) this.emit({ type: 'channel.status', status: st });
    }
    const ds = deviceStatus(
      this.deps,
      d,
      channels.map((c) => c.id),
      this.now(),
    );
    this.counter.setDeviceOnline(d.id, ds.online);
    if (publish) this.emit({ type: 'device.status', status: ds });
  }

  /** Server events the service follows: recorder and unit statuses (counts, channel/device statuses), changes made elsewhere. */
  onServerEvent(ev: ServerEvent): void {
    if (this.closed || !this.loading || this.emitting) return; // (its own events come back through the publish tap)
    switch (ev.type) {
      case 'camera.status': {
        const c = this.tree.channel(ev.status.cameraId);
        const d = c ? this.tree.device(c.deviceId) : null;
        if (c && d && d.kind !== 'agent') this.refreshDevice(d, true, c.id);
        return;
      }
      case 'unit.status': {
        const d = this.tree.device(ev.status.unitId);
        if (d && d.kind === 'agent') this.refreshDevice(d, true);
        return;
      }
      case 'camera.changed':
      case 'camera.deleted':
      case 'unit.changed':
      case 'unit.deleted':
        this.scheduleReload();
        return;
      default:
        return;
    }
  }

  emit(ev: ServerEvent): void {
    if (this.closed) return;
    this.emitting = true;
    try {
      this.deps.publish(ev);
    } finally {
      this.emitting = false;
    }
  }

  // ---------------------------------------------------------------- reads

  scopeOf(target: { channelId: number } | { deviceId: number }): ScopeTarget | null {
    return this.tree.scopeOf(target);
  }

  private nodeView(id: number): OrgNodeView {
    const n = this.tree.node(id)!;
    return { id: n.id, parentId: n.parentId, name: n.name, code: n.code, path: this.tree.pathOf(n.id), sortOrder: n.sortOrder, counts: this.counter.of(n.id) };
  }

  /** The whole tree in tree order, with each node's subtree counts. */
  async orgTree(): Promise<OrgTree> {
    await this.ready();
    return this.treeNow();
  }

  treeNow(): OrgTree {
    const root = this.tree.allNodes().find((n) => n.parentId === null);
    return { nodes: root ? this.tree.subtree(root.id).map((n) => this.nodeView(n.id)) : [] };
  }

  async node(id: number): Promise<OrgNodeView> {
    await this.ready();
    if (!this.tree.node(id)) throw DomainError.notFound(msg('org.node_not_found', { id }));
    return this.nodeView(id);
  }

  /** The channels of a node (or its subtree) in tree order (drag-to-wall). */
  async nodeChannels(nodeId: number, recursive: boolean): Promise<ChannelRef[]> {
    await this.ready();
    if (!this.tree.node(nodeId)) throw DomainError.notFound(msg('org.node_not_found', { id: nodeId }));
    return this.tree.channelsUnder(nodeId, recursive);
  }

  async search(q: string, limit = DEFAULT_SEARCH_LIMIT): Promise<OrgSearchHit[]> {
    await this.ready();
    return searchTree(this.tree, q, limit);
  }

  private channelViews(d: DeviceRow, channels: readonly ChannelRow[], rtsp: (id: number) => RtspChannelRow | null, withStream: boolean): ChannelView[] {
    return channels.map((c) => toChannelView(c, channelStatus(this.deps, d, c.id), rtsp(c.id), withStream, d.mobile !== null));
  }

  private view(d: DeviceRow, channels: readonly ChannelRow[], rtsp: (id: number) => RtspChannelRow | null, withStream: boolean): DeviceView {
    const sorted = [...channels].sort((a, b) => a.ordinal - b.ordinal || a.id - b.id);
    const status = deviceStatus(
      this.deps,
      d,
      sorted.map((c) => c.id),
      this.now(),
    );
    return toDeviceView(d, status, this.channelViews(d, sorted, rtsp, withStream));
  }

  async deviceRow(id: number): Promise<DeviceRow> {
    const d = await this.deps.repos.devices.get(id);
    if (!d) throw DomainError.notFound(msg('device.not_found', { id }));
    return d;
  }

  async channelRow(id: number): Promise<ChannelRow> {
    const c = await this.deps.repos.channels.get(id);
    if (!c) throw DomainError.notFound(msg('channel.not_found', { id }));
    return c;
  }

  /** One device with its channels; `withStream`: include stream URLs (for devices.manage holders). */
  async device(id: number, withStream: boolean): Promise<DeviceView> {
    await this.ready();
    const found = await this.deps.repos.devices.getWithChannels(id);
    if (!found) throw DomainError.notFound(msg('device.not_found', { id }));
    const rtsp = new Map<number, RtspChannelRow>();
    for (const c of found.channels) {
      const r = await this.deps.repos.rtsp.get(c.id);
      if (r) rtsp.set(c.id, r);
    }
    return this.view(found.device, found.channels, (cid) => rtsp.get(cid) ?? null, withStream);
  }

  /** Devices by id, filtered: under a node (its subtree with `recursive`), of a kind, mobile or fixed. */
  async devices(q: DeviceListQuery, withStream: boolean): Promise<DeviceView[]> {
    await this.ready();
    if (q.nodeId !== undefined && !this.tree.node(q.nodeId)) throw DomainError.notFound(msg('org.node_not_found', { id: q.nodeId }));
    const { devices, channels, rtsp } = await this.loadAll();
    const byDevice = groupBy(channels, (c) => c.deviceId);
    return devices
      .filter((d) => q.nodeId === undefined || (q.recursive ? this.tree.isUnder(d.nodeId, q.nodeId) : d.nodeId === q.nodeId))
      .filter((d) => q.kind === undefined || d.kind === q.kind)
      .filter((d) => q.mobile === undefined || (d.mobile !== null) === q.mobile)
      .map((d) => this.view(d, byDevice.get(d.id) ?? [], (id) => rtsp.get(id) ?? null, withStream));
  }

  private async withRtspAsync(c: ChannelRow, d: DeviceRow, withStream: boolean): Promise<ChannelView> {
    const r = await this.deps.repos.rtsp.get(c.id);
    return this.channelViews(d, [c], () => r, withStream)[0]!;
  }

  /** One channel view with its stream row read (hasSub, stream). */
  async channelView(id: number, withStream: boolean): Promise<ChannelView> {
    await this.ready();
    const c = await this.channelRow(id);
    return this.withRtspAsync(c, await this.deviceRow(c.deviceId), withStream);
  }

  /** Channels by id, filtered: of a device, under a node (its subtree), placed on the map or not. */
  async channels(q: ChannelListQuery, withStream: boolean): Promise<ChannelView[]> {
    await this.ready();
    if (q.nodeId !== undefined && !this.tree.node(q.nodeId)) throw DomainError.notFound(msg('org.node_not_found', { id: q.nodeId }));
    const { devices, channels, rtsp } = await this.loadAll();
    const byId = new Map(devices.map((d) => [d.id, d]));
    const out: ChannelView[] = [];
    for (const c of channels) {
      const d = byId.get(c.deviceId);
      if (!d) continue;
      if (q.deviceId !== undefined && c.deviceId !== q.deviceId) continue;
      if (q.nodeId !== undefined && !this.tree.isUnder(d.nodeId, q.nodeId)) continue;
      const placed = c.place !== null && d.mobile === null;
      if (q.placed !== undefined && placed !== q.placed) continue;
      out.push(...this.channelViews(d, [c], (id) => rtsp.get(id) ?? null, withStream));
    }
    return out;
  }

  private async loadAll(): Promise<{ devices: DeviceRow[]; channels: ChannelRow[]; rtsp: Map<number, RtspChannelRow> }> {
    const [devices, channels, rtspRows] = await Promise.all([this.deps.repos.devices.list(), this.deps.repos.channels.list(), this.deps.repos.rtsp.list()]);
    return { devices, channels, rtsp: new Map(rtspRows.map((r) => [r.channelId, r])) };
  }

  // ---------------------------------------------------------------- after writes: memory and events

  /** A device (and its channels) was created or changed: the tree follows, counts, device.changed and the old camera/unit events. */
  async deviceChanged(id: number, structural: boolean): Promise<DeviceView | null> {
    const found = await this.deps.repos.devices.getWithChannels(id);
    if (!found) return null;
    const before = this.tree.device(id);
    for (const c of before ? this.tree.channelsOf(id) : []) if (!found.channels.some((x) => x.id === c.id)) this.tree.removeChannel(c.id);
    this.tree.putDevice(deviceOf(found.device));
    for (const c of found.channels) this.tree.putChannel(channelOf(c));
    this.refreshDevice(this.tree.device(id)!, false);
    if (structural || before?.nodeId !== found.device.nodeId) this.counter.recount();
    const rtsp = new Map<number, RtspChannelRow>();
    for (const c of found.channels) {
      const r = await this.deps.repos.rtsp.get(c.id);
      if (r) rtsp.set(c.id, r);
    }
    const view = this.view(found.device, found.channels, (cid) => rtsp.get(cid) ?? null, true);
    // Every console receives the events: stream settings only in the answer to the admin who changed it.
    const shared = this.view(found.device, found.channels, (cid) => rtsp.get(cid) ?? null, false);
    this.emit({ type: 'device.changed', device: shared });
    for (const c of shared.channels) this.emit({ type: 'channel.changed', channel: c });
    await this.legacyChanged(found.device, found.channels);
    return view;
  }

  /** The old events of a changed device: camera.changed per fixed channel, unit.changed for an agent. */
  private async legacyChanged(d: DeviceRow, channels: readonly ChannelRow[]): Promise<void> {
    switch (d.kind) {
      case 'agent': {
        const u = await this.deps.repos.units.get(d.id);
        if (u) this.emit({ type: 'unit.changed', unit: legacyUnit(u, this.deps.units.status(u.id)) });
        return;
      }
      case 'rtsp':
      case 'onvif':
        for (const c of channels) {
          const row = await this.deps.repos.cameras.get(c.id);
          if (row) this.emit({ type: 'camera.changed', camera: legacyCamera(row, this.deps.recording.status(row.id)) });
        }
        return;
      case 'gb28181':
      case 'jt808':
        return;
      default:
        assertNever(d.kind);
    }
  }

  /** A channel was deleted: memory, counts, channel.deleted and camera.deleted. */
  channelDeleted(c: ChannelRow, kind: DeviceRow['kind']): void {
    this.tree.removeChannel(c.id);
    this.counter.forget(-1, [c.id]);
    this.counter.recount();
    this.emit({ type: 'channel.deleted', channelId: c.id, deviceId: c.deviceId });
    if (kind !== 'agent') this.emit({ type: 'camera.deleted', cameraId: c.id });
  }

  /** A device was deleted with its channels: memory, counts, the new and the old events. */
  deviceDeleted(d: DeviceRow, channelIds: readonly number[]): void {
    this.tree.removeDevice(d.id);
    this.counter.forget(d.id, channelIds);
    this.counter.recount();
    for (const id of channelIds) this.emit({ type: 'channel.deleted', channelId: id, deviceId: d.id });
    this.emit({ type: 'device.deleted', deviceId: d.id });
    if (d.kind === 'agent') this.emit({ type: 'unit.deleted', unitId: d.id });
    else for (const id of channelIds) this.emit({ type: 'camera.deleted', cameraId: id });
  }

  /** The tree's nodes changed: org.changed with the whole tree. */
  treeChanged(): void {
    this.counter.recount();
    this.emit({ type: 'org.changed', tree: this.treeNow() });
  }
}

function groupBy<T>(xs: readonly T[], key: (x: T) => number): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return m;
}
