// Raw endpoints of the investigation feature: the HLS VOD playlist and its byte-range pieces (audited per viewing session), export files and snapshot JPEGs.
import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';
import { API_PREFIX, type Role } from '../../../common/api';
import { can, rolesWith, type Right } from '../../../common/rights';
import type { AuditLog } from '../audit-log';
import type { MountAuth, MountSession, RawMount } from '../features';
import type { FfmpegLauncher } from '../../../media/ffmpeg-launcher';
import { FramePreviews } from './frames';
import { sendPackageFile, sendPackageZip, type DownloadDeps } from './downloads';
import { playlistText, PLAYBACK_PREFIX, sendPiece } from './playback';
import type { InvestigationService } from './service';
import { englishOf, msg, type ServerMessage } from '../../../common/messages';

/** The rights the raw endpoints ask for (common/rights.ts, the table the JSON routes' guards read too). */
const VIEW: Right = 'recordings.view';
const CASES: Right = 'cases.manage';
export const VIEW_ROLES: readonly Role[] = rolesWith(VIEW);
export const CASE_ROLES: readonly Role[] = rolesWith(CASES);

/** An error answer like the API's (ErrorBody): kind, English message, registered code and params. */
function fail(res: http.ServerResponse, status: number, m: ServerMessage, message = englishOf(m)): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  const kind =
    status === 401
      ? 'unauthorized'
      : status === 403
        ? 'forbidden'
        : status === 404
          ? 'not_found'
          : status === 405
            ? 'method_not_allowed'
            : status === 503
              ? 'unavailable'
              : 'validation';
  const params = m.params as Record<string, unknown>;
  res.end(JSON.stringify({ error: { kind, message, code: m.code, ...(Object.keys(params).length ? { params } : {}) } }));
}

async function authorize(req: http.IncomingMessage, res: http.ServerResponse, url: URL, auth: MountAuth, right: Right): Promise<MountSession | null> {
  const p = await auth.principal(req, url);
  if (!p) return (fail(res, 401, msg('auth.login_first'), 'log in first (Authorization: Bearer or ?token=)'), null);
  if (!can(p.user, right)) return (fail(res, 403, msg('auth.forbidden'), `role ${p.user.role} may not do this`), null);
  return p;
}

interface ViewSession {
  principal: MountSession;
  cameraId: number;
  ip: string | null;
  fromMs: number;
  toMs: number;
  requests: number;
  timer: NodeJS.Timeout;
}

/**
 * One audit entry per viewing session (user session x camera), not per byte-range request: 'playback.open' when a
 * playlist is first loaded, 'playback.view' with the wall-clock range actually fetched once the session has been idle
 * for idleMs (or at shutdown).
 */
export class PlaybackAudit {
  private readonly sessions = new Map<string, ViewSession>();
  constructor(
    private readonly audit: AuditLog,
    private readonly idleMs: number,
  ) {}

  private key(p: MountSession, cameraId: number): string {
    return `${p.tokenHash}:${cameraId}`;
  }

  async opened(p: MountSession, cameraId: number, startMs: number, endMs: number, ip: string | null): Promise<void> {
    const k = this.key(p, cameraId);
    if (this.sessions.has(k)) return this.touch(p, cameraId, null, null);
    const s: ViewSession = { principal: p, cameraId, ip, fromMs: Infinity, toMs: -Infinity, requests: 0, timer: this.arm(k) };
    this.sessions.set(k, s);
    await this.audit.record({ actor: p, action: 'playback.open', targetType: 'camera', targetId: cameraId, detail: { cameraId, startMs, endMs }, ip });
  }

  touch(p: MountSession, cameraId: number, wallFromMs: number | null, wallToMs: number | null): void {
    const k = this.key(p, cameraId);
    const s = this.sessions.get(k);
    if (!s) return;
    clearTimeout(s.timer);
    s.timer = this.arm(k);
    if (wallFromMs !== null && wallToMs !== null) {
      s.requests++;
      s.fromMs = Math.min(s.fromMs, wallFromMs);
      s.toMs = Math.max(s.toMs, wallToMs);
    }
  }

  private arm(k: string): NodeJS.Timeout {
    const t = setTimeout(() => void this.flush(k), this.idleMs);
    t.unref();
    return t;
  }

  private async flush(k: string): Promise<void> {
    const s = this.sessions.get(k);
    if (!s) return;
    this.sessions.delete(k);
    clearTimeout(s.timer);
    if (s.requests === 0) return;
    await this.audit.record({
      actor: s.principal,
      action: 'playback.view',
      targetType: 'camera',
      targetId: s.cameraId,
      detail: { cameraId: s.cameraId, startMs: Math.round(s.fromMs), endMs: Math.round(s.toMs), pieces: s.requests },
      ip: s.ip,
    });
  }

  async close(): Promise<void> {
    for (const k of [...this.sessions.keys()]) await this.flush(k);
  }
}

function clientIp(req: http.IncomingMessage): string | null {
  return req.socket.remoteAddress ?? null;
}

export function investigationMounts(
  svc: InvestigationService,
  audit: PlaybackAudit,
  downloads: DownloadDeps,
  recordingsDir: string,
  ffmpeg: FfmpegLauncher,
): RawMount[] {
  const playback: RawMount = {
    prefix: PLAYBACK_PREFIX,
    async http(req, res, url, auth) {
      if (req.method !== 'GET') return fail(res, 405, msg('request.get_only'));
      const rest = url.pathname.slice(PLAYBACK_PREFIX.length);
      let m = /^(\d+)\.m3u8$/.exec(rest);
      if (m) {
        const p = await authorize(req, res, url, auth, VIEW);
        if (!p) return;
        const cameraId = Number(m[1]);
        const startMs = Number(url.searchParams.get('startMs'));
        const endMs = Number(url.searchParams.get('endMs'));
        if (!Number.isInteger(startMs) || !Number.isInteger(endMs) || startMs < 0 || endMs <= startMs) return fail(res, 400, msg('playback.range_required'));
        const { pieces, live } = await svc.playback.window(cameraId, startMs, endMs);
        await audit.opened(p, cameraId, startMs, endMs, clientIp(req));
        const token = url.searchParams.get('token') ?? req.headers.authorization?.slice(7).trim() ?? '';
        res.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl', 'Cache-Control': 'no-store' });
        res.end(playlistText(cameraId, pieces, token, live));
        return;
      }
      m = /^piece\/(\d+)\/(\d+)-(\d+)\.ts$/.exec(rest);
      if (m) {
        const p = await authorize(req, res, url, auth, VIEW);
        if (!p) return;
        const seg = await svc.ctxStore().segments.get(Number(m[1]));
        // Closed segments, and the one being written (its pieces end on a keyframe already on disk).
        if (!seg || (seg.state !== 'closed' && seg.state !== 'writing')) return fail(res, 404, msg('segment.not_available', { id: Number(m[1]) }));
        const index = await svc.playback.indexOf(seg, Number(m[3])).catch(() => null);
        if (!index) return fail(res, 404, msg('segment.unreadable', { id: Number(m[1]) }));
        const a = Number(m[2]);
        const b = Number(m[3]);
        const kf = index.keyframes.find((k) => k.offset === a);
        const wallFrom = seg.startMs + (kf?.ptsS ?? 0) * 1000;
        const next = index.keyframes.find((k) => k.offset >= b);
        const wallTo = next ? seg.startMs + next.ptsS * 1000 : seg.endMs;
        audit.touch(p, seg.cameraId, wallFrom, wallTo);
        await sendPiece(res, svc.playback.filePath(seg.relPath), index, a, b);
        return;
      }
      fail(res, 404, msg('request.no_endpoint', { path: url.pathname }), 'no such playback resource');
    },
  };
  const exportFiles: RawMount = {
    prefix: `${API_PREFIX}/export-files/`,
    async http(req, res, url, auth) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, msg('request.get_only'));
      const p = await authorize(req, res, url, auth, CASES);
      if (!p) return;
      const rest = url.pathname.slice(`${API_PREFIX}/export-files/`.length);
      const zip = /^(\d+)\.zip$/.exec(rest);
      const m = zip ?? /^(\d+)\/(.+)$/.exec(rest);
      if (!m)
        return fail(res, 404, msg('request.no_endpoint', { path: url.pathname }), 'use /export-files/<export id>.zip or /export-files/<export id>/<file>');
      const job = await svc.getExport(Number(m[1])).catch(() => null);
      if (!job || job.state !== 'done') return fail(res, 404, msg('export.not_ready', { id: Number(m[1]) }));
      if (zip) return sendPackageZip(req, res, url, p, job, downloads, clientIp(req));
      let rel: string;
      try {
        rel = decodeURIComponent(m[2]!);
      } catch {
        return fail(res, 400, msg('export.bad_file_name'));
      }
      if (rel.split('/').some((c) => c === '..' || c === '.' || c === '') || rel.includes('\\'))
        return fail(res, 400, msg('export.path_escapes'), 'file must not leave the package');
      const full = path.join(svc.exportDir(job), ...rel.split('/'));
      const st = await fs.promises.stat(full).catch(() => null);
      if (!st?.isFile()) return fail(res, 404, msg('export.file_missing', { file: rel }));
      await sendPackageFile(req, res, url, p, job, rel, full, downloads, clientIp(req));
    },
  };
  const snapshots: RawMount = {
    prefix: `${API_PREFIX}/snapshot-files/`,
    async http(req, res, url, auth) {
      const p = await authorize(req, res, url, auth, VIEW);
      if (!p) return;
      const m = /^(\d+)\.jpg$/.exec(url.pathname.slice(`${API_PREFIX}/snapshot-files/`.length));
      if (!m) return fail(res, 404, msg('request.no_endpoint', { path: url.pathname }), 'use /snapshot-files/<id>.jpg');
      const file = await svc.snapshotFile(Number(m[1])).catch(() => null);
      const st = file ? await fs.promises.stat(file).catch(() => null) : null;
      if (!file || !st) return fail(res, 404, msg('snapshot.not_found', { id: Number(m[1]) }));
      res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': String(st.size), 'Cache-Control': 'private, max-age=3600' });
      await new Promise<void>((resolve) =>
        fs
          .createReadStream(file)
          .on('error', () => resolve())
          .on('end', resolve)
          .pipe(res),
      );
    },
  };
  const frames = new FramePreviews(svc.ctxStore(), recordingsDir, ffmpeg);
  const framePreviews: RawMount = {
    prefix: `${API_PREFIX}/frame-files/`,
    async http(req, res, url, auth) {
      const p = await authorize(req, res, url, auth, VIEW);
      if (!p) return;
      const m = /^(\d+)\/(\d+)\.jpg$/.exec(url.pathname.slice(`${API_PREFIX}/frame-files/`.length));
      if (!m) return fail(res, 404, msg('request.no_endpoint', { path: url.pathname }), 'use /frame-files/<camera id>/<tMs>.jpg');
      const sent = await frames
        .withFrame(Number(m[1]), Number(m[2]), async (jpg) => {
          const st = await fs.promises.stat(jpg);
          res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': String(st.size), 'Cache-Control': 'private, max-age=3600' });
          await new Promise<void>((resolve) =>
            fs
              .createReadStream(jpg)
              .on('error', () => resolve())
              .on('end', resolve)
              .pipe(res),
          );
          return true;
        })
        .catch(() => false);
      if (sent === null) return fail(res, 404, msg('frame.no_recording', { id: Number(m[1]) }));
      if (!sent && !res.headersSent) fail(res, 503, msg('frame.decode_failed'));
    },
  };
  return [playback, exportFiles, snapshots, framePreviews];
}
