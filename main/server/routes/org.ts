// Routes /org: the organisation tree with counts, node edits (org.manage), a node's channels in tree order, search (declared in common/endpoints/org.ts).
import * as E from '../../../common/endpoints';
import { accessOf, seesChannel, seesDevice } from '../access-guard';
import { actorOf, bind, type Route } from '../router';
import type { DepsRef } from './deps';

export function orgRoutes(deps: DepsRef): Route[] {
  return [
    bind(E.getOrgTree, () => deps().devices.read.orgTree()),
    bind(E.postOrgNodes, (ctx) => deps().devices.org.create(ctx.body, actorOf(ctx))),
    bind(E.patchOrgNodesByid, (ctx) => deps().devices.org.update(ctx.params.id, ctx.body, actorOf(ctx))),
    bind(E.deleteOrgNodesByid, (ctx) => deps().devices.org.delete(ctx.params.id, actorOf(ctx))),
    // A node's channels and search hits: only channels and devices the user sees (nodes are not secret).
    bind(E.getOrgNodesByidChannels, async (ctx) => {
      const a = accessOf(deps(), ctx);
      return (await deps().devices.read.nodeChannels(ctx.params.id, ctx.query.recursive ?? false)).filter((c) => seesChannel(a, c.channelId));
    }),
    bind(E.getOrgSearch, async (ctx) => {
      const a = accessOf(deps(), ctx);
      return (await deps().devices.read.search(ctx.query.q, ctx.query.limit)).filter(
        (h) => h.kind === 'node' || (h.kind === 'device' ? seesDevice(a, h.id) : seesChannel(a, h.id)),
      );
    }),
  ];
}
