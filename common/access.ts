// Access-control contracts shared by server and console (issue 13, docs/design/access.md): grants, groups, assignments and the two questions.
import { ROLES, type Role } from './api';
import { RIGHTS, type Right } from './rights';
import { s, type Infer } from './schema';

/** Who a grant is given to: a role template, a user, a group, or the users whose home node is a node or below it. */
export const PRINCIPAL_KINDS = ['role', 'user', 'group', 'node'] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];
/** Where a grant applies: a node and everything below it, one channel, or the devices assigned to the user ('own'). */
export const SCOPE_KINDS = ['node', 'channel', 'own'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];
export const EFFECTS = ['allow', 'deny'] as const;
export type Effect = (typeof EFFECTS)[number];

/**
 * One grant. principalId: the user, group or node id (null for a role template, named by `role`); scopeId: the node
 * or channel id (null for 'own').
 */
export interface GrantView {
  id: number;
  principalKind: PrincipalKind;
  role: Role | null;
  principalId: number | null;
  right: Right;
  scopeKind: ScopeKind;
  scopeId: number | null;
  effect: Effect;
  createdMs: number;
}

const id = (description: string) => s.int({ min: 1, description });

export const GrantCreate = s.object({
  principalKind: s.enum(PRINCIPAL_KINDS, 'role template, user, group, or node (users whose home node is at or below it)'),
  role: s.optional(s.enum(ROLES, 'the role template (principalKind role)')),
  principalId: s.optional(id('the user, group or node id (principalKind user, group, node)')),
  right: s.enum(RIGHTS),
  scopeKind: s.enum(SCOPE_KINDS, 'a node and everything below it, one channel, or the devices assigned to the user'),
  scopeId: s.optional(id('the node or channel id (scopeKind node, channel)')),
  effect: s.enum(EFFECTS, 'deny wins over every allow'),
});
export type GrantCreate = Infer<typeof GrantCreate>;

export const GrantListQuery = s.object({
  principalKind: s.optional(s.enum(PRINCIPAL_KINDS)),
  principalId: s.optional(id('only the grants of this user, group or node')),
  role: s.optional(s.enum(ROLES)),
  right: s.optional(s.enum(RIGHTS)),
});
export type GrantListQuery = Infer<typeof GrantListQuery>;

export interface GroupView {
  id: number;
  name: string;
  description: string;
  /** The directory (LDAP/AD) group it stands for, or null. */
  directoryName: string | null;
  memberIds: number[];
  createdMs: number;
  updatedMs: number;
}

const groupName = s.string({ minLength: 1, maxLength: 128, singleLine: true });
const groupFields = {
  name: groupName,
  description: s.optional(s.string({ maxLength: 512 })),
  directoryName: s.optional(s.nullable(s.string({ minLength: 1, maxLength: 512, singleLine: true, description: 'LDAP/AD group (sign-in maps it)' }))),
};
export const GroupCreate = s.object(groupFields);
export type GroupCreate = Infer<typeof GroupCreate>;
export const GroupUpdate = s.partial(s.object(groupFields));
export type GroupUpdate = Infer<typeof GroupUpdate>;
export const GroupMembers = s.object({ userIds: s.array(id('a user'), { maxItems: 10_000 }) });
export type GroupMembers = Infer<typeof GroupMembers>;

/** A user's home node (node principals' grants apply to users at or below their node). */
export const UserNodeSet = s.object({ nodeId: id('the home node (1 = the root)') });
export type UserNodeSet = Infer<typeof UserNodeSet>;
export interface UserNodeView {
  userId: number;
  nodeId: number;
}

/** The users assigned to a device (their own unit: the 'own' scope). */
export const DeviceUsersSet = s.object({ userIds: s.array(id('a user'), { maxItems: 1000 }) });
export type DeviceUsersSet = Infer<typeof DeviceUsersSet>;
export interface DeviceUsersView {
  deviceId: number;
  userIds: number[];
}

/** A user's effective rights in short (login, /auth/me): the console shows only what the user may use. */
export interface RightsSummary {
  /** Rights held everywhere (at the root, not denied anywhere): global rights such as users.manage. */
  global: Right[];
  /** Rights held on at least one node or channel. */
  any: Right[];
}

/** Why a user holds (or is refused) a right on a target: the deciding grant, from which principal. */
export interface AccessReason {
  grantId: number;
  principalKind: PrincipalKind;
  role: Role | null;
  principalId: number | null;
  effect: Effect;
  scopeKind: ScopeKind;
  scopeId: number | null;
}

/** "Who can see channel X": every user, allowed or not, with the grants that decide it. */
export interface ChannelAudienceView {
  channelId: number;
  right: Right;
  users: Array<{ userId: number; username: string; role: Role; allowed: boolean; allows: AccessReason[]; denies: AccessReason[] }>;
}

export const AudienceQuery = s.object({ right: s.optional(s.enum(RIGHTS, 'default live.view')) });
export type AudienceQuery = Infer<typeof AudienceQuery>;

/** "What can user Y see": per right, the nodes and channels granted (and denied), with the deciding grants. */
export interface UserReachView {
  userId: number;
  nodeId: number;
  groupIds: number[];
  deviceIds: number[];
  summary: RightsSummary;
  entries: Array<{ right: Right; scopeKind: ScopeKind; scopeId: number | null; effect: Effect; reason: AccessReason }>;
  /** Per right asked (default live.view): the channels the user holds it on (all: every channel). */
  channels: { right: Right; all: boolean; ids: number[] };
}
