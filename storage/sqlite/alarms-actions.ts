// SQLite alarm changes after raising: workflow steps, action outcomes and escalation, each in one transaction with its feed entry.
import type { Role } from '../../common/api';
import type { Alarm, AlarmActionOutcome, AlarmFeedEvent, AlarmLinkage, AlarmState } from '../../common/alarms';
import type { Db } from './db';
import { ms } from './mapping';
import { ALARM_COLS, appendFeedEntry, hydrate, type AlarmDbRow } from './alarms-rows';

export function stepAlarm(
  db: Db,
  alarmId: number,
  st: { state: AlarmState | null; userId: number | null; username: string | null; note: string | null },
  nowMs: number,
): Promise<AlarmFeedEvent | null> {
  return db.transaction(async (tx) => {
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
    return appendFeedEntry(tx, alarmId, 'state', null, nowMs);
  });
}

export function addActions(db: Db, alarmId: number, outcomes: AlarmActionOutcome[], nowMs: number): Promise<AlarmFeedEvent | null> {
  return db.transaction(async (tx) => {
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
    return appendFeedEntry(tx, alarmId, 'action', null, nowMs);
  });
}

export async function dueForEscalation(db: Db, nowMs: number, limit: number): Promise<Array<{ alarm: Alarm; role: Role }>> {
  const rows = await db.all<AlarmDbRow>(
    `SELECT ${ALARM_COLS} FROM alarms WHERE escalate_due_ms IS NOT NULL AND escalated_ms IS NULL AND escalate_due_ms <= ? AND state = 'new'
     ORDER BY escalate_due_ms LIMIT ?`,
    [ms(nowMs), limit],
  );
  const alarms = await hydrate(db, rows);
  return alarms.map((alarm, i) => ({ alarm, role: (rows[i]!.escalate_role ?? 'admin') as Role }));
}

export function escalate(db: Db, alarmId: number, linkage: AlarmLinkage, outcome: AlarmActionOutcome, nowMs: number): Promise<AlarmFeedEvent | null> {
  return db.transaction(async (tx) => {
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
    return appendFeedEntry(tx, alarmId, 'escalated', linkage, nowMs);
  });
}
