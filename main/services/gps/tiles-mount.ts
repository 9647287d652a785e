// Map tiles from the local MBTiles file (RawMount /api/v1/gps/tiles/{z}/{x}/{y}.png); any logged-in user (?token= for <img>).
import fs from 'node:fs';
import { API_PREFIX } from '../../../common/api';
import { MbtilesReader, type MbtilesInfo } from '../../../storage/sqlite/mbtiles';
import type { RawMount } from '../features';

export const TILES_PREFIX = `${API_PREFIX}/gps/tiles/`;
const TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', pbf: 'application/x-protobuf' };

export class TilesMount {
  private reader: MbtilesReader | null = null;
  info: MbtilesInfo | null = null;

  constructor(
    private readonly file: string,
    private readonly log: (m: string) => void,
  ) {}

  async start(): Promise<void> {
    if (!fs.existsSync(this.file)) {
      this.log(`[gps] no local map tiles (${this.file} does not exist); the map uses the configured tile URL only`);
      return;
    }
    try {
      this.reader = await MbtilesReader.open(this.file);
      this.info = await this.reader.info();
      this.log(`[gps] serving map tiles from ${this.file} (zoom ${this.info.minZoom}-${this.info.maxZoom})`);
    } catch (err) {
      this.log(`[gps] cannot read map tiles ${this.file}: ${(err as Error).message}`);
      this.reader = null;
    }
  }

  async close(): Promise<void> {
    await this.reader?.close();
    this.reader = null;
  }

  mount(): RawMount {
    return {
      prefix: TILES_PREFIX,
      http: async (req, res, url, auth) => {
        const end = (status: number, msg: string) => {
          res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
          res.end(msg);
        };
        if (req.method !== 'GET' && req.method !== 'HEAD') return end(405, 'GET only');
        if (!(await auth.principal(req, url))) return end(401, 'log in first (Authorization: Bearer or ?token=)');
        const m = /^(\d{1,2})\/(\d{1,7})\/(\d{1,7})(?:\.(\w+))?$/.exec(url.pathname.slice(TILES_PREFIX.length));
        if (!m) return end(400, 'expected /{z}/{x}/{y}.png');
        if (!this.reader || !this.info) return end(404, 'no local tiles configured');
        const [z, x, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
        if (z > 30 || x >= 2 ** z || y >= 2 ** z) return end(400, 'tile out of range');
        const data = await this.reader.tile(z, x, y);
        if (!data) return end(404, 'no such tile');
        res.writeHead(200, { 'content-type': TYPES[this.info.format] ?? 'application/octet-stream', 'content-length': data.length, 'cache-control': 'private, max-age=3600' });
        res.end(req.method === 'HEAD' ? undefined : data);
      },
    } satisfies RawMount;
  }
}

