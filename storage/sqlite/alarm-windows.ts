// SQLite AlarmWindowRepo: rows of alarm_recordings, one per (channel, alarm), widened when the alarm occurs again.
import type { AlarmWindowRepo, AlarmWindowRow } from '../repos/alarm-windows';
import type { Db } from './db';
import { ms } from './mapping';

interface AlarmWindowDbRow {
  id: number;
  channel_id: number;
  alarm_id: number | null;
  start_ms: number;
  end_ms: number;
}

const COLUMNS = 'id, channel_id, alarm_id, start_ms, end_ms';

function toRow(r: AlarmWindowDbRow): AlarmWindowRow {
  return { id: r.id, channelId: r.channel_id, alarmId: r.alarm_id, startMs: r.start_ms, endMs: r.end_ms };
}

export class SqliteAlarmWindowRepo implements AlarmWindowRepo {
  constructor(private readonly db: Db) {}

  async upsert(w: { channelId: number; alarmId: number | null; startMs: number; endMs: number }): Promise<AlarmWindowRow> {
    const startMs = ms(Math.min(w.startMs, w.endMs));
    const endMs = ms(Math.max(w.startMs, w.endMs));
    const cur =
      w.alarmId === null
        ? undefined
        : await this.db.get<AlarmWindowDbRow>(`SELECT ${COLUMNS} FROM alarm_recordings WHERE channel_id = ? AND alarm_id = ? ORDER BY id LIMIT 1`, [
            w.channelId,
            w.alarmId,
          ]);
    if (cur) {
      const r = await this.db.get<AlarmWindowDbRow>(
        `UPDATE alarm_recordings SET start_ms = min(start_ms, ?), end_ms = max(end_ms, ?) WHERE id = ? RETURNING ${COLUMNS}`,
        [startMs, endMs, cur.id],
      );
      return toRow(r!);
    }
    const r = await this.db.get<AlarmWindowDbRow>(
      `INSERT INTO alarm_recordings (channel_id, alarm_id, start_ms, end_ms) VALUES (?, ?, ?, ?) RETURNING ${COLUMNS}`,
      [w.channelId, w.alarmId, startMs, endMs],
    );
    return toRow(r!);
  }

  async overlapping(channelId: number, startMs: number, endMs: number): Promise<AlarmWindowRow[]> {
    const rows = await this.db.all<AlarmWindowDbRow>(
      `SELECT ${COLUMNS} FROM alarm_recordings WHERE channel_id = ? AND start_ms <= ? AND end_ms >= ? ORDER BY start_ms, id`,
      [channelId, ms(endMs), ms(startMs)],
    );
    return rows.map(toRow);
  }

  async latestEndMs(channelId: number): Promise<number | null> {
    const r = await this.db.get<{ e: number | null }>('SELECT max(end_ms) AS e FROM alarm_recordings WHERE channel_id = ?', [channelId]);
    return r?.e ?? null;
  }
}
