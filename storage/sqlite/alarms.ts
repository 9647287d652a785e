// SQLite AlarmRepo: alarms (merged occurrences), workflow steps, action outcomes, the delivery feed and linkage rules (issue 7).
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
  AlarmQuery,
  AlarmRule,
  AlarmRuleActions,
  AlarmSchedule,
  AlarmSeverity,
  AlarmState,
  AlarmStep,
  AlarmType,
} from '../../common/alarms';
import { ALARM_OCCURRENCES_SHOWN, ALARM_SEVERITIES } from '../../common/alarms';
import type { AlarmOccurrence, AlarmRepo, AlarmRuleInput } from '../repos/alarms';
import type { Db, SqlValue } from './db';
import { bool, fromBool, jsonIn, jsonOut, ms } from './mapping';
import type { EventRow } from '../repositories';

interface AlarmDbRow {
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
}

interface OccurrenceDbRow {
  alarm_id: number;
  at_ms: number;
  severity: string;
  message: string | null;
  lat: number | null;
  lon: number | null;
  username: string | null;
}

/** SQL rank of a severity column (0 critical ... 3 info), as severityRank(). */
const SEVERITY_RANK_SQL = `CASE severity ${ALARM_SEVERITIES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} END`;

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

interface RuleDbRow {
  id: number;
  name: string;
  enabled: number;
  match_json: string;
  schedule: string | null;
  actions: string;
  created_ms: number;
  updated_ms: number;
}

interface FeedDbRow {
  seq: number;
  alarm_id: number;
  kind: string;
  at_ms: number;
  payload: string;
}

const ALARM_COLS =
  'id, source_id, source_name, type, severity, state, first_ms, last_ms, count, lat, lon, message, device_event_id, test, rule_ids, ' +
  'escalate_role, escalate_due_ms, escalated_ms, handler, updated_ms, reporter, cause';

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

/** The stored parameters of an outcome (a JSON object; anything else reads as none). */
function parseParams(text: string): AlarmOutcomeParams {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as AlarmOutcomeParams) : {};
  } catch {
    return {};
  }
}

function toAction(r: ActionDbRow): AlarmActionOutcome {
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

function toRule(r: RuleDbRow): AlarmRule {
  const m = JSON.parse(r.match_json) as Pick<AlarmRule, 'sourceIds' | 'groups' | 'types' | 'minSeverity'>;
  return {
    id: r.id,
    name: r.name,
    enabled: fromBool(r.enabled),
    sourceIds: m.sourceIds,
    groups: m.groups,
    types: m.types,
    minSeverity: m.minSeverity,
    schedule: r.schedule === null ? null : (JSON.parse(r.schedule) as AlarmSchedule),
    actions: JSON.parse(r.actions) as AlarmRuleActions,
    createdMs: r.created_ms,
    updatedMs: r.updated_ms,
  };
}

function toFeed(r: FeedDbRow): AlarmFeedEvent {
  const p = JSON.parse(r.payload) as { alarm: Alarm; linkage: AlarmLinkage | null };
  return { type: 'alarm.event', seq: r.seq, kind: r.kind as AlarmEventKind, atMs: r.at_ms, alarm: p.alarm, linkage: p.linkage };
}

const matchJson = (r: Pick<AlarmRule, 'sourceIds' | 'groups' | 'types' | 'minSeverity'>): string =>
  JSON.stringify({ sourceIds: r.sourceIds, groups: r.groups, types: r.types, minSeverity: r.minSeverity });

export class SqliteAlarmRepo implements AlarmRepo {
  constructor(private readonly db: Db) {}

  /** Alarm rows with their steps and outcomes (two extra queries for the whole batch). */
  private async hydrate(db: Db, rows: AlarmDbRow[]): Promise<Alarm[]> {
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
      `SELECT alarm_id, at_ms, severity, message, lat, lon, username FROM (
         SELECT o.*, row_number() OVER (PARTITION BY alarm_id ORDER BY id DESC) AS n FROM alarm_occurrences o
         WHERE alarm_id IN (SELECT value FROM json_each(?))) WHERE n <= ? ORDER BY id`,
      [ids, ALARM_OCCURRENCES_SHOWN],
    );
    const occBy = new Map<number, AlarmOccurrenceView[]>();
    for (const o of occurrences)
      occBy.set(o.alarm_id, [
        ...(occBy.get(o.alarm_id) ?? []),
        { atMs: o.at_ms, severity: o.severity as AlarmSeverity, message: o.message, lat: o.lat, lon: o.lon, reporter: o.username },
      ]);
    const stepsBy = new Map<number, AlarmStep[]>();
    for (const s of steps) stepsBy.set(s.alarm_id, [...(stepsBy.get(s.alarm_id) ?? []), toStep(s)]);
    const actionsBy = new Map<number, AlarmActionOutcome[]>();
    for (const a of actions) actionsBy.set(a.alarm_id, [...(actionsBy.get(a.alarm_id) ?? []), toAction(a)]);
    return rows.map((r) => toAlarm(r, stepsBy.get(r.id) ?? [], actionsBy.get(r.id) ?? [], occBy.get(r.id) ?? []));
  }

  private async getWith(db: Db, id: number): Promise<Alarm | null> {
    const row = await db.get<AlarmDbRow>(`SELECT ${ALARM_COLS} FROM alarms WHERE id = ?`, [id]);
    return row ? (await this.hydrate(db, [row]))[0]! : null;
  }

  private async feed(db: Db, alarmId: number, kind: AlarmEventKind, linkage: AlarmLinkage | null, nowMs: number): Promise<AlarmFeedEvent | null> {
    const alarm = await this.getWith(db, alarmId);
    if (!alarm) return null;
    const r = await db.run('INSERT INTO alarm_feed (alarm_id, kind, at_ms, payload) VALUES (?, ?, ?, ?)', [
      alarmId,
      kind,
      ms(nowMs),
      JSON.stringify({ alarm, linkage }),
    ]);
    return { type: 'alarm.event', seq: r.lastId, kind, atMs: ms(nowMs), alarm, linkage };
  }

  raise(o: AlarmOccurrence, windowMs: number, nowMs: number): Promise<AlarmFeedEvent> {
    return this.db.transaction(async (tx) => {
      if (o.deviceEventId !== null) await tx.run('INSERT OR IGNORE INTO alarm_done_events (event_id) VALUES (?)', [o.deviceEventId]);
      if (o.mergeable && !o.test && windowMs > 0) {
        // Only into an alarm at least as severe: a merge never lowers what the operator sees.
        const open = await tx.get<{ id: number; last_ms: number }>(
          `SELECT id, last_ms FROM alarms WHERE source_id IS ? AND type = ? AND last_ms >= ? AND state <> 'closed' AND test = 0
             AND ${SEVERITY_RANK_SQL} <= ? AND cause IS ?
           ORDER BY last_ms DESC, id DESC LIMIT 1`,
          [o.sourceId, o.type, ms(o.atMs - windowMs), ALARM_SEVERITIES.indexOf(o.severity), o.cause],
        );
        if (open) {
          const placed = o.lat !== null && o.lon !== null;
          await tx.run(
            `UPDATE alarms SET count = count + 1, last_ms = max(last_ms, ?), updated_ms = ?, message = coalesce(message, ?),
               lat = CASE WHEN lat IS NULL AND ? THEN ? ELSE lat END, lon = CASE WHEN lat IS NULL AND ? THEN ? ELSE lon END WHERE id = ?`,
            [ms(o.atMs), ms(nowMs), o.message, bool(placed), o.lat, bool(placed), o.lon, open.id],
          );
          await tx.run(
            'INSERT INTO alarm_occurrences (alarm_id, at_ms, severity, message, lat, lon, user_id, username, device_event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [open.id, ms(o.atMs), o.severity, o.message, o.lat, o.lon, o.reporter?.userId ?? null, o.reporter?.username ?? null, o.deviceEventId],
          );
          return (await this.feed(tx, open.id, 'merged', null, nowMs))!;
        }
      }
      const r = await tx.run(
        `INSERT INTO alarms (source_id, source_name, type, severity, state, first_ms, last_ms, count, lat, lon, message, device_event_id, test,
           rule_ids, escalate_role, escalate_due_ms, escalated_ms, handler, updated_ms, reporter, cause)
         VALUES (?, ?, ?, ?, 'new', ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?)`,
        [
          o.sourceId,
          o.sourceName,
          o.type,
          o.severity,
          ms(o.atMs),
          ms(o.atMs),
          o.lat,
          o.lon,
          o.message,
          o.deviceEventId,
          bool(o.test),
          JSON.stringify(o.ruleIds),
          o.escalateRole,
          o.escalateDueMs === null ? null : ms(o.escalateDueMs),
          ms(nowMs),
          o.reporter?.username ?? null,
          o.cause,
        ],
      );
      await tx.run('INSERT INTO alarm_steps (alarm_id, state, user_id, username, at_ms, note) VALUES (?, ?, NULL, NULL, ?, NULL)', [r.lastId, 'new', ms(nowMs)]);
      return (await this.feed(tx, r.lastId, 'raised', o.linkage, nowMs))!;
    });
  }

  step(
    alarmId: number,
    st: { state: AlarmState | null; userId: number | null; username: string | null; note: string | null },
    nowMs: number,
  ): Promise<AlarmFeedEvent | null> {
    return this.db.transaction(async (tx) => {
      const cur = await tx.get<{ state: string }>('SELECT state FROM alarms WHERE id = ?', [alarmId]);
      if (!cur) return null;
      const state = st.state ?? (cur.state as AlarmState);
      // Leaving 'new' cancels a pending escalation.
      await tx.run(
        `UPDATE alarms SET state = ?, handler = coalesce(?, handler), updated_ms = ?,
           escalate_due_ms = CASE WHEN ? <> 'new' AND escalated_ms IS NULL THEN NULL ELSE escalate_due_ms END WHERE id = ?`,
        [state, st.username, ms(nowMs), state, alarmId],
      );
      await tx.run('INSERT INTO alarm_steps (alarm_id, state, user_id, username, at_ms, note) VALUES (?, ?, ?, ?, ?, ?)', [
        alarmId,
        state,
        st.userId,
        st.username,
        ms(nowMs),
        st.note,
      ]);
      return this.feed(tx, alarmId, 'state', null, nowMs);
    });
  }

  addActions(alarmId: number, outcomes: AlarmActionOutcome[], nowMs: number): Promise<AlarmFeedEvent | null> {
    return this.db.transaction(async (tx) => {
      const exists = await tx.get('SELECT 1 FROM alarms WHERE id = ?', [alarmId]);
      if (!exists) return null;
      for (const a of outcomes) {
        await tx.run('INSERT INTO alarm_actions (alarm_id, rule_id, kind, status, message, result_id, at_ms, code, params) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
          alarmId,
          a.ruleId,
          a.kind,
          a.status,
          a.message,
          a.resultId,
          ms(a.atMs),
          a.code,
          JSON.stringify(a.params ?? {}),
        ]);
      }
      await tx.run('UPDATE alarms SET updated_ms = ? WHERE id = ?', [ms(nowMs), alarmId]);
      return this.feed(tx, alarmId, 'action', null, nowMs);
    });
  }

  async dueForEscalation(nowMs: number, limit: number): Promise<Array<{ alarm: Alarm; role: Role }>> {
    const rows = await this.db.all<AlarmDbRow>(
      `SELECT ${ALARM_COLS} FROM alarms WHERE escalate_due_ms IS NOT NULL AND escalated_ms IS NULL AND escalate_due_ms <= ? AND state = 'new'
       ORDER BY escalate_due_ms LIMIT ?`,
      [ms(nowMs), limit],
    );
    const alarms = await this.hydrate(this.db, rows);
    return alarms.map((alarm, i) => ({ alarm, role: (rows[i]!.escalate_role ?? 'admin') as Role }));
  }

  escalate(alarmId: number, linkage: AlarmLinkage, outcome: AlarmActionOutcome, nowMs: number): Promise<AlarmFeedEvent | null> {
    return this.db.transaction(async (tx) => {
      const r = await tx.run(
        `UPDATE alarms SET escalated_ms = ?, updated_ms = ? WHERE id = ? AND state = 'new' AND escalated_ms IS NULL AND escalate_due_ms IS NOT NULL`,
        [ms(nowMs), ms(nowMs), alarmId],
      );
      if (r.changes === 0) return null;
      await tx.run('INSERT INTO alarm_actions (alarm_id, rule_id, kind, status, message, result_id, at_ms, code, params) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        alarmId,
        outcome.ruleId,
        outcome.kind,
        outcome.status,
        outcome.message,
        outcome.resultId,
        ms(outcome.atMs),
        outcome.code,
        JSON.stringify(outcome.params ?? {}),
      ]);
      return this.feed(tx, alarmId, 'escalated', linkage, nowMs);
    });
  }

  get(id: number): Promise<Alarm | null> {
    return this.getWith(this.db, id);
  }

  async search(q: AlarmQuery): Promise<Alarm[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (q.startMs !== undefined) {
      where.push('first_ms >= ?');
      params.push(ms(q.startMs));
    }
    if (q.endMs !== undefined) {
      where.push('first_ms < ?');
      params.push(ms(q.endMs));
    }
    if (q.sourceId !== undefined) {
      where.push('source_id = ?');
      params.push(q.sourceId);
    }
    if (q.type !== undefined) {
      where.push('type = ?');
      params.push(q.type);
    }
    if (q.state === 'open') where.push("state <> 'closed'");
    else if (q.state !== undefined) {
      where.push('state = ?');
      params.push(q.state);
    }
    if (q.severity !== undefined) {
      where.push('severity = ?');
      params.push(q.severity);
    }
    if (q.handler !== undefined) {
      where.push('id IN (SELECT alarm_id FROM alarm_steps WHERE username = ?)');
      params.push(q.handler);
    }
    params.push(q.limit ?? 500);
    const rows = await this.db.all<AlarmDbRow>(
      `SELECT ${ALARM_COLS} FROM alarms ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY first_ms DESC, id DESC LIMIT ?`,
      params,
    );
    return this.hydrate(this.db, rows);
  }

  async feedSince(since: number, limit: number): Promise<AlarmFeedEvent[]> {
    const rows = await this.db.all<FeedDbRow>('SELECT seq, alarm_id, kind, at_ms, payload FROM alarm_feed WHERE seq > ? ORDER BY seq LIMIT ?', [since, limit]);
    return rows.map(toFeed);
  }

  async lastSeq(): Promise<number> {
    // AUTOINCREMENT keeps the high-water mark in sqlite_sequence even when the newest rows were pruned.
    const r = await this.db.get<{ seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'alarm_feed'");
    return r?.seq ?? 0;
  }

  async pruneFeed(beforeMs: number): Promise<number> {
    return (await this.db.run('DELETE FROM alarm_feed WHERE at_ms < ?', [ms(beforeMs)])).changes;
  }

  appendFeed(alarmId: number, kind: AlarmEventKind, linkage: AlarmLinkage | null, nowMs: number): Promise<AlarmFeedEvent | null> {
    return this.db.transaction((tx) => this.feed(tx, alarmId, kind, linkage, nowMs));
  }

  async pendingEvents(limit: number): Promise<EventRow[]> {
    const rows = await this.db.all<{ id: number; camera_id: number | null; type: string; state: string | null; start_ms: number; end_ms: number | null; detail: string | null }>(
      `SELECT id, camera_id, type, state, start_ms, end_ms, detail FROM events
       WHERE id > (SELECT coalesce(min(event_id), 0) FROM alarm_done_events)
         AND NOT EXISTS (SELECT 1 FROM alarm_done_events d WHERE d.event_id = events.id)
       ORDER BY id LIMIT ?`,
      [limit],
    );
    return rows.map((r) => ({ id: r.id, cameraId: r.camera_id, type: r.type, state: r.state, startMs: r.start_ms, endMs: r.end_ms, detail: jsonOut(r.detail) }));
  }

  async markEventDone(eventId: number): Promise<void> {
    await this.db.run('INSERT OR IGNORE INTO alarm_done_events (event_id) VALUES (?)', [eventId]);
  }

  async pruneDoneEvents(keep: number): Promise<number> {
    const r = await this.db.run('DELETE FROM alarm_done_events WHERE event_id < (SELECT max(event_id) FROM alarm_done_events) - ?', [keep]);
    return r.changes;
  }

  async listRules(): Promise<AlarmRule[]> {
    return (await this.db.all<RuleDbRow>('SELECT * FROM alarm_rules ORDER BY id')).map(toRule);
  }

  async getRule(id: number): Promise<AlarmRule | null> {
    const r = await this.db.get<RuleDbRow>('SELECT * FROM alarm_rules WHERE id = ?', [id]);
    return r ? toRule(r) : null;
  }

  async createRule(r: AlarmRuleInput, nowMs: number): Promise<AlarmRule> {
    const row = await this.db.get<RuleDbRow>(
      'INSERT INTO alarm_rules (name, enabled, match_json, schedule, actions, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *',
      [r.name, bool(r.enabled), matchJson(r), jsonIn(r.schedule), JSON.stringify(r.actions), ms(nowMs), ms(nowMs)],
    );
    return toRule(row!);
  }

  updateRule(id: number, patch: Partial<AlarmRuleInput>, nowMs: number): Promise<AlarmRule | null> {
    return this.db.transaction(async (tx) => {
      const cur = await tx.get<RuleDbRow>('SELECT * FROM alarm_rules WHERE id = ?', [id]);
      if (!cur) return null;
      const next = { ...toRule(cur), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as AlarmRule;
      const row = await tx.get<RuleDbRow>(
        'UPDATE alarm_rules SET name = ?, enabled = ?, match_json = ?, schedule = ?, actions = ?, updated_ms = ? WHERE id = ? RETURNING *',
        [next.name, bool(next.enabled), matchJson(next), jsonIn(next.schedule), JSON.stringify(next.actions), ms(nowMs), id],
      );
      return toRule(row!);
    });
  }

  async deleteRule(id: number): Promise<boolean> {
    return (await this.db.run('DELETE FROM alarm_rules WHERE id = ?', [id])).changes > 0;
  }
}
