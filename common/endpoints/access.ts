// Declarations of the access-control endpoints /access (served by main/server/routes/access.ts; docs/design/access.md).
import {
  AudienceQuery,
  DeviceUsersSet,
  GrantCreate,
  GrantListQuery,
  GroupCreate,
  GroupMembers,
  GroupUpdate,
  UserNodeSet,
  type ChannelAudienceView,
  type DeviceUsersView,
  type GrantView,
  type GroupView,
  type UserNodeView,
  type UserReachView,
} from '../access';
import { endpoint, typed } from '../endpoint';
import { IdParams } from './params';

const obj = { type: 'object' } as const;
const list = { type: 'array', items: obj } as const;

export const getAccessGrants = endpoint({
  method: 'GET',
  path: '/api/v1/access/grants',
  auth: 'access.manage',
  tag: 'access',
  summary: 'Grants (role templates, users, groups, node principals), optionally of one principal or right',
  query: GrantListQuery,
  response: { description: 'grants by id', schema: typed<GrantView[]>(list) },
});

export const postAccessGrants = endpoint({
  method: 'POST',
  path: '/api/v1/access/grants',
  auth: 'access.manage',
  tag: 'access',
  summary: 'Grant or deny a right to a role template, user, group or node, on a node (and below), a channel, or own devices',
  description:
    '400 access.global_at_root (a global right anywhere but the root), access.role_required / principal_required / scope_required; ' +
    '404 user.not_found, access.group_not_found, org.node_not_found, channel.not_found; 409 access.grant_exists. Audited access.grant.create.',
  body: GrantCreate,
  response: { status: 201, description: 'the grant', schema: typed<GrantView>(obj) },
});

export const deleteAccessGrantsByid = endpoint({
  method: 'DELETE',
  path: '/api/v1/access/grants/:id',
  auth: 'access.manage',
  tag: 'access',
  summary: 'Remove a grant (404 access.grant_not_found). Audited access.grant.delete with the grant',
  params: IdParams,
  response: { status: 204, description: 'removed' },
});

export const getAccessGroups = endpoint({
  method: 'GET',
  path: '/api/v1/access/groups',
  auth: 'access.manage',
  tag: 'access',
  summary: 'User groups with their members',
  response: { description: 'groups by name', schema: typed<GroupView[]>(list) },
});

export const postAccessGroups = endpoint({
  method: 'POST',
  path: '/api/v1/access/groups',
  auth: 'access.manage',
  tag: 'access',
  summary: 'Create a group (409 access.group_name_taken, access.directory_taken)',
  body: GroupCreate,
  response: { status: 201, description: 'the group', schema: typed<GroupView>(obj) },
});

export const patchAccessGroupsByid = endpoint({
  method: 'PATCH',
  path: '/api/v1/access/groups/:id',
  auth: 'access.manage',
  tag: 'access',
  summary: 'Rename a group, change its description or directory group',
  params: IdParams,
  body: GroupUpdate,
  response: { description: 'the group', schema: typed<GroupView>(obj) },
});

export const deleteAccessGroupsByid = endpoint({
  method: 'DELETE',
  path: '/api/v1/access/groups/:id',
  auth: 'access.manage',
  tag: 'access',
  summary: 'Delete a group with its memberships and grants (the audit entry lists them)',
  params: IdParams,
  response: { status: 204, description: 'deleted' },
});

export const putAccessGroupsByidMembers = endpoint({
  method: 'PUT',
  path: '/api/v1/access/groups/:id/members',
  auth: 'access.manage',
  tag: 'access',
  summary: "Replace a group's members (404 user.not_found for an unknown user)",
  params: IdParams,
  body: GroupMembers,
  response: { description: 'the group', schema: typed<GroupView>(obj) },
});

export const getAccessUsersByidNode = endpoint({
  method: 'GET',
  path: '/api/v1/access/users/:id/node',
  auth: 'access.manage',
  tag: 'access',
  summary: "A user's home node (node principals' grants apply to users at or below it)",
  params: IdParams,
  response: { description: 'the home node', schema: typed<UserNodeView>(obj) },
});

export const putAccessUsersByidNode = endpoint({
  method: 'PUT',
  path: '/api/v1/access/users/:id/node',
  auth: 'access.manage',
  tag: 'access',
  summary: "Set a user's home node (404 user.not_found, org.node_not_found)",
  params: IdParams,
  body: UserNodeSet,
  response: { description: 'the home node', schema: typed<UserNodeView>(obj) },
});

export const getAccessDevicesByidUsers = endpoint({
  method: 'GET',
  path: '/api/v1/access/devices/:id/users',
  auth: 'access.manage',
  tag: 'access',
  summary: "The users (officers) assigned to a device: their own unit ('own' scope)",
  params: IdParams,
  response: { description: 'the assigned users', schema: typed<DeviceUsersView>(obj) },
});

export const putAccessDevicesByidUsers = endpoint({
  method: 'PUT',
  path: '/api/v1/access/devices/:id/users',
  auth: 'access.manage',
  tag: 'access',
  summary: "Replace a device's assigned users (404 device.not_found, user.not_found)",
  params: IdParams,
  body: DeviceUsersSet,
  response: { description: 'the assigned users', schema: typed<DeviceUsersView>(obj) },
});

export const getAccessChannelsByidAudience = endpoint({
  method: 'GET',
  path: '/api/v1/access/channels/:id/audience',
  auth: 'access.manage',
  tag: 'access',
  summary: 'Who can use a right (default live.view) on a channel: every user, allowed or not, with the allows and denies that decide it',
  params: IdParams,
  query: AudienceQuery,
  response: { description: 'the audience', schema: typed<ChannelAudienceView>(obj) },
});

export const getAccessUsersByidReach = endpoint({
  method: 'GET',
  path: '/api/v1/access/users/:id/reach',
  auth: 'access.manage',
  tag: 'access',
  summary: 'What a user can reach: every grant that applies to them, their rights in short, and the channels they hold a right (default live.view) on',
  params: IdParams,
  query: AudienceQuery,
  response: { description: 'the reach', schema: typed<UserReachView>(obj) },
});
