// SQLite UnitRepo: mobile units = a cameras row of kind 'uplink' (name, enabled, group, retention) + a units row (type, key).
import { StorageError, UPLINK_URL, type NewUnit, type UnitPatch, type UnitRepo, type UnitRow } from '../repositories';
import type { Db } from './db';
import { bool, fromBool, ms, same, setClause, type ColumnMap } from './mapping';

interface UnitDbRow {
  id: number;
  name: string;
  type: UnitRow['type'];
  officer: string | null;
  enabled: number;
  group_name: string | null;
  segment_seconds: number;
  retention_days: number;
  stream_key_hash: string;
  key_rotated_ms: number;
  created_ms: number;
  updated_ms: number;
}

const SELECT = `SELECT c.id, c.name, u.type, u.officer, c.enabled, c.group_name, c.segment_seconds, c.retention_days,
  u.stream_key_hash, u.key_rotated_ms, c.created_ms, c.updated_ms
  FROM cameras c JOIN units u ON u.camera_id = c.id`;

/** Unit fields stored in the cameras row. */
const CAMERA_PATCH: ColumnMap<Pick<UnitPatch, 'callsign' | 'enabled' | 'groupName' | 'segmentSeconds' | 'retentionDays'>> = {
  callsign: { column: 'name', toSql: same },
  enabled: { column: 'enabled', toSql: bool },
  groupName: { column: 'group_name', toSql: same },
  segmentSeconds: { column: 'segment_seconds', toSql: same },
  retentionDays: { column: 'retention_days', toSql: same },
};

/** Unit fields stored in the units row. */
const UNIT_PATCH: ColumnMap<Pick<UnitPatch, 'type' | 'officer'>> = {
  type: { column: 'type', toSql: same },
  officer: { column: 'officer', toSql: same },
};

function toRow(r: UnitDbRow): UnitRow {
  return {
    id: r.id,
    callsign: r.name,
    type: r.type,
    officer: r.officer,
    enabled: fromBool(r.enabled),
    groupName: r.group_name,
    segmentSeconds: r.segment_seconds,
    retentionDays: r.retention_days,
    streamKeyHash: r.stream_key_hash,
    keyRotatedMs: r.key_rotated_ms,
    createdMs: r.created_ms,
    updatedMs: r.updated_ms,
  };
}

function callsignConflict(err: unknown, callsign: string | undefined): unknown {
  if (err instanceof StorageError && err.code === 'conflict' && err.field === 'name') {
    const e = new StorageError('conflict', `a camera or unit named "${callsign}" already exists`, 'callsign');
    e.cause = err;
    return e;
  }
  return err;
}

export class SqliteUnitRepo implements UnitRepo {
  constructor(private readonly db: Db) {}

  async list(): Promise<UnitRow[]> {
    return (await this.db.all<UnitDbRow>(`${SELECT} ORDER BY c.id`)).map(toRow);
  }

  async get(id: number): Promise<UnitRow | null> {
    const r = await this.db.get<UnitDbRow>(`${SELECT} WHERE c.id = ?`, [id]);
    return r ? toRow(r) : null;
  }

  async create(u: NewUnit, nowMs: number): Promise<UnitRow> {
    try {
      const id = await this.db.transaction(async (tx) => {
        const cam = await tx.get<{ id: number }>(
          `INSERT INTO cameras (kind, name, url, sub_url, username, password, transport, enabled, segment_seconds, retention_days,
             group_name, description, created_ms, updated_ms)
           VALUES ('uplink', ?, ?, NULL, NULL, NULL, 'tcp', ?, ?, ?, ?, NULL, ?, ?) RETURNING id`,
          [u.callsign, UPLINK_URL, bool(u.enabled), u.segmentSeconds, u.retentionDays, u.groupName, ms(nowMs), ms(nowMs)],
        );
        await tx.run('INSERT INTO units (camera_id, type, officer, stream_key_hash, key_rotated_ms) VALUES (?, ?, ?, ?, ?)', [
          cam!.id,
          u.type,
          u.officer,
          u.streamKeyHash,
          ms(nowMs),
        ]);
        return cam!.id;
      });
      return (await this.get(id))!;
    } catch (err) {
      throw callsignConflict(err, u.callsign);
    }
  }

  async update(id: number, patch: UnitPatch, nowMs: number): Promise<UnitRow | null> {
    const cam = setClause(patch, CAMERA_PATCH);
    const unit = setClause(patch, UNIT_PATCH);
    try {
      const found = await this.db.transaction(async (tx) => {
        const sql = cam.sql ? `${cam.sql}, updated_ms = ?` : 'updated_ms = ?';
        const res = await tx.run(`UPDATE cameras SET ${sql} WHERE id = ? AND kind = 'uplink'`, [...cam.params, ms(nowMs), id]);
        if (res.changes === 0) return false;
        if (unit.sql) await tx.run(`UPDATE units SET ${unit.sql} WHERE camera_id = ?`, [...unit.params, id]);
        return true;
      });
      return found ? await this.get(id) : null;
    } catch (err) {
      throw callsignConflict(err, patch.callsign);
    }
  }

  async setKey(id: number, streamKeyHash: string, nowMs: number): Promise<UnitRow | null> {
    const found = await this.db.transaction(async (tx) => {
      const res = await tx.run('UPDATE units SET stream_key_hash = ?, key_rotated_ms = ? WHERE camera_id = ?', [streamKeyHash, ms(nowMs), id]);
      if (res.changes === 0) return false;
      await tx.run('UPDATE cameras SET updated_ms = ? WHERE id = ?', [ms(nowMs), id]);
      return true;
    });
    return found ? this.get(id) : null;
  }

  async delete(id: number): Promise<boolean> {
    // The units row goes with the cameras row (ON DELETE CASCADE); segments stay.
    const res = await this.db.run("DELETE FROM cameras WHERE id = ? AND kind = 'uplink'", [id]);
    return res.changes > 0;
  }
}
