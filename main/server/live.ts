// Live video to viewers: short-lived single-use tickets bound to their session, and HTTP-FLV / WS-FLV streams from the media hub.
import { msg } from '../../common/messages';
import { randomBytes } from 'node:crypto';
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
import type { AccessControl } from '../services/access/contract';
import { needChannel } from './access-guard';
import { ApiError, httpStatus } from './errors';
import { clientIp, sendJson } from './router';

/** HTTP-FLV: GET <prefix><sourceId>.flv?stream=&u=&exp=&sig= (sig: the ticket's random id; the rest must match what it was issued for). */
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
  /** How long a ticket may start a stream (default 60 s). A running stream is not cut at expiry but when its session ends. */
  ticketTtlMs?: number;
  /** Whether a session (by token hash) is still valid: a ticket of a session that ended starts nothing. Absent: not checked (bare tests). */
  sessionValid?: (tokenHash: string) => Promise<boolean>;
  /** Rights: live.view on the channel is checked when the ticket is issued and again when it is used. Absent: not checked. */
  access?: AccessControl;
  /** At most this many viewers at once (default 256). */
  maxViewers?: number;
  /** Where live viewing is recorded (who watched which camera from where); absent in bare tests. */
  audit?: AuditLog;
}

type Resolved =
  | { ok: true; streamPath: string; served: StreamKind; sourceId: number; userId: number; tokenHash: string; ticketId: string }
  | { ok: false; kind: ErrorKind; message: string };

/** Who a ticket was issued to, for which stream, until when (kept in memory until used or expired). */
interface TicketGrant {
  sourceId: number;
  stream: StreamKind;
  userId: number;
  tokenHash: string;
  expiresMs: number;
}

/** Whose an open stream is (to cut it when that session or user ends). */
interface StreamOwner {
  userId: number;
  tokenHash: string;
}

/** At most this many unused tickets are kept; the oldest go first beyond it (a client asking in a loop cannot grow memory). */
const MAX_TICKETS = 20_000;

const FILE_RE = /^([1-9]\d{0,9})\.flv$/;
/** The recorder's status note when FLV cannot carry a camera's video codec (media/errors.ts explainRelayFailure). */
const RELAY_CODEC_NOTE = /^Live view unavailable: ([\w-]+) video cannot be relayed/;

export class LiveGateway {
  /** Unused tickets by their random id: used once, then forgotten; they die with the process. */
  private readonly tickets = new Map<string, TicketGrant>();
  /** Tickets used (or ended with their session) until they would have expired: asked again, they answer 401, not 403. */
  private readonly spent = new Map<string, number>();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024, perMessageDeflate: false, clientTracking: false });
  /** Open streams: how to cut each, and whose it is (to cut a disabled user's streams). */
  private readonly open = new Map<() => void, StreamOwner & { sourceId: number }>();
  private readonly log: (msg: string) => void;
  private closed = false;

  constructor(private readonly deps: LiveGatewayDeps) {
    this.log = (m) => deps.log(`[live] ${m}`);
  }

  get viewerCount(): number {
    return this.open.size;
  }

  // ---------------------------------------------------------------- tickets

  /** Drops expired tickets, and the oldest beyond MAX_TICKETS (a Map keeps insertion order). */
  private prune(): void {
    const nowMs = this.deps.now();
    for (const [id, t] of this.tickets) if (t.expiresMs < nowMs || this.tickets.size > MAX_TICKETS) this.tickets.delete(id);
    for (const [id, expiresMs] of this.spent) if (expiresMs < nowMs || this.spent.size > MAX_TICKETS) this.spent.delete(id);
  }

  /**
   * Signed URLs for one stream of a camera or unit, for one session: usable once, within ticketTtlMs, while the session
   * lasts. 404 for an unknown source or one the user may not know; 403 for one they see but may not watch live.
   */
  async issue(req: LiveTicketRequest, owner: StreamOwner): Promise<LiveTicket> {
    const row = await this.deps.store.cameras.get(req.sourceId);
    const notFound = () => ApiError.notFound(msg('source.not_found', { id: req.sourceId }), `no camera or unit with id ${req.sourceId}`);
    if (!row) throw notFound();
    const user = this.deps.access ? await this.deps.store.users.get(owner.userId) : null;
    if (this.deps.access && user) needChannel(this.deps.access.for(user), 'live.view', row.id, notFound);
    // A source without a sub stream gets a ticket for its main stream.
    const stream: StreamKind = req.stream === 'sub' && hasSub(row) ? 'sub' : 'main';
    const expiresMs = this.deps.now() + (this.deps.ticketTtlMs ?? 60_000);
    this.prune();
    const id = randomBytes(32).toString('base64url');
    this.tickets.set(id, { sourceId: row.id, stream, userId: owner.userId, tokenHash: owner.tokenHash, expiresMs });
    const query = `stream=${stream}&u=${owner.userId}&exp=${expiresMs}&sig=${id}`;
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

  /**
   * Checks the ticket first (nothing is revealed without one): known and unused, for this source, not expired, its
   * session still valid, its user still allowed to watch; then the source and whether it is live. The ticket is used
   * up only when a stream starts (`take`), so a refusal because the source is not live yet leaves it usable.
   */
  private async resolve(url: URL, prefix: string): Promise<Resolved> {
    const file = FILE_RE.exec(url.pathname.slice(prefix.length));
    if (!file) return { ok: false, kind: ErrorKind.NotFound, message: `no such stream: ${url.pathname}` };
    const sourceId = Number(file[1]);
    const q = url.searchParams;
    const stream = q.get('stream');
    const [u, exp, sig] = [q.get('u'), q.get('exp'), q.get('sig')];
    if ((stream !== 'main' && stream !== 'sub') || !u || !/^\d+$/.test(u) || !exp || !/^\d+$/.test(exp) || !sig)
      return { ok: false, kind: ErrorKind.Unauthorized, message: 'a live ticket is required (POST /api/v1/live/tickets)' };
    const t = this.tickets.get(sig);
    if (!t) {
      if (this.spent.has(sig)) return { ok: false, kind: ErrorKind.Unauthorized, message: 'this live ticket was used or its session ended; request a new one' };
      return { ok: false, kind: ErrorKind.Forbidden, message: 'invalid live ticket' };
    }
    if (t.sourceId !== sourceId || t.stream !== stream || t.userId !== Number(u) || t.expiresMs !== Number(exp))
      return { ok: false, kind: ErrorKind.Forbidden, message: 'the live ticket was issued for another stream' };
    if (t.expiresMs < this.deps.now()) {
      this.tickets.delete(sig);
      return { ok: false, kind: ErrorKind.Unauthorized, message: 'live ticket expired; request a new one' };
    }
    const ended = () => {
      this.spend(sig, t);
      return { ok: false as const, kind: ErrorKind.Unauthorized, message: 'the session this ticket was issued to has ended' };
    };
    if (this.deps.sessionValid && !(await this.deps.sessionValid(t.tokenHash))) return ended();
    const user = await this.deps.store.users.get(t.userId);
    if (!user || user.disabled || user.mustChangePassword) return ended();
    if (this.deps.access && !this.deps.access.for(user).channel('live.view', sourceId)) {
      this.spend(sig, t);
      return { ok: false, kind: ErrorKind.Forbidden, message: 'you may no longer watch this source live' };
    }
    const own = { sourceId, userId: t.userId, tokenHash: t.tokenHash, ticketId: sig };
    const row = await this.deps.store.cameras.get(sourceId);
    if (!row) return { ok: false, kind: ErrorKind.NotFound, message: `no camera or unit with id ${sourceId}` };
    const hub = this.deps.hub;
    if (!hub?.listening) return { ok: false, kind: ErrorKind.Unavailable, message: 'live video is not available: the media hub is not running' };
    const main = row.kind === 'uplink' ? unitStreamPath(row.id) : cameraStreamPath(row.id, 'main');
    const sub = row.kind === 'rtsp' ? cameraStreamPath(row.id, 'sub') : null;
    const served: StreamKind | null = stream === 'sub' && sub && hub.isLive(sub) ? 'sub' : hub.isLive(main) ? 'main' : null;
    if (served === null) return { ok: false, kind: ErrorKind.Unavailable, message: this.offlineReason(row) };
    // Used up here, synchronously after the last await: of several requests racing with one ticket, one gets the stream.
    if (!this.tickets.has(sig)) return { ok: false, kind: ErrorKind.Unauthorized, message: 'this live ticket was already used; request a new one' };
    this.spend(sig, t);
    return { ok: true, streamPath: served === 'sub' ? sub! : main, served, ...own };
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
    this.open.set(cut, { userId: r.userId, tokenHash: r.tokenHash, sourceId: r.sourceId });
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

  /** A ticket can start nothing more (used, or its session ended); remembered until it would have expired. */
  private spend(id: string, t: TicketGrant): void {
    this.tickets.delete(id);
    this.spent.set(id, t.expiresMs);
  }

  /** Cuts the open streams matching `which` and forgets the tickets of the same owners. Returns how many were cut. */
  private cut(which: (o: StreamOwner) => boolean, what: string): number {
    for (const [id, t] of [...this.tickets]) if (which(t)) this.spend(id, t);
    let n = 0;
    for (const [cut, owner] of [...this.open]) {
      if (!which(owner)) continue;
      cut();
      n++;
    }
    if (n > 0) this.log(`cut ${n} live stream(s) of ${what}`);
    return n;
  }

  /** Cuts every stream of one user (user disabled, password changed or reset). Returns how many were cut. */
  closeUser(userId: number): number {
    return this.cut((o) => o.userId === userId, `user ${userId}`);
  }

  /** Cuts the streams started with one session's tickets (logout, session revoked). */
  closeSession(tokenHash: string): number {
    return this.cut((o) => o.tokenHash === tokenHash, 'a session that ended');
  }

  /** Cuts a user's streams except those of one session (their password changed there). */
  closeUserExcept(userId: number, keepTokenHash: string): number {
    return this.cut((o) => o.userId === userId && o.tokenHash !== keepTokenHash, `user ${userId}'s other sessions`);
  }

  /** Rights changed: cuts every stream whose user may no longer watch its channel live. */
  recheck(): void {
    const access = this.deps.access;
    if (!access) return;
    for (const [cut, owner] of [...this.open]) {
      this.deps.store.users.get(owner.userId).then(
        (user) => {
          if (user && access.for(user).channel('live.view', owner.sourceId)) return;
          this.log(`cut live stream of channel ${owner.sourceId} to user ${owner.userId}: no longer allowed`);
          cut();
        },
        (err: Error) => this.log(`rights re-check failed: ${err.message}`),
      );
    }
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
