// Declarations of the organisation-tree and device endpoints the console calls (served by main/server/routes/org.ts and devices.ts, still inline there: not yet in ENDPOINT_AREAS).
import { NodeChannelsQuery, OrgNodeCreate, OrgNodeUpdate, DeviceUpdate, type ChannelRef, type DeviceView, type OrgNodeView, type OrgTree } from '../devices';
import { endpoint, typed } from '../endpoint';
import { IdParams } from './params';

const OBJECT = { type: 'object' } as const;

export const getOrgTree = endpoint({
  method: 'GET',
  path: '/api/v1/org/tree',
  auth: 'any',
  tag: 'devices',
  summary: 'The organisation tree: every node with its subtree counts',
  response: { description: 'the tree', schema: typed<OrgTree>(OBJECT) },
});

export const postOrgNodes = endpoint({
  method: 'POST',
  path: '/api/v1/org/nodes',
  auth: 'org.manage',
  tag: 'devices',
  summary: 'Add a node under a parent',
  body: OrgNodeCreate,
  response: { status: 201, description: 'the new node', schema: typed<OrgNodeView>(OBJECT) },
});

export const patchOrgNodesByid = endpoint({
  method: 'PATCH',
  path: '/api/v1/org/nodes/:id',
  auth: 'org.manage',
  tag: 'devices',
  summary: 'Rename, recode, reorder or move a node',
  params: IdParams,
  body: OrgNodeUpdate,
  response: { description: 'the node', schema: typed<OrgNodeView>(OBJECT) },
});

export const deleteOrgNodesByid = endpoint({
  method: 'DELETE',
  path: '/api/v1/org/nodes/:id',
  auth: 'org.manage',
  tag: 'devices',
  summary: 'Delete an empty node',
  params: IdParams,
  response: { status: 204, description: 'deleted' },
});

export const getOrgNodesByidChannels = endpoint({
  method: 'GET',
  path: '/api/v1/org/nodes/:id/channels',
  auth: 'any',
  tag: 'devices',
  summary: "A node's channels in tree order (with its subtree when recursive)",
  params: IdParams,
  query: NodeChannelsQuery,
  response: { description: 'channel refs in tree order', schema: typed<ChannelRef[]>({ type: 'array', items: OBJECT }) },
});

export const getDevices = endpoint({
  method: 'GET',
  path: '/api/v1/devices',
  auth: 'any',
  tag: 'devices',
  summary: 'Devices with their channels and statuses',
  response: { description: 'devices', schema: typed<DeviceView[]>({ type: 'array', items: OBJECT }) },
});

export const patchDevicesByid = endpoint({
  method: 'PATCH',
  path: '/api/v1/devices/:id',
  auth: 'devices.manage',
  tag: 'devices',
  summary: 'Change a device (name, node, enabled, mobile identity)',
  params: IdParams,
  body: DeviceUpdate,
  response: { description: 'the device', schema: typed<DeviceView>(OBJECT) },
});

