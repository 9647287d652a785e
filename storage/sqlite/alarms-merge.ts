// SQLite merge-or-raise of one alarm occurrence (invariants 1, 4 of docs/design/alarms.md): one transaction with its feed entry.
import type { AlarmFeedEvent } from '../../common/alarms';
import { ALARM_SEVERITIES } from '../../common/alarms';
import type { AlarmOccurrence } from '../repos/alarms';
import type { Db } from './db';
import { bool, ms } from './mapping';
import { appendFeedEntry, reasonJson, SEVERITY_RANK_SQL } from './alarms-rows';

/**
 * Merges a mergeable occurrence into the newest open alarm of its source, type and cause within the window (never into
 * a less severe one), or raises a new alarm with its first step; marks its device event handled; appends the feed entry.
 */
export function raiseOccurrence(db: Db, o: AlarmOccurrence, windowMs: number, nowMs: number): Promise<AlarmFeedEvent> {
  return db.transaction(async (tx) => {
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
          `UPDATE alarms SET count = count + 1, last_ms = max(last_ms, ?), updated_ms = ?, reason = CASE WHEN message IS NULL THEN ? ELSE reason END,
             message = coalesce(message, ?),
             lat = CASE WHEN lat IS NULL AND ? THEN ? ELSE lat END, lon = CASE WHEN lat IS NULL AND ? THEN ? ELSE lon END WHERE id = ?`,
          [ms(o.atMs), ms(nowMs), reasonJson(o.reason), o.message, bool(placed), o.lat, bool(placed), o.lon, open.id],
        );
        await tx.run(
          'INSERT INTO alarm_occurrences (alarm_id, at_ms, severity, message, reason, lat, lon, user_id, username, device_event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [
            open.id,
            ms(o.atMs),
            o.severity,
            o.message,
            reasonJson(o.reason),
            o.lat,
            o.lon,
            o.reporter?.userId ?? null,
            o.reporter?.username ?? null,
            o.deviceEventId,
          ],
        );
        return (await appendFeedEntry(tx, open.id, 'merged', null, nowMs))!;
      }
    }
    const r = await tx.run(
      `INSERT INTO alarms (source_id, source_name, type, severity, state, first_ms, last_ms, count, lat, lon, message, device_event_id, test,
         rule_ids, escalate_role, escalate_due_ms, escalated_ms, handler, updated_ms, reporter, cause, reason)
       VALUES (?, ?, ?, ?, 'new', ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?)`,
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
        reasonJson(o.reason),
      ],
    );
    await tx.run('INSERT INTO alarm_steps (alarm_id, state, user_id, username, at_ms, note) VALUES (?, ?, NULL, NULL, ?, NULL)', [r.lastId, 'new', ms(nowMs)]);
    return (await appendFeedEntry(tx, r.lastId, 'raised', o.linkage, nowMs))!;
  });
}
