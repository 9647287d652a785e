// HTTP calls of the alarm API through the console's one client (renderer/api.ts), derived from the declarations (common/endpoints/alarms.ts).
import type { Alarm, AlarmBulkStepBody, AlarmQuery, AlarmRuleBody, AlarmRulePatch, AlarmStepBody, ManualAlarmBody } from '../../common/alarms';
import * as E from '../../common/endpoints';
import { ALARM_EXPORT_JSON_PATH } from '../../common/endpoints/raw';
import { api, type ApiQuery } from '../api';

export const alarmApi = {
  list: (q: AlarmQuery) => api.call(E.getAlarms, { query: q }),
  get: (id: number) => api.call(E.getAlarmsByid, { params: { id } }),
  feed: (since: number, limit = 1000) => api.call(E.getAlarmsFeed, { query: { since, limit } }),
  raise: (body: ManualAlarmBody) => api.call(E.postAlarms, { body }),
  step: (id: number, body: AlarmStepBody) => api.call(E.postAlarmsByidSteps, { params: { id }, body }),
  stepMany: (body: AlarmBulkStepBody) => api.call(E.postAlarmsSteps, { body }),
  /** The rows of an export (a raw endpoint, audited by the server); the console builds the CSV in the user's language (alarm-csv.ts). */
  exportRows: (q: AlarmQuery) => api.getJson<Alarm[]>(ALARM_EXPORT_JSON_PATH, { ...q } as ApiQuery),
  rules: () => api.call(E.getAlarmRules),
  createRule: (body: AlarmRuleBody) => api.call(E.postAlarmRules, { body }),
  updateRule: (id: number, body: AlarmRulePatch) => api.call(E.patchAlarmRulesByid, { params: { id }, body }),
  deleteRule: (id: number) => api.call(E.deleteAlarmRulesByid, { params: { id } }),
  testRule: (id: number) => api.call(E.postAlarmRulesByidTest, { params: { id } }),
};

export type AlarmApi = typeof alarmApi;
