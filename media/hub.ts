// Embedded RTMP media hub: node-media-server 4's RTMP engine behind our own locked-down listener, plus FLV viewers.
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import net from 'node:net';
import { observeTag, ViewerFilter, type StreamTracks } from './flv-tracks';

// node-media-server 4 is CommonJS without type declarations. Only its protocol/session classes are used (never its
// NodeMediaServer class, HTTP/admin API, web admin, record, relay, notify or history servers, nor its JSON store);
// the shapes below are the parts of 4.4.x this module relies on (pinned in package.json, exercised by media/hub.test.ts).
const require = createRequire(import.meta.url);

interface NmsPacket {
  codec_type: number;
  /** 0 audio header, 1 audio frame, 2 video header, 3 video keyframe, 4 video frame, 5 metadata. */
  flags: number;
  dts: number;
  size: number;
  data: Buffer;
}

interface NmsSession {
  id: string;
  ip: string;
  protocol: string;
  isPublisher: boolean;
  streamApp: string;
  streamName: string;
  streamPath: string;
  streamQuery: Record<string, string | string[] | undefined>;
  inBytes: number;
  outBytes: number;
  broadcast: NmsBroadcast;
  sendBuffer: (buf: Buffer) => void;
  close: () => void;
}

interface NmsRtmpSession extends NmsSession {
  socket: net.Socket;
  rtmp: { inPackets: Map<number, unknown>; parserPacket: { header: { length: number } }; packetAlloc(): void };
  run(): void;
  onConnect(req: unknown): void;
  onPush(): void;
  onPlay(): void;
  onPacket(p: NmsPacket): void;
  onData(d: Buffer): void;
  onClose(): void;
}

interface NmsBroadcast {
  streamPath: string;
  publisher: NmsSession | null;
  subscribers: Map<string, NmsSession>;
  publishGraceMs: number;
  rtmpGopCache: Set<Buffer> | null;
  flvVideoHeader: Buffer | null;
  postPlay(s: NmsSession): string | null;
  donePlay(s: NmsSession): void;
  _finishPublish(): void;
  _destroyIfEmpty(): void;
}

const RtmpSession = require('node-media-server/src/session/rtmp_session.js') as new (socket: net.Socket) => NmsRtmpSession;
const BaseSession = require('node-media-server/src/session/base_session.js') as new () => NmsSession;
const Rtmp = require('node-media-server/src/protocol/rtmp.js') as { createMessage(p: NmsPacket): Buffer; prototype: { packetAlloc(): void } };
const Context = require('node-media-server/src/core/context.js') as { config: Record<string, unknown>; broadcasts: Map<string, NmsBroadcast> };
const nmsLogger = require('node-media-server/src/core/logger.js') as { log: (message: string, level?: string) => void };

// ---------------------------------------------------------------- public types

export type HubDecision = { allow: true } | { allow: false; reason: string };

/** A publish or play request as the hub sees it, before it is accepted. */
export interface StreamRequest {
  /** "/<app>/<name>", e.g. "/live/12". */
  streamPath: string;
  app: string;
  name: string;
  /** Query string of the stream name (e.g. key, secret), single values only. */
  query: Record<string, string>;
  /** Client address without port. */
  remoteAddress: string;
  /** The query carries the hub's internal secret (a local Argus process). */
  internal: boolean;
}

/** A publisher the hub accepted. */
export interface PublishInfo extends Omit<StreamRequest, 'query'> {
  sessionId: string;
  startMs: number;
}

export type DonePublishReason = 'closed' | 'replaced' | 'kicked' | 'hub-closed';

export interface HubOptions {
  /** TCP port for RTMP (0 = any free port). */
  port: number;
  /** Address to bind (e.g. 127.0.0.1, or 0.0.0.0 so that units can reach it). */
  host: string;
  log?: (msg: string) => void;
  now?: () => number;
  /** An external session that sends or receives nothing for this long is closed (half-open 4G links). */
  idleTimeoutMs?: number;
  /** A connection must publish or play within this time. */
  handshakeTimeoutMs?: number;
  /** A viewer whose unsent data exceeds this is dropped instead of buffering without bound. */
  maxViewerBufferBytes?: number;
  /** At most this many RTMP connections at once. */
  maxConnections?: number;
  /**
   * Apps whose first internal RTMP player (the recorder) receives everything since the publish started (up to
   * preRollMaxMs), not just the current GOP, so a slow-starting recorder loses no video.
   */
  preRollApps?: readonly string[];
  preRollMaxMs?: number;
  /** Decides a publish. Default: only internal publishers. A rejection closes the session at once. */
  onPrePublish?(req: StreamRequest): HubDecision;
  /** Decides an RTMP play. Default: only internal consumers (secret in the query) may play. */
  onPrePlay?(req: StreamRequest): HubDecision;
  onPublish?(info: PublishInfo): void;
  /** The publish ended; all its players and viewers have been disconnected. */
  onDonePublish?(info: PublishInfo, reason: DonePublishReason): void;
}

/** Where a viewer's FLV bytes go (an HTTP response or a WebSocket). */
export interface ViewerSink {
  write(buf: Buffer): void;
  /** Bytes accepted but not yet sent to the client. */
  bufferedBytes(): number;
  /** Ends the stream normally (publish ended). */
  end(): void;
  /** Cuts the client off (too slow). */
  destroy(): void;
}

export interface Viewer {
  readonly streamPath: string;
  /** Stops sending to this viewer (its connection closed). Idempotent; never disturbs the hub or other viewers. */
  detach(): void;
}

interface Entry {
  session: NmsRtmpSession;
  socket: net.Socket;
  role: 'pending' | 'publisher' | 'player';
  internal: boolean;
  info: PublishInfo | null;
  timer: NodeJS.Timeout | null;
}

interface PreRoll {
  messages: Buffer[];
  firstDts: number | null;
  bytes: number;
}

/** Inbound RTMP message size allowed before a session is accepted as publisher or player. */
const PRE_AUTH_MAX_MESSAGE = 64 * 1024;
/** More chunk streams than this on one connection is abuse (real clients use a handful). */
const MAX_CHUNK_STREAMS = 32;
const PRE_ROLL_MAX_BYTES = 64 * 1024 * 1024;

let active: MediaHub | null = null;

function firstValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function stripPort(ip: string): string {
  return ip.replace(/^::ffff:/, '');
}

/**
 * The RTMP hub. One per process: node-media-server keeps its stream table in module-level state.
 * Invariants: only accepted publishers' packets reach a stream; one publisher per stream path (a new accepted
 * publisher replaces the old one); when a publish ends every player and viewer of that path is disconnected.
 */
export class MediaHub {
  readonly internalSecret = crypto.randomBytes(24).toString('base64url');
  private server: net.Server | null = null;
  private boundPort: number | null = null;
  private readonly entries = new Set<Entry>();
  private readonly viewers = new Set<NmsSession>();
  private readonly preRolls = new Map<string, PreRoll>();
  /** Codecs of each current publish, from its first audio and video tags. */
  private readonly tracks = new Map<string, StreamTracks>();
  private readonly log: (msg: string) => void;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly opts: HubOptions) {
    this.log = (m) => (opts.log ?? console.log)(`[hub] ${m}`);
    this.now = opts.now ?? Date.now;
  }

  /** Port RTMP listens on, null before start() or after close(). */
  get port(): number | null {
    return this.boundPort;
  }

  get listening(): boolean {
    return this.server !== null && this.boundPort !== null;
  }

  /** Address local processes use to reach the hub. */
  get internalHost(): string {
    const h = this.opts.host;
    if (h === '0.0.0.0' || h === '' || h === '::') return '127.0.0.1';
    return h;
  }

  /** rtmp:// URL of a stream for a local Argus process (carries the internal secret). */
  internalUrl(app: string, name: string): string {
    if (this.boundPort === null) throw new Error('hub is not listening');
    const host = this.internalHost.includes(':') ? `[${this.internalHost}]` : this.internalHost;
    return `rtmp://${host}:${this.boundPort}/${app}/${name}?secret=${this.internalSecret}`;
  }

  /** internalUrl for a stream path "/<app>/<name>". */
  internalUrlFor(streamPath: string): string {
    const m = /^\/([^/]+)\/([^/]+)$/.exec(streamPath);
    if (!m) throw new Error(`not a stream path: ${streamPath}`);
    return this.internalUrl(m[1], m[2]);
  }

  /** True when a query carries the internal secret. */
  isInternal(query: Record<string, string | string[] | undefined>): boolean {
    const s = firstValue(query.secret);
    return typeof s === 'string' && safeEqual(s, this.internalSecret);
  }

  async start(): Promise<number> {
    if (this.closed) throw new Error('hub closed');
    if (active && active !== this) throw new Error('another media hub is running in this process (node-media-server state is process-wide)');
    active = this;
    Context.config = {}; // no NMS-level auth, record, relay...: every decision is ours
    nmsLogger.log = (message: string, level = 'info') => {
      if (active === this && (level === 'warn' || level === 'error')) this.log(`nms ${level}: ${message}`);
    };
    const server = net.createServer((socket) => this.onSocket(socket));
    server.maxConnections = this.opts.maxConnections ?? 512;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port: this.opts.port, host: this.opts.host, exclusive: true }, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      active = null;
      throw err;
    }
    server.on('error', (err) => this.log(`listener error: ${err.message}`));
    this.server = server;
    this.boundPort = (server.address() as net.AddressInfo).port;
    this.log(`RTMP listening on ${this.opts.host}:${this.boundPort}`);
    return this.boundPort;
  }

  /** Stops listening and disconnects every session and viewer. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const server = this.server;
    this.server = null;
    for (const b of this.broadcasts()) if (b.publisher && this.entryOf(b.publisher)) this.endPublish(b, 'hub-closed');
    for (const e of this.entries) e.socket.destroy();
    for (const v of this.viewers) v.close();
    this.viewers.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    this.boundPort = null;
    if (active === this) active = null;
    this.log('closed');
  }

  /** The accepted publisher of a stream path, or null. */
  publisher(streamPath: string): (PublishInfo & { inBytes: number }) | null {
    const b = Context.broadcasts.get(streamPath);
    const e = b?.publisher ? this.entryOf(b.publisher) : null;
    return e?.info ? { ...e.info, inBytes: e.session.inBytes } : null;
  }

  isLive(streamPath: string): boolean {
    return this.publisher(streamPath) !== null;
  }

  /** The codecs a live stream carries (null fields until its first tag of that kind), or null when it is not live. */
  streamTracks(streamPath: string): StreamTracks | null {
    const t = this.isLive(streamPath) ? this.tracks.get(streamPath) : undefined;
    return t ? { ...t } : null;
  }

  /** Closes the publisher of a stream path (unit disabled, key rotated...). Returns false when none publishes. */
  kick(streamPath: string): boolean {
    const b = Context.broadcasts.get(streamPath);
    const e = b?.publisher ? this.entryOf(b.publisher) : null;
    if (!b || !e) return false;
    this.log(`closing publisher of ${streamPath}`);
    this.endPublish(b, 'kicked');
    e.socket.destroy();
    return true;
  }

  /** Number of viewers attached to a stream path (all paths when omitted). */
  viewerCount(streamPath?: string): number {
    let n = 0;
    for (const v of this.viewers) if (streamPath === undefined || v.streamPath === streamPath) n++;
    return n;
  }

  /**
   * Attaches an FLV viewer: it receives the FLV header, metadata, codec headers and the current GOP at once (so
   * the first picture shows without waiting for a keyframe), then every packet. Null when the path is not live.
   * The header's audio/video flags match the stream, and audio the console cannot decode (G.711...) is left out: see
   * ViewerFilter.
   */
  attachViewer(streamPath: string, sink: ViewerSink, remoteAddress: string): Viewer | null {
    if (!this.listening) return null;
    const b = Context.broadcasts.get(streamPath);
    if (!b || !b.publisher || !this.entryOf(b.publisher)) return null;
    const max = this.opts.maxViewerBufferBytes ?? 4 * 1024 * 1024;
    const v = new BaseSession();
    const filter = new ViewerFilter(this.tracks.get(streamPath) ?? { video: null, audio: null }, b.flvVideoHeader !== null);
    let done = false;
    const drop = (why: string | null) => {
      if (done) return;
      done = true;
      this.viewers.delete(v);
      b.subscribers.delete(v.id);
      if (why) {
        this.log(`dropping viewer ${v.ip} of ${streamPath}: ${why}`);
        try {
          sink.destroy();
        } catch {
          /* already gone */
        }
      }
      b._destroyIfEmpty();
    };
    v.protocol = 'flv';
    v.ip = remoteAddress;
    v.streamPath = streamPath;
    v.sendBuffer = (raw: Buffer) => {
      if (done) return;
      const buf = filter.map(raw);
      if (!buf) return;
      try {
        if (sink.bufferedBytes() > max) return drop(`more than ${max} bytes unsent`);
        sink.write(buf);
        v.outBytes += buf.length;
      } catch (err) {
        drop(`write failed: ${(err as Error).message}`);
      }
    };
    v.close = () => {
      if (done) return;
      drop(null);
      try {
        sink.end();
      } catch {
        /* already gone */
      }
    };
    this.viewers.add(v);
    const err = b.postPlay(v);
    if (err) {
      drop(err);
      return null;
    }
    return { streamPath, detach: () => drop(null) };
  }

  // ---------------------------------------------------------------- sessions

  private *broadcasts(): Iterable<NmsBroadcast> {
    yield* [...Context.broadcasts.values()];
  }

  private entryOf(s: NmsSession): Entry | null {
    for (const e of this.entries) if (e.session === s) return e;
    return null;
  }

  private request(s: NmsRtmpSession, e: Entry): StreamRequest {
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.streamQuery ?? {})) {
      const f = firstValue(v);
      if (typeof f === 'string') query[k] = f;
    }
    return {
      streamPath: s.streamPath,
      app: s.streamApp,
      name: s.streamName,
      query,
      remoteAddress: stripPort(e.socket.remoteAddress ?? ''),
      internal: this.isInternal(s.streamQuery ?? {}),
    };
  }

  private onSocket(socket: net.Socket): void {
    if (this.closed) return void socket.destroy();
    socket.setNoDelay(true);
    const session = new RtmpSession(socket);
    const e: Entry = { session, socket, role: 'pending', internal: false, info: null, timer: null };
    this.entries.add(e);
    e.timer = setTimeout(() => {
      if (e.role === 'pending') {
        this.log(`connection from ${socket.remoteAddress} did not publish or play in time; closed`);
        socket.destroy();
      }
    }, this.opts.handshakeTimeoutMs ?? 10_000);
    e.timer.unref();

    // Bound what an unauthenticated client can make the parser allocate.
    const rtmp = session.rtmp;
    rtmp.packetAlloc = function (this: NmsRtmpSession['rtmp']) {
      if (this.inPackets.size > MAX_CHUNK_STREAMS) throw new Error('too many RTMP chunk streams');
      if (e.role === 'pending' && this.parserPacket.header.length > PRE_AUTH_MAX_MESSAGE) throw new Error('RTMP message too large before publish/play');
      Rtmp.prototype.packetAlloc.call(this);
    };

    const orig = {
      onConnect: session.onConnect,
      onPush: session.onPush,
      onPlay: session.onPlay,
      onPacket: session.onPacket,
      onData: session.onData,
      onClose: session.onClose,
    };
    session.onData = (d: Buffer) => {
      try {
        orig.onData(d);
      } catch (err) {
        this.log(`malformed RTMP from ${socket.remoteAddress}: ${(err as Error).message}; closed`);
        socket.destroy();
      }
    };
    session.onConnect = (req: unknown) => {
      orig.onConnect(req);
      // No "resume within 30 s" (it would hide a 4G drop inside one continuous timeline): a publish ends when its
      // connection ends.
      if (session.streamPath) session.broadcast.publishGraceMs = 0;
    };
    session.onPush = () => this.handlePush(e, orig.onPush);
    session.onPlay = () => this.handlePlay(e, orig.onPlay);
    session.onPacket = (p: NmsPacket) => {
      // Only the accepted publisher's media reaches the stream (NMS would forward any session's packets).
      if (e.role !== 'publisher' || session.broadcast.publisher !== session) return;
      const tracks = this.tracks.get(session.streamPath);
      if (tracks && (p.codec_type === 8 || p.codec_type === 9)) observeTag(tracks, p.codec_type, p.data);
      this.collectPreRoll(session.streamPath, p);
      orig.onPacket(p);
    };
    session.onClose = () => {
      if (e.timer) clearTimeout(e.timer);
      if (e.role === 'publisher' && session.broadcast.publisher === session) this.endPublish(session.broadcast, 'closed');
      this.entries.delete(e);
      try {
        orig.onClose();
      } catch (err) {
        this.log(`session close: ${(err as Error).message}`);
      }
    };
    session.run();
  }

  private handlePush(e: Entry, origPush: () => void): void {
    const s = e.session;
    if (!s.streamPath || e.role !== 'pending') return void e.socket.destroy();
    const req = this.request(s, e);
    const decision = this.opts.onPrePublish ? this.opts.onPrePublish(req) : req.internal ? { allow: true as const } : { allow: false as const, reason: 'internal stream' };
    if (!decision.allow) {
      this.log(`publish ${req.streamPath} from ${req.remoteAddress} refused: ${decision.reason}`);
      return void e.socket.destroy();
    }
    const b = s.broadcast;
    if (b.publisher && b.publisher !== s) {
      const old = this.entryOf(b.publisher);
      this.log(`${req.streamPath}: new publisher from ${req.remoteAddress} replaces the one from ${old?.info?.remoteAddress ?? '?'}`);
      this.endPublish(b, 'replaced');
      old?.socket.destroy();
      Context.broadcasts.set(req.streamPath, b); // endPublish unregistered the (then empty) broadcast
    }
    origPush();
    if (b.publisher !== s) {
      this.log(`publish ${req.streamPath} failed`);
      return void e.socket.destroy();
    }
    e.role = 'publisher';
    e.internal = req.internal;
    e.info = { streamPath: req.streamPath, app: req.app, name: req.name, remoteAddress: req.remoteAddress, internal: req.internal, sessionId: s.id, startMs: this.now() };
    if (!req.internal) this.armIdle(e);
    this.tracks.set(req.streamPath, { video: null, audio: null });
    if ((this.opts.preRollApps ?? []).includes(req.app)) this.preRolls.set(req.streamPath, { messages: [], firstDts: null, bytes: 0 });
    this.log(`${req.internal ? 'internal ' : ''}publish ${req.streamPath} from ${req.remoteAddress}`);
    this.opts.onPublish?.(e.info);
  }

  private handlePlay(e: Entry, origPlay: () => void): void {
    const s = e.session;
    if (!s.streamPath || e.role !== 'pending') return void e.socket.destroy();
    const req = this.request(s, e);
    const decision = this.opts.onPrePlay ? this.opts.onPrePlay(req) : req.internal ? { allow: true as const } : { allow: false as const, reason: 'only Argus itself may play over RTMP' };
    if (!decision.allow) {
      this.log(`play ${req.streamPath} from ${req.remoteAddress} refused: ${decision.reason}`);
      return void e.socket.destroy();
    }
    e.role = 'player';
    e.internal = req.internal;
    if (!req.internal) this.armIdle(e);
    const b = s.broadcast;
    const pre = req.internal ? this.preRolls.get(req.streamPath) : undefined;
    if (pre && pre.messages.length > 0 && b.publisher) {
      // The first recorder of this publish gets everything since its first keyframe instead of the current GOP.
      this.preRolls.delete(req.streamPath);
      const gop = b.rtmpGopCache;
      b.rtmpGopCache = new Set(pre.messages);
      try {
        origPlay();
      } finally {
        b.rtmpGopCache = gop;
      }
    } else {
      if (pre) this.preRolls.delete(req.streamPath);
      origPlay();
    }
  }

  private collectPreRoll(streamPath: string, p: NmsPacket): void {
    const pre = this.preRolls.get(streamPath);
    if (!pre) return;
    if (p.flags !== 1 && p.flags !== 3 && p.flags !== 4) return; // headers and metadata are cached by NMS
    if (pre.firstDts === null) {
      if (p.flags !== 3) return; // start at the first keyframe
      pre.firstDts = p.dts;
    }
    const msg = Rtmp.createMessage(p);
    pre.messages.push(msg);
    pre.bytes += msg.length;
    if (p.dts - pre.firstDts > (this.opts.preRollMaxMs ?? 30_000) || pre.bytes > PRE_ROLL_MAX_BYTES) {
      this.preRolls.delete(streamPath); // nobody came to record it: plain GOP cache from now on
    }
  }

  private armIdle(e: Entry): void {
    const ms = this.opts.idleTimeoutMs ?? 15_000;
    e.socket.setTimeout(ms, () => {
      this.log(`${e.session.streamPath || 'connection'} from ${e.socket.remoteAddress}: nothing for ${ms} ms; closed`);
      e.socket.destroy();
    });
  }

  /** Ends the current publish of a broadcast synchronously and disconnects everyone watching it. */
  private endPublish(b: NmsBroadcast, reason: DonePublishReason): void {
    const pub = b.publisher;
    const e = pub ? this.entryOf(pub) : null;
    this.preRolls.delete(b.streamPath);
    this.tracks.delete(b.streamPath);
    b._finishPublish(); // no packet of this publisher reaches the stream any more
    if (e?.info) {
      this.log(`publish ${b.streamPath} ended (${reason})`);
      // Before the players are cut off, so that a recorder being stopped sees its stop first, then the end of input.
      this.opts.onDonePublish?.(e.info, reason);
    }
    // Players and viewers of the old publish must not receive the next publisher's timeline.
    for (const [id, sub] of [...b.subscribers]) {
      b.subscribers.delete(id);
      try {
        sub.close();
      } catch {
        /* already gone */
      }
    }
    b._destroyIfEmpty();
  }
}

/** Hub stream path of a fixed camera's main or sub stream (NMS allows only [A-Za-z0-9_-] in a stream name). */
export function cameraStreamPath(cameraId: number, stream: 'main' | 'sub'): string {
  return stream === 'main' ? `/cam/${cameraId}` : `/cam/${cameraId}_sub`;
}

/** Hub stream path a mobile unit publishes to. */
export function unitStreamPath(unitId: number): string {
  return `/live/${unitId}`;
}
