// Evidence downloads: a whole package as one stored ZIP (streamed, exact Content-Length, HTTP Range) and single files; audited, with progress pushed to the downloading user.
import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import type { ExportJob } from '../../../common/investigation';
import type { ServerEvent } from '../../../common/events';
import type { MountSession } from '../features';
import { loadIndex } from './package-index';
import { layoutZip, parseRange, zipRange } from './zip-stream';

export interface DownloadDeps {
  /** Where the ZIP index sidecars are kept. */
  indexDir: string;
  packageDir(job: ExportJob): string;
  audit(p: MountSession, job: ExportJob, detail: Record<string, unknown>, ip: string | null): Promise<void>;
  publish(ev: ServerEvent): void;
  now(): number;
}

const PROGRESS_EVERY_MS = 250;

/** RFC 6266 Content-Disposition with an ASCII fallback and the UTF-8 name. */
function disposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function contentType(rel: string): string {
  if (rel.endsWith('.json')) return 'application/json';
  if (rel.endsWith('.mp4')) return 'video/mp4';
  if (rel.endsWith('.zip')) return 'application/zip';
  if (rel.endsWith('.jpg')) return 'image/jpeg';
  if (rel.endsWith('.gpx')) return 'application/gpx+xml';
  if (rel.endsWith('.kml')) return 'application/vnd.google-earth.kml+xml';
  return 'application/octet-stream';
}

/** A client-chosen id (?dl=) under which progress is pushed; anything else is ignored. */
function downloadIdOf(url: URL): string | null {
  const v = url.searchParams.get('dl');
  return v && /^[A-Za-z0-9_-]{6,64}$/.test(v) ? v : null;
}

interface Body {
  sizeBytes: number;
  etag: string;
  open(start: number, endInclusive: number): Readable;
}

async function send(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  p: MountSession,
  job: ExportJob,
  file: string,
  body: Body,
  deps: DownloadDeps,
  ip: string | null,
): Promise<void> {
  const ifRange = req.headers['if-range'];
  let range = parseRange(req.headers.range, body.sizeBytes);
  if (ifRange && ifRange !== body.etag) range = null; // the package changed since the first part: send it whole
  const headers: Record<string, string> = {
    'Content-Type': contentType(file),
    'Content-Disposition': disposition(file.split('/').pop()!),
    'Accept-Ranges': 'bytes',
    ETag: body.etag,
    'Cache-Control': 'no-store',
  };
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${body.sizeBytes}` });
    res.end();
    return;
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? body.sizeBytes - 1;
  const length = body.sizeBytes === 0 ? 0 : end - start + 1;
  if (req.method !== 'HEAD')
    await deps.audit(p, job, { file, range: range ? `bytes ${start}-${end}/${body.sizeBytes}` : null, sizeBytes: body.sizeBytes, bytes: length }, ip);
  res.writeHead(range ? 206 : 200, {
    ...headers,
    'Content-Length': String(length),
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${body.sizeBytes}` } : {}),
  });
  if (length === 0 || req.method === 'HEAD') {
    res.end();
    return;
  }
  const dl = downloadIdOf(url);
  let sent = 0;
  let lastPushMs = 0;
  const push = (state: 'running' | 'done' | 'failed') => {
    if (!dl) return;
    lastPushMs = deps.now();
    deps.publish({
      type: 'investigation.download',
      download: { id: dl, userId: p.user.id, exportId: job.id, file, sentBytes: start + sent, totalBytes: body.sizeBytes, state },
    });
  };
  push('running');
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      sent += chunk.length;
      if (deps.now() - lastPushMs >= PROGRESS_EVERY_MS) push('running');
      cb(null, chunk);
    },
  });
  try {
    await pipeline(body.open(start, end), meter, res);
    push('done');
  } catch {
    push('failed');
    res.destroy();
  }
}

/** GET /export-files/<id>.zip: the whole package as <dirName>/... in a stored ZIP. */
export async function sendPackageZip(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  p: MountSession,
  job: ExportJob,
  deps: DownloadDeps,
  ip: string | null,
): Promise<void> {
  const dir = deps.packageDir(job);
  const idx = await loadIndex(deps.indexDir, job.dirName, dir);
  const layout = layoutZip(
    idx.files.map((f) => ({ name: `${job.dirName}/${f.path}`, file: path.join(dir, ...f.path.split('/')), sizeBytes: f.sizeBytes, crc32: f.crc32 })),
    job.finishedMs ?? job.createdMs,
  );
  const etag = `"${(job.manifestSha256 ?? 'x').slice(0, 32)}-${layout.totalBytes}"`;
  await send(req, res, url, p, job, `${job.dirName}.zip`, { sizeBytes: layout.totalBytes, etag, open: (a, b) => zipRange(layout, a, b) }, deps, ip);
}

/** GET /export-files/<id>/<file>: one file of the package (Range supported). */
export async function sendPackageFile(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  p: MountSession,
  job: ExportJob,
  rel: string,
  full: string,
  deps: DownloadDeps,
  ip: string | null,
): Promise<void> {
  const st = await fs.promises.stat(full);
  const etag = `"${Math.round(st.mtimeMs)}-${st.size}"`;
  await send(req, res, url, p, job, rel, { sizeBytes: st.size, etag, open: (a, b) => fs.createReadStream(full, { start: a, end: b }) }, deps, ip);
}
