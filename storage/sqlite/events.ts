// SQLite EventRepo: camera and system events (motion, connection loss, ...) with a JSON detail column.
import type { EventRepo, EventRow } from '../repositories';
import type { Db, SqlValue } from './db';
import { jsonIn, jsonOut, ms, msOrNull } from './mapping';

interface EventDbRow {
  id: number;
  camera_id: number | null;
  type: string;
  state: string | null;
  start_ms: number;
  end_ms: number | null;
  detail: string | null;
}

const COLUMNS = 'id, camera_id, type, state, start_ms, end_ms, detail';

function toRow(r: EventDbRow): EventRow {
  return {
    id: r.id,
    cameraId: r.camera_id,
    type: r.type,
    state: r.state,
    startMs: r.start_ms,
    endMs: r.end_ms,
    detail: jsonOut(r.detail),
  };
}

export class SqliteEventRepo implements EventRepo {
  constructor(private readonly db: Db) {}

  async insert(e: Omit<EventRow, 'id'>): Promise<EventRow> {
    const r = await this.db.get<EventDbRow>(
      `INSERT INTO events (camera_id, type, state, start_ms, end_ms, detail) VALUES (?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
      [e.cameraId, e.type, e.state, ms(e.startMs), msOrNull(e.endMs), jsonIn(e.detail)],
    );
    return toRow(r!);
  }

  /**
   * Events that START in [startMs, endMs) (an event that began before startMs is not returned, even if still open),
   * optionally of one camera and/or one type, ordered by start time. Served by events_camera_start / events_start.
   */
  async listRange(opts: { cameraId?: number; type?: string; startMs: number; endMs: number; limit: number }): Promise<EventRow[]> {
    if (!(opts.endMs > opts.startMs) || opts.limit <= 0) return [];
    const where = ['start_ms >= ?', 'start_ms < ?'];
    const params: SqlValue[] = [ms(opts.startMs), ms(opts.endMs)];
    if (opts.cameraId !== undefined) {
      where.unshift('camera_id = ?');
      params.unshift(opts.cameraId);
    }
    if (opts.type !== undefined) {
      where.push('type = ?');
      params.push(opts.type);
    }
    params.push(Math.floor(opts.limit));
    const rows = await this.db.all<EventDbRow>(`SELECT ${COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY start_ms, id LIMIT ?`, params);
    return rows.map(toRow);
  }
}
