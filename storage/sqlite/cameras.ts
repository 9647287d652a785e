// SQLite CameraRepo (deprecated compat view): every channel as an old cameras row, over channels, devices, rtsp_channels, org_nodes.
import { StorageError, UPLINK_URL, type CameraRepo, type CameraRow, type NewCamera } from '../repositories';
import { channelNameConflict, updateRtsp } from './channels';
import type { Db } from './db';
import { insertDeviceWithChannels, updateDevice } from './devices';
import { bool, fromBool, ms } from './mapping';
import { groupNameSql, groupNodeId } from './org';
import { openPassword } from './secrets';

interface CameraDbRow {
  id: number;
  device_kind: string;
  device_code: string | null;
  channel_code: string | null;
  name: string;
  url: string | null;
  sub_url: string | null;
  username: string | null;
  password: string | null;
  password_enc: string | null;
  transport: CameraRow['transport'] | null;
  enabled: number;
  segment_seconds: number;
  retention_days: number;
  group_name: string | null;
  description: string | null;
  created_ms: number;
  updated_ms: number;
}

/**
 * One row per channel. kind 'uplink' = a channel of an agent device (url UPLINK_URL); every other channel is 'rtsp'.
 * enabled = channel ∧ device; groupName = the device's node name (null at the root).
 */
const SELECT = `SELECT c.id, d.kind AS device_kind, d.code AS device_code, c.code AS channel_code, c.name, r.url, r.sub_url, r.username, r.password, r.password_enc, r.transport,
  (c.enabled AND d.enabled) AS enabled, c.segment_seconds, c.retention_days, ${groupNameSql('n')} AS group_name,
  c.description, c.created_ms, c.updated_ms
  FROM channels c JOIN devices d ON d.id = c.device_id JOIN org_nodes n ON n.id = d.node_id
  LEFT JOIN rtsp_channels r ON r.channel_id = c.id`;

function toCameraRow(db: Db, r: CameraDbRow): CameraRow {
  const uplink = r.device_kind === 'agent';
  return {
    id: r.id,
    kind: uplink ? 'uplink' : r.device_kind === 'gb28181' ? 'gb28181' : 'rtsp',
    name: r.name,
    // A GB channel is reached by INVITE: its row names the device and channel IDs (main/services/sources/gb28181.ts).
    url: r.url ?? (uplink ? UPLINK_URL : r.device_kind === 'gb28181' ? `gb28181:${r.device_code ?? ''}/${r.channel_code ?? ''}` : ''),
    subUrl: r.sub_url,
    username: r.username,
    password: openPassword(db, r.password_enc, r.password),
    transport: r.transport ?? 'tcp',
    enabled: fromBool(r.enabled),
    segmentSeconds: r.segment_seconds,
    retentionDays: r.retention_days,
    groupName: r.group_name,
    description: r.description,
    createdMs: r.created_ms,
    updatedMs: r.updated_ms,
  };
}

/** Creates an rtsp device with one channel (one id for both, invariant 2) inside the caller's transaction; returns the id. */
export async function createCameraIn(tx: Db, c: NewCamera, nowMs: number): Promise<number> {
  const nodeId = await groupNodeId(tx, c.groupName, nowMs);
  const created = await insertDeviceWithChannels(
    tx,
    {
      device: { nodeId, kind: 'rtsp', name: c.name },
      channels: [
        {
          name: c.name,
          enabled: c.enabled,
          segmentSeconds: c.segmentSeconds,
          retentionDays: c.retentionDays,
          description: c.description,
          rtsp: { url: c.url, subUrl: c.subUrl, username: c.username, password: c.password, transport: c.transport },
        },
      ],
    },
    nowMs,
  );
  return created.channels[0]!.id;
}

export class SqliteCameraRepo implements CameraRepo {
  constructor(private readonly db: Db) {}

  async list(): Promise<CameraRow[]> {
    return (await this.db.all<CameraDbRow>(`${SELECT} ORDER BY c.id`)).map((r) => toCameraRow(this.db, r));
  }

  async get(id: number): Promise<CameraRow | null> {
    const r = await this.db.get<CameraDbRow>(`${SELECT} WHERE c.id = ?`, [id]);
    return r ? toCameraRow(this.db, r) : null;
  }

  async getByName(name: string): Promise<CameraRow | null> {
    const r = await this.db.get<CameraDbRow>(`${SELECT} WHERE c.name = ?`, [name]);
    return r ? toCameraRow(this.db, r) : null;
  }

  async create(c: NewCamera, nowMs: number): Promise<CameraRow> {
    try {
      const id = await this.db.transaction((tx) => createCameraIn(tx, c, nowMs));
      return (await this.get(id))!;
    } catch (err) {
      throw channelNameConflict(err, c.name);
    }
  }

  /**
   * Channel fields and its rtsp row; `name` also renames a single-channel rtsp or agent device (an agent's callsign
   * too); `enabled` is the device's for an agent channel, else the channel's; `groupName` moves the whole device.
   */
  async update(id: number, patch: Partial<NewCamera>, nowMs: number): Promise<CameraRow | null> {
    try {
      const found = await this.db.transaction(async (tx) => {
        const ch = await tx.get<{ device_id: number; kind: string; n: number }>(
          `SELECT c.device_id, d.kind, (SELECT count(*) FROM channels WHERE device_id = c.device_id) AS n
           FROM channels c JOIN devices d ON d.id = c.device_id WHERE c.id = ?`,
          [id],
        );
        if (!ch) return false;
        const agent = ch.kind === 'agent';
        const sets: string[] = ['updated_ms = ?'];
        const params: Array<string | number | null> = [ms(nowMs)];
        const put = (column: string, v: string | number | null) => (sets.push(`${column} = ?`), params.push(v));
        if (patch.name !== undefined) put('name', patch.name);
        if (patch.enabled !== undefined && !agent) put('enabled', bool(patch.enabled));
        if (patch.segmentSeconds !== undefined) put('segment_seconds', patch.segmentSeconds);
        if (patch.retentionDays !== undefined) put('retention_days', patch.retentionDays);
        if (patch.description !== undefined) put('description', patch.description);
        await tx.run(`UPDATE channels SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
        const { url, subUrl, username, password, transport } = patch;
        await updateRtsp(tx, id, { url, subUrl, username, password, transport });
        const renames = patch.name !== undefined && (agent || (ch.kind === 'rtsp' && ch.n === 1));
        const moves = patch.groupName !== undefined;
        if (renames || moves || (agent && patch.enabled !== undefined)) {
          await updateDevice(
            tx,
            ch.device_id,
            {
              ...(renames ? { name: patch.name, ...(agent ? { callsign: patch.name } : {}) } : {}),
              ...(moves ? { nodeId: await groupNodeId(tx, patch.groupName ?? null, nowMs) } : {}),
              ...(agent && patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
            },
            nowMs,
          );
        }
        return true;
      });
      return found ? await this.get(id) : null;
    } catch (err) {
      throw channelNameConflict(err instanceof StorageError && err.field === 'callsign' ? new StorageError('conflict', err.message, 'name') : err, patch.name);
    }
  }

  /** Deletes the channel; an rtsp device left without channels and an agent device (its one channel) go with it. */
  async delete(id: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const ch = await tx.get<{ device_id: number; kind: string }>(
        'SELECT c.device_id, d.kind FROM channels c JOIN devices d ON d.id = c.device_id WHERE c.id = ?',
        [id],
      );
      if (!ch) return false;
      if (ch.kind === 'agent') {
        await tx.run('DELETE FROM devices WHERE id = ?', [ch.device_id]);
        return true;
      }
      await tx.run('DELETE FROM channels WHERE id = ?', [id]);
      if (ch.kind === 'rtsp' && !(await tx.get('SELECT 1 FROM channels WHERE device_id = ?', [ch.device_id]))) {
        await tx.run('DELETE FROM devices WHERE id = ?', [ch.device_id]);
      }
      return true;
    });
  }
}
