// HTTP calls of the alarm API (common/alarms.ts contracts) through the console's one client (renderer/api.ts).
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
} from '../../common/alarms';
import { api } from '../api';

const request = api.request.bind(api);

export const alarmApi = {
  list: (q: AlarmQuery) => request<AlarmList>('GET', '/alarms', { query: { ...q } }),
  get: (id: number) => request<Alarm>('GET', `/alarms/${id}`),
  feed: (since: number, limit = 1000) => request<AlarmFeedPage>('GET', '/alarms/feed', { query: { since, limit } }),
  raise: (body: ManualAlarmBody) => request<Alarm>('POST', '/alarms', { body }),
  step: (id: number, body: AlarmStepBody) => request<Alarm>('POST', `/alarms/${id}/steps`, { body }),
  stepMany: (body: AlarmBulkStepBody) => request<AlarmBulkStepResult>('POST', '/alarms/steps', { body }),
  /** The rows of an export (audited by the server); the console builds the CSV in the user's language (alarm-csv.ts). */
  exportRows: (q: AlarmQuery) => request<Alarm[]>('GET', '/alarms/export.json', { query: { ...q } }),
  rules: () => request<AlarmRule[]>('GET', '/alarm-rules'),
  createRule: (body: AlarmRuleBody) => request<AlarmRule>('POST', '/alarm-rules', { body }),
  updateRule: (id: number, body: AlarmRulePatch) => request<AlarmRule>('PATCH', `/alarm-rules/${id}`, { body }),
  deleteRule: (id: number) => request<void>('DELETE', `/alarm-rules/${id}`),
  testRule: (id: number) => request<Alarm>('POST', `/alarm-rules/${id}/test`),
};

export type AlarmApi = typeof alarmApi;
