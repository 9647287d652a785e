// API routes of the alarms feature (issue 7): live list and history, replay feed, manual alarms, workflow steps, linkage rules; alarms.view / alarms.handle on each alarm's source (issue 13).
import type { Alarm, AlarmBulkStepResult } from '../../../common/alarms';
import * as E from '../../../common/endpoints';
import { msg } from '../../../common/messages';
import type { UserAccess } from '../../services/access/contract';
import type { UserActor } from '../../platform/actor';
import type { AlarmSourceScope } from '../../../storage/repos/alarms';
import { accessOf, holdsOnSource, needGlobal, needOnSource } from '../access-guard';
import { ApiError } from '../errors';
import { actorOf, bind, type RequestContext, type Route } from '../router';
import type { DepsRef } from './deps';

function caller(ctx: RequestContext<unknown, unknown, unknown>): UserActor {
  return actorOf(ctx);
}

/** Whether the user may see an alarm: alarms.view on its source channel or device; a server-wide alarm needs it globally. */
export const seesAlarm = (a: UserAccess, alarm: Pick<Alarm, 'sourceId'>): boolean => holdsOnSource(a, 'alarms.view', alarm.sourceId);

/**
 * The sources whose alarms a user may see, for the query itself (so a page is filled from what they may see, never
 * cut short after the limit); undefined: every alarm (alarms.view globally).
 */
export function alarmScope(a: UserAccess): AlarmSourceScope | undefined {
  if (a.global('alarms.view')) return undefined;
  const channels = a.channels('alarms.view');
  const devices = a.devices('alarms.view');
  if (channels.all || devices.all) return { sourceIds: 'all', withoutSource: false };
  return { sourceIds: [...new Set([...channels.ids, ...devices.ids])], withoutSource: false };
}

const alarmNotFound = (id: number) => () => ApiError.notFound(msg('alarm.not_found', { id }));

export function alarmsRoutes(deps: DepsRef): Route[] {
  const c = () => deps().features.alarms;
  /** The alarm, if the user may handle it: 404 when they may not see it, 403 when they see it but may not handle it. */
  const handleable = async (a: UserAccess, id: number): Promise<Alarm> => {
    const alarm = await c().get(id);
    needOnSource(a, 'alarms.handle', alarm.sourceId, alarmNotFound(id));
    return alarm;
  };
  return [
    bind(E.getAlarms, async (ctx) => {
      const a = accessOf(deps(), ctx);
      const list = await c().list(ctx.query, alarmScope(a));
      return { ...list, alarms: list.alarms.filter((x) => seesAlarm(a, x)) };
    }),
    bind(E.getAlarmsFeed, async (ctx) => {
      const a = accessOf(deps(), ctx);
      // Filtered in the query: a page of events the user may not see would leave the console no seq to go on from.
      const page = await c().feed(ctx.query.since, ctx.query.limit ?? 1000, alarmScope(a));
      return { ...page, events: page.events.filter((ev) => seesAlarm(a, ev.alarm)) };
    }),
    bind(E.getAlarmsByid, async (ctx) => {
      const alarm = await c().get(ctx.params.id);
      if (!seesAlarm(accessOf(deps(), ctx), alarm)) throw alarmNotFound(ctx.params.id)();
      return alarm;
    }),
    bind(E.postAlarms, (ctx) => {
      const a = accessOf(deps(), ctx);
      const sourceId = ctx.body.sourceId ?? null;
      // A server-wide alarm needs the right globally (403: nothing to hide); a source the user may not know is unknown.
      if (sourceId === null) needGlobal(a, 'alarms.handle');
      else needOnSource(a, 'alarms.handle', sourceId, () => ApiError.field('sourceId', msg('source.not_found', { id: sourceId })));
      return c().raiseManual(ctx.body, caller(ctx));
    }),
    bind(E.postAlarmsSteps, async (ctx) => {
      const a = accessOf(deps(), ctx);
      // Alarms the user may not handle are refused one by one, as unknown ones are (the others still take the step).
      const allowed: number[] = [];
      const refused: AlarmBulkStepResult['refused'] = [];
      for (const id of ctx.body.ids) {
        const alarm = await c()
          .get(id)
          .catch(() => null);
        if (alarm && !holdsOnSource(a, 'alarms.handle', alarm.sourceId)) {
          const reason = msg('alarm.not_found', { id });
          refused.push({ id, kind: 'not_found', message: `alarm ${id}: you may not handle it`, reason });
        } else allowed.push(id);
      }
      if (allowed.length === 0) return { alarms: [], refused };
      const out = await c().stepMany({ ...ctx.body, ids: allowed }, caller(ctx));
      return { alarms: out.alarms, refused: [...out.refused, ...refused] };
    }),
    bind(E.postAlarmsByidSteps, async (ctx) => {
      await handleable(accessOf(deps(), ctx), ctx.params.id);
      return c().step(ctx.params.id, ctx.body, caller(ctx));
    }),
    bind(E.getAlarmRules, () => c().listRules()),
    bind(E.postAlarmRules, (ctx) => c().createRule(ctx.body, caller(ctx))),
    bind(E.patchAlarmRulesByid, (ctx) => c().updateRule(ctx.params.id, ctx.body, caller(ctx))),
    bind(E.deleteAlarmRulesByid, (ctx) => c().deleteRule(ctx.params.id, caller(ctx))),
    bind(E.postAlarmRulesByidTest, (ctx) => c().testRule(ctx.params.id, caller(ctx))),
  ];
}
