// Sealed credentials in the database: the codec the store seals camera passwords with, and the start-up check and re-seal.
import { StorageError } from '../repositories';
import type { Db } from './db';

/** Seals and opens stored passwords (the server's SecretBox, main/platform/secret-box.ts). */
export interface SecretCodec {
  seal(plain: string): string;
  /** Throws (naming the key setting) when the value does not open with this codec's keys. */
  open(sealed: string): string;
  /** True when the value is sealed under the current key (nothing to redo). */
  isCurrent(sealed: string): boolean;
}

/** The codec of each open database (set by openSqliteStore once the key is known). */
const codecs = new WeakMap<Db, SecretCodec>();

export function setCodec(db: Db, codec: SecretCodec): void {
  codecs.set(db, codec);
}

function codecOf(db: Db): SecretCodec {
  const c = codecs.get(db);
  if (!c) throw new StorageError('io', 'no secrets key: this store was opened without one, so it cannot read or write camera passwords');
  return c;
}

/** The stored form of a password (null stays null). */
export function sealPassword(db: Db, plain: string | null | undefined): string | null {
  return plain === null || plain === undefined || plain === '' ? null : codecOf(db).seal(plain);
}

/** The password of a row: its sealed value opened, else the legacy clear column (before the first start with a key). */
export function openPassword(db: Db, sealed: string | null, legacyClear: string | null): string | null {
  if (sealed !== null) return codecOf(db).open(sealed);
  return legacyClear;
}

interface SealedRow {
  tbl: 'rtsp' | 'onvif' | 'totp' | 'gb' | 'gbsite';
  id: number;
  sealed: string;
}

async function sealedRows(db: Db): Promise<SealedRow[]> {
  return db.all<SealedRow>(
    `SELECT 'rtsp' AS tbl, channel_id AS id, password_enc AS sealed FROM rtsp_channels WHERE password_enc IS NOT NULL
     UNION ALL SELECT 'onvif', id, password_enc FROM onvif_devices
     UNION ALL SELECT 'totp', user_id, secret_box FROM user_totp
     UNION ALL SELECT 'gb', device_id, password_enc FROM gb_devices WHERE password_enc IS NOT NULL
     UNION ALL SELECT 'gbsite', id, password_enc FROM gb_site WHERE password_enc IS NOT NULL`,
  );
}

/**
 * How many passwords the database holds sealed with a secrets key (a missing key file must then not be replaced by a new
 * key). Legacy ONVIF values (v1, under onvif.key) do not count: the secrets key never sealed them.
 */
export async function countSealed(db: Db): Promise<number> {
  return (await sealedRows(db)).filter((r) => r.sealed.startsWith('s1:')).length;
}

export interface SealReport {
  /** Clear passwords (from before migration 019) sealed now. */
  sealed: number;
  /** Values sealed under another key (previous key of a rotation, the old onvif.key) sealed again under the current one. */
  resealed: number;
}

/**
 * Start-up: every sealed value must open with the codec (else the error names the key setting and NOTHING is written);
 * then, in one transaction, clear passwords are sealed and values under an older key re-sealed under the current one.
 */
export async function sealStoredSecrets(db: Db, codec: SecretCodec): Promise<SealReport> {
  const rows = await sealedRows(db);
  const plain = new Map<string, string>();
  for (const r of rows) plain.set(`${r.tbl}:${r.id}`, codec.open(r.sealed)); // throws before any write
  const stale = rows.filter((r) => !codec.isCurrent(r.sealed));
  const clear = await db.all<{ id: number; password: string }>('SELECT channel_id AS id, password FROM rtsp_channels WHERE password IS NOT NULL');
  if (stale.length === 0 && clear.length === 0) return { sealed: 0, resealed: 0 };
  await db.transaction(async (tx) => {
    for (const r of clear) {
      const value = r.password === '' ? null : codec.seal(r.password);
      await tx.run('UPDATE rtsp_channels SET password_enc = ?, password = NULL WHERE channel_id = ?', [value, r.id]);
    }
    for (const r of stale) {
      const value = codec.seal(plain.get(`${r.tbl}:${r.id}`)!);
      if (r.tbl === 'rtsp') await tx.run('UPDATE rtsp_channels SET password_enc = ? WHERE channel_id = ?', [value, r.id]);
      else if (r.tbl === 'onvif') await tx.run('UPDATE onvif_devices SET password_enc = ? WHERE id = ?', [value, r.id]);
      else if (r.tbl === 'gb') await tx.run('UPDATE gb_devices SET password_enc = ? WHERE device_id = ?', [value, r.id]);
      else if (r.tbl === 'gbsite') await tx.run('UPDATE gb_site SET password_enc = ? WHERE id = ?', [value, r.id]);
      else await tx.run('UPDATE user_totp SET secret_box = ? WHERE user_id = ?', [value, r.id]);
    }
  });
  return { sealed: clear.filter((r) => r.password !== '').length, resealed: stale.length };
}
