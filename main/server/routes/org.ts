// Routes /org: the organisation tree with counts, node edits (org.manage), a node's channels in tree order, search.
import { API_PREFIX } from '../../../common/api';
import { NodeChannelsQuery, OrgNodeCreate, OrgNodeUpdate, OrgSearchQuery } from '../../../common/devices';
import { s } from '../../../common/schema';
import { actorOf, route, type Route } from '../router';
import { IdParams, type DepsRef } from './deps';
import { ChannelRefSchema, OrgNodeSchema, OrgSearchHitSchema, OrgTreeSchema } from './devices-schemas';

export function orgRoutes(deps: DepsRef): Route[] {
  const base = `${API_PREFIX}/org`;
  return [
    route({
      method: 'GET',
      path: `${base}/tree`,
      auth: 'any',
      tag: 'devices',
      summary: 'The organisation tree: every node in tree order with its subtree counts (devices, online, channels, live, recording)',
      response: { description: 'the tree', schema: OrgTreeSchema },
      handler: () => deps().devices.read.orgTree(),
    }),
    route({
      method: 'POST',
      path: `${base}/nodes`,
      auth: 'org.manage',
      tag: 'devices',
      summary: 'Add a node under a parent',
      description: 'Names are unique among siblings (409 org.name_taken), codes unique in the tree (409 org.code_taken); at most 15 levels below the root (409 org.too_deep).',
      body: OrgNodeCreate,
      response: { status: 201, description: 'the new node', schema: OrgNodeSchema },
      handler: (ctx) => deps().devices.org.create(ctx.body, actorOf(ctx)),
    }),
    route({
      method: 'PATCH',
      path: `${base}/nodes/:id`,
      auth: 'org.manage',
      tag: 'devices',
      summary: 'Rename, recode, reorder or move a node (a move takes its subtree and devices along)',
      description: '409 org.cycle (under itself or a descendant), org.too_deep, org.name_taken, org.code_taken; 400 org.root (moving the root).',
      params: IdParams,
      body: OrgNodeUpdate,
      response: { description: 'the node', schema: OrgNodeSchema },
      handler: (ctx) => deps().devices.org.update(ctx.params.id, ctx.body, actorOf(ctx)),
    }),
    route({
      method: 'DELETE',
      path: `${base}/nodes/:id`,
      auth: 'org.manage',
      tag: 'devices',
      summary: 'Delete an empty node (409 org.node_not_empty while it holds nodes or devices; 400 org.root)',
      params: IdParams,
      response: { status: 204, description: 'deleted' },
      handler: (ctx) => deps().devices.org.delete(ctx.params.id, actorOf(ctx)),
    }),
    route({
      method: 'GET',
      path: `${base}/nodes/:id/channels`,
      auth: 'any',
      tag: 'devices',
      summary: "A node's channels in tree order (with recursive=true, its whole subtree's): what a drop on the wall fills it with",
      params: IdParams,
      query: NodeChannelsQuery,
      response: { description: 'channels: nodes depth-first (sort order, name), devices by name, channels by ordinal', schema: s.array(ChannelRefSchema) },
      handler: (ctx) => deps().devices.read.nodeChannels(ctx.params.id, ctx.query.recursive ?? false),
    }),
    route({
      method: 'GET',
      path: `${base}/search`,
      auth: 'any',
      tag: 'devices',
      summary: 'Search nodes (name, code), devices (name, code, callsign, serial, plate) and channels (name, code); case-insensitive substring',
      query: OrgSearchQuery,
      response: { description: 'at most limit (default 50) hits: nodes, then devices, then channels, in tree order', schema: { type: 'array', items: OrgSearchHitSchema } },
      handler: (ctx) => deps().devices.read.search(ctx.query.q, ctx.query.limit),
    }),
  ];
}
