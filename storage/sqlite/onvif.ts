// SQLite OnvifRepo: ONVIF devices, stored credentials, PTZ presets and tours (issue 4).
import { StorageError, type CameraRow } from '../repositories';
import type { NewOnvifCamera, NewOnvifDevice, OnvifCameraRow, OnvifDeviceRow, OnvifEventSupport, OnvifRepo, PresetRow, TourRow } from '../repos/onvif';
import { SqliteCameraRepo } from './cameras';
import type { Db } from './db';
import { bool, fromBool, ms } from './mapping';

interface DeviceDbRow {
  id: number;
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
const DEVICE_COLUMNS = 'id, host, port, urn, username, password_enc, manufacturer, model, firmware, serial, events, created_ms';
function toDevice(r: DeviceDbRow): OnvifDeviceRow {
  return {
    id: r.id,
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
const LINK_COLUMNS = 'camera_id, device_id, source_token, profile_token, sub_profile_token, snapshot_uri, ptz, codec, width, height, fps';
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
    cameras: Array<{ camera: Parameters<SqliteCameraRepo['create']>[0]; link: NewOnvifCamera }>,
    nowMs: number,
  ): Promise<{ device: OnvifDeviceRow; cameras: CameraRow[] }> {
    return this.db.transaction(async (tx) => {
      const exists = await tx.get<{ id: number }>('SELECT id FROM onvif_devices WHERE host = ? AND port = ?', [device.host, device.port]);
      if (exists) throw new StorageError('conflict', `the device at ${device.host}:${device.port} is already added`, 'host');
      const d = await tx.get<DeviceDbRow>(
        `INSERT INTO onvif_devices (host, port, urn, username, password_enc, manufacturer, model, firmware, serial, created_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${DEVICE_COLUMNS}`,
        [device.host, device.port, device.urn, device.username, device.passwordEnc, device.manufacturer, device.model, device.firmware, device.serial, ms(nowMs)],
      );
      const rows: CameraRow[] = [];
      for (const { camera, link } of cameras) {
        const row = await this.cameras.create(camera, nowMs);
        await tx.run(
          `INSERT INTO onvif_cameras (${LINK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [row.id, d!.id, link.sourceToken, link.profileToken, link.subProfileToken, link.snapshotUri, bool(link.ptz), link.codec, link.width, link.height, link.fps],
        );
        rows.push(row);
      }
      return { device: toDevice(d!), cameras: rows };
    });
  }

  async listDevices(): Promise<OnvifDeviceRow[]> {
    return (await this.db.all<DeviceDbRow>(`SELECT ${DEVICE_COLUMNS} FROM onvif_devices ORDER BY id`)).map(toDevice);
  }

  async getDevice(id: number): Promise<OnvifDeviceRow | null> {
    const r = await this.db.get<DeviceDbRow>(`SELECT ${DEVICE_COLUMNS} FROM onvif_devices WHERE id = ?`, [id]);
    return r ? toDevice(r) : null;
  }

  async getDeviceByAddress(host: string, port: number): Promise<OnvifDeviceRow | null> {
    const r = await this.db.get<DeviceDbRow>(`SELECT ${DEVICE_COLUMNS} FROM onvif_devices WHERE host = ? AND port = ?`, [host, port]);
    return r ? toDevice(r) : null;
  }

  async setEvents(id: number, events: OnvifEventSupport): Promise<void> {
    await this.db.run('UPDATE onvif_devices SET events = ? WHERE id = ?', [events, id]);
  }

  async deleteDevice(id: number): Promise<boolean> {
    return (await this.db.run('DELETE FROM onvif_devices WHERE id = ?', [id])).changes > 0;
  }

  async listLinks(): Promise<OnvifCameraRow[]> {
    return (await this.db.all<LinkDbRow>(`SELECT ${LINK_COLUMNS} FROM onvif_cameras ORDER BY camera_id`)).map(toLink);
  }

  async getLink(cameraId: number): Promise<OnvifCameraRow | null> {
    const r = await this.db.get<LinkDbRow>(`SELECT ${LINK_COLUMNS} FROM onvif_cameras WHERE camera_id = ?`, [cameraId]);
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
        await tx.run(
          `INSERT INTO ptz_presets (camera_id, token, name) VALUES (?, ?, ?) ON CONFLICT (camera_id, token) DO NOTHING`,
          [cameraId, p.token, name],
        );
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
    const r = await this.db.get<TourDbRow>(
      `INSERT INTO ptz_tours (camera_id, name, steps, updated_ms) VALUES (?, ?, ?, ?) RETURNING ${TOUR_COLUMNS}`,
      [cameraId, name, JSON.stringify(steps), ms(nowMs)],
    );
    return toTour(r!);
  }

  async updateTour(id: number, name: string, steps: TourRow['steps'], nowMs: number): Promise<TourRow | null> {
    const r = await this.db.get<TourDbRow>(
      `UPDATE ptz_tours SET name = ?, steps = ?, updated_ms = ? WHERE id = ? RETURNING ${TOUR_COLUMNS}`,
      [name, JSON.stringify(steps), ms(nowMs), id],
    );
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
