// Row shapes and mapping of the SQLite alarm tables (alarms, steps, outcomes, occurrences, feed), read with their children, and the feed writer.
import type { WireMessage } from '../../common/messages';
import type { Role } from '../../common/api';
import type {
  Alarm,
  AlarmActionKind,
  AlarmActionOutcome,
  AlarmCause,
  AlarmEventKind,
  AlarmFeedEvent,
  AlarmLinkage,
  AlarmOccurrenceView,
  AlarmOutcomeCode,
  AlarmOutcomeParams,
  AlarmSeverity,
  AlarmState,
  AlarmStep,
  AlarmType,
} from '../../common/alarms';
import { ALARM_OCCURRENCES_SHOWN, ALARM_SEVERITIES } from '../../common/alarms';
import type { Db } from './db';
import { fromBool, ms } from './mapping';

export interface AlarmDbRow {
  id: number;
  source_id: number | null;
  source_name: string;
  type: string;
  severity: string;
  state: string;
  first_ms: number;
  last_ms: number;
  count: number;
  lat: number | null;
  lon: number | null;
  message: string | null;
  device_event_id: number | null;
  test: number;
  rule_ids: string;
  escalate_role: string | null;
  escalate_due_ms: number | null;
  escalated_ms: number | null;
  handler: string | null;
  updated_ms: number;
  reporter: string | null;
  cause: string | null;
  reason: string | null;
}

interface OccurrenceDbRow {
  alarm_id: number;
  at_ms: number;
  severity: string;
  message: string | null;
  reason: string | null;
  lat: number | null;
  lon: number | null;
  username: string | null;
}

/** SQL rank of a severity column (0 critical ... 3 info), as severityRank(). */
export const SEVERITY_RANK_SQL = `CASE severity ${ALARM_SEVERITIES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} END`;

interface StepDbRow {
  alarm_id: number;
  state: string;
  user_id: number | null;
  username: string | null;
  at_ms: number;
  note: string | null;
}

interface ActionDbRow {
  alarm_id: number;
  rule_id: number | null;
  kind: string;
  status: string;
  message: string;
  result_id: number | null;
  at_ms: number;
  code: string | null;
  params: string;
}

export interface FeedDbRow {
  seq: number;
  alarm_id: number;
  kind: string;
  at_ms: number;
  payload: string;
}

export const ALARM_COLS =
  'id, source_id, source_name, type, severity, state, first_ms, last_ms, count, lat, lon, message, device_event_id, test, rule_ids, ' +
  'escalate_role, escalate_due_ms, escalated_ms, handler, updated_ms, reporter, cause, reason';

function toAlarm(r: AlarmDbRow, steps: AlarmStep[], actions: AlarmActionOutcome[], occurrences: AlarmOccurrenceView[]): Alarm {
  return {
    id: r.id,
    sourceId: r.source_id,
    sourceName: r.source_name,
    type: r.type as AlarmType,
    severity: r.severity as AlarmSeverity,
    state: r.state as AlarmState,
    firstMs: r.first_ms,
    lastMs: r.last_ms,
    count: r.count,
    lat: r.lat,
    lon: r.lon,
    message: r.message,
    reason: parseReason(r.reason),
    deviceEventId: r.device_event_id,
    test: fromBool(r.test),
    ruleIds: JSON.parse(r.rule_ids) as number[],
    escalatedToRole: r.escalated_ms !== null ? (r.escalate_role as Role | null) : null,
    escalatedMs: r.escalated_ms,
    handler: r.handler,
    reporter: r.reporter,
    cause: r.cause as AlarmCause | null,
    steps,
    actions,
    occurrences,
  };
}

function toStep(r: StepDbRow): AlarmStep {
  return { state: r.state as AlarmState, userId: r.user_id, username: r.username, atMs: r.at_ms, note: r.note };
}

/** A stored reason (JSON {code, params}); anything else reads as none. */
function parseReason(text: string | null): WireMessage | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as Partial<WireMessage> | null;
    return v && typeof v.code === 'string' ? { code: v.code, params: typeof v.params === 'object' && v.params !== null ? v.params : {} } : null;
  } catch {
    return null;
  }
}

/** A reason as stored (JSON), NULL for none. */
export function reasonJson(reason: WireMessage | null): string | null {
  return reason ? JSON.stringify({ code: reason.code, params: reason.params ?? {} }) : null;
}

/** The stored parameters of an outcome (a JSON object; anything else reads as none). */
function parseParams(text: string): AlarmOutcomeParams {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as AlarmOutcomeParams) : {};
  } catch {
    return {};
  }
}

export function toAction(r: ActionDbRow): AlarmActionOutcome {
  return {
    ruleId: r.rule_id,
    kind: r.kind as AlarmActionKind,
    status: r.status as AlarmActionOutcome['status'],
    message: r.message,
    resultId: r.result_id,
    atMs: r.at_ms,
    code: r.code as AlarmOutcomeCode | null,
    params: parseParams(r.params),
  };
}

export function toFeed(r: FeedDbRow): AlarmFeedEvent {
  const p = JSON.parse(r.payload) as { alarm: Alarm; linkage: AlarmLinkage | null };
  return { type: 'alarm.event', seq: r.seq, kind: r.kind as AlarmEventKind, atMs: r.at_ms, alarm: p.alarm, linkage: p.linkage };
}

/** Alarm rows with their steps and outcomes (two extra queries for the whole batch). */
export async function hydrate(db: Db, rows: AlarmDbRow[]): Promise<Alarm[]> {
  if (rows.length === 0) return [];
  const ids = JSON.stringify(rows.map((r) => r.id));
  const steps = await db.all<StepDbRow>(
    'SELECT alarm_id, state, user_id, username, at_ms, note FROM alarm_steps WHERE alarm_id IN (SELECT value FROM json_each(?)) ORDER BY id',
    [ids],
  );
  const actions = await db.all<ActionDbRow>(
    'SELECT alarm_id, rule_id, kind, status, message, result_id, at_ms, code, params FROM alarm_actions WHERE alarm_id IN (SELECT value FROM json_each(?)) ORDER BY id',
    [ids],
  );
  const occurrences = await db.all<OccurrenceDbRow>(
    `SELECT alarm_id, at_ms, severity, message, reason, lat, lon, username FROM (
       SELECT o.*, row_number() OVER (PARTITION BY alarm_id ORDER BY id DESC) AS n FROM alarm_occurrences o
       WHERE alarm_id IN (SELECT value FROM json_each(?))) WHERE n <= ? ORDER BY id`,
    [ids, ALARM_OCCURRENCES_SHOWN],
  );
  const occBy = new Map<number, AlarmOccurrenceView[]>();
  for (const o of occurrences)
    occBy.set(o.alarm_id, [
      ...(occBy.get(o.alarm_id) ?? []),
      { atMs: o.at_ms, severity: o.severity as AlarmSeverity, message: o.message, reason: parseReason(o.reason), lat: o.lat, lon: o.lon, reporter: o.username },
    ]);
  const stepsBy = new Map<number, AlarmStep[]>();
  for (const s of steps) stepsBy.set(s.alarm_id, [...(stepsBy.get(s.alarm_id) ?? []), toStep(s)]);
  const actionsBy = new Map<number, AlarmActionOutcome[]>();
  for (const a of actions) actionsBy.set(a.alarm_id, [...(actionsBy.get(a.alarm_id) ?? []), toAction(a)]);
  return rows.map((r) => toAlarm(r, stepsBy.get(r.id) ?? [], actionsBy.get(r.id) ?? [], occBy.get(r.id) ?? []));
}

export async function getAlarm(db: Db, id: number): Promise<Alarm | null> {
  const row = await db.get<AlarmDbRow>(`SELECT ${ALARM_COLS} FROM alarms WHERE id = ?`, [id]);
  return row ? (await hydrate(db, [row]))[0]! : null;
}

/** Appends the feed entry of a change (the whole alarm as it is now) and returns the event to push. */
export async function appendFeedEntry(
  db: Db,
  alarmId: number,
  kind: AlarmEventKind,
  linkage: AlarmLinkage | null,
  nowMs: number,
): Promise<AlarmFeedEvent | null> {
  const alarm = await getAlarm(db, alarmId);
  if (!alarm) return null;
  const r = await db.run('INSERT INTO alarm_feed (alarm_id, kind, at_ms, payload) VALUES (?, ?, ?, ?)', [
    alarmId,
    kind,
    ms(nowMs),
    JSON.stringify({ alarm, linkage }),
  ]);
  return { type: 'alarm.event', seq: r.lastId, kind, atMs: ms(nowMs), alarm, linkage };
}
