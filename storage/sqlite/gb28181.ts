// SQLite GbRepo: GB/T 28181 devices (devices rows of kind 'gb28181' with their gb_devices row) and the site password (issue 14).
import type { GbCharset, GbDeviceRow, GbRegistration, GbRepo, GbTransport, NewGbDevice } from '../repos/gb28181';
import type { Db } from './db';
import { insertDeviceWithChannels, updateDevice } from './devices';
import { fromBool, ms } from './mapping';
import { openPassword, sealPassword } from './secrets';

interface GbDbRow {
  device_id: number;
  code: string;
  name: string;
  node_id: number;
  approved: number;
  enabled: number;
  password_enc: string | null;
  transport: GbTransport | null;
  last_host: string | null;
  last_port: number | null;
  registered_ms: number | null;
  expires_ms: number | null;
  keepalive_s: number;
  charset: GbCharset;
  first_seen_ms: number;
}

const SELECT = `SELECT g.device_id, d.code, d.name, d.node_id, d.approved, d.enabled, g.password_enc, g.transport, g.last_host, g.last_port,
  g.registered_ms, g.expires_ms, g.keepalive_s, g.charset, g.first_seen_ms FROM gb_devices g JOIN devices d ON d.id = g.device_id`;

export class SqliteGbRepo implements GbRepo {
  constructor(private readonly db: Db) {}

  private toRow(r: GbDbRow): GbDeviceRow {
    return {
      deviceId: r.device_id,
      gbId: r.code,
      name: r.name,
      nodeId: r.node_id,
      approved: fromBool(r.approved),
      enabled: fromBool(r.enabled),
      password: openPassword(this.db, r.password_enc, null),
      transport: r.transport,
      lastHost: r.last_host,
      lastPort: r.last_port,
      registeredMs: r.registered_ms,
      expiresMs: r.expires_ms,
      keepaliveS: r.keepalive_s,
      charset: r.charset,
      firstSeenMs: r.first_seen_ms,
    };
  }

  async list(): Promise<GbDeviceRow[]> {
    return (await this.db.all<GbDbRow>(`${SELECT} ORDER BY g.device_id`)).map((r) => this.toRow(r));
  }

  async get(deviceId: number): Promise<GbDeviceRow | null> {
    const r = await this.db.get<GbDbRow>(`${SELECT} WHERE g.device_id = ?`, [deviceId]);
    return r ? this.toRow(r) : null;
  }

  async getByGbId(gbId: string): Promise<GbDeviceRow | null> {
    const r = await this.db.get<GbDbRow>(`${SELECT} WHERE d.kind = 'gb28181' AND d.code = ?`, [gbId]);
    return r ? this.toRow(r) : null;
  }

  async create(input: NewGbDevice, nowMs: number): Promise<GbDeviceRow> {
    const id = await this.db.transaction(async (tx) => {
      const { device } = await insertDeviceWithChannels(
        tx,
        { device: { nodeId: input.nodeId, kind: 'gb28181', name: input.name, code: input.gbId, approved: input.approved }, channels: [] },
        nowMs,
      );
      const p = input.peer ?? null;
      await tx.run(
        'INSERT INTO gb_devices (device_id, password_enc, transport, last_host, last_port, keepalive_s, first_seen_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [device.id, sealPassword(tx, input.password), p?.transport ?? null, p?.host ?? null, p?.port ?? null, input.keepaliveS ?? 60, ms(nowMs)],
      );
      return device.id;
    });
    return (await this.get(id))!;
  }

  async setRegistration(deviceId: number, r: GbRegistration | null): Promise<boolean> {
    const res = r
      ? await this.db.run('UPDATE gb_devices SET transport = ?, last_host = ?, last_port = ?, registered_ms = ?, expires_ms = ? WHERE device_id = ?', [
          r.transport,
          r.host,
          r.port,
          ms(r.registeredMs),
          ms(r.expiresMs),
          deviceId,
        ])
      : await this.db.run('UPDATE gb_devices SET registered_ms = NULL, expires_ms = NULL WHERE device_id = ?', [deviceId]);
    return res.changes > 0;
  }

  async setPassword(deviceId: number, password: string | null): Promise<boolean> {
    return (await this.db.run('UPDATE gb_devices SET password_enc = ? WHERE device_id = ?', [sealPassword(this.db, password), deviceId])).changes > 0;
  }

  async setKeepalive(deviceId: number, keepaliveS: number): Promise<boolean> {
    return (await this.db.run('UPDATE gb_devices SET keepalive_s = ? WHERE device_id = ?', [keepaliveS, deviceId])).changes > 0;
  }

  async approve(deviceId: number, nodeId: number, name: string | null, nowMs: number): Promise<GbDeviceRow | null> {
    const ok = await this.db.transaction(async (tx) => {
      if (!(await tx.get("SELECT 1 FROM gb_devices g JOIN devices d ON d.id = g.device_id WHERE g.device_id = ? AND d.kind = 'gb28181'", [deviceId])))
        return false;
      await updateDevice(tx, deviceId, { nodeId, approved: true, ...(name ? { name } : {}) }, nowMs);
      return true;
    });
    return ok ? this.get(deviceId) : null;
  }

  async sitePassword(): Promise<string | null> {
    const r = await this.db.get<{ password_enc: string | null }>('SELECT password_enc FROM gb_site WHERE id = 1');
    return r ? openPassword(this.db, r.password_enc, null) : null;
  }

  async setSitePassword(password: string | null, nowMs: number): Promise<void> {
    await this.db.run(
      'INSERT INTO gb_site (id, password_enc, updated_ms) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET password_enc = excluded.password_enc, updated_ms = excluded.updated_ms',
      [sealPassword(this.db, password), ms(nowMs)],
    );
  }
}
