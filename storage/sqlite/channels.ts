// SQLite ChannelRepo and RtspRepo: channels, their RTSP stream rows and the device/channel id counter (docs/design/devices.md).
import { StorageError } from '../repositories';
import type { ChannelPatch, ChannelPlace, ChannelRepo, ChannelRow, NewChannel, NewRtspChannel, RtspChannelRow, RtspRepo } from '../repos/devices';
import type { Db } from './db';
import { bool, fromBool, ms, same, setClause, type ColumnMap } from './mapping';
import { openPassword, sealPassword } from './secrets';

export interface ChannelDbRow {
  id: number;
  device_id: number;
  ordinal: number;
  name: string;
  code: string | null;
  enabled: number;
  record_mode: ChannelRow['recordMode'];
  pre_alarm_s: number;
  post_alarm_s: number;
  segment_seconds: number;
  retention_days: number;
  ptz: number;
  video_codec: string | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  map_lat: number | null;
  map_lon: number | null;
  map_view_deg: number | null;
  description: string | null;
  created_ms: number;
  updated_ms: number;
}

export const CHANNEL_COLUMNS =
  'id, device_id, ordinal, name, code, enabled, record_mode, pre_alarm_s, post_alarm_s, segment_seconds, retention_days, ptz, ' +
  'video_codec, width, height, fps, map_lat, map_lon, map_view_deg, description, created_ms, updated_ms';

export function toChannelRow(r: ChannelDbRow): ChannelRow {
  return {
    id: r.id,
    deviceId: r.device_id,
    ordinal: r.ordinal,
    name: r.name,
    code: r.code,
    enabled: fromBool(r.enabled),
    recordMode: r.record_mode,
    preAlarmS: r.pre_alarm_s,
    postAlarmS: r.post_alarm_s,
    segmentSeconds: r.segment_seconds,
    retentionDays: r.retention_days,
    ptz: fromBool(r.ptz),
    videoCodec: r.video_codec,
    width: r.width,
    height: r.height,
    fps: r.fps,
    place: r.map_lat === null || r.map_lon === null ? null : { lat: r.map_lat, lon: r.map_lon, viewDeg: r.map_view_deg },
    description: r.description,
    createdMs: r.created_ms,
    updatedMs: r.updated_ms,
  };
}

export const CHANNEL_PATCH: ColumnMap<ChannelPatch> = {
  name: { column: 'name', toSql: same },
  code: { column: 'code', toSql: same },
  enabled: { column: 'enabled', toSql: bool },
  recordMode: { column: 'record_mode', toSql: same },
  preAlarmS: { column: 'pre_alarm_s', toSql: same },
  postAlarmS: { column: 'post_alarm_s', toSql: same },
  segmentSeconds: { column: 'segment_seconds', toSql: same },
  retentionDays: { column: 'retention_days', toSql: same },
  ptz: { column: 'ptz', toSql: bool },
  videoCodec: { column: 'video_codec', toSql: same },
  width: { column: 'width', toSql: same },
  height: { column: 'height', toSql: same },
  fps: { column: 'fps', toSql: same },
  description: { column: 'description', toSql: same },
};

/** A taken channel name, worded for the caller (camera names, unit callsigns and channel names share one namespace). */
export function channelNameConflict(err: unknown, name: string | undefined, field = 'name'): unknown {
  if (err instanceof StorageError && err.code === 'conflict' && err.field === 'name') {
    const e = new StorageError('conflict', `a camera or unit named "${name}" already exists`, field);
    e.cause = err;
    return e;
  }
  return err;
}

/**
 * Takes `count` consecutive ids from the device/channel counter (invariant 2: it only goes up) and returns the first.
 * Must run inside the caller's transaction.
 */
export async function takeIds(tx: Db, count: number): Promise<number> {
  const r = await tx.get<{ first: number }>("UPDATE id_counter SET next = next + ? WHERE name = 'source' RETURNING next - ? AS first", [count, count]);
  if (!r) throw new Error('[storage] id_counter has no row "source" (migration 014 not applied?)');
  return r.first;
}

/** Inserts one channel (and its rtsp row when given) with a known id; inside the caller's transaction. */
export async function insertChannel(tx: Db, id: number, deviceId: number, ordinal: number, ch: NewChannel, nowMs: number): Promise<ChannelRow> {
  const place = ch.place ?? null;
  const r = await tx.get<ChannelDbRow>(
    `INSERT INTO channels (${CHANNEL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${CHANNEL_COLUMNS}`,
    [
      id,
      deviceId,
      ordinal,
      ch.name,
      ch.code ?? null,
      bool(ch.enabled ?? true),
      ch.recordMode ?? 'continuous',
      ch.preAlarmS ?? 10,
      ch.postAlarmS ?? 30,
      ch.segmentSeconds,
      ch.retentionDays,
      bool(ch.ptz ?? false),
      ch.videoCodec ?? null,
      ch.width ?? null,
      ch.height ?? null,
      ch.fps ?? null,
      place?.lat ?? null,
      place?.lon ?? null,
      place?.viewDeg ?? null,
      ch.description ?? null,
      ms(nowMs),
      ms(nowMs),
    ],
  );
  if (ch.rtsp) await insertRtsp(tx, id, ch.rtsp);
  return toChannelRow(r!);
}

interface RtspDbRow {
  channel_id: number;
  url: string;
  sub_url: string | null;
  username: string | null;
  password: string | null;
  password_enc: string | null;
  transport: RtspChannelRow['transport'];
}
const RTSP_COLUMNS = 'channel_id, url, sub_url, username, password, password_enc, transport';
/** The row with its password opened (sealed with the secrets key: storage/sqlite/secrets.ts). */
const toRtsp = (db: Db, r: RtspDbRow): RtspChannelRow => ({
  channelId: r.channel_id,
  url: r.url,
  subUrl: r.sub_url,
  username: r.username,
  password: openPassword(db, r.password_enc, r.password),
  transport: r.transport,
});
const RTSP_PATCH: ColumnMap<Omit<NewRtspChannel, 'password'>> = {
  url: { column: 'url', toSql: same },
  subUrl: { column: 'sub_url', toSql: same },
  username: { column: 'username', toSql: same },
  transport: { column: 'transport', toSql: same },
};

async function insertRtsp(tx: Db, channelId: number, row: NewRtspChannel): Promise<RtspChannelRow> {
  const r = await tx.get<RtspDbRow>(
    `INSERT INTO rtsp_channels (channel_id, url, sub_url, username, password, password_enc, transport) VALUES (?, ?, ?, ?, NULL, ?, ?)
     ON CONFLICT (channel_id) DO UPDATE SET url = excluded.url, sub_url = excluded.sub_url, username = excluded.username,
       password = NULL, password_enc = excluded.password_enc, transport = excluded.transport
     RETURNING ${RTSP_COLUMNS}`,
    [channelId, row.url, row.subUrl, row.username, sealPassword(tx, row.password), row.transport],
  );
  return toRtsp(tx, r!);
}

/** Changes some rtsp fields of a channel; null when it has no rtsp row. Usable inside a transaction. */
export async function updateRtsp(db: Db, channelId: number, patch: Partial<NewRtspChannel>): Promise<RtspChannelRow | null> {
  const { password, ...rest } = patch;
  const set = setClause(rest, RTSP_PATCH);
  if (password !== undefined) {
    set.sql = [set.sql, 'password = NULL, password_enc = ?'].filter((x) => x).join(', ');
    set.params.push(sealPassword(db, password));
  }
  if (!set.sql) {
    const r = await db.get<RtspDbRow>(`SELECT ${RTSP_COLUMNS} FROM rtsp_channels WHERE channel_id = ?`, [channelId]);
    return r ? toRtsp(db, r) : null;
  }
  const r = await db.get<RtspDbRow>(`UPDATE rtsp_channels SET ${set.sql} WHERE channel_id = ? RETURNING ${RTSP_COLUMNS}`, [...set.params, channelId]);
  return r ? toRtsp(db, r) : null;
}

export class SqliteChannelRepo implements ChannelRepo {
  constructor(private readonly db: Db) {}

  async list(): Promise<ChannelRow[]> {
    return (await this.db.all<ChannelDbRow>(`SELECT ${CHANNEL_COLUMNS} FROM channels ORDER BY id`)).map(toChannelRow);
  }

  async listByDevice(deviceId: number): Promise<ChannelRow[]> {
    return (await this.db.all<ChannelDbRow>(`SELECT ${CHANNEL_COLUMNS} FROM channels WHERE device_id = ? ORDER BY ordinal`, [deviceId])).map(toChannelRow);
  }

  async get(id: number): Promise<ChannelRow | null> {
    const r = await this.db.get<ChannelDbRow>(`SELECT ${CHANNEL_COLUMNS} FROM channels WHERE id = ?`, [id]);
    return r ? toChannelRow(r) : null;
  }

  async getByName(name: string): Promise<ChannelRow | null> {
    const r = await this.db.get<ChannelDbRow>(`SELECT ${CHANNEL_COLUMNS} FROM channels WHERE name = ?`, [name]);
    return r ? toChannelRow(r) : null;
  }

  async create(deviceId: number, ch: NewChannel, nowMs: number): Promise<ChannelRow> {
    try {
      return await this.db.transaction(async (tx) => {
        const d = await tx.get<{ kind: string; n: number | null }>(
          'SELECT kind, (SELECT max(ordinal) FROM channels WHERE device_id = devices.id) AS n FROM devices WHERE id = ?',
          [deviceId],
        );
        if (!d) throw new StorageError('not_found', `device ${deviceId} does not exist`, 'deviceId');
        if (d.kind === 'agent') throw new Error('[storage] an agent device has exactly one channel (invariant 13)');
        const id = await takeIds(tx, 1);
        return insertChannel(tx, id, deviceId, (d.n ?? 0) + 1, ch, nowMs);
      });
    } catch (err) {
      throw channelNameConflict(err, ch.name);
    }
  }

  async update(id: number, patch: ChannelPatch, nowMs: number): Promise<ChannelRow | null> {
    const set = setClause(patch, CHANNEL_PATCH);
    const sql = set.sql ? `${set.sql}, updated_ms = ?` : 'updated_ms = ?';
    try {
      const r = await this.db.get<ChannelDbRow>(`UPDATE channels SET ${sql} WHERE id = ? RETURNING ${CHANNEL_COLUMNS}`, [...set.params, ms(nowMs), id]);
      return r ? toChannelRow(r) : null;
    } catch (err) {
      throw channelNameConflict(err, patch.name);
    }
  }

  async setPlace(id: number, place: ChannelPlace | null, nowMs: number): Promise<boolean> {
    const r = await this.db.run('UPDATE channels SET map_lat = ?, map_lon = ?, map_view_deg = ?, updated_ms = ? WHERE id = ?', [
      place?.lat ?? null,
      place?.lon ?? null,
      place?.viewDeg ?? null,
      ms(nowMs),
      id,
    ]);
    return r.changes > 0;
  }

  async delete(id: number): Promise<boolean> {
    return (await this.db.run('DELETE FROM channels WHERE id = ?', [id])).changes > 0;
  }
}

export class SqliteRtspRepo implements RtspRepo {
  constructor(private readonly db: Db) {}

  async list(): Promise<RtspChannelRow[]> {
    return (await this.db.all<RtspDbRow>(`SELECT ${RTSP_COLUMNS} FROM rtsp_channels ORDER BY channel_id`)).map((r) => toRtsp(this.db, r));
  }

  async get(channelId: number): Promise<RtspChannelRow | null> {
    const r = await this.db.get<RtspDbRow>(`SELECT ${RTSP_COLUMNS} FROM rtsp_channels WHERE channel_id = ?`, [channelId]);
    return r ? toRtsp(this.db, r) : null;
  }

  async set(channelId: number, row: NewRtspChannel): Promise<RtspChannelRow> {
    return this.db.transaction(async (tx) => {
      if (!(await tx.get('SELECT 1 FROM channels WHERE id = ?', [channelId])))
        throw new StorageError('not_found', `channel ${channelId} does not exist`, 'channelId');
      return insertRtsp(tx, channelId, row);
    });
  }

  update(channelId: number, patch: Partial<NewRtspChannel>): Promise<RtspChannelRow | null> {
    return updateRtsp(this.db, channelId, patch);
  }

  async delete(channelId: number): Promise<boolean> {
    return (await this.db.run('DELETE FROM rtsp_channels WHERE channel_id = ?', [channelId])).changes > 0;
  }
}
