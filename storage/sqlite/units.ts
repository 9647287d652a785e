// SQLite UnitRepo (deprecated compat view): a mobile unit = an agent device with its one channel (same id) and its agent_devices key row.
import { StorageError, type NewUnit, type UnitPatch, type UnitRepo, type UnitRow } from '../repositories';
import { channelNameConflict } from './channels';
import type { Db } from './db';
import { insertDeviceWithChannels, updateDevice } from './devices';
import { fromBool, ms } from './mapping';
import { groupNameSql, groupNodeId } from './org';

interface UnitDbRow {
  id: number;
  callsign: string;
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

const SELECT = `SELECT d.id, d.callsign, d.mobile_type AS type, d.officer, (d.enabled AND c.enabled) AS enabled,
  ${groupNameSql('n')} AS group_name, c.segment_seconds, c.retention_days, a.stream_key_hash, a.key_rotated_ms,
  d.created_ms, d.updated_ms
  FROM devices d JOIN agent_devices a ON a.device_id = d.id JOIN channels c ON c.device_id = d.id AND c.ordinal = 1
  JOIN org_nodes n ON n.id = d.node_id`;

function toRow(r: UnitDbRow): UnitRow {
  return {
    id: r.id,
    callsign: r.callsign,
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

/** Any name clash of a unit (channel name or device callsign) is reported on the field 'callsign'. */
function callsignConflict(err: unknown, callsign: string | undefined): unknown {
  if (err instanceof StorageError && err.code === 'conflict' && (err.field === 'name' || err.field === 'callsign')) {
    return channelNameConflict(new StorageError('conflict', err.message, 'name'), callsign, 'callsign');
  }
  return err;
}

export class SqliteUnitRepo implements UnitRepo {
  constructor(private readonly db: Db) {}

  async list(): Promise<UnitRow[]> {
    return (await this.db.all<UnitDbRow>(`${SELECT} ORDER BY d.id`)).map(toRow);
  }

  async get(id: number): Promise<UnitRow | null> {
    const r = await this.db.get<UnitDbRow>(`${SELECT} WHERE d.id = ?`, [id]);
    return r ? toRow(r) : null;
  }

  /** One agent device + channel with ONE id from the counter, and its key row, in one transaction. */
  async create(u: NewUnit, nowMs: number): Promise<UnitRow> {
    try {
      const id = await this.db.transaction(async (tx) => {
        const nodeId = await groupNodeId(tx, u.groupName, nowMs);
        const created = await insertDeviceWithChannels(
          tx,
          {
            device: {
              nodeId,
              kind: 'agent',
              name: u.callsign,
              enabled: u.enabled,
              mobile: { callsign: u.callsign, type: u.type, officer: u.officer, plate: null },
            },
            channels: [{ name: u.callsign, segmentSeconds: u.segmentSeconds, retentionDays: u.retentionDays }],
            agent: { streamKeyHash: u.streamKeyHash },
          },
          nowMs,
        );
        return created.device.id;
      });
      return (await this.get(id))!;
    } catch (err) {
      throw callsignConflict(err, u.callsign);
    }
  }

  async update(id: number, patch: UnitPatch, nowMs: number): Promise<UnitRow | null> {
    try {
      const found = await this.db.transaction(async (tx) => {
        if (!(await tx.get("SELECT 1 FROM devices WHERE id = ? AND kind = 'agent'", [id]))) return false;
        await updateDevice(
          tx,
          id,
          {
            ...(patch.callsign !== undefined ? { name: patch.callsign, callsign: patch.callsign } : {}),
            ...(patch.type !== undefined ? { mobileType: patch.type } : {}),
            ...(patch.officer !== undefined ? { officer: patch.officer } : {}),
            ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
            ...(patch.groupName !== undefined ? { nodeId: await groupNodeId(tx, patch.groupName, nowMs) } : {}),
          },
          nowMs,
        );
        const sets: string[] = ['updated_ms = ?'];
        const params: Array<string | number> = [ms(nowMs)];
        if (patch.callsign !== undefined) (sets.push('name = ?'), params.push(patch.callsign));
        if (patch.segmentSeconds !== undefined) (sets.push('segment_seconds = ?'), params.push(patch.segmentSeconds));
        if (patch.retentionDays !== undefined) (sets.push('retention_days = ?'), params.push(patch.retentionDays));
        await tx.run(`UPDATE channels SET ${sets.join(', ')} WHERE device_id = ?`, [...params, id]);
        return true;
      });
      return found ? await this.get(id) : null;
    } catch (err) {
      throw callsignConflict(err, patch.callsign);
    }
  }

  async setKey(id: number, streamKeyHash: string, nowMs: number): Promise<UnitRow | null> {
    const found = await this.db.transaction(async (tx) => {
      const res = await tx.run('UPDATE agent_devices SET stream_key_hash = ?, key_rotated_ms = ? WHERE device_id = ?', [streamKeyHash, ms(nowMs), id]);
      if (res.changes === 0) return false;
      await tx.run('UPDATE devices SET updated_ms = ? WHERE id = ?', [ms(nowMs), id]);
      await tx.run('UPDATE channels SET updated_ms = ? WHERE device_id = ?', [ms(nowMs), id]);
      return true;
    });
    return found ? this.get(id) : null;
  }

  /** Deletes the agent device; its channel and key row go with it (ON DELETE CASCADE); segments stay. */
  async delete(id: number): Promise<boolean> {
    return (await this.db.run("DELETE FROM devices WHERE id = ? AND kind = 'agent'", [id])).changes > 0;
  }
}
