// The access-control service: grants, groups, home nodes and device users in memory over the store; compiled per-user rights (cached); audited admin writes.
import type {
  RightsSummary,
  DeviceUsersView,
  GrantCreate,
  GrantListQuery,
  GrantView,
  GroupCreate,
  GroupUpdate,
  GroupView,
  UserNodeView,
} from '../../../common/access';
import type { Role } from '../../../common/api';
import { ROOT_NODE_ID } from '../../../common/devices';
import { msg } from '../../../common/messages';
import { RIGHT_ROLES, RIGHTS, isScopedRight, type Right } from '../../../common/rights';
import type { AccessRepo, GroupRow, NewGrant } from '../../../storage/repos/access';
import { StorageError, type UserRepo, type UserRow } from '../../../storage/repositories';
import type { Actor } from '../../platform/actor';
import { DomainError } from '../../platform/errors';
import type { AuditLog } from '../audit-log';
import type { OrgTreeView } from '../contracts';
import { CompiledAccess } from './compiled';
import type { AccessControl } from './contract';
import { AccessState, type Grant } from './state';

export interface AccessServiceDeps {
  repo: AccessRepo;
  users: Pick<UserRepo, 'get' | 'list'>;
  /** The device model's live tree (a getter: the composition root builds the device service after this one). */
  tree: () => OrgTreeView;
  /** Resolves when the tree is loaded (the device service's ready()). */
  treeReady?: () => Promise<void>;
  audit: Pick<AuditLog, 'record'>;
  now?: () => number;
}

/** Who the checks are asked about: a user row (or the parts of it that matter). */
export type AccessUser = Pick<UserRow, 'id' | 'role'> & Partial<Pick<UserRow, 'disabled'>>;

/** The officer template's 'own' rights; everything else of RIGHT_ROLES is granted at the root (docs/design/access.md, defaults). */
export const OFFICER_OWN_RIGHTS: readonly Right[] = ['live.view', 'map.positions', 'alarms.view', 'alarms.handle'];

/** The role-template grants of a right as RIGHT_ROLES says (officers: only on their own devices). */
export function defaultGrantsOf(right: Right): NewGrant[] {
  return (RIGHT_ROLES[right] as readonly Role[]).map((role) =>
    role === 'officer'
      ? { principalKind: 'role', role, principalId: null, right, scopeKind: 'own', scopeId: null, effect: 'allow' }
      : { principalKind: 'role', role, principalId: null, right, scopeKind: 'node', scopeId: ROOT_NODE_ID, effect: 'allow' },
  );
}

export const toGrantView = (g: Grant): GrantView => ({ ...g });

export class AccessService implements AccessControl {
  readonly state = new AccessState();
  readonly now: () => number;
  private readonly cache = new Map<number, { role: Role; disabled: boolean; access: CompiledAccess; treeVersion: number }>();
  private readonly listeners = new Set<() => void>();
  private groups = new Map<number, GroupRow>();
  private loading: Promise<void> | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private unwatch: (() => void) | null = null;
  private treeDirty = false;

  constructor(readonly deps: AccessServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Seeds the role-template defaults of rights never seeded, loads everything and follows the tree. */
  start(): Promise<void> {
    return (this.loading ??= this.serial(async () => {
      await this.deps.treeReady?.();
      const seeded = new Set(await this.deps.repo.listSeededRights());
      for (const r of RIGHTS) if (!seeded.has(r)) await this.deps.repo.seedRight(r, defaultGrantsOf(r), this.now());
      await this.reload();
      this.unwatch = this.deps.tree().watch(() => this.treeChanged());
    }));
  }

  ready(): Promise<void> {
    return this.start();
  }

  close(): void {
    this.unwatch?.();
    this.listeners.clear();
  }

  /** Runs writes and reloads one after the other (memory never misses a write). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async reload(): Promise<void> {
    const r = this.deps.repo;
    const [grants, members, nodes, deviceUsers, groups] = await Promise.all([
      r.listGrants(),
      r.listMembers(),
      r.listUserNodes(),
      r.listDeviceUsers(),
      r.listGroups(),
    ]);
    this.state.load(grants, members, nodes, deviceUsers);
    this.groups = new Map(groups.map((g) => [g.id, g]));
    this.changed();
  }

  /** A node, device or channel was added, moved or removed: caches go now; grants are read again (deletes cascade in the store). */
  private treeChanged(): void {
    if (this.treeDirty) return;
    this.treeDirty = true;
    queueMicrotask(() => {
      this.treeDirty = false;
      this.changed();
      this.serial(() => this.reload()).catch(() => undefined);
    });
  }

  private changed(): void {
    this.cache.clear();
    for (const l of this.listeners) {
      try {
        l();
      } catch {
        // a listener's failure is its own
      }
    }
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  for(user: AccessUser): CompiledAccess {
    const tree = this.deps.tree();
    const disabled = user.disabled ?? false;
    const hit = this.cache.get(user.id);
    if (hit && hit.role === user.role && hit.disabled === disabled && hit.treeVersion === tree.version) return hit.access;
    const grants = disabled ? [] : this.state.applicable(user, tree.pathOf(this.state.nodeOf(user.id)));
    const access = new CompiledAccess(user.id, grants, this.state.devicesOfUser.get(user.id) ?? new Set(), tree);
    this.cache.set(user.id, { role: user.role, disabled, access, treeVersion: tree.version });
    return access;
  }

  /** The user's effective rights in short (login, /auth/me). */
  async summaryOf(user: AccessUser): Promise<RightsSummary> {
    await this.ready();
    return this.for(user).summary();
  }

  // ---------------------------------------------------------------- grants

  listGrants(q: GrantListQuery = {}): GrantView[] {
    return [...this.state.grants.values()]
      .filter((g) => q.principalKind === undefined || g.principalKind === q.principalKind)
      .filter((g) => q.principalId === undefined || g.principalId === q.principalId)
      .filter((g) => q.role === undefined || g.role === q.role)
      .filter((g) => q.right === undefined || g.right === q.right)
      .sort((a, b) => a.id - b.id)
      .map(toGrantView);
  }

  async createGrant(body: GrantCreate, actor: Actor): Promise<GrantView> {
    const g = await this.checkGrant(body);
    return this.serial(async () => {
      let row;
      try {
        row = (await this.deps.repo.createGrant(g, this.now())) as Grant;
      } catch (e) {
        if (e instanceof StorageError && e.code === 'conflict') throw DomainError.conflict('right', msg('access.grant_exists'));
        if (e instanceof StorageError && e.code === 'not_found') throw DomainError.notFound(msg('storage.not_found'));
        throw e;
      }
      this.state.putGrant(row);
      this.changed();
      await this.audit(actor, 'access.grant.create', 'grant', row.id, { before: null, after: toGrantView(row) });
      return toGrantView(row);
    });
  }

  async deleteGrant(id: number, actor: Actor): Promise<void> {
    await this.ready();
    return this.serial(async () => {
      const row = await this.deps.repo.deleteGrant(id);
      if (!row) throw DomainError.notFound(msg('access.grant_not_found', { id }));
      this.state.removeGrant(id);
      this.changed();
      await this.audit(actor, 'access.grant.delete', 'grant', id, { before: row, after: null });
    });
  }

  /** Validates a grant's principal and scope against the users, groups and tree (400/404). */
  private async checkGrant(b: GrantCreate): Promise<NewGrant> {
    await this.ready();
    const tree = this.deps.tree();
    let role: Role | null = null;
    let principalId: number | null = null;
    switch (b.principalKind) {
      case 'role':
        if (!b.role) throw DomainError.field('role', msg('access.role_required'));
        role = b.role;
        break;
      case 'user':
      case 'group':
      case 'node':
        if (b.principalId === undefined) throw DomainError.field('principalId', msg('access.principal_required'));
        principalId = b.principalId;
        if (b.principalKind === 'user' && !(await this.deps.users.get(principalId))) throw DomainError.notFound(msg('user.not_found', { id: principalId }));
        if (b.principalKind === 'group' && !this.groups.has(principalId)) throw DomainError.notFound(msg('access.group_not_found', { id: principalId }));
        if (b.principalKind === 'node' && !tree.node(principalId)) throw DomainError.notFound(msg('org.node_not_found', { id: principalId }));
        break;
    }
    let scopeId: number | null = null;
    switch (b.scopeKind) {
      case 'node':
      case 'channel':
        if (b.scopeId === undefined) throw DomainError.field('scopeId', msg('access.scope_required'));
        scopeId = b.scopeId;
        if (b.scopeKind === 'node' && !tree.node(scopeId)) throw DomainError.notFound(msg('org.node_not_found', { id: scopeId }));
        if (b.scopeKind === 'channel' && !tree.channel(scopeId)) throw DomainError.notFound(msg('channel.not_found', { id: scopeId }));
        break;
      case 'own':
        if (b.scopeId !== undefined) throw DomainError.field('scopeId', msg('access.scope_not_allowed'));
        break;
    }
    if (!isScopedRight(b.right) && !(b.scopeKind === 'node' && scopeId === ROOT_NODE_ID))
      throw DomainError.field('scopeKind', msg('access.global_at_root', { right: b.right }));
    return { principalKind: b.principalKind, role, principalId, right: b.right, scopeKind: b.scopeKind, scopeId, effect: b.effect };
  }

  // ---------------------------------------------------------------- groups

  private groupView(g: GroupRow): GroupView {
    return { ...g, memberIds: [...(this.state.membersOf.get(g.id) ?? [])].sort((a, b) => a - b) };
  }

  async listGroups(): Promise<GroupView[]> {
    await this.ready();
    return [...this.groups.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id).map((g) => this.groupView(g));
  }

  async getGroup(id: number): Promise<GroupView> {
    await this.ready();
    const g = this.groups.get(id);
    if (!g) throw DomainError.notFound(msg('access.group_not_found', { id }));
    return this.groupView(g);
  }

  private groupConflict(e: unknown, b: { name?: string; directoryName?: string | null }): unknown {
    if (!(e instanceof StorageError) || e.code !== 'conflict') return e;
    return e.field === 'directoryName'
      ? DomainError.conflict('directoryName', msg('access.directory_taken', { name: b.directoryName ?? '' }))
      : DomainError.conflict('name', msg('access.group_name_taken', { name: b.name ?? '' }));
  }

  async createGroup(b: GroupCreate, actor: Actor): Promise<GroupView> {
    await this.ready();
    return this.serial(async () => {
      const row = await this.deps.repo.createGroup(b, this.now()).catch((e: unknown) => {
        throw this.groupConflict(e, b);
      });
      this.groups.set(row.id, row);
      await this.audit(actor, 'access.group.create', 'group', row.id, { before: null, after: row });
      return this.groupView(row);
    });
  }

  async updateGroup(id: number, b: GroupUpdate, actor: Actor): Promise<GroupView> {
    await this.ready();
    return this.serial(async () => {
      const before = this.groups.get(id);
      if (!before) throw DomainError.notFound(msg('access.group_not_found', { id }));
      const row = await this.deps.repo.updateGroup(id, b, this.now()).catch((e: unknown) => {
        throw this.groupConflict(e, b);
      });
      if (!row) throw DomainError.notFound(msg('access.group_not_found', { id }));
      this.groups.set(id, row);
      await this.audit(actor, 'access.group.update', 'group', id, { before, after: row });
      return this.groupView(row);
    });
  }

  async deleteGroup(id: number, actor: Actor): Promise<void> {
    await this.ready();
    return this.serial(async () => {
      const before = this.groups.get(id);
      if (!before) throw DomainError.notFound(msg('access.group_not_found', { id }));
      const grants = this.listGrants({ principalKind: 'group', principalId: id });
      const view = this.groupView(before);
      await this.deps.repo.deleteGroup(id);
      this.groups.delete(id);
      this.state.removeGroup(id);
      this.changed();
      await this.audit(actor, 'access.group.delete', 'group', id, { before: { ...view, grants }, after: null });
    });
  }

  async setMembers(id: number, userIds: readonly number[], actor: Actor): Promise<GroupView> {
    await this.ready();
    return this.serial(async () => {
      const group = this.groups.get(id);
      if (!group) throw DomainError.notFound(msg('access.group_not_found', { id }));
      await this.requireUsers(userIds);
      const before = this.groupView(group).memberIds;
      await this.deps.repo.setMembers(id, userIds, this.now());
      this.state.setMembers(id, [...new Set(userIds)]);
      this.changed();
      const after = this.groupView(group).memberIds;
      await this.audit(actor, 'access.group.members', 'group', id, { before, after });
      return this.groupView(group);
    });
  }

  /**
   * A directory sign-in's memberships: the user is put in each group of `wanted` and taken out of every other group of
   * `managed` (the groups mapped to a directory group); one audited `access.group.members` per group changed.
   */
  async syncMemberships(userId: number, managed: readonly number[], wanted: ReadonlySet<number>, actor: Actor): Promise<void> {
    await this.ready();
    return this.serial(async () => {
      for (const id of managed) {
        const group = this.groups.get(id);
        if (!group) continue;
        const before = this.groupView(group).memberIds;
        if (before.includes(userId) === wanted.has(id)) continue;
        const after = wanted.has(id) ? [...before, userId].sort((a, b) => a - b) : before.filter((u) => u !== userId);
        await this.deps.repo.setMembers(id, after, this.now());
        this.state.setMembers(id, after);
        this.changed();
        await this.audit(actor, 'access.group.members', 'group', id, { before, after, userId, source: 'directory' });
      }
    });
  }

  private async requireUsers(ids: readonly number[]): Promise<void> {
    for (const u of new Set(ids)) if (!(await this.deps.users.get(u))) throw DomainError.notFound(msg('user.not_found', { id: u }));
  }

  // ---------------------------------------------------------------- home nodes, device users

  async userNode(userId: number): Promise<UserNodeView> {
    await this.ready();
    if (!(await this.deps.users.get(userId))) throw DomainError.notFound(msg('user.not_found', { id: userId }));
    return { userId, nodeId: this.state.nodeOf(userId) };
  }

  async setUserNode(userId: number, nodeId: number, actor: Actor): Promise<UserNodeView> {
    await this.ready();
    return this.serial(async () => {
      if (!(await this.deps.users.get(userId))) throw DomainError.notFound(msg('user.not_found', { id: userId }));
      if (!this.deps.tree().node(nodeId)) throw DomainError.notFound(msg('org.node_not_found', { id: nodeId }));
      const before = this.state.nodeOf(userId);
      await this.deps.repo.setUserNode(userId, nodeId === ROOT_NODE_ID ? null : nodeId);
      if (nodeId === ROOT_NODE_ID) this.state.homeNode.delete(userId);
      else this.state.homeNode.set(userId, nodeId);
      this.changed();
      await this.audit(actor, 'access.user.node', 'user', userId, { before: { nodeId: before }, after: { nodeId } });
      return { userId, nodeId };
    });
  }

  async deviceUsers(deviceId: number): Promise<DeviceUsersView> {
    await this.ready();
    if (!this.deps.tree().device(deviceId)) throw DomainError.notFound(msg('device.not_found', { id: deviceId }));
    return { deviceId, userIds: [...(this.state.usersOfDevice.get(deviceId) ?? [])].sort((a, b) => a - b) };
  }

  async setDeviceUsers(deviceId: number, userIds: readonly number[], actor: Actor): Promise<DeviceUsersView> {
    await this.ready();
    return this.serial(async () => {
      if (!this.deps.tree().device(deviceId)) throw DomainError.notFound(msg('device.not_found', { id: deviceId }));
      await this.requireUsers(userIds);
      const before = [...(this.state.usersOfDevice.get(deviceId) ?? [])].sort((a, b) => a - b);
      const after = [...new Set(userIds)].sort((a, b) => a - b);
      await this.deps.repo.setDeviceUsers(deviceId, after);
      this.state.setDeviceUsers(deviceId, after);
      this.changed();
      await this.audit(actor, 'access.device.users', 'device', deviceId, { before: { userIds: before }, after: { userIds: after } });
      return { deviceId, userIds: after };
    });
  }

  private audit(actor: Actor, action: string, targetType: string, targetId: number, detail: unknown): Promise<void> {
    return this.deps.audit.record({ actor, action, targetType, targetId, detail, ip: actor.kind === 'user' ? (actor.ip ?? null) : null });
  }
}
