// Declarations of the organisation tree endpoints /org (served by main/server/routes/org.ts).
import { NodeChannelsQuery, OrgNodeCreate, OrgNodeUpdate, OrgSearchQuery } from '../devices';
import { endpoint } from '../endpoint';
import { ChannelRefsSchema, OrgNodeSchema, OrgSearchHitsSchema, OrgTreeSchema } from './device-schemas';
import { IdParams } from './params';

export const getOrgTree = endpoint({
  method: 'GET',
  path: '/api/v1/org/tree',
  auth: 'any',
  tag: 'devices',
  summary: 'The organisation tree: every node in tree order with its subtree counts (devices, online, channels, live, recording)',
  response: { description: 'the tree', schema: OrgTreeSchema },
});

export const postOrgNodes = endpoint({
  method: 'POST',
  path: '/api/v1/org/nodes',
  auth: 'org.manage',
  tag: 'devices',
  summary: 'Add a node under a parent',
  description:
    'Names are unique among siblings (409 org.name_taken), codes unique in the tree (409 org.code_taken); at most 15 levels below the root (409 org.too_deep).',
  body: OrgNodeCreate,
  response: { status: 201, description: 'the new node', schema: OrgNodeSchema },
});

export const patchOrgNodesByid = endpoint({
  method: 'PATCH',
  path: '/api/v1/org/nodes/:id',
  auth: 'org.manage',
  tag: 'devices',
  summary: 'Rename, recode, reorder or move a node (a move takes its subtree and devices along)',
  description: '409 org.cycle (under itself or a descendant), org.too_deep, org.name_taken, org.code_taken; 400 org.root (moving the root).',
  params: IdParams,
  body: OrgNodeUpdate,
  response: { description: 'the node', schema: OrgNodeSchema },
});

export const deleteOrgNodesByid = endpoint({
  method: 'DELETE',
  path: '/api/v1/org/nodes/:id',
  auth: 'org.manage',
  tag: 'devices',
  summary: 'Delete an empty node (409 org.node_not_empty while it holds nodes or devices; 400 org.root)',
  params: IdParams,
  response: { status: 204, description: 'deleted' },
});

export const getOrgNodesByidChannels = endpoint({
  method: 'GET',
  path: '/api/v1/org/nodes/:id/channels',
  auth: 'any',
  tag: 'devices',
  summary: "A node's channels in tree order (with recursive=true, its whole subtree's): what a drop on the wall fills it with",
  params: IdParams,
  query: NodeChannelsQuery,
  response: { description: 'channels: nodes depth-first (sort order, name), devices by name, channels by ordinal', schema: ChannelRefsSchema },
});

export const getOrgSearch = endpoint({
  method: 'GET',
  path: '/api/v1/org/search',
  auth: 'any',
  tag: 'devices',
  summary: 'Search nodes (name, code), devices (name, code, callsign, serial, plate) and channels (name, code); case-insensitive substring',
  query: OrgSearchQuery,
  response: { description: 'at most limit (default 50) hits: nodes, then devices, then channels, in tree order', schema: OrgSearchHitsSchema },
});
