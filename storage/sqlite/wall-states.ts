// SQLite WallStateRepo: one row per user and window, the wall and its carousel as two JSON columns.
import type { WallStateRepo, WallStateRow } from '../repos/wall-states';
import type { Db } from './db';
import { jsonIn, jsonOut, ms } from './mapping';

interface WallStateDbRow {
  user_id: number;
  window_id: number;
  state_json: string | null;
  carousel_json: string | null;
  updated_ms: number;
}

const COLUMNS = 'user_id, window_id, state_json, carousel_json, updated_ms';

function toRow(r: WallStateDbRow): WallStateRow {
  return { userId: r.user_id, windowId: r.window_id, state: jsonOut(r.state_json), carousel: jsonOut(r.carousel_json), updatedMs: r.updated_ms };
}

export class SqliteWallStateRepo implements WallStateRepo {
  constructor(private readonly db: Db) {}

  async get(userId: number, windowId: number): Promise<WallStateRow | null> {
    const r = await this.db.get<WallStateDbRow>(`SELECT ${COLUMNS} FROM wall_states WHERE user_id = ? AND window_id = ?`, [userId, windowId]);
    return r ? toRow(r) : null;
  }

  putState(userId: number, windowId: number, state: unknown, nowMs: number): Promise<WallStateRow> {
    return this.put('state_json', userId, windowId, state, nowMs);
  }

  putCarousel(userId: number, windowId: number, carousel: unknown, nowMs: number): Promise<WallStateRow> {
    return this.put('carousel_json', userId, windowId, carousel, nowMs);
  }

  /** `column` is one of the two constants above, never user input. */
  private async put(column: 'state_json' | 'carousel_json', userId: number, windowId: number, doc: unknown, nowMs: number): Promise<WallStateRow> {
    const r = await this.db.get<WallStateDbRow>(
      `INSERT INTO wall_states (user_id, window_id, ${column}, updated_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT (user_id, window_id) DO UPDATE SET ${column} = excluded.${column}, updated_ms = excluded.updated_ms
       RETURNING ${COLUMNS}`,
      [userId, windowId, jsonIn(doc), ms(nowMs)],
    );
    return toRow(r!);
  }
}
