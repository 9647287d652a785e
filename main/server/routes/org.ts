// Routes /org: the organisation tree with counts, node edits (org.manage), a node's channels in tree order, search (declared in common/endpoints/org.ts).
import * as E from '../../../common/endpoints';
import { actorOf, bind, type Route } from '../router';
import type { DepsRef } from './deps';

export function orgRoutes(deps: DepsRef): Route[] {
  return [
    bind(E.getOrgTree, () => deps().devices.read.orgTree()),
    bind(E.postOrgNodes, (ctx) => deps().devices.org.create(ctx.body, actorOf(ctx))),
    bind(E.patchOrgNodesByid, (ctx) => deps().devices.org.update(ctx.params.id, ctx.body, actorOf(ctx))),
    bind(E.deleteOrgNodesByid, (ctx) => deps().devices.org.delete(ctx.params.id, actorOf(ctx))),
    bind(E.getOrgNodesByidChannels, (ctx) => deps().devices.read.nodeChannels(ctx.params.id, ctx.query.recursive ?? false)),
    bind(E.getOrgSearch, (ctx) => deps().devices.read.search(ctx.query.q, ctx.query.limit)),
  ];
}
