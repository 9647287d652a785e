// Escalation of the alarm center (invariant 5 of docs/design/alarms.md): alarms still new when their time is due alert the rule's role, once.
import type { AlarmActionOutcome, AlarmLinkage } from '../../../common/alarms';
import type { AlarmCenterOptions } from './center';
import { outcomeLogText } from './outcomes';

/** What escalation needs from the center's options. */
export type EscalationDeps = Pick<AlarmCenterOptions, 'store' | 'publish' | 'audit' | 'now'>;

/** Escalates every alarm whose escalation is due (nobody acknowledged in time); returns how many. */
export async function escalateDue(o: EscalationDeps): Promise<number> {
  const now = o.now();
  const due = await o.store.alarms.dueForEscalation(now, 100);
  let n = 0;
  for (const { alarm: a, role } of due) {
    const linkage: AlarmLinkage = { wall: [], sound: true, desktop: true, notifyRoles: [role], notifyUserIds: [] };
    const waitedS = Math.round((now - a.steps[0]!.atMs) / 1000);
    const params = { role, waitedS };
    const outcome: AlarmActionOutcome = {
      ruleId: a.ruleIds[0] ?? null,
      kind: 'escalate',
      status: 'sent',
      code: 'escalate',
      params,
      message: outcomeLogText('escalate', params),
      resultId: null,
      atMs: now,
    };
    const ev = await o.store.alarms.escalate(a.id, linkage, outcome, now);
    if (!ev) continue;
    o.publish(ev);
    await o.audit.record({ actor: null, action: 'alarm.escalate', targetType: 'alarm', targetId: a.id, detail: { role, waitedS } });
    n++;
  }
  return n;
}
