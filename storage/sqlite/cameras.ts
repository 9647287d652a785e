// SQLite CameraRepo: the video source table (fixed cameras and the rows of mobile units; one id space, unique names).
import { StorageError, type CameraRepo, type CameraRow, type NewCamera } from '../repositories';
import type { Db } from './db';
import { bool, fromBool, ms, same, setClause, type ColumnMap } from './mapping';

export interface CameraDbRow {
  id: number;
  kind: CameraRow['kind'];
  name: string;
  url: string;
  sub_url: string | null;
  username: string | null;
  password: string | null;
  transport: CameraRow['transport'];
  enabled: number;
  segment_seconds: number;
  retention_days: number;
  group_name: string | null;
  description: string | null;
  created_ms: number;
  updated_ms: number;
}

export const CAMERA_COLUMNS =
  'id, kind, name, url, sub_url, username, password, transport, enabled, segment_seconds, retention_days, group_name, description, created_ms, updated_ms';

const PATCH: ColumnMap<NewCamera> = {
  name: { column: 'name', toSql: same },
  url: { column: 'url', toSql: same },
  subUrl: { column: 'sub_url', toSql: same },
  username: { column: 'username', toSql: same },
  password: { column: 'password', toSql: same },
  transport: { column: 'transport', toSql: same },
  enabled: { column: 'enabled', toSql: bool },
  segmentSeconds: { column: 'segment_seconds', toSql: same },
  retentionDays: { column: 'retention_days', toSql: same },
  groupName: { column: 'group_name', toSql: same },
  description: { column: 'description', toSql: same },
};

export function toCameraRow(r: CameraDbRow): CameraRow {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    url: r.url,
    subUrl: r.sub_url,
    username: r.username,
    password: r.password,
    transport: r.transport,
    enabled: fromBool(r.enabled),
    segmentSeconds: r.segment_seconds,
    retentionDays: r.retention_days,
    groupName: r.group_name,
    description: r.description,
    createdMs: r.created_ms,
    updatedMs: r.updated_ms,
  };
}

function nameConflict(err: unknown, name: string | undefined): unknown {
  if (err instanceof StorageError && err.code === 'conflict' && err.field === 'name') {
    const e = new StorageError('conflict', `a camera or unit named "${name}" already exists`, 'name');
    e.cause = err;
    return e;
  }
  return err;
}

export class SqliteCameraRepo implements CameraRepo {
  constructor(private readonly db: Db) {}

  async list(): Promise<CameraRow[]> {
    return (await this.db.all<CameraDbRow>(`SELECT ${CAMERA_COLUMNS} FROM cameras ORDER BY id`)).map(toCameraRow);
  }

  async get(id: number): Promise<CameraRow | null> {
    const r = await this.db.get<CameraDbRow>(`SELECT ${CAMERA_COLUMNS} FROM cameras WHERE id = ?`, [id]);
    return r ? toCameraRow(r) : null;
  }

  async getByName(name: string): Promise<CameraRow | null> {
    const r = await this.db.get<CameraDbRow>(`SELECT ${CAMERA_COLUMNS} FROM cameras WHERE name = ?`, [name]);
    return r ? toCameraRow(r) : null;
  }

  async create(c: NewCamera, nowMs: number): Promise<CameraRow> {
    try {
      const r = await this.db.get<CameraDbRow>(
        `INSERT INTO cameras (name, url, sub_url, username, password, transport, enabled, segment_seconds, retention_days,
           group_name, description, created_ms, updated_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${CAMERA_COLUMNS}`,
        [
          c.name,
          c.url,
          c.subUrl,
          c.username,
          c.password,
          c.transport,
          bool(c.enabled),
          c.segmentSeconds,
          c.retentionDays,
          c.groupName,
          c.description,
          ms(nowMs),
          ms(nowMs),
        ],
      );
      return toCameraRow(r!);
    } catch (err) {
      throw nameConflict(err, c.name);
    }
  }

  async update(id: number, patch: Partial<NewCamera>, nowMs: number): Promise<CameraRow | null> {
    const set = setClause(patch, PATCH);
    const sql = set.sql ? `${set.sql}, updated_ms = ?` : 'updated_ms = ?';
    try {
      const r = await this.db.get<CameraDbRow>(`UPDATE cameras SET ${sql} WHERE id = ? RETURNING ${CAMERA_COLUMNS}`, [...set.params, ms(nowMs), id]);
      return r ? toCameraRow(r) : null;
    } catch (err) {
      throw nameConflict(err, patch.name);
    }
  }

  async delete(id: number): Promise<boolean> {
    const res = await this.db.run('DELETE FROM cameras WHERE id = ?', [id]);
    return res.changes > 0;
  }
}
