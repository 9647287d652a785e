// The access-control state in memory (loaded at start, changed with every write): grants indexed by principal, memberships, home nodes, device users.
import type { Role } from '../../../common/api';
import { RIGHTS, type Right } from '../../../common/rights';
import { ROOT_NODE_ID } from '../../../common/devices';
import type { GrantRow } from '../../../storage/repos/access';

/** A stored grant whose right this server knows. */
export type Grant = GrantRow & { right: Right };

const KNOWN = new Set<string>(RIGHTS);
export const isKnownGrant = (g: GrantRow): g is Grant => KNOWN.has(g.right);

export class AccessState {
  readonly grants = new Map<number, Grant>();
  private readonly byPrincipal = new Map<string, Map<number, Grant>>();
  /** user id → group ids. */
  readonly groupsOfUser = new Map<number, Set<number>>();
  /** group id → user ids. */
  readonly membersOf = new Map<number, Set<number>>();
  /** user id → home node (absent: the root). */
  readonly homeNode = new Map<number, number>();
  /** user id → assigned device ids. */
  readonly devicesOfUser = new Map<number, Set<number>>();
  /** device id → assigned user ids. */
  readonly usersOfDevice = new Map<number, Set<number>>();

  load(
    grants: readonly GrantRow[],
    members: ReadonlyArray<{ groupId: number; userId: number }>,
    nodes: ReadonlyArray<{ userId: number; nodeId: number | null }>,
    deviceUsers: ReadonlyArray<{ deviceId: number; userId: number }>,
  ): void {
    for (const m of [this.grants, this.byPrincipal, this.groupsOfUser, this.membersOf, this.homeNode, this.devicesOfUser, this.usersOfDevice]) m.clear();
    for (const g of grants) if (isKnownGrant(g)) this.putGrant(g);
    for (const m of members) this.addMember(m.groupId, m.userId);
    for (const n of nodes) if (n.nodeId !== null) this.homeNode.set(n.userId, n.nodeId);
    for (const d of deviceUsers) {
      setOf(this.devicesOfUser, d.userId).add(d.deviceId);
      setOf(this.usersOfDevice, d.deviceId).add(d.userId);
    }
  }

  static key(kind: GrantRow['principalKind'], id: Role | number): string {
    return `${kind}:${id}`;
  }

  putGrant(g: Grant): void {
    this.grants.set(g.id, g);
    const k = AccessState.key(g.principalKind, g.principalKind === 'role' ? g.role! : g.principalId!);
    let m = this.byPrincipal.get(k);
    if (!m) this.byPrincipal.set(k, (m = new Map<number, Grant>()));
    m.set(g.id, g);
  }

  removeGrant(id: number): void {
    const g = this.grants.get(id);
    if (!g) return;
    this.grants.delete(id);
    this.byPrincipal.get(AccessState.key(g.principalKind, g.principalKind === 'role' ? g.role! : g.principalId!))?.delete(id);
  }

  /** Grants given to one principal. */
  grantsOf(kind: GrantRow['principalKind'], id: Role | number): Iterable<Grant> {
    return this.byPrincipal.get(AccessState.key(kind, id))?.values() ?? [];
  }

  addMember(groupId: number, userId: number): void {
    setOf(this.groupsOfUser, userId).add(groupId);
    setOf(this.membersOf, groupId).add(userId);
  }

  setMembers(groupId: number, userIds: readonly number[]): void {
    for (const u of this.membersOf.get(groupId) ?? []) this.groupsOfUser.get(u)?.delete(groupId);
    this.membersOf.delete(groupId);
    for (const u of userIds) this.addMember(groupId, u);
  }

  removeGroup(groupId: number): void {
    this.setMembers(groupId, []);
    for (const g of [...this.grantsOf('group', groupId)]) this.removeGrant(g.id);
  }

  setDeviceUsers(deviceId: number, userIds: readonly number[]): void {
    for (const u of this.usersOfDevice.get(deviceId) ?? []) this.devicesOfUser.get(u)?.delete(deviceId);
    this.usersOfDevice.delete(deviceId);
    for (const u of userIds) {
      setOf(this.devicesOfUser, u).add(deviceId);
      setOf(this.usersOfDevice, deviceId).add(u);
    }
  }

  nodeOf(userId: number): number {
    return this.homeNode.get(userId) ?? ROOT_NODE_ID;
  }

  /**
   * Every grant that applies to a user: their role template's, their own, their groups', and those of every node on
   * the path from the root to their home node (`homePath`), each with the principal it came through.
   */
  *applicable(user: { id: number; role: Role }, homePath: readonly number[]): Iterable<Grant> {
    yield* this.grantsOf('role', user.role);
    yield* this.grantsOf('user', user.id);
    for (const g of this.groupsOfUser.get(user.id) ?? []) yield* this.grantsOf('group', g);
    for (const n of homePath) yield* this.grantsOf('node', n);
  }
}

function setOf<K, V>(m: Map<K, Set<V>>, key: K): Set<V> {
  let s = m.get(key);
  if (!s) m.set(key, (s = new Set()));
  return s;
}
