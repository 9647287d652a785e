// API routes of the alarms feature (issue 7): live list and history, replay feed, manual alarms, workflow steps, linkage rules.
import * as E from '../../../common/endpoints';
import type { UserActor } from '../../platform/actor';
import { actorOf, bind, type RequestContext, type Route } from '../router';
import type { DepsRef } from './deps';

function caller(ctx: RequestContext<unknown, unknown, unknown>): UserActor {
  return actorOf(ctx);
}

export function alarmsRoutes(deps: DepsRef): Route[] {
  const c = () => deps().features.alarms;
  return [
    bind(E.getAlarms, ({ query }) => c().list(query)),
    bind(E.getAlarmsFeed, ({ query }) => c().feed(query.since, query.limit ?? 1000)),
    bind(E.getAlarmsByid, ({ params }) => c().get(params.id)),
    bind(E.postAlarms, (ctx) => c().raiseManual(ctx.body, caller(ctx))),
    bind(E.postAlarmsSteps, (ctx) => c().stepMany(ctx.body, caller(ctx))),
    bind(E.postAlarmsByidSteps, (ctx) => c().step(ctx.params.id, ctx.body, caller(ctx))),
    bind(E.getAlarmRules, () => c().listRules()),
    bind(E.postAlarmRules, (ctx) => c().createRule(ctx.body, caller(ctx))),
    bind(E.patchAlarmRulesByid, (ctx) => c().updateRule(ctx.params.id, ctx.body, caller(ctx))),
    bind(E.deleteAlarmRulesByid, (ctx) => c().deleteRule(ctx.params.id, caller(ctx))),
    bind(E.postAlarmRulesByidTest, (ctx) => c().testRule(ctx.params.id, caller(ctx))),
  ];
}
