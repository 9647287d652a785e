// Live video to viewers: signed short-lived tickets, and HTTP-FLV / WS-FLV streams served from the media hub's broadcasts.
import { msg } from '../../common/messages';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { API_PREFIX, type LiveTicket, type LiveTicketRequest, type StreamKind } from '../../common/api';
import { ErrorKind, type ErrorBody } from '../../common/errors';
import type { CameraRow, Store } from '../../storage/repositories';
import type { StreamTracks } from '../../media/flv-tracks';
import { cameraStreamPath, unitStreamPath, type Viewer, type ViewerSink } from '../../media/hub';
import type { RecordingControl } from '../services/recording-control';
import type { UnitControl } from '../services/unit-control';
import type { AuditLog } from '../services/audit-log';
import { ApiError, httpStatus } from './errors';
import { clientIp, sendJson } from './router';

/** HTTP-FLV: GET <prefix><sourceId>.flv?stream=&u=&exp=&sig= */
export const LIVE_FLV_PREFIX = `${API_PREFIX}/live/flv/`;
/** WS-FLV: the same, as a WebSocket upgrade (binary messages, one FLV chunk each). */
export const LIVE_WS_PREFIX = `${API_PREFIX}/live/ws/`;
/** Response header naming the stream actually served ('sub' falls back to 'main'). */
export const STREAM_HEADER = 'X-Argus-Stream';

/** What the gateway needs from the media hub. */
export interface LiveHub {
  readonly listening: boolean;
  isLive(streamPath: string): boolean;
  streamTracks(streamPath: string): StreamTracks | null;
  attachViewer(streamPath: string, sink: ViewerSink, remoteAddress: string): Viewer | null;
}

export interface LiveGatewayDeps {
  store: Store;
  /** Null when the hub is not running (tests of the API alone, or RTMP could not bind). */
  hub: LiveHub | null;
  recording: RecordingControl;
  units: UnitControl;
  log: (msg: string) => void;
  now: () => number;
  /** How long a ticket may start a stream (default 60 s). A running stream is not cut at expiry. */
  ticketTtlMs?: number;
  /** At most this many viewers at once (default 256). */
  maxViewers?: number;
  /** Where live viewing is recorded (who watched which camera from where); absent in bare tests. */
  audit?: AuditLog;
}

type Resolved = { ok: true; streamPath: string; served: StreamKind; sourceId: number; userId: number } | { ok: false; kind: ErrorKind; message: string };

const FILE_RE = /^([1-9]\d{0,9})\.flv$/;
/** The recorder's status note when FLV cannot carry a camera's video codec (media/errors.ts explainRelayFailure). */
const RELAY_CODEC_NOTE = /^Live view unavailable: ([\w-]+) video cannot be relayed/;

export class LiveGateway {
  /** Random per process start: tickets die with the process. */
  private readonly secret = randomBytes(32);
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024, perMessageDeflate: false, clientTracking: false });
  /** Open streams: how to cut each, and whose it is (to cut a disabled user's streams). */
  private readonly open = new Map<() => void, number>();
  private readonly log: (msg: string) => void;
  private closed = false;

  constructor(private readonly deps: LiveGatewayDeps) {
    this.log = (m) => deps.log(`[live] ${m}`);
  }

  get viewerCount(): number {
    return this.open.size;
  }

  // ---------------------------------------------------------------- tickets

  private sign(sourceId: number, stream: StreamKind, expMs: number, userId: number): string {
    return createHmac('sha256', this.secret).update(`argus-live-v1|${sourceId}|${stream}|${expMs}|${userId}`).digest('base64url');
  }

  /** Signed URLs for one stream of a camera or unit. 404 for an unknown source. */
  async issue(req: LiveTicketRequest, userId: number): Promise<LiveTicket> {
    const row = await this.deps.store.cameras.get(req.sourceId);
    if (!row) throw ApiError.notFound(msg('source.not_found', { id: req.sourceId }), `no camera or unit with id ${req.sourceId}`);
    // A source without a sub stream gets a ticket for its main stream.
    const stream: StreamKind = req.stream === 'sub' && hasSub(row) ? 'sub' : 'main';
    const expiresMs = this.deps.now() + (this.deps.ticketTtlMs ?? 60_000);
    const query = `stream=${stream}&u=${userId}&exp=${expiresMs}&sig=${this.sign(row.id, stream, expiresMs, userId)}`;
    return {
      flvUrl: `${LIVE_FLV_PREFIX}${row.id}.flv?${query}`,
      wsFlvUrl: `${LIVE_WS_PREFIX}${row.id}.flv?${query}`,
      expiresMs,
      stream,
      ...this.videoOf(row, stream),
    };
  }

  /**
   * What is known of the video a ticket would serve: the live stream's codec from the hub; for a camera whose relay
   * stopped for good because FLV cannot carry its codec (the recorder's status note), that codec and relayable false.
   */
  private videoOf(row: CameraRow, stream: StreamKind): Pick<LiveTicket, 'videoCodec' | 'audioCodec' | 'relayable'> {
    const hub = this.deps.hub;
    const paths =
      row.kind === 'uplink'
        ? [unitStreamPath(row.id)]
        : stream === 'sub'
          ? [cameraStreamPath(row.id, 'sub'), cameraStreamPath(row.id, 'main')]
          : [cameraStreamPath(row.id, 'main')];
    for (const p of paths) {
      const tracks = hub?.listening ? hub.streamTracks(p) : null;
      if (tracks) return { videoCodec: tracks.video, audioCodec: tracks.audio, relayable: true };
    }
    if (row.kind === 'rtsp') {
      const note = RELAY_CODEC_NOTE.exec(this.deps.recording.status(row.id).lastError ?? '');
      if (note) return { videoCodec: note[1].toLowerCase(), audioCodec: null, relayable: false };
    }
    return { videoCodec: null, audioCodec: null, relayable: true };
  }

  /** Checks the signature first (nothing is revealed without one), then the source, then whether it is live. */
  private async resolve(url: URL, prefix: string): Promise<Resolved> {
    const file = FILE_RE.exec(url.pathname.slice(prefix.length));
    if (!file) return { ok: false, kind: ErrorKind.NotFound, message: `no such stream: ${url.pathname}` };
    const sourceId = Number(file[1]);
    const q = url.searchParams;
    const stream = q.get('stream');
    const u = q.get('u');
    const exp = q.get('exp');
    const sig = q.get('sig');
    if ((stream !== 'main' && stream !== 'sub') || !u || !/^\d+$/.test(u) || !exp || !/^\d+$/.test(exp) || !sig)
      return { ok: false, kind: ErrorKind.Unauthorized, message: 'a signed live ticket is required (POST /api/v1/live/tickets)' };
    const want = Buffer.from(this.sign(sourceId, stream, Number(exp), Number(u)));
    const got = Buffer.from(sig);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return { ok: false, kind: ErrorKind.Forbidden, message: 'invalid live ticket signature' };
    if (Number(exp) < this.deps.now()) return { ok: false, kind: ErrorKind.Unauthorized, message: 'live ticket expired; request a new one' };

    const user = await this.deps.store.users.get(Number(u));
    if (!user || user.disabled || user.mustChangePassword)
      return { ok: false, kind: ErrorKind.Unauthorized, message: 'the user this ticket was issued to is disabled, gone or must change their password' };
    const row = await this.deps.store.cameras.get(sourceId);
    if (!row) return { ok: false, kind: ErrorKind.NotFound, message: `no camera or unit with id ${sourceId}` };
    const hub = this.deps.hub;
    if (!hub?.listening) return { ok: false, kind: ErrorKind.Unavailable, message: 'live video is not available: the media hub is not running' };
    const main = row.kind === 'uplink' ? unitStreamPath(row.id) : cameraStreamPath(row.id, 'main');
    const sub = row.kind === 'rtsp' ? cameraStreamPath(row.id, 'sub') : null;
    if (stream === 'sub' && sub && hub.isLive(sub)) return { ok: true, streamPath: sub, served: 'sub', sourceId, userId: Number(u) };
    if (hub.isLive(main)) return { ok: true, streamPath: main, served: 'main', sourceId, userId: Number(u) };
    return { ok: false, kind: ErrorKind.Unavailable, message: this.offlineReason(row) };
  }

  private offlineReason(row: CameraRow): string {
    if (row.kind === 'uplink') {
      const st = this.deps.units.status(row.id);
      return `unit "${row.name}" is not streaming${row.enabled ? (st.video.online ? ' yet' : st.online ? ' (its video link is down; it still reports its position)' : ' (offline)') : ' (disabled)'}`;
    }
    if (!row.enabled) return `camera "${row.name}" is disabled`;
    const st = this.deps.recording.status(row.id);
    return `no live video from camera "${row.name}" right now${st.lastError ? `: ${st.lastError}` : ` (${st.state})`}`;
  }

  private tooMany(): boolean {
    return this.open.size >= (this.deps.maxViewers ?? 256);
  }

  // ---------------------------------------------------------------- HTTP-FLV

  /** Serves GET LIVE_FLV_PREFIX<id>.flv: a chunked FLV stream until the client leaves or the publish ends. */
  async handleHttp(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const fail = (kind: ErrorKind, message: string, headers: Record<string, string> = {}) =>
      sendJson(res, httpStatus(kind), { error: { kind, message, code: 'live.refused' } } satisfies ErrorBody, headers);
    if (req.method !== 'GET') return fail(ErrorKind.MethodNotAllowed, `${req.method} is not allowed on ${url.pathname} (allowed: GET)`, { Allow: 'GET' });
    if (this.closed) return fail(ErrorKind.Unavailable, 'server is shutting down');
    const r = await this.resolve(url, LIVE_FLV_PREFIX);
    if (!r.ok) return fail(r.kind, r.message);
    if (this.tooMany()) return fail(ErrorKind.Unavailable, 'too many live viewers; try again later');
    if (res.destroyed || req.destroyed) return;

    res.statusCode = 200;
    res.setHeader('Content-Type', 'video/x-flv');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader(STREAM_HEADER, r.served);
    res.socket?.setNoDelay(true);
    const sink: ViewerSink = {
      write: (b) => void res.write(b),
      bufferedBytes: () => res.writableLength,
      end: () => res.end(),
      destroy: () => res.destroy(),
    };
    const ip = clientIp(req);
    const viewer = this.deps.hub!.attachViewer(r.streamPath, sink, ip);
    if (!viewer) {
      res.removeHeader(STREAM_HEADER);
      return fail(ErrorKind.Unavailable, 'the stream just ended; request a new ticket');
    }
    this.track(viewer, () => res.destroy(), res, `HTTP-FLV ${r.streamPath} to user ${r.userId} at ${ip}`, r, ip);
  }

  // ---------------------------------------------------------------- WS-FLV

  /** Handles the upgrade of LIVE_WS_PREFIX<id>.flv: checks the ticket before the handshake, then sends binary FLV. */
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    const refuse = (kind: ErrorKind, message: string) => {
      if (socket.destroyed) return;
      const body = JSON.stringify({ error: { kind, message, code: 'live.refused' } } satisfies ErrorBody);
      const status = httpStatus(kind);
      socket.end(
        `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : status === 404 ? 'Not Found' : 'Service Unavailable'}\r\n` +
          `Connection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    };
    if (this.closed) return refuse(ErrorKind.Unavailable, 'server is shutting down');
    this.resolve(url, LIVE_WS_PREFIX).then(
      (r) => {
        if (!r.ok) return refuse(r.kind, r.message);
        if (this.tooMany()) return refuse(ErrorKind.Unavailable, 'too many live viewers; try again later');
        if (socket.destroyed || this.closed) return socket.destroy();
        this.wss.handleUpgrade(req, socket, head, (ws) => {
          const ip = clientIp(req);
          const sink: ViewerSink = {
            write: (b) => ws.send(b, { binary: true }),
            bufferedBytes: () => ws.bufferedAmount,
            end: () => ws.close(1000, 'stream ended'),
            destroy: () => ws.terminate(),
          };
          ws.on('message', () => undefined);
          ws.on('error', () => ws.terminate());
          const viewer = ws.readyState === WebSocket.OPEN ? this.deps.hub!.attachViewer(r.streamPath, sink, ip) : null;
          if (!viewer) return ws.close(1011, 'stream ended');
          this.track(viewer, () => ws.terminate(), ws, `WS-FLV ${r.streamPath} to user ${r.userId} at ${ip}`, r, ip);
        });
      },
      (err: Error) => {
        this.log(`ticket check failed: ${err.stack ?? err.message}`);
        refuse(ErrorKind.Unavailable, 'cannot check the ticket now');
      },
    );
  }

  private track(
    viewer: Viewer,
    cut: () => void,
    conn: { once(ev: 'close', fn: () => void): unknown },
    what: string,
    r: Extract<Resolved, { ok: true }>,
    ip: string,
  ): void {
    const startMs = this.deps.now();
    let done = false;
    const stop = () => {
      if (done) return;
      done = true;
      this.open.delete(cut);
      viewer.detach();
      this.log(`${what} ended after ${Math.round((this.deps.now() - startMs) / 1000)} s`);
    };
    this.open.set(cut, r.userId);
    conn.once('close', stop);
    this.log(`${what}`);
    void this.deps.store.users
      .get(r.userId)
      .then((user) =>
        this.deps.audit?.record({
          actor: { userId: r.userId, username: user?.username ?? null },
          action: 'live.view',
          targetType: 'camera',
          targetId: r.sourceId,
          detail: { stream: r.served },
          ip,
        }),
      )
      .catch((err: Error) => this.log(`audit of live viewing failed: ${err.message}`));
  }

  /** Cuts every stream of one user (user disabled or signed out everywhere). Returns how many were cut. */
  closeUser(userId: number): number {
    let n = 0;
    for (const [cut, owner] of [...this.open]) {
      if (owner !== userId) continue;
      cut();
      n++;
    }
    if (n > 0) this.log(`cut ${n} live stream(s) of user ${userId}`);
    return n;
  }

  /** Disconnects every viewer (server shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    for (const cut of [...this.open.keys()]) cut();
    this.open.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

function hasSub(row: CameraRow): boolean {
  return row.kind === 'rtsp' && row.subUrl !== null && row.subUrl !== '';
}
