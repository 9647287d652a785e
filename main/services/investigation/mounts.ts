// Raw endpoints of the investigation feature: the HLS VOD playlist and its byte-range pieces (audited per viewing session), export files and snapshot JPEGs.
import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';
import { API_PREFIX } from '../../../common/api';
import type { AuditLog } from '../audit-log';
import type { AccessControl, OrgScopes, UserAccess } from '../contracts';
import type { MountAuth, MountSession, RawMount } from '../features';
import type { FfmpegLauncher } from '../../../media/ffmpeg-launcher';
import { FramePreviews } from './frames';
import { sendPackageFile, sendPackageZip, type DownloadDeps } from './downloads';
import { playlistText, PLAYBACK_PREFIX, sendPiece } from './playback';
import type { InvestigationService } from './service';
import { englishOf, msg, type ServerMessage } from '../../../common/messages';
import { DomainError } from '../../platform/errors';
import { ErrorKind } from '../../../common/errors';
import type { ExportJob } from '../../../common/investigation';
import type { PlaybackTokens } from './playback-token';
import { mayViewChannel, recordingsAccess } from './rights';

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

/** A signed-in session and its rights; every object is then checked against them (per channel, per case node). */
async function authorize(
  res: http.ServerResponse,
  p: MountSession | null,
  rightsOf: (p: MountSession) => UserAccess,
): Promise<{ p: MountSession; rights: UserAccess } | null> {
  if (!p) return (fail(res, 401, msg('auth.login_first'), 'log in first (Authorization: Bearer or ?token=)'), null);
  return { p, rights: rightsOf(p) };
}

/** A service refusal (403 another node's case or channel, 404) as an answer; other errors go on. */
function refused(res: http.ServerResponse, err: unknown): void {
  if (!(err instanceof DomainError)) throw err;
  fail(res, err.kind === ErrorKind.Forbidden ? 403 : err.kind === ErrorKind.NotFound ? 404 : 400, err.msg, err.message);
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

/**
 * The session behind a playback request and what it may play: a signed link (?sig=, issued by the playback map for
 * one channel, window and session; short-lived, ends with its session) or an API client's Authorization header.
 * The session token in the URL (?token=) is not accepted here.
 */
async function playbackSession(
  req: http.IncomingMessage,
  url: URL,
  auth: MountAuth,
  tokens: PlaybackTokens,
): Promise<{ p: MountSession; grant: { channelId: number; startMs: number; endMs: number } | null } | 'invalid' | null> {
  const sig = url.searchParams.get('sig');
  if (sig !== null) {
    const grant = tokens.verify(sig);
    const p = grant ? await auth.session(grant.tokenHash) : null;
    if (!grant || !p || p.user.id !== grant.userId) return 'invalid';
    return { p, grant };
  }
  if (!req.headers.authorization?.startsWith('Bearer ')) return null;
  const p = await auth.principal(req, url);
  return p ? { p, grant: null } : null;
}

export function investigationMounts(
  svc: InvestigationService,
  audit: PlaybackAudit,
  downloads: DownloadDeps,
  recordingsDir: string,
  ffmpeg: FfmpegLauncher,
  access: AccessControl,
  org: OrgScopes,
): RawMount[] {
  const tokens = svc.tokens;
  const rightsOf = (p: MountSession) => recordingsAccess(access.for(p.user), org);
  const playback: RawMount = {
    prefix: PLAYBACK_PREFIX,
    async http(req, res, url, auth) {
      if (req.method !== 'GET') return fail(res, 405, msg('request.get_only'));
      const rest = url.pathname.slice(PLAYBACK_PREFIX.length);
      const s = await playbackSession(req, url, auth, tokens);
      if (s === 'invalid') return fail(res, 403, msg('playback.link_invalid'));
      if (!s) return fail(res, 401, msg('auth.login_first'), 'log in first (Authorization: Bearer, or the signed link of the playback map)');
      const { p, grant } = s;
      const rights = rightsOf(p);
      let m = /^(\d+)\.m3u8$/.exec(rest);
      if (m) {
        const cameraId = Number(m[1]);
        const startMs = Number(url.searchParams.get('startMs'));
        const endMs = Number(url.searchParams.get('endMs'));
        if (!Number.isInteger(startMs) || !Number.isInteger(endMs) || startMs < 0 || endMs <= startMs) return fail(res, 400, msg('playback.range_required'));
        if (grant && (grant.channelId !== cameraId || grant.startMs !== startMs || grant.endMs !== endMs)) return fail(res, 403, msg('playback.link_invalid'));
        if (!mayViewChannel(rights, cameraId)) return fail(res, 403, msg('recordings.forbidden', { id: cameraId }));
        const { pieces, live } = await svc.playback.window(cameraId, startMs, endMs);
        await audit.opened(p, cameraId, startMs, endMs, clientIp(req));
        // The pieces carry a link of their own for this window and session (never the session token).
        const pieceSig = tokens.mint({ channelId: cameraId, startMs, endMs, userId: p.user.id, tokenHash: p.tokenHash });
        res.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl', 'Cache-Control': 'no-store' });
        res.end(playlistText(cameraId, pieces, pieceSig, live));
        return;
      }
      m = /^piece\/(\d+)\/(\d+)-(\d+)\.ts$/.exec(rest);
      if (m) {
        const seg = await svc.ctxStore().segments.get(Number(m[1]));
        // Closed segments, and the one being written (its pieces end on a keyframe already on disk).
        if (!seg || (seg.state !== 'closed' && seg.state !== 'writing')) return fail(res, 404, msg('segment.not_available', { id: Number(m[1]) }));
        // A link covers its channel's segments that overlap its window (the one being written has no end yet).
        const segEndMs = seg.state === 'writing' ? Infinity : seg.endMs;
        if (grant && (grant.channelId !== seg.cameraId || segEndMs <= grant.startMs || seg.startMs >= grant.endMs))
          return fail(res, 403, msg('playback.link_invalid'));
        if (!mayViewChannel(rights, seg.cameraId)) return fail(res, 403, msg('recordings.forbidden', { id: seg.cameraId }));
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
      const a = await authorize(res, await auth.principal(req, url), rightsOf);
      if (!a) return;
      const { p } = a;
      // Like the exports routes' guard: cases.manage somewhere, before anything about the export is told.
      if (!a.rights.any('cases.manage')) return fail(res, 403, msg('auth.forbidden'), 'you may not see exports');
      const rest = url.pathname.slice(`${API_PREFIX}/export-files/`.length);
      const zip = /^(\d+)\.zip$/.exec(rest);
      const m = zip ?? /^(\d+)\/(.+)$/.exec(rest);
      if (!m)
        return fail(res, 404, msg('request.no_endpoint', { path: url.pathname }), 'use /export-files/<export id>.zip or /export-files/<export id>/<file>');
      // Only for those who may see the export's case and every channel in it.
      let job: ExportJob;
      try {
        job = await svc.getExport(Number(m[1]), a.rights);
      } catch (err) {
        return refused(res, err);
      }
      if (job.state !== 'done') return fail(res, 404, msg('export.not_ready', { id: Number(m[1]) }));
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
      const a = await authorize(res, await auth.principal(req, url), rightsOf);
      if (!a) return;
      const m = /^(\d+)\.jpg$/.exec(url.pathname.slice(`${API_PREFIX}/snapshot-files/`.length));
      if (!m) return fail(res, 404, msg('request.no_endpoint', { path: url.pathname }), 'use /snapshot-files/<id>.jpg');
      let file: string;
      try {
        file = await svc.snapshotFile(Number(m[1]), a.rights);
      } catch (err) {
        return refused(res, err);
      }
      const st = await fs.promises.stat(file).catch(() => null);
      if (!st) return fail(res, 404, msg('snapshot.not_found', { id: Number(m[1]) }));
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
      const a = await authorize(res, await auth.principal(req, url), rightsOf);
      if (!a) return;
      const m = /^(\d+)\/(\d+)\.jpg$/.exec(url.pathname.slice(`${API_PREFIX}/frame-files/`.length));
      if (!m) return fail(res, 404, msg('request.no_endpoint', { path: url.pathname }), 'use /frame-files/<camera id>/<tMs>.jpg');
      if (!mayViewChannel(a.rights, Number(m[1]))) return fail(res, 403, msg('recordings.forbidden', { id: Number(m[1]) }));
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
