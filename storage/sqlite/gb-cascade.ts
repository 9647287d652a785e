// SQLite GbCascadeRepo: superior GB/T 28181 platforms (gb_upper_platforms, password sealed) and the channels shared with them (gb_shared_channels).
import type { GbCascadeRepo, GbSharedRow, GbUpperInput, GbUpperRow } from '../repos/gb-cascade';
import type { Db } from './db';
import { ms } from './mapping';
import { openPassword, sealPassword } from './secrets';

interface DbRow {
  id: number;
  name: string;
  gb_id: string;
  domain: string;
  host: string;
  port: number;
  transport: 'udp' | 'tcp';
  password_enc: string | null;
  register_expires_s: number;
  keepalive_s: number;
  enabled: number;
  created_ms: number;
  updated_ms: number;
}

const COLUMNS = 'id, name, gb_id, domain, host, port, transport, password_enc, register_expires_s, keepalive_s, enabled, created_ms, updated_ms';

function toRow(r: DbRow): GbUpperRow {
  return {
    id: r.id,
    name: r.name,
    gbId: r.gb_id,
    domain: r.domain,
    host: r.host,
    port: r.port,
    transport: r.transport,
    hasPassword: r.password_enc !== null,
    registerExpiresS: r.register_expires_s,
    keepaliveS: r.keepalive_s,
    enabled: r.enabled === 1,
    createdMs: r.created_ms,
    updatedMs: r.updated_ms,
  };
}

export class SqliteGbCascadeRepo implements GbCascadeRepo {
  constructor(private readonly db: Db) {}

  async list(): Promise<GbUpperRow[]> {
    return (await this.db.all<DbRow>(`SELECT ${COLUMNS} FROM gb_upper_platforms ORDER BY id`)).map(toRow);
  }

  async get(id: number): Promise<GbUpperRow | null> {
    const r = await this.db.get<DbRow>(`SELECT ${COLUMNS} FROM gb_upper_platforms WHERE id = ?`, [id]);
    return r ? toRow(r) : null;
  }

  async create(i: GbUpperInput, nowMs: number): Promise<GbUpperRow> {
    const r = await this.db.get<DbRow>(
      `INSERT INTO gb_upper_platforms (name, gb_id, domain, host, port, transport, password_enc, register_expires_s, keepalive_s, enabled, created_ms, updated_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
      [
        i.name,
        i.gbId,
        i.domain,
        i.host,
        i.port,
        i.transport,
        sealPassword(this.db, i.password ?? null),
        i.registerExpiresS,
        i.keepaliveS,
        i.enabled ? 1 : 0,
        ms(nowMs),
        ms(nowMs),
      ],
    );
    return toRow(r!);
  }

  async update(id: number, i: GbUpperInput, nowMs: number): Promise<GbUpperRow | null> {
    const keep = i.password === undefined;
    const r = await this.db.get<DbRow>(
      `UPDATE gb_upper_platforms SET name = ?, gb_id = ?, domain = ?, host = ?, port = ?, transport = ?,
         password_enc = CASE WHEN ? THEN password_enc ELSE ? END, register_expires_s = ?, keepalive_s = ?, enabled = ?, updated_ms = ?
       WHERE id = ? RETURNING ${COLUMNS}`,
      [
        i.name,
        i.gbId,
        i.domain,
        i.host,
        i.port,
        i.transport,
        keep ? 1 : 0,
        keep ? null : sealPassword(this.db, i.password ?? null),
        i.registerExpiresS,
        i.keepaliveS,
        i.enabled ? 1 : 0,
        ms(nowMs),
        id,
      ],
    );
    return r ? toRow(r) : null;
  }

  async remove(id: number): Promise<boolean> {
    return (await this.db.run('DELETE FROM gb_upper_platforms WHERE id = ?', [id])).changes > 0;
  }

  async password(id: number): Promise<string | null> {
    const r = await this.db.get<{ password_enc: string | null }>('SELECT password_enc FROM gb_upper_platforms WHERE id = ?', [id]);
    return r ? openPassword(this.db, r.password_enc, null) : null;
  }

  async shared(platformId: number): Promise<GbSharedRow[]> {
    const rows = await this.db.all<{ channel_id: number; gb_id: string }>(
      'SELECT channel_id, gb_id FROM gb_shared_channels WHERE platform_id = ? ORDER BY gb_id',
      [platformId],
    );
    return rows.map((r) => ({ channelId: r.channel_id, gbId: r.gb_id }));
  }

  async setShared(platformId: number, rows: readonly GbSharedRow[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM gb_shared_channels WHERE platform_id = ?', [platformId]);
      for (const r of rows) await tx.run('INSERT INTO gb_shared_channels (platform_id, channel_id, gb_id) VALUES (?, ?, ?)', [platformId, r.channelId, r.gbId]);
    });
  }
}
