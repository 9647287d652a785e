// SQLite AlarmRepo: alarms (merged occurrences), workflow steps, action outcomes, the delivery feed and linkage rules (issue 7).
// Merge-or-raise is in alarms-merge.ts, steps/outcomes/escalation in alarms-actions.ts, rules in alarms-rules.ts, row mapping in alarms-rows.ts.
import type { Role } from '../../common/api';
import type { Alarm, AlarmActionOutcome, AlarmEventKind, AlarmFeedEvent, AlarmLinkage, AlarmQuery, AlarmRule, AlarmState } from '../../common/alarms';
import type { AlarmOccurrence, AlarmRepo, AlarmRuleInput, AlarmSourceScope } from '../repos/alarms';
import type { EventRow } from '../repositories';
import type { Db, SqlValue } from './db';
import { jsonOut, ms } from './mapping';
import { addActions, dueForEscalation, escalate, stepAlarm } from './alarms-actions';
import { raiseOccurrence } from './alarms-merge';
import { ALARM_COLS, appendFeedEntry, getAlarm, hydrate, toFeed, type AlarmDbRow, type FeedDbRow } from './alarms-rows';
import * as rules from './alarms-rules';

/** The SQL condition of a scope of sources on `col` (its parameter pushed): one JSON array however many sources (SQLite's variable limit); an empty one matches nothing. */
function scopeSql(scope: AlarmSourceScope, col: string, params: SqlValue[]): string {
  const sourced = scope.sourceIds === 'all' ? `${col} IS NOT NULL` : `${col} IN (SELECT value FROM json_each(?))`;
  if (scope.sourceIds !== 'all') params.push(JSON.stringify(scope.sourceIds));
  return scope.withoutSource ? `(${sourced} OR ${col} IS NULL)` : sourced;
}

export class SqliteAlarmRepo implements AlarmRepo {
  constructor(private readonly db: Db) {}

  raise(o: AlarmOccurrence, windowMs: number, nowMs: number): Promise<AlarmFeedEvent> {
    return raiseOccurrence(this.db, o, windowMs, nowMs);
  }

  step(
    alarmId: number,
    st: { state: AlarmState | null; userId: number | null; username: string | null; note: string | null },
    nowMs: number,
  ): Promise<AlarmFeedEvent | null> {
    return stepAlarm(this.db, alarmId, st, nowMs);
  }

  addActions(alarmId: number, outcomes: AlarmActionOutcome[], nowMs: number): Promise<AlarmFeedEvent | null> {
    return addActions(this.db, alarmId, outcomes, nowMs);
  }

  dueForEscalation(nowMs: number, limit: number): Promise<Array<{ alarm: Alarm; role: Role }>> {
    return dueForEscalation(this.db, nowMs, limit);
  }

  escalate(alarmId: number, linkage: AlarmLinkage, outcome: AlarmActionOutcome, nowMs: number): Promise<AlarmFeedEvent | null> {
    return escalate(this.db, alarmId, linkage, outcome, nowMs);
  }

  get(id: number): Promise<Alarm | null> {
    return getAlarm(this.db, id);
  }

  async search(q: AlarmQuery, scope?: AlarmSourceScope): Promise<Alarm[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (scope) where.push(scopeSql(scope, 'source_id', params));
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
    return hydrate(this.db, rows);
  }

  async feedSince(since: number, limit: number, scope?: AlarmSourceScope): Promise<AlarmFeedEvent[]> {
    if (!scope) {
      const rows = await this.db.all<FeedDbRow>('SELECT seq, alarm_id, kind, at_ms, payload FROM alarm_feed WHERE seq > ? ORDER BY seq LIMIT ?', [
        since,
        limit,
      ]);
      return rows.map(toFeed);
    }
    const params: SqlValue[] = [since];
    const cond = scopeSql(scope, 'a.source_id', params);
    params.push(limit);
    const rows = await this.db.all<FeedDbRow>(
      `SELECT f.seq, f.alarm_id, f.kind, f.at_ms, f.payload FROM alarm_feed f JOIN alarms a ON a.id = f.alarm_id WHERE f.seq > ? AND ${cond} ORDER BY f.seq LIMIT ?`,
      params,
    );
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
    return this.db.transaction((tx) => appendFeedEntry(tx, alarmId, kind, linkage, nowMs));
  }

  async pendingEvents(limit: number): Promise<EventRow[]> {
    const rows = await this.db.all<{
      id: number;
      camera_id: number | null;
      type: string;
      state: string | null;
      start_ms: number;
      end_ms: number | null;
      detail: string | null;
    }>(
      `SELECT id, camera_id, type, state, start_ms, end_ms, detail FROM events
       WHERE id > (SELECT coalesce(min(event_id), 0) FROM alarm_done_events)
         AND NOT EXISTS (SELECT 1 FROM alarm_done_events d WHERE d.event_id = events.id)
       ORDER BY id LIMIT ?`,
      [limit],
    );
    return rows.map((r) => ({
      id: r.id,
      cameraId: r.camera_id,
      type: r.type,
      state: r.state,
      startMs: r.start_ms,
      endMs: r.end_ms,
      detail: jsonOut(r.detail),
    }));
  }

  async markEventDone(eventId: number): Promise<void> {
    await this.db.run('INSERT OR IGNORE INTO alarm_done_events (event_id) VALUES (?)', [eventId]);
  }

  async pruneDoneEvents(keep: number): Promise<number> {
    const r = await this.db.run('DELETE FROM alarm_done_events WHERE event_id < (SELECT max(event_id) FROM alarm_done_events) - ?', [keep]);
    return r.changes;
  }

  listRules(): Promise<AlarmRule[]> {
    return rules.listRules(this.db);
  }

  getRule(id: number): Promise<AlarmRule | null> {
    return rules.getRule(this.db, id);
  }

  createRule(r: AlarmRuleInput, nowMs: number): Promise<AlarmRule> {
    return rules.createRule(this.db, r, nowMs);
  }

  updateRule(id: number, patch: Partial<AlarmRuleInput>, nowMs: number): Promise<AlarmRule | null> {
    return rules.updateRule(this.db, id, patch, nowMs);
  }

  deleteRule(id: number): Promise<boolean> {
    return rules.deleteRule(this.db, id);
  }
}
