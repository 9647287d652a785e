// Declarations of the alarms endpoints (served by main/server/routes/alarms.ts).
import { AlarmBulkStepBody, AlarmFeedQuery, AlarmQuery, AlarmRuleBody, AlarmRulePatch, AlarmStepBody, ManualAlarmBody } from '../alarms';
import { endpoint, typed } from '../endpoint';
import type { Alarm, AlarmBulkStepResult, AlarmFeedPage, AlarmList, AlarmRule } from '../alarms';
import { IdParams } from './params';

const ALARM = {
  type: 'object',
  description: 'an alarm (common/alarms.ts Alarm): source, type, severity, state, times, count, reporter, steps, action outcomes, merged occurrences',
};
const RULE = { type: 'object', description: 'a linkage rule (common/alarms.ts AlarmRule)' };

export const getAlarms = endpoint({
  method: 'GET',
  path: '/api/v1/alarms',
  auth: 'any',
  tag: 'alarms',
  summary: 'Alarms: the live list (state=open) or a history search by time, source, type, state, severity and handler; newest first',
  description: 'The answer carries the newest delivery sequence number: a console replays GET /alarms/feed?since=<seq> after a reconnect.',
  query: AlarmQuery,
  response: {
    description: '{ alarms, seq }',
    schema: typed<AlarmList>({ type: 'object', properties: { alarms: { type: 'array', items: ALARM }, seq: { type: 'integer' } } }),
  },
});

export const getAlarmsFeed = endpoint({
  method: 'GET',
  path: '/api/v1/alarms/feed',
  auth: 'any',
  tag: 'alarms',
  summary: 'Alarm events stored after a sequence number (what a console missed while disconnected), in order',
  query: AlarmFeedQuery,
  response: {
    description: '{ events, more }',
    schema: typed<AlarmFeedPage>({ type: 'object', properties: { events: { type: 'array', items: { type: 'object' } }, more: { type: 'boolean' } } }),
  },
});

export const getAlarmsByid = endpoint({
  method: 'GET',
  path: '/api/v1/alarms/:id',
  auth: 'any',
  tag: 'alarms',
  summary: 'One alarm with its workflow steps and action outcomes',
  params: IdParams,
  response: { description: 'the alarm', schema: typed<Alarm>(ALARM) },
});

export const postAlarms = endpoint({
  method: 'POST',
  path: '/api/v1/alarms',
  auth: 'alarms.handle',
  tag: 'alarms',
  summary: 'Raise a manual alarm (from a tile or the map); linkage rules for type "manual" apply',
  body: ManualAlarmBody,
  response: {
    status: 201,
    description: 'the new alarm (manual alarms are never merged: each keeps its severity, text, place and reporter)',
    schema: typed<Alarm>(ALARM),
  },
});

export const postAlarmsSteps = endpoint({
  method: 'POST',
  path: '/api/v1/alarms/steps',
  auth: 'alarms.handle',
  tag: 'alarms',
  summary: 'The same workflow step on several alarms ("acknowledge all N similar"); each is checked and audited on its own',
  description: 'Alarms that do not exist or cannot take the step now are listed in `refused` with the reason; the others are stepped.',
  body: AlarmBulkStepBody,
  response: {
    description: '{ alarms: the alarms after the step, refused: [{ id, kind, message, reason: { code, params } }] }',
    schema: typed<AlarmBulkStepResult>({ type: 'object' }),
  },
});

export const postAlarmsByidSteps = endpoint({
  method: 'POST',
  path: '/api/v1/alarms/:id/steps',
  auth: 'alarms.handle',
  tag: 'alarms',
  summary: 'Workflow step: acknowledge, start (in progress, with a note), close, or add a note',
  description: '409 with field "action" when the step is not possible now (e.g. acknowledging a closed alarm).',
  params: IdParams,
  body: AlarmStepBody,
  response: { description: 'the alarm after the step', schema: typed<Alarm>(ALARM) },
});

export const getAlarmRules = endpoint({
  method: 'GET',
  path: '/api/v1/alarm-rules',
  auth: 'any',
  tag: 'alarms',
  summary: 'Linkage rules',
  response: { description: 'rules by id', schema: typed<AlarmRule[]>({ type: 'array', items: RULE }) },
});

export const postAlarmRules = endpoint({
  method: 'POST',
  path: '/api/v1/alarm-rules',
  auth: 'alarmRules.edit',
  tag: 'alarms',
  summary: 'Create a linkage rule',
  description: 'Defaults: enabled true, every source, every type, minSeverity info, no schedule (always).',
  body: AlarmRuleBody,
  response: { status: 201, description: 'the rule', schema: typed<AlarmRule>(RULE) },
});

export const patchAlarmRulesByid = endpoint({
  method: 'PATCH',
  path: '/api/v1/alarm-rules/:id',
  auth: 'alarmRules.edit',
  tag: 'alarms',
  summary: 'Change a linkage rule (e.g. enable or disable it)',
  params: IdParams,
  body: AlarmRulePatch,
  response: { description: 'the rule', schema: typed<AlarmRule>(RULE) },
});

export const deleteAlarmRulesByid = endpoint({
  method: 'DELETE',
  path: '/api/v1/alarm-rules/:id',
  auth: 'alarmRules.edit',
  tag: 'alarms',
  summary: 'Delete a linkage rule',
  params: IdParams,
  response: { status: 204, description: 'deleted' },
});

export const postAlarmRulesByidTest = endpoint({
  method: 'POST',
  path: '/api/v1/alarm-rules/:id/test',
  auth: 'alarmRules.edit',
  tag: 'alarms',
  summary: "Fire a test alarm: raises a test alarm from the rule's first source and type, applying only this rule (enabled or not)",
  params: IdParams,
  response: { status: 201, description: 'the test alarm', schema: typed<Alarm>(ALARM) },
});
