// SQLite OnvifRepo: ONVIF links of devices (onvif_devices, onvif_channels), stored credentials, PTZ presets and tours (issue 4).
import type { CameraRow, NewCamera } from '../repositories';
import { StorageError } from '../repositories';
import type { NewOnvifCamera, NewOnvifDevice, OnvifCameraRow, OnvifDeviceRow, OnvifEventSupport, OnvifRepo, PresetRow, TourRow } from '../repos/onvif';
import { SqliteCameraRepo } from './cameras';
import { channelNameConflict } from './channels';
import type { Db } from './db';
import { insertDeviceWithChannels } from './devices';
import { bool, fromBool, ms } from './mapping';
import { groupNodeId } from './org';

interface DeviceDbRow {
  id: number;
  device_id: number;
  host: string;
  port: number;
  urn: string | null;
  username: string;
  password_enc: string;
  manufacturer: string;
  model: string;
  firmware: string;
  serial: string;
  events: OnvifEventSupport;
  created_ms: number;
}
/** The link row with the device facts that moved to devices (vendor = the ONVIF manufacturer). */
const SELECT_DEVICE = `SELECT o.id, o.device_id, o.host, o.port, o.urn, o.username, o.password_enc, d.vendor AS manufacturer, d.model,
  d.firmware, d.serial, o.events, o.created_ms FROM onvif_devices o JOIN devices d ON d.id = o.device_id`;
function toDevice(r: DeviceDbRow): OnvifDeviceRow {
  return {
    id: r.id,
    deviceId: r.device_id,
    host: r.host,
    port: r.port,
    urn: r.urn,
    username: r.username,
    passwordEnc: r.password_enc,
    manufacturer: r.manufacturer,
    model: r.model,
    firmware: r.firmware,
    serial: r.serial,
    events: r.events,
    createdMs: r.created_ms,
  };
}

interface LinkDbRow {
  camera_id: number;
  device_id: number;
  source_token: string;
  profile_token: string;
  sub_profile_token: string | null;
  snapshot_uri: string | null;
  ptz: number;
  codec: string | null;
  width: number | null;
  height: number | null;
  fps: number | null;
}
/** A camera's link: its onvif_channels row, PTZ and stream facts from its channel, deviceId = the ONVIF link's id. */
const SELECT_LINK = `SELECT oc.channel_id AS camera_id, o.id AS device_id, oc.source_token, oc.profile_token, oc.sub_profile_token,
  oc.snapshot_uri, c.ptz, c.video_codec AS codec, c.width, c.height, c.fps
  FROM onvif_channels oc JOIN channels c ON c.id = oc.channel_id JOIN onvif_devices o ON o.device_id = c.device_id`;
function toLink(r: LinkDbRow): OnvifCameraRow {
  return {
    cameraId: r.camera_id,
    deviceId: r.device_id,
    sourceToken: r.source_token,
    profileToken: r.profile_token,
    subProfileToken: r.sub_profile_token,
    snapshotUri: r.snapshot_uri,
    ptz: fromBool(r.ptz),
    codec: r.codec,
    width: r.width,
    height: r.height,
    fps: r.fps,
  };
}

interface PresetDbRow {
  id: number;
  camera_id: number;
  token: string;
  name: string;
}
const toPreset = (r: PresetDbRow): PresetRow => ({ id: r.id, cameraId: r.camera_id, token: r.token, name: r.name });

interface TourDbRow {
  id: number;
  camera_id: number;
  name: string;
  steps: string;
  running: number;
  updated_ms: number;
}
const TOUR_COLUMNS = 'id, camera_id, name, steps, running, updated_ms';
const toTour = (r: TourDbRow): TourRow => ({
  id: r.id,
  cameraId: r.camera_id,
  name: r.name,
  steps: JSON.parse(r.steps) as TourRow['steps'],
  running: fromBool(r.running),
  updatedMs: r.updated_ms,
});

export class SqliteOnvifRepo implements OnvifRepo {
  private readonly cameras: SqliteCameraRepo;
  constructor(private readonly db: Db) {
    this.cameras = new SqliteCameraRepo(db);
  }

  async createDevice(
    device: NewOnvifDevice,
    cameras: Array<{ camera: NewCamera; link: NewOnvifCamera }>,
    nowMs: number,
    atNodeId?: number,
  ): Promise<{ device: OnvifDeviceRow; cameras: CameraRow[] }> {
    const created = await this.db.transaction(async (tx) => {
      const exists = await tx.get<{ id: number }>('SELECT id FROM onvif_devices WHERE host = ? AND port = ?', [device.host, device.port]);
      if (exists) throw new StorageError('conflict', `the device at ${device.host}:${device.port} is already added`, 'host');
      const nodeId = atNodeId ?? (await groupNodeId(tx, cameras[0]?.camera.groupName ?? null, nowMs));
      const made = await insertDeviceWithChannels(
        tx,
        {
          device: {
            nodeId,
            kind: 'onvif',
            name: `${device.manufacturer} ${device.model}`.trim().slice(0, 128) || device.host,
            vendor: device.manufacturer,
            model: device.model,
            firmware: device.firmware,
            serial: device.serial,
          },
          channels: cameras.map(({ camera: c, link }) => ({
            name: c.name,
            enabled: c.enabled,
            segmentSeconds: c.segmentSeconds,
            retentionDays: c.retentionDays,
            description: c.description,
            ptz: link.ptz,
            videoCodec: link.codec,
            width: link.width,
            height: link.height,
            fps: link.fps,
            rtsp: { url: c.url, subUrl: c.subUrl, username: c.username, password: c.password, transport: c.transport },
          })),
        },
        nowMs,
      ).catch(async (err: unknown) => {
        if (!(err instanceof StorageError && err.field === 'name')) throw err;
        const names = cameras.map((c) => c.camera.name);
        const taken = await tx.get<{ name: string }>('SELECT name FROM channels WHERE name IN (SELECT value FROM json_each(?))', [JSON.stringify(names)]);
        throw channelNameConflict(err, taken?.name ?? names.find((n, i) => names.indexOf(n) !== i) ?? names[0]);
      });
      const d = await tx.get<{ id: number }>(
        `INSERT INTO onvif_devices (device_id, host, port, urn, username, password_enc, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [made.device.id, device.host, device.port, device.urn, device.username, device.passwordEnc, ms(nowMs)],
      );
      for (const [i, { link }] of cameras.entries()) {
        await tx.run('INSERT INTO onvif_channels (channel_id, source_token, profile_token, sub_profile_token, snapshot_uri) VALUES (?, ?, ?, ?, ?)', [
          made.channels[i]!.id,
          link.sourceToken,
          link.profileToken,
          link.subProfileToken,
          link.snapshotUri,
        ]);
      }
      return { onvifId: d!.id, channelIds: made.channels.map((c) => c.id) };
    });
    const rows: CameraRow[] = [];
    for (const id of created.channelIds) rows.push((await this.cameras.get(id))!);
    return { device: (await this.getDevice(created.onvifId))!, cameras: rows };
  }

  async listDevices(): Promise<OnvifDeviceRow[]> {
    return (await this.db.all<DeviceDbRow>(`${SELECT_DEVICE} ORDER BY o.id`)).map(toDevice);
  }

  async getDevice(id: number): Promise<OnvifDeviceRow | null> {
    const r = await this.db.get<DeviceDbRow>(`${SELECT_DEVICE} WHERE o.id = ?`, [id]);
    return r ? toDevice(r) : null;
  }

  async getDeviceByAddress(host: string, port: number): Promise<OnvifDeviceRow | null> {
    const r = await this.db.get<DeviceDbRow>(`${SELECT_DEVICE} WHERE o.host = ? AND o.port = ?`, [host, port]);
    return r ? toDevice(r) : null;
  }

  async setEvents(id: number, events: OnvifEventSupport): Promise<void> {
    await this.db.run('UPDATE onvif_devices SET events = ? WHERE id = ?', [events, id]);
  }

  async deleteDevice(id: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const o = await tx.get<{ device_id: number }>('SELECT device_id FROM onvif_devices WHERE id = ?', [id]);
      if (!o) return false;
      await tx.run('DELETE FROM onvif_channels WHERE channel_id IN (SELECT id FROM channels WHERE device_id = ?)', [o.device_id]);
      await tx.run('DELETE FROM onvif_devices WHERE id = ?', [id]);
      await tx.run("UPDATE devices SET kind = 'rtsp' WHERE id = ? AND kind = 'onvif'", [o.device_id]);
      await tx.run('UPDATE channels SET ptz = 0 WHERE device_id = ?', [o.device_id]);
      return true;
    });
  }

  async listLinks(): Promise<OnvifCameraRow[]> {
    return (await this.db.all<LinkDbRow>(`${SELECT_LINK} ORDER BY oc.channel_id`)).map(toLink);
  }

  async getLink(cameraId: number): Promise<OnvifCameraRow | null> {
    const r = await this.db.get<LinkDbRow>(`${SELECT_LINK} WHERE oc.channel_id = ?`, [cameraId]);
    return r ? toLink(r) : null;
  }

  async listPresets(cameraId: number): Promise<PresetRow[]> {
    return (await this.db.all<PresetDbRow>('SELECT id, camera_id, token, name FROM ptz_presets WHERE camera_id = ? ORDER BY id', [cameraId])).map(toPreset);
  }

  async getPreset(id: number): Promise<PresetRow | null> {
    const r = await this.db.get<PresetDbRow>('SELECT id, camera_id, token, name FROM ptz_presets WHERE id = ?', [id]);
    return r ? toPreset(r) : null;
  }

  async upsertPreset(cameraId: number, token: string, name: string): Promise<PresetRow> {
    const r = await this.db.get<PresetDbRow>(
      `INSERT INTO ptz_presets (camera_id, token, name) VALUES (?, ?, ?)
       ON CONFLICT (camera_id, token) DO UPDATE SET name = excluded.name RETURNING id, camera_id, token, name`,
      [cameraId, token, name],
    );
    return toPreset(r!);
  }

  async deletePreset(id: number): Promise<boolean> {
    return (await this.db.run('DELETE FROM ptz_presets WHERE id = ?', [id])).changes > 0;
  }

  async syncPresets(cameraId: number, device: Array<{ token: string; name: string }>): Promise<PresetRow[]> {
    await this.db.transaction(async (tx) => {
      const known = await tx.all<PresetDbRow>('SELECT id, camera_id, token, name FROM ptz_presets WHERE camera_id = ?', [cameraId]);
      const tokens = new Set(device.map((p) => p.token));
      for (const k of known) if (!tokens.has(k.token)) await tx.run('DELETE FROM ptz_presets WHERE id = ?', [k.id]);
      for (const p of device) {
        const name = p.name.slice(0, 64) || p.token.slice(0, 64);
        await tx.run(`INSERT INTO ptz_presets (camera_id, token, name) VALUES (?, ?, ?) ON CONFLICT (camera_id, token) DO NOTHING`, [cameraId, p.token, name]);
      }
    });
    return this.listPresets(cameraId);
  }

  async listTours(cameraId: number): Promise<TourRow[]> {
    return (await this.db.all<TourDbRow>(`SELECT ${TOUR_COLUMNS} FROM ptz_tours WHERE camera_id = ? ORDER BY id`, [cameraId])).map(toTour);
  }

  async listRunningTours(): Promise<TourRow[]> {
    return (await this.db.all<TourDbRow>(`SELECT ${TOUR_COLUMNS} FROM ptz_tours WHERE running = 1 ORDER BY id`)).map(toTour);
  }

  async getTour(id: number): Promise<TourRow | null> {
    const r = await this.db.get<TourDbRow>(`SELECT ${TOUR_COLUMNS} FROM ptz_tours WHERE id = ?`, [id]);
    return r ? toTour(r) : null;
  }

  async createTour(cameraId: number, name: string, steps: TourRow['steps'], nowMs: number): Promise<TourRow> {
    const r = await this.db.get<TourDbRow>(`INSERT INTO ptz_tours (camera_id, name, steps, updated_ms) VALUES (?, ?, ?, ?) RETURNING ${TOUR_COLUMNS}`, [
      cameraId,
      name,
      JSON.stringify(steps),
      ms(nowMs),
    ]);
    return toTour(r!);
  }

  async updateTour(id: number, name: string, steps: TourRow['steps'], nowMs: number): Promise<TourRow | null> {
    const r = await this.db.get<TourDbRow>(`UPDATE ptz_tours SET name = ?, steps = ?, updated_ms = ? WHERE id = ? RETURNING ${TOUR_COLUMNS}`, [
      name,
      JSON.stringify(steps),
      ms(nowMs),
      id,
    ]);
    return r ? toTour(r) : null;
  }

  async setTourRunning(id: number, running: boolean, nowMs: number): Promise<void> {
    await this.db.run('UPDATE ptz_tours SET running = ?, updated_ms = ? WHERE id = ?', [bool(running), ms(nowMs), id]);
  }

  async deleteTour(id: number): Promise<boolean> {
    return (await this.db.run('DELETE FROM ptz_tours WHERE id = ?', [id])).changes > 0;
  }

  async listPriorities(): Promise<Array<{ userId: number; priority: number }>> {
    return (await this.db.all<{ user_id: number; priority: number }>('SELECT user_id, priority FROM ptz_user_priority ORDER BY user_id')).map((r) => ({
      userId: r.user_id,
      priority: r.priority,
    }));
  }

  async getPriority(userId: number): Promise<number | null> {
    return (await this.db.get<{ priority: number }>('SELECT priority FROM ptz_user_priority WHERE user_id = ?', [userId]))?.priority ?? null;
  }

  async setPriority(userId: number, priority: number | null): Promise<void> {
    if (priority === null) await this.db.run('DELETE FROM ptz_user_priority WHERE user_id = ?', [userId]);
    else
      await this.db.run('INSERT INTO ptz_user_priority (user_id, priority) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET priority = excluded.priority', [
        userId,
        priority,
      ]);
  }
}
