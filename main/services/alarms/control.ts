// What route handlers and other features may ask of the alarms feature (issue 7).
import type {
  Alarm,
  AlarmFeedPage,
  AlarmList,
  AlarmQuery,
  AlarmRule,
  AlarmRuleBody,
  AlarmRulePatch,
  AlarmBulkStepBody,
  AlarmBulkStepResult,
  AlarmStepBody,
  ManualAlarmBody,
} from '../../../common/alarms';
import type { UserActor } from '../../platform/actor';
import type { AlarmSourceScope } from '../../../storage/repos/alarms';

export interface AlarmControl {
  /** `scope`: only alarms of those sources (the caller's rights), applied before the limit. */
  list(q: AlarmQuery, scope?: AlarmSourceScope): Promise<AlarmList>;
  get(id: number): Promise<Alarm>;
  /** Feed events after `since` (replay after a reconnect). */
  feed(since: number, limit: number, scope?: AlarmSourceScope): Promise<AlarmFeedPage>;
  /** History rows of an export (the console builds its CSV from them, in the user's language and zone). */
  exportRows(q: AlarmQuery, scope?: AlarmSourceScope): Promise<Alarm[]>;
  /** History as CSV (machine columns: codes, UTC ISO times) for API clients. */
  exportCsv(q: AlarmQuery, scope?: AlarmSourceScope, keep?: (alarm: Alarm) => boolean): Promise<string>;
  raiseManual(body: ManualAlarmBody, by: UserActor): Promise<Alarm>;
  step(id: number, body: AlarmStepBody, by: UserActor): Promise<Alarm>;
  /** The same step on each alarm in turn (each validated and audited like a single step); refusals are listed, not thrown. */
  stepMany(body: AlarmBulkStepBody, by: UserActor): Promise<AlarmBulkStepResult>;
  listRules(): Promise<AlarmRule[]>;
  createRule(body: AlarmRuleBody, by: UserActor): Promise<AlarmRule>;
  updateRule(id: number, body: AlarmRulePatch, by: UserActor): Promise<AlarmRule>;
  deleteRule(id: number, by: UserActor): Promise<void>;
  /** "Fire a test alarm" for a rule. */
  testRule(id: number, by: UserActor): Promise<Alarm>;
}
