// Counts per organisation node (subtree totals of devices, online devices, channels, live and recording channels), pushed as org.counts at most once a second.
import type { OrgCounts } from '../../../common/devices';
import type { OrgTreeIndex } from './tree';

const zero = (): OrgCounts => ({ devices: 0, devicesOnline: 0, channels: 0, channelsLive: 0, channelsRecording: 0 });
const same = (a: OrgCounts, b: OrgCounts) =>
  a.devices === b.devices &&
  a.devicesOnline === b.devicesOnline &&
  a.channels === b.channels &&
  a.channelsLive === b.channelsLive &&
  a.channelsRecording === b.channelsRecording;

export interface OrgCounterOptions {
  /** Receives the nodes whose counts changed since the last push (never empty). */
  push: (changed: Array<{ nodeId: number; counts: OrgCounts }>) => void;
  /** Least time between two pushes (default 1000 ms). */
  intervalMs?: number;
}

/**
 * Keeps the counts of every node from the tree and the statuses it is told. A status change walks the path of its
 * device's node (≤ 16 steps); a structural change (device or node added, moved, removed) recounts everything.
 */
export class OrgCounter {
  private counts = new Map<number, OrgCounts>();
  private readonly devicesOnline = new Set<number>();
  private readonly channelsLive = new Set<number>();
  private readonly channelsRecording = new Set<number>();
  /** Nodes whose counts changed since the last push, with their counts at the last push (undefined: never pushed). */
  private readonly dirty = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private lastPushMs = 0;
  private closed = false;

  constructor(
    private readonly tree: OrgTreeIndex,
    private readonly opts: OrgCounterOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.recount();
  }

  /** The subtree totals of a node (zeros for an unknown node). */
  of(nodeId: number): OrgCounts {
    return { ...(this.counts.get(nodeId) ?? zero()) };
  }

  isDeviceOnline(deviceId: number): boolean {
    return this.devicesOnline.has(deviceId);
  }

  /** Rebuilds every node's counts from the tree (after a structural change); changed nodes are pushed. */
  recount(): void {
    const next = new Map<number, OrgCounts>();
    for (const n of this.tree.allNodes()) next.set(n.id, zero());
    for (const d of this.tree.allDevices()) {
      const channels = this.tree.channelsOf(d.id);
      const own: OrgCounts = {
        devices: 1,
        devicesOnline: this.devicesOnline.has(d.id) ? 1 : 0,
        channels: channels.length,
        channelsLive: channels.filter((c) => this.channelsLive.has(c.id)).length,
        channelsRecording: channels.filter((c) => this.channelsRecording.has(c.id)).length,
      };
      for (const nodeId of this.tree.pathOf(d.nodeId)) {
        const c = next.get(nodeId);
        if (!c) continue;
        c.devices += own.devices;
        c.devicesOnline += own.devicesOnline;
        c.channels += own.channels;
        c.channelsLive += own.channelsLive;
        c.channelsRecording += own.channelsRecording;
      }
    }
    for (const [id, c] of next) {
      const before = this.counts.get(id);
      if (!before || !same(before, c)) this.dirty.add(id);
    }
    this.counts = next;
    this.schedule();
  }

  /** Forgets the statuses of a removed device and its channels (call before recount). */
  forget(deviceId: number, channelIds: readonly number[]): void {
    this.devicesOnline.delete(deviceId);
    for (const id of channelIds) {
      this.channelsLive.delete(id);
      this.channelsRecording.delete(id);
    }
  }

  setDeviceOnline(deviceId: number, online: boolean): void {
    this.flip(this.devicesOnline, deviceId, online, this.tree.device(deviceId)?.nodeId, 'devicesOnline');
  }

  setChannelLive(channelId: number, live: boolean): void {
    this.flip(this.channelsLive, channelId, live, this.nodeOfChannel(channelId), 'channelsLive');
  }

  setChannelRecording(channelId: number, recording: boolean): void {
    this.flip(this.channelsRecording, channelId, recording, this.nodeOfChannel(channelId), 'channelsRecording');
  }

  private nodeOfChannel(channelId: number): number | undefined {
    const c = this.tree.channel(channelId);
    return c ? this.tree.device(c.deviceId)?.nodeId : undefined;
  }

  /** Sets a member of a status set; when it changed and the owner is in the tree, walks its node path. */
  private flip(set: Set<number>, id: number, on: boolean, nodeId: number | undefined, field: 'devicesOnline' | 'channelsLive' | 'channelsRecording'): void {
    if (set.has(id) === on) return;
    if (on) set.add(id);
    else set.delete(id);
    if (nodeId === undefined) return;
    for (const n of this.tree.pathOf(nodeId)) {
      const c = this.counts.get(n);
      if (!c) continue;
      c[field] += on ? 1 : -1;
      this.dirty.add(n);
    }
    this.schedule();
  }

  /** Pushes the changed nodes now (also used by tests); returns what was pushed. */
  flush(): Array<{ nodeId: number; counts: OrgCounts }> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const out = [...this.dirty]
      .filter((id) => this.counts.has(id))
      .sort((a, b) => a - b)
      .map((nodeId) => ({ nodeId, counts: this.of(nodeId) }));
    this.dirty.clear();
    this.lastPushMs = this.now();
    if (out.length > 0 && !this.closed) this.opts.push(out);
    return out;
  }

  private schedule(): void {
    if (this.timer || this.closed || this.dirty.size === 0) return;
    const interval = this.opts.intervalMs ?? 1000;
    const wait = Math.max(0, this.lastPushMs + interval - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, wait);
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
