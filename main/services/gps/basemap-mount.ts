// The built-in offline basemap (RawMount GET /api/v1/gps/basemap): generated outlines (scripts/make-basemap.ts), gzip, ETag.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { API_PREFIX } from '../../../common/api';
import type { RawMount } from '../features';

export const BASEMAP_PATH = `${API_PREFIX}/gps/basemap`;
export const BASEMAP_FILE = path.join(import.meta.dirname, 'basemap.json');

interface Loaded {
  raw: Buffer;
  gzip: Buffer;
  etag: string;
}

/** Reads and compresses the file once, on the first request (the server starts without paying for it). */
export function basemapMount(file: string = BASEMAP_FILE): RawMount {
  let loaded: Loaded | null = null;
  const load = (): Loaded => {
    if (loaded) return loaded;
    const raw = fs.readFileSync(file);
    loaded = { raw, gzip: zlib.gzipSync(raw, { level: 9 }), etag: `"${crypto.createHash('sha256').update(raw).digest('hex').slice(0, 16)}"` };
    return loaded;
  };
  return {
    prefix: BASEMAP_PATH,
    http: async (req, res, url, auth) => {
      const end = (status: number, msg: string) => {
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(msg);
      };
      if (url.pathname !== BASEMAP_PATH) return end(404, 'not found');
      if (req.method !== 'GET' && req.method !== 'HEAD') return end(405, 'GET only');
      if (!(await auth.principal(req, url))) return end(401, 'log in first (Authorization: Bearer or ?token=)');
      let b: Loaded;
      try {
        b = load();
      } catch (err) {
        return end(500, `the built-in basemap cannot be read: ${(err as Error).message}`);
      }
      if (req.headers['if-none-match'] === b.etag) {
        res.writeHead(304, { etag: b.etag });
        return void res.end();
      }
      const gz = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      const body = gz ? b.gzip : b.raw;
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': body.length,
        etag: b.etag,
        'cache-control': 'private, max-age=86400',
        vary: 'accept-encoding',
        ...(gz ? { 'content-encoding': 'gzip' } : {}),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}
