// One user's effective rights compiled from the grants that apply to them: answers channel, device and node checks in O(depth) (docs/design/access.md).
import { ROOT_NODE_ID } from '../../../common/devices';
import { RIGHTS, isScopedRight, type Right } from '../../../common/rights';
import type { RightsSummary } from '../../../common/access';
import type { OrgTreeView } from '../contracts';
import { ALL_IDS, type IdSet, type UserAccess } from './contract';
import type { Grant } from './state';

/** Where one right is allowed and denied for one user (ids of nodes, channels and devices). */
class RightTable {
  readonly allowNodes = new Set<number>();
  readonly denyNodes = new Set<number>();
  readonly allowChannels = new Set<number>();
  readonly denyChannels = new Set<number>();
  readonly allowDevices = new Set<number>();
  readonly denyDevices = new Set<number>();
  channelSet: IdSet | null = null;
  deviceSet: IdSet | null = null;

  get anyDeny(): boolean {
    return this.denyNodes.size + this.denyChannels.size + this.denyDevices.size > 0;
  }
}

const NONE: IdSet = { all: false, ids: new Set<number>() };
const EMPTY = new RightTable();

const nonEmpty = (s: IdSet): boolean => s.all || s.ids.size > 0;

function anyIn(path: readonly number[], set: ReadonlySet<number>): boolean {
  if (set.size === 0) return false;
  for (const n of path) if (set.has(n)) return true;
  return false;
}

export class CompiledAccess implements UserAccess {
  private readonly tables = new Map<Right, RightTable>();

  constructor(
    readonly userId: number,
    grants: Iterable<Grant>,
    /** The devices assigned to the user (the 'own' scope). */
    ownDevices: ReadonlySet<number>,
    private readonly tree: OrgTreeView,
  ) {
    for (const g of grants) {
      const t = this.tables.get(g.right) ?? new RightTable();
      this.tables.set(g.right, t);
      const deny = g.effect === 'deny';
      // A global right counts only at the root (invariant 4); the service refuses other grants of one.
      if (!isScopedRight(g.right) && !(g.scopeKind === 'node' && g.scopeId === ROOT_NODE_ID)) continue;
      switch (g.scopeKind) {
        case 'node':
          (deny ? t.denyNodes : t.allowNodes).add(g.scopeId!);
          break;
        case 'channel':
          (deny ? t.denyChannels : t.allowChannels).add(g.scopeId!);
          break;
        case 'own':
          for (const d of ownDevices) (deny ? t.denyDevices : t.allowDevices).add(d);
          break;
      }
    }
  }

  private table(right: Right): RightTable {
    return this.tables.get(right) ?? EMPTY;
  }

  global(right: Right): boolean {
    const t = this.table(right);
    if (!t.allowNodes.has(ROOT_NODE_ID)) return false;
    return isScopedRight(right) ? !t.anyDeny : !t.denyNodes.has(ROOT_NODE_ID);
  }

  any(right: Right): boolean {
    if (!isScopedRight(right)) return this.global(right);
    const t = this.table(right);
    for (const n of t.allowNodes) if (this.node(right, n)) return true;
    return nonEmpty(this.channels(right)) || nonEmpty(this.devices(right));
  }

  channel(right: Right, channelId: number): boolean {
    if (!isScopedRight(right)) return this.global(right);
    const t = this.table(right);
    const c = this.tree.channel(channelId);
    const d = c ? this.tree.device(c.deviceId) : null;
    if (!c || !d) return false;
    if (t.denyChannels.has(channelId) || t.denyDevices.has(d.id)) return false;
    const path = this.tree.pathOf(d.nodeId);
    if (anyIn(path, t.denyNodes)) return false;
    return t.allowChannels.has(channelId) || t.allowDevices.has(d.id) || anyIn(path, t.allowNodes);
  }

  device(right: Right, deviceId: number): boolean {
    if (!isScopedRight(right)) return this.global(right);
    const t = this.table(right);
    const d = this.tree.device(deviceId);
    if (!d) return false;
    if (t.denyDevices.has(deviceId)) return false;
    const path = this.tree.pathOf(d.nodeId);
    if (anyIn(path, t.denyNodes)) return false;
    if (t.allowDevices.has(deviceId) || anyIn(path, t.allowNodes)) return true;
    if (t.allowChannels.size === 0) return false;
    for (const c of this.tree.channelsOf(deviceId)) if (t.allowChannels.has(c.id) && !t.denyChannels.has(c.id)) return true;
    return false;
  }

  node(right: Right, nodeId: number): boolean {
    if (!isScopedRight(right)) return this.global(right);
    const t = this.table(right);
    const path = this.tree.pathOf(nodeId);
    if (path.length === 0 || anyIn(path, t.denyNodes)) return false;
    return anyIn(path, t.allowNodes);
  }

  channels(right: Right): IdSet {
    if (!isScopedRight(right)) return this.global(right) ? ALL_IDS : NONE;
    const t = this.table(right);
    if (t.channelSet) return t.channelSet;
    if (this.global(right)) return (t.channelSet = ALL_IDS);
    const ids = new Set<number>();
    const consider = (id: number) => {
      if (this.channel(right, id)) ids.add(id);
    };
    for (const n of t.allowNodes) for (const c of this.tree.channelsUnder(n, true)) consider(c.channelId);
    for (const id of t.allowChannels) consider(id);
    for (const d of t.allowDevices) for (const c of this.tree.channelsOf(d)) consider(c.id);
    return (t.channelSet = { all: false, ids });
  }

  devices(right: Right): IdSet {
    if (!isScopedRight(right)) return this.global(right) ? ALL_IDS : NONE;
    const t = this.table(right);
    if (t.deviceSet) return t.deviceSet;
    if (this.global(right)) return (t.deviceSet = ALL_IDS);
    const ids = new Set<number>();
    const consider = (id: number) => {
      if (this.device(right, id)) ids.add(id);
    };
    for (const n of t.allowNodes) for (const d of this.tree.devicesUnder(n, true)) consider(d.id);
    for (const id of t.allowDevices) consider(id);
    for (const c of t.allowChannels) {
      const ch = this.tree.channel(c);
      if (ch) consider(ch.deviceId);
    }
    return (t.deviceSet = { all: false, ids });
  }

  /** Rights held everywhere and rights held somewhere (the console's view of the user). */
  summary(): RightsSummary {
    return { global: RIGHTS.filter((r) => this.global(r)), any: RIGHTS.filter((r) => this.any(r)) };
  }
}
