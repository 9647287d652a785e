// Repository interface of access control (migration 015, docs/design/access.md): grants, groups and members, home nodes, device users.
import type { Effect, PrincipalKind, ScopeKind } from '../../common/access';
import type { Role } from '../../common/api';

/** One stored grant (table access_grants); `right` is a right name (the service ignores names it does not know). */
export interface GrantRow {
  id: number;
  principalKind: PrincipalKind;
  role: Role | null;
  /** The user, group or node id (null for a role template). */
  principalId: number | null;
  right: string;
  scopeKind: ScopeKind;
  /** The node or channel id (null for 'own'). */
  scopeId: number | null;
  effect: Effect;
  createdMs: number;
}

export type NewGrant = Omit<GrantRow, 'id' | 'createdMs'>;

export interface GroupRow {
  id: number;
  name: string;
  description: string;
  directoryName: string | null;
  createdMs: number;
  updatedMs: number;
}

export type NewGroup = { name: string; description?: string; directoryName?: string | null };
export type GroupPatch = Partial<NewGroup>;

export interface AccessRepo {
  /** Every grant, ordered by id. */
  listGrants(): Promise<GrantRow[]>;
  getGrant(id: number): Promise<GrantRow | null>;
  /**
   * Inserts a grant. Throws StorageError 'conflict' (field 'grant') when the same principal already has the same
   * right, scope and effect; 'not_found' (field 'principal' or 'scope') when the user, group, node or channel is absent.
   */
  createGrant(g: NewGrant, nowMs: number): Promise<GrantRow>;
  /** Deletes a grant and returns it; null when absent. */
  deleteGrant(id: number): Promise<GrantRow | null>;

  listGroups(): Promise<GroupRow[]>;
  getGroup(id: number): Promise<GroupRow | null>;
  /** Throws 'conflict' (field 'name' or 'directoryName') on a duplicate. */
  createGroup(g: NewGroup, nowMs: number): Promise<GroupRow>;
  /** Null when absent; throws 'conflict' like createGroup. */
  updateGroup(id: number, patch: GroupPatch, nowMs: number): Promise<GroupRow | null>;
  /** Deletes the group with its memberships and grants. False when absent. */
  deleteGroup(id: number): Promise<boolean>;
  /** Every membership. */
  listMembers(): Promise<Array<{ groupId: number; userId: number }>>;
  /** Replaces the group's members (one transaction). Throws 'not_found' (field 'userIds') when a user is absent. */
  setMembers(groupId: number, userIds: readonly number[], nowMs: number): Promise<void>;

  /** Every user's home node (null = the root). */
  listUserNodes(): Promise<Array<{ userId: number; nodeId: number | null }>>;
  /** Sets a user's home node (null = the root). False when the user is absent; 'not_found' (field 'nodeId') when the node is. */
  setUserNode(userId: number, nodeId: number | null): Promise<boolean>;

  /** Every device–user assignment. */
  listDeviceUsers(): Promise<Array<{ deviceId: number; userId: number }>>;
  /** Replaces a device's assigned users (one transaction). Throws 'not_found' (field 'userIds' or 'deviceId'). */
  setDeviceUsers(deviceId: number, userIds: readonly number[]): Promise<void>;

  /** Rights whose role-template defaults were written. */
  listSeededRights(): Promise<string[]>;
  /** Writes a right's role-template defaults (skipping existing rows) and marks it seeded, in one transaction. */
  seedRight(right: string, defaults: readonly NewGrant[], nowMs: number): Promise<void>;
}
