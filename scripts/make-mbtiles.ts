// Makes a small MBTiles file locally (never downloaded): drawn PNG tiles (street grid, blocks, a river) for an area and zooms.
// Usage: npx tsx scripts/make-mbtiles.ts OUT.mbtiles [--center LAT,LON] [--radius-km 3] [--min-zoom 10] [--max-zoom 15]
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import sqlite3 from 'sqlite3';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** Encodes 256x256 RGB pixels as a PNG. */
export function encodePng(rgb: Uint8Array, size = 256): Buffer {
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    Buffer.from(rgb.buffer, rgb.byteOffset + y * size * 3, size * 3).copy(raw, y * (size * 3 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function lonToTileX(lon: number, z: number): number {
  return ((lon + 180) / 360) * 2 ** z;
}
export function latToTileY(lat: number, z: number): number {
  const r = (lat * Math.PI) / 180;
  return ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z;
}
function tileXToLon(x: number, z: number): number {
  return (x / 2 ** z) * 360 - 180;
}
function tileYToLat(y: number, z: number): number {
  const n = Math.PI - (2 * Math.PI * y) / 2 ** z;
  return (180 / Math.PI) * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)));
}

/** Draws one tile: land, a street every ~200 m (thicker every 1 km) aligned across tiles, and a river. */
export function drawTile(z: number, x: number, y: number): Buffer {
  const px = new Uint8Array(256 * 256 * 3);
  const mPerDegLat = 111_195;
  for (let j = 0; j < 256; j++) {
    const lat = tileYToLat(y + (j + 0.5) / 256, z);
    const mPerPx = (40_075_016 * Math.cos((lat * Math.PI) / 180)) / 2 ** (z + 8);
    for (let i = 0; i < 256; i++) {
      const lon = tileXToLon(x + (i + 0.5) / 256, z);
      const my = lat * mPerDegLat;
      const mx = lon * mPerDegLat * Math.cos((lat * Math.PI) / 180);
      const near = (v: number, step: number, widthM: number) => Math.abs(v - Math.round(v / step) * step) < widthM;
      let c: [number, number, number] = [232, 228, 218];
      if (Math.abs(Math.sin(mx / 1500) * 600 + 300 - (my % 4000)) < 60) c = [150, 190, 230];
      else if (near(mx, 1000, Math.max(9, mPerPx * 1.5)) || near(my, 1000, Math.max(9, mPerPx * 1.5))) c = [250, 205, 120];
      else if (z >= 13 && (near(mx, 200, Math.max(4, mPerPx * 0.8)) || near(my, 200, Math.max(4, mPerPx * 0.8)))) c = [255, 255, 255];
      const o = (j * 256 + i) * 3;
      px[o] = c[0];
      px[o + 1] = c[1];
      px[o + 2] = c[2];
    }
  }
  return encodePng(px);
}

export interface MbtilesSpec {
  center: [number, number];
  radiusKm: number;
  minZoom: number;
  maxZoom: number;
}

/** Writes the MBTiles file (replacing it); returns how many tiles it holds. */
export async function makeMbtiles(file: string, spec: MbtilesSpec): Promise<number> {
  fs.rmSync(file, { force: true });
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d: sqlite3.Database = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(d)));
  });
  const run = (sql: string, params: unknown[] = []) => new Promise<void>((resolve, reject) => db.run(sql, params, (err) => (err ? reject(err) : resolve())));
  await run('CREATE TABLE metadata (name TEXT, value TEXT)');
  await run('CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)');
  await run('CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)');
  const [lat, lon] = spec.center;
  const dLat = spec.radiusKm / 111.195;
  const dLon = dLat / Math.cos((lat * Math.PI) / 180);
  const bounds = [lon - dLon, lat - dLat, lon + dLon, lat + dLat];
  const meta: Record<string, string> = {
    name: 'Argus test map',
    format: 'png',
    type: 'baselayer',
    version: '1',
    description: 'Drawn locally by scripts/make-mbtiles.ts (street grid, not a real city)',
    bounds: bounds.map((v) => v.toFixed(6)).join(','),
    center: `${lon},${lat},${Math.min(spec.maxZoom, Math.max(spec.minZoom, 14))}`,
    minzoom: String(spec.minZoom),
    maxzoom: String(spec.maxZoom),
  };
  for (const [k, v] of Object.entries(meta)) await run('INSERT INTO metadata VALUES (?, ?)', [k, v]);
  let n = 0;
  await run('BEGIN');
  for (let z = spec.minZoom; z <= spec.maxZoom; z++) {
    const x0 = Math.floor(lonToTileX(bounds[0]!, z));
    const x1 = Math.floor(lonToTileX(bounds[2]!, z));
    const y0 = Math.floor(latToTileY(bounds[3]!, z));
    const y1 = Math.floor(latToTileY(bounds[1]!, z));
    for (let x = x0; x <= x1; x++)
      for (let y = y0; y <= y1; y++) {
        await run('INSERT INTO tiles VALUES (?, ?, ?, ?)', [z, x, 2 ** z - 1 - y, drawTile(z, x, y)]);
        n++;
      }
  }
  await run('COMMIT');
  await new Promise<void>((resolve) => db.close(() => resolve()));
  return n;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { center: { type: 'string' }, 'radius-km': { type: 'string' }, 'min-zoom': { type: 'string' }, 'max-zoom': { type: 'string' } },
  });
  const out = positionals[0];
  if (!out) {
    console.error('usage: npx tsx scripts/make-mbtiles.ts OUT.mbtiles [--center LAT,LON] [--radius-km 3] [--min-zoom 10] [--max-zoom 15]');
    process.exit(2);
  }
  const center = (values.center ?? '31.2304,121.4737').split(',').map(Number) as [number, number];
  const n = await makeMbtiles(out, {
    center,
    radiusKm: Number(values['radius-km'] ?? 3),
    minZoom: Number(values['min-zoom'] ?? 10),
    maxZoom: Number(values['max-zoom'] ?? 15),
  });
  console.log(`${out}: ${n} tiles around ${center.join(',')}`);
}
