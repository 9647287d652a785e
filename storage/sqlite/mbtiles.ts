// Read-only MBTiles (SQLite tile archive, spec 1.3) reader: tiles by z/x/y (XYZ, flipped to TMS rows) and metadata.
import sqlite3 from 'sqlite3';
import type { MbtilesInfo, TileArchive } from '../repos/tiles';

export type { MbtilesInfo } from '../repos/tiles';

export class MbtilesReader implements TileArchive {
  private constructor(private readonly db: sqlite3.Database) {}

  static open(file: string): Promise<MbtilesReader> {
    return new Promise((resolve, reject) => {
      const db: sqlite3.Database = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => (err ? reject(err) : resolve(new MbtilesReader(db))));
    });
  }

  private all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return new Promise((resolve, reject) => this.db.all<T>(sql, params, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows))));
  }

  async info(): Promise<MbtilesInfo> {
    const rows = await this.all<{ name: string; value: string }>('SELECT name, value FROM metadata');
    const m = new Map(rows.map((r) => [r.name, r.value]));
    const nums = (v: string | undefined) => (v ? v.split(',').map(Number) : null);
    const b = nums(m.get('bounds'));
    const c = nums(m.get('center'));
    const zooms = await this.all<{ lo: number | null; hi: number | null }>('SELECT min(zoom_level) AS lo, max(zoom_level) AS hi FROM tiles');
    return {
      format: m.get('format') ?? 'png',
      bounds: b && b.length === 4 && b.every(Number.isFinite) ? (b as [number, number, number, number]) : null,
      center: c && c.length >= 2 && c.every(Number.isFinite) ? [c[1]!, c[0]!] : null,
      minZoom: Number(m.get('minzoom') ?? zooms[0]?.lo ?? 0),
      maxZoom: Number(m.get('maxzoom') ?? zooms[0]?.hi ?? 18),
    };
  }

  /** The tile at XYZ z/x/y, or null. */
  async tile(z: number, x: number, y: number): Promise<Buffer | null> {
    const row = (1 << z) - 1 - y;
    const rows = await this.all<{ tile_data: Buffer }>('SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?', [z, x, row]);
    return rows[0]?.tile_data ?? null;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.db.close(() => resolve()));
  }
}
