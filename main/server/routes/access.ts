// Routes /access: grants, groups and members, home nodes, device users, and the two questions (declared in common/endpoints/access.ts).
import * as E from '../../../common/endpoints';
import { whatCan, whoCan } from '../../services/access/explain';
import { actorOf, bind, type Route } from '../router';
import type { DepsRef } from './deps';

export function accessRoutes(deps: DepsRef): Route[] {
  const svc = () => deps().access;
  return [
    bind(E.getAccessGrants, async (ctx) => {
      await svc().ready();
      return svc().listGrants(ctx.query);
    }),
    bind(E.postAccessGrants, (ctx) => svc().createGrant(ctx.body, actorOf(ctx))),
    bind(E.deleteAccessGrantsByid, (ctx) => svc().deleteGrant(ctx.params.id, actorOf(ctx))),
    bind(E.getAccessGroups, () => svc().listGroups()),
    bind(E.postAccessGroups, (ctx) => svc().createGroup(ctx.body, actorOf(ctx))),
    bind(E.patchAccessGroupsByid, (ctx) => svc().updateGroup(ctx.params.id, ctx.body, actorOf(ctx))),
    bind(E.deleteAccessGroupsByid, (ctx) => svc().deleteGroup(ctx.params.id, actorOf(ctx))),
    bind(E.putAccessGroupsByidMembers, (ctx) => svc().setMembers(ctx.params.id, ctx.body.userIds, actorOf(ctx))),
    bind(E.getAccessUsersByidNode, (ctx) => svc().userNode(ctx.params.id)),
    bind(E.putAccessUsersByidNode, (ctx) => svc().setUserNode(ctx.params.id, ctx.body.nodeId, actorOf(ctx))),
    bind(E.getAccessDevicesByidUsers, (ctx) => svc().deviceUsers(ctx.params.id)),
    bind(E.putAccessDevicesByidUsers, (ctx) => svc().setDeviceUsers(ctx.params.id, ctx.body.userIds, actorOf(ctx))),
    bind(E.getAccessChannelsByidAudience, (ctx) => whoCan(svc(), ctx.params.id, ctx.query.right ?? 'live.view')),
    bind(E.getAccessUsersByidReach, (ctx) => whatCan(svc(), ctx.params.id, ctx.query.right ?? 'live.view')),
  ];
}
