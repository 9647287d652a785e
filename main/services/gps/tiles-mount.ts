// Map tiles from the local MBTiles file (RawMount /api/v1/gps/tiles/{z}/{x}/{y}.png); any logged-in user (?token= for <img>).
// The file is watched: created, changed or replaced while the server runs, it is (re)opened once it has stopped changing.
import fs from 'node:fs';
import { API_PREFIX } from '../../../common/api';
import type { MbtilesInfo, TileArchive, TileArchiveOpener } from '../../../storage/repos/tiles';
import type { RawMount } from '../features';

export const TILES_PREFIX = `${API_PREFIX}/gps/tiles/`;
const TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', pbf: 'application/x-protobuf' };

export interface TilesOptions {
  /** How often the file's stat is polled (fs.watchFile; also sees a file that does not exist yet). */
  pollMs?: number;
  /** A change is picked up once the file has not changed for this long (a copy or make-mbtiles still writing). */
  settleMs?: number;
  /** Called after the tiles were (re)opened or went away. */
  onChange?: () => void;
}

const statKey = (s: fs.Stats) => (s.nlink === 0 && s.size === 0 && s.mtimeMs === 0 ? 'none' : `${s.ino}:${s.size}:${s.mtimeMs}`);

export class TilesMount {
  private reader: TileArchive | null = null;
  info: MbtilesInfo | null = null;
  /** Changes with every (re)open: part of the tile URL, so browsers never show tiles of a replaced file from cache. */
  version = 0;
  private openedKey = 'none';
  private settleTimer: NodeJS.Timeout | null = null;
  private watching = false;
  private closed = false;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    /** Opens the archive (the SQLite MBTiles reader, chosen by the composition root). */
    private readonly open: TileArchiveOpener,
    private readonly log: (m: string) => void,
    private readonly opts: TilesOptions = {},
  ) {}

  async start(): Promise<void> {
    const key = this.currentKey();
    if (key === 'none')
      this.log(`[gps] no local map tiles yet (${this.file} does not exist); the map shows the built-in outlines and picks the file up when it appears`);
    else await this.reopen(key);
    fs.watchFile(this.file, { interval: this.opts.pollMs ?? 1000, persistent: false }, () => this.changed());
    this.watching = true;
  }

  private currentKey(): string {
    try {
      return statKey(fs.statSync(this.file));
    } catch {
      return 'none';
    }
  }

  private changed(): void {
    if (this.closed) return;
    if (this.settleTimer) clearTimeout(this.settleTimer);
    const seen = this.currentKey();
    this.settleTimer = setTimeout(() => {
      this.settleTimer = null;
      const now = this.currentKey();
      if (now !== seen) return this.changed(); // still being written
      if (now === this.openedKey) return;
      this.chain = this.chain.then(() => this.reopen(now));
    }, this.opts.settleMs ?? 1000);
  }

  private async reopen(key: string): Promise<void> {
    if (this.closed) return;
    if (key === 'none') {
      await this.reader?.close();
      this.reader = null;
      this.info = null;
      this.openedKey = key;
      this.version++;
      this.log(`[gps] map tiles ${this.file} removed; the map shows the built-in outlines`);
      this.opts.onChange?.();
      return;
    }
    let next: TileArchive | null = null;
    try {
      next = await this.open(this.file);
      const info = await next.info();
      const old = this.reader;
      this.reader = next;
      this.info = info;
      this.openedKey = key;
      this.version++;
      await old?.close();
      this.log(`[gps] serving map tiles from ${this.file} (zoom ${info.minZoom}-${info.maxZoom})`);
      this.opts.onChange?.();
    } catch (err) {
      await next?.close();
      this.log(`[gps] cannot read map tiles ${this.file}: ${(err as Error).message} (tried again when the file changes)`);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.watching) fs.unwatchFile(this.file);
    if (this.settleTimer) clearTimeout(this.settleTimer);
    await this.chain;
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
        const reader = this.reader;
        const info = this.info;
        if (!reader || !info) return end(404, 'no local tiles configured');
        const [z, x, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
        if (z > 30 || x >= 2 ** z || y >= 2 ** z) return end(400, 'tile out of range');
        let data: Buffer | null;
        try {
          data = await reader.tile(z, x, y);
        } catch (err) {
          return end(503, `map tiles are being replaced: ${(err as Error).message}`);
        }
        if (!data) return end(404, 'no such tile');
        res.writeHead(200, {
          'content-type': TYPES[info.format] ?? 'application/octet-stream',
          'content-length': data.length,
          'cache-control': 'private, max-age=3600',
        });
        res.end(req.method === 'HEAD' ? undefined : data);
      },
    } satisfies RawMount;
  }
}
