// SQLite LayoutRepo: video wall layouts per user (unique name per user; the layout document stored as JSON).
import type { LayoutRepo, WallLayoutRow } from '../repositories';
import type { Db } from './db';
import { jsonIn, jsonOut, ms } from './mapping';

interface LayoutDbRow {
  id: number;
  user_id: number;
  name: string;
  json: string;
  updated_ms: number;
}

const COLUMNS = 'id, user_id, name, json, updated_ms';

function toRow(r: LayoutDbRow): WallLayoutRow {
  return { id: r.id, userId: r.user_id, name: r.name, json: jsonOut(r.json), updatedMs: r.updated_ms };
}

export class SqliteLayoutRepo implements LayoutRepo {
  constructor(private readonly db: Db) {}

  async listForUser(userId: number): Promise<WallLayoutRow[]> {
    return (await this.db.all<LayoutDbRow>(`SELECT ${COLUMNS} FROM wall_layouts WHERE user_id = ? ORDER BY name, id`, [userId])).map(toRow);
  }

  async upsert(userId: number, name: string, json: unknown, nowMs: number): Promise<WallLayoutRow> {
    const r = await this.db.get<LayoutDbRow>(
      `INSERT INTO wall_layouts (user_id, name, json, updated_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT (user_id, name) DO UPDATE SET json = excluded.json, updated_ms = excluded.updated_ms
       RETURNING ${COLUMNS}`,
      [userId, name, jsonIn(json ?? {}), ms(nowMs)],
    );
    return toRow(r!);
  }

  async delete(userId: number, id: number): Promise<boolean> {
    const res = await this.db.run('DELETE FROM wall_layouts WHERE id = ? AND user_id = ?', [id, userId]);
    return res.changes > 0;
  }
}
