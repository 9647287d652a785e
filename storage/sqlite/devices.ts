// SQLite DeviceRepo and AgentRepo: devices (created with their channels in one transaction) and agent keys (docs/design/devices.md).
import type { DeviceKind } from '../../common/devices';
import { StorageError } from '../repositories';
import type { AgentDeviceRow, AgentRepo, DevicePatch, DeviceRepo, DeviceRow, DeviceWithChannels, NewDeviceWithChannels } from '../repos/devices';
import { CHANNEL_COLUMNS, channelNameConflict, insertChannel, takeIds, toChannelRow, type ChannelDbRow } from './channels';
import type { Db, SqlValue } from './db';
import { bool, fromBool, ms } from './mapping';

interface DeviceDbRow {
  id: number;
  node_id: number;
  kind: DeviceKind;
  name: string;
  code: string | null;
  vendor: string;
  model: string;
  firmware: string;
  serial: string;
  enabled: number;
  approved: number;
  callsign: string | null;
  mobile_type: NonNullable<DeviceRow['mobile']>['type'] | null;
  officer: string | null;
  plate: string | null;
  created_ms: number;
  updated_ms: number;
}

export const DEVICE_COLUMNS =
  'id, node_id, kind, name, code, vendor, model, firmware, serial, enabled, approved, callsign, mobile_type, officer, plate, created_ms, updated_ms';

function toRow(r: DeviceDbRow): DeviceRow {
  return {
    id: r.id,
    nodeId: r.node_id,
    kind: r.kind,
    name: r.name,
    code: r.code,
    vendor: r.vendor,
    model: r.model,
    firmware: r.firmware,
    serial: r.serial,
    enabled: fromBool(r.enabled),
    approved: fromBool(r.approved),
    mobile: r.callsign === null || r.mobile_type === null ? null : { callsign: r.callsign, type: r.mobile_type, officer: r.officer, plate: r.plate },
    createdMs: r.created_ms,
    updatedMs: r.updated_ms,
  };
}

/** UNIQUE failures of devices/channels, worded by the field the caller set (devices_kind_code reports 'kind'). */
function conflict(err: unknown, names: { name?: string; callsign?: string; code?: string | null }): unknown {
  if (!(err instanceof StorageError) || err.code !== 'conflict') return err;
  if (err.field === 'name') return channelNameConflict(err, names.name);
  const field = err.field === 'callsign' ? 'callsign' : err.field === 'kind' || err.field === 'code' ? 'code' : err.field;
  const what = field === 'callsign' ? `the callsign "${names.callsign}"` : field === 'code' ? `the code "${names.code}"` : `that ${field}`;
  const e = new StorageError('conflict', `another device already has ${what}`, field);
  e.cause = err;
  return e;
}

/** Fails with 'not_found' (field 'nodeId') unless the node exists; inside the caller's transaction. */
export async function requireNode(tx: Db, nodeId: number): Promise<void> {
  if (!(await tx.get('SELECT 1 FROM org_nodes WHERE id = ?', [nodeId])))
    throw new StorageError('not_found', `organisation node ${nodeId} does not exist`, 'nodeId');
}

/** createWithChannels inside the caller's transaction (the ONVIF and compat repositories add their rows around it). */
export async function insertDeviceWithChannels(tx: Db, input: NewDeviceWithChannels, nowMs: number): Promise<DeviceWithChannels> {
  const { device: d, channels } = input;
  if (d.kind === 'agent' && (channels.length !== 1 || !input.agent)) throw new Error('[storage] an agent device has exactly one channel and a stream key');
  await requireNode(tx, d.nodeId);
  const first = await takeIds(tx, Math.max(1, channels.length));
  const m = d.mobile ?? null;
  const row = await tx.get<DeviceDbRow>(
    `INSERT INTO devices (${DEVICE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${DEVICE_COLUMNS}`,
    [
      first,
      d.nodeId,
      d.kind,
      d.name,
      d.code ?? null,
      d.vendor ?? '',
      d.model ?? '',
      d.firmware ?? '',
      d.serial ?? '',
      bool(d.enabled ?? true),
      bool(d.approved ?? true),
      m?.callsign ?? null,
      m?.type ?? null,
      m?.officer ?? null,
      m?.plate ?? null,
      ms(nowMs),
      ms(nowMs),
    ],
  );
  const out: DeviceWithChannels = { device: toRow(row!), channels: [] };
  for (const [i, ch] of channels.entries()) out.channels.push(await insertChannel(tx, first + i, first, i + 1, ch, nowMs));
  if (input.agent) {
    await tx.run('INSERT INTO agent_devices (device_id, stream_key_hash, key_rotated_ms) VALUES (?, ?, ?)', [first, input.agent.streamKeyHash, ms(nowMs)]);
  }
  return out;
}

/** Builds the SET list of a device patch (whitelisted columns only). */
function deviceSet(patch: DevicePatch): { sql: string[]; params: SqlValue[] } {
  const sql: string[] = [];
  const params: SqlValue[] = [];
  const put = (column: string, v: SqlValue) => {
    sql.push(`${column} = ?`);
    params.push(v);
  };
  if (patch.nodeId !== undefined) put('node_id', patch.nodeId);
  if (patch.name !== undefined) put('name', patch.name);
  if (patch.code !== undefined) put('code', patch.code);
  if (patch.vendor !== undefined) put('vendor', patch.vendor);
  if (patch.model !== undefined) put('model', patch.model);
  if (patch.firmware !== undefined) put('firmware', patch.firmware);
  if (patch.serial !== undefined) put('serial', patch.serial);
  if (patch.enabled !== undefined) put('enabled', bool(patch.enabled));
  if (patch.approved !== undefined) put('approved', bool(patch.approved));
  if (patch.mobile !== undefined) {
    put('callsign', patch.mobile?.callsign ?? null);
    put('mobile_type', patch.mobile?.type ?? null);
    put('officer', patch.mobile?.officer ?? null);
    put('plate', patch.mobile?.plate ?? null);
  }
  if (patch.callsign !== undefined) put('callsign', patch.callsign);
  if (patch.mobileType !== undefined) put('mobile_type', patch.mobileType);
  if (patch.officer !== undefined) put('officer', patch.officer);
  if (patch.plate !== undefined) put('plate', patch.plate);
  return { sql, params };
}

/** A device update inside the caller's transaction; null when absent. */
export async function updateDevice(tx: Db, id: number, patch: DevicePatch, nowMs: number): Promise<DeviceRow | null> {
  if (patch.nodeId !== undefined) await requireNode(tx, patch.nodeId);
  const set = deviceSet(patch);
  set.sql.push('updated_ms = ?');
  set.params.push(ms(nowMs));
  try {
    const r = await tx.get<DeviceDbRow>(`UPDATE devices SET ${set.sql.join(', ')} WHERE id = ? RETURNING ${DEVICE_COLUMNS}`, [...set.params, id]);
    if (r && patch.firstChannelName !== undefined) {
      await tx.run('UPDATE channels SET name = ?, updated_ms = ? WHERE device_id = ? AND ordinal = 1', [patch.firstChannelName, ms(nowMs), id]);
    }
    return r ? toRow(r) : null;
  } catch (err) {
    throw conflict(err, { name: patch.firstChannelName, callsign: patch.callsign ?? patch.mobile?.callsign, code: patch.code });
  }
}

export class SqliteDeviceRepo implements DeviceRepo {
  constructor(private readonly db: Db) {}

  async list(): Promise<DeviceRow[]> {
    return (await this.db.all<DeviceDbRow>(`SELECT ${DEVICE_COLUMNS} FROM devices ORDER BY id`)).map(toRow);
  }

  async get(id: number): Promise<DeviceRow | null> {
    const r = await this.db.get<DeviceDbRow>(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE id = ?`, [id]);
    return r ? toRow(r) : null;
  }

  async getWithChannels(id: number): Promise<DeviceWithChannels | null> {
    const device = await this.get(id);
    if (!device) return null;
    const channels = await this.db.all<ChannelDbRow>(`SELECT ${CHANNEL_COLUMNS} FROM channels WHERE device_id = ? ORDER BY ordinal`, [id]);
    return { device, channels: channels.map(toChannelRow) };
  }

  async getByCallsign(callsign: string): Promise<DeviceRow | null> {
    const r = await this.db.get<DeviceDbRow>(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE callsign = ?`, [callsign]);
    return r ? toRow(r) : null;
  }

  async getByCode(kind: DeviceKind, code: string): Promise<DeviceRow | null> {
    const r = await this.db.get<DeviceDbRow>(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE kind = ? AND code = ?`, [kind, code]);
    return r ? toRow(r) : null;
  }

  async createWithChannels(input: NewDeviceWithChannels, nowMs: number): Promise<DeviceWithChannels> {
    try {
      return await this.db.transaction((tx) => insertDeviceWithChannels(tx, input, nowMs));
    } catch (err) {
      // A taken channel name: name the channel whose name it is (the first duplicate of an existing one).
      const names = input.channels.map((c) => c.name);
      let taken = names[0];
      if (err instanceof StorageError && err.field === 'name') {
        for (const n of names) if (await this.db.get('SELECT 1 FROM channels WHERE name = ?', [n])) taken = n;
        const dup = names.find((n, i) => names.indexOf(n) !== i);
        if (dup !== undefined) taken = dup;
      }
      throw conflict(err, { name: taken, callsign: input.device.mobile?.callsign, code: input.device.code });
    }
  }

  update(id: number, patch: DevicePatch, nowMs: number): Promise<DeviceRow | null> {
    return this.db.transaction((tx) => updateDevice(tx, id, patch, nowMs));
  }

  async delete(id: number): Promise<boolean> {
    // channels, rtsp/onvif/agent rows, PTZ presets and tours go by ON DELETE CASCADE; evidence has no foreign key.
    return (await this.db.run('DELETE FROM devices WHERE id = ?', [id])).changes > 0;
  }

  async nextId(): Promise<number> {
    return (await this.db.get<{ next: number }>("SELECT next FROM id_counter WHERE name = 'source'"))!.next;
  }
}

interface AgentDbRow {
  device_id: number;
  stream_key_hash: string;
  key_rotated_ms: number;
}
const toAgent = (r: AgentDbRow): AgentDeviceRow => ({ deviceId: r.device_id, streamKeyHash: r.stream_key_hash, keyRotatedMs: r.key_rotated_ms });

export class SqliteAgentRepo implements AgentRepo {
  constructor(private readonly db: Db) {}

  async list(): Promise<AgentDeviceRow[]> {
    return (await this.db.all<AgentDbRow>('SELECT device_id, stream_key_hash, key_rotated_ms FROM agent_devices ORDER BY device_id')).map(toAgent);
  }

  async get(deviceId: number): Promise<AgentDeviceRow | null> {
    const r = await this.db.get<AgentDbRow>('SELECT device_id, stream_key_hash, key_rotated_ms FROM agent_devices WHERE device_id = ?', [deviceId]);
    return r ? toAgent(r) : null;
  }

  setKey(deviceId: number, streamKeyHash: string, nowMs: number): Promise<AgentDeviceRow | null> {
    return this.db.transaction(async (tx) => {
      const r = await tx.get<AgentDbRow>(
        'UPDATE agent_devices SET stream_key_hash = ?, key_rotated_ms = ? WHERE device_id = ? RETURNING device_id, stream_key_hash, key_rotated_ms',
        [streamKeyHash, ms(nowMs), deviceId],
      );
      if (!r) return null;
      await tx.run('UPDATE devices SET updated_ms = ? WHERE id = ?', [ms(nowMs), deviceId]);
      await tx.run('UPDATE channels SET updated_ms = ? WHERE device_id = ?', [ms(nowMs), deviceId]);
      return toAgent(r);
    });
  }
}
