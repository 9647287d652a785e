// The media hub's implementation: a locked-down RTMP listener, publish/play decisions, replacement, pre-roll, idle limits and FLV viewers.
import crypto from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { observeTag, type StreamTracks } from './flv-tracks';
import { attachFlvViewer, type ViewerHandle } from './hub-viewer';
import type { DonePublishReason, HubDecision, HubOptions, MediaHub, PublishInfo, StreamRequest, Viewer, ViewerSink } from './hub';
import { asLog, type Log } from '../common/log';
import { allStreams, initNms, rtmpMessage, RtmpConnection, streamAt, type HubPacket, type HubStream } from './hub-nms';
import { OnceTokens } from './hub-once';
import { listenRtmps } from './hub-tls';

interface Entry {
  conn: RtmpConnection;
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

const PRE_ROLL_MAX_BYTES = 64 * 1024 * 1024;

let active: RtmpMediaHub | null = null;

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

/** How long a one-time internal token waits for its ffmpeg to connect (an RTSP camera may take its I/O timeout to answer first). */
export { ONCE_TTL_MS } from './hub-once';

/** See MediaHub. One per process: node-media-server keeps its stream table in module-level state. */
export class RtmpMediaHub implements MediaHub {
  readonly internalSecret = crypto.randomBytes(24).toString('base64url');
  /** One-time tokens of onceUrlFor: token → its stream path and expiry. */
  private readonly once: OnceTokens;
  private server: net.Server | null = null;
  private boundPort: number | null = null;
  private tlsServer: tls.Server | null = null;
  private boundSecurePort: number | null = null;
  private readonly entries = new Map<RtmpConnection, Entry>();
  private readonly viewers = new Set<ViewerHandle>();
  private readonly preRolls = new Map<string, PreRoll>();
  /** Codecs of each current publish, from its first audio and video tags. */
  private readonly tracks = new Map<string, StreamTracks>();
  private readonly log: Log;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly opts: HubOptions) {
    this.log = asLog(opts.log, 'hub');
    this.now = opts.now ?? Date.now;
    this.once = new OnceTokens(this.now);
  }

  get port(): number | null {
    return this.boundPort;
  }

  /** Port RTMPS listens on (options.tls), null without TLS or before start(). */
  get securePort(): number | null {
    return this.boundSecurePort;
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

  internalUrl(app: string, name: string): string {
    if (this.boundPort === null) throw new Error('hub is not listening');
    const host = this.internalHost.includes(':') ? `[${this.internalHost}]` : this.internalHost;
    return `rtmp://${host}:${this.boundPort}/${app}/${name}?secret=${this.internalSecret}`;
  }

  /**
   * A URL for one ffmpeg run: `?once=<token>` instead of the internal secret, which thus never reaches a command line.
   * The token is good for one publish or play of this stream path, within ONCE_TTL_MS; what `ps` shows after is dead.
   */
  onceUrlFor(streamPath: string): string {
    const m = /^\/([^/]+)\/([^/]+)$/.exec(streamPath);
    if (!m) throw new Error(`not a stream path: ${streamPath}`);
    // Called at each run's start (a recorder's relay): once the hub is closed, a URL nothing answers on (the relay of
    // that run fails, recording goes on) rather than a throw inside the recorder.
    if (this.boundPort === null) return `rtmp://127.0.0.1:1/${m[1]}/${m[2]}`;
    const token = this.once.issue(streamPath);
    const host = this.internalHost.includes(':') ? `[${this.internalHost}]` : this.internalHost;
    return `rtmp://${host}:${this.boundPort}/${m[1]}/${m[2]}?once=${token}`;
  }

  internalUrlFor(streamPath: string): string {
    const m = /^\/([^/]+)\/([^/]+)$/.exec(streamPath);
    if (!m) throw new Error(`not a stream path: ${streamPath}`);
    return this.internalUrl(m[1], m[2]);
  }

  /** True when a query carries the internal secret, or a one-time token of this stream path (used up here). */
  isInternal(query: Record<string, string | string[] | undefined>, streamPath?: string): boolean {
    const s = firstValue(query.secret);
    if (typeof s === 'string' && safeEqual(s, this.internalSecret)) return true;
    const once = firstValue(query.once);
    if (typeof once !== 'string') return false;
    return this.once.consume(once, streamPath);
  }

  async start(): Promise<number> {
    if (this.closed) throw new Error('hub closed');
    if (active && active !== this) throw new Error('another media hub is running in this process (node-media-server state is process-wide)');
    active = this;
    initNms((message, level) => {
      if (active === this && (level === 'warn' || level === 'error')) this.log[level](`nms: ${message}`);
    });
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
    server.on('error', (err) => this.log.error(`listener error: ${err.message}`, { err }));
    this.server = server;
    this.boundPort = (server.address() as net.AddressInfo).port;
    this.log.info(`RTMP listening on ${this.opts.host}:${this.boundPort}`, { port: this.boundPort });
    if (this.opts.tls) await this.startTls(this.opts.tls);
    return this.boundPort;
  }

  /** RTMPS: the same sessions over TLS (node-media-server's own RTMPS is this too: its session on a TLS socket). */
  private async startTls(o: NonNullable<HubOptions['tls']>): Promise<void> {
    this.tlsServer = await listenRtmps(o, this.opts.host, this.opts.maxConnections ?? 512, this.log, (socket) => this.onSocket(socket));
    this.boundSecurePort = (this.tlsServer.address() as net.AddressInfo).port;
    this.log.info(`RTMPS listening on ${this.opts.host}:${this.boundSecurePort}`, { port: this.boundSecurePort });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const server = this.server;
    this.server = null;
    const tlsServer = this.tlsServer;
    this.tlsServer = null;
    for (const b of allStreams()) if (this.publisherEntry(b)) this.endPublish(b, 'hub-closed');
    for (const e of this.entries.values()) e.socket.destroy();
    for (const v of this.viewers) v.close();
    this.viewers.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    if (tlsServer) await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
    this.boundPort = null;
    this.boundSecurePort = null;
    if (active === this) active = null;
    this.log('closed');
  }

  publisher(streamPath: string): (PublishInfo & { inBytes: number }) | null {
    const b = streamAt(streamPath);
    const e = b ? this.publisherEntry(b) : null;
    return e?.info ? { ...e.info, inBytes: e.conn.inBytes } : null;
  }

  isLive(streamPath: string): boolean {
    return this.publisher(streamPath) !== null;
  }

  streamTracks(streamPath: string): StreamTracks | null {
    const t = this.isLive(streamPath) ? this.tracks.get(streamPath) : undefined;
    return t ? { ...t } : null;
  }

  kick(streamPath: string): boolean {
    const b = streamAt(streamPath);
    const e = b ? this.publisherEntry(b) : null;
    if (!b || !e) return false;
    this.log(`closing publisher of ${streamPath}`);
    this.endPublish(b, 'kicked');
    e.socket.destroy();
    return true;
  }

  viewerCount(streamPath?: string): number {
    let n = 0;
    for (const v of this.viewers) if (streamPath === undefined || v.streamPath === streamPath) n++;
    return n;
  }

  /** See MediaHub.attachViewer; the header's tracks and the audio left out are ViewerFilter's. */
  attachViewer(streamPath: string, sink: ViewerSink, remoteAddress: string): Viewer | null {
    if (!this.listening) return null;
    const b = streamAt(streamPath);
    if (!b || !this.publisherEntry(b)) return null;
    const max = this.opts.maxViewerBufferBytes ?? 4 * 1024 * 1024;
    const tracks = this.tracks.get(streamPath) ?? { video: null, audio: null };
    return attachFlvViewer(b, streamPath, tracks, sink, remoteAddress, max, this.viewers, this.log);
  }

  // ---------------------------------------------------------------- sessions

  /** The entry of a stream's publisher, when it is one of this hub's connections. */
  private publisherEntry(b: HubStream): Entry | null {
    const c = b.publisher();
    return c ? (this.entries.get(c) ?? null) : null;
  }

  private request(c: RtmpConnection, e: Entry): StreamRequest {
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(c.query)) {
      const f = firstValue(v);
      if (typeof f === 'string') query[k] = f;
    }
    return {
      streamPath: c.streamPath,
      app: c.app,
      name: c.name,
      query,
      remoteAddress: stripPort(e.socket.remoteAddress ?? ''),
      internal: this.isInternal(c.query, c.streamPath),
      secure: e.socket instanceof tls.TLSSocket,
    };
  }

  private onSocket(socket: net.Socket): void {
    if (this.closed) return void socket.destroy();
    socket.setNoDelay(true);
    let e: Entry; // the hooks need the entry, the entry needs the connection; hooks run only after conn.run()
    const conn = new RtmpConnection(socket, {
      isPending: () => e.role === 'pending',
      onMalformed: (err) => {
        this.log.warn(`malformed RTMP from ${socket.remoteAddress}: ${err.message}; closed`);
        socket.destroy();
      },
      onPush: (accept) => this.handlePush(e, accept),
      onPlay: (play) => this.handlePlay(e, play),
      // Only the accepted publisher's media reaches the stream (NMS would forward any session's packets).
      onPacket: (p) => {
        if (e.role !== 'publisher' || !conn.isPublishing) return false;
        const tracks = this.tracks.get(conn.streamPath);
        if (tracks && (p.codec_type === 8 || p.codec_type === 9)) observeTag(tracks, p.codec_type, p.data);
        this.collectPreRoll(conn.streamPath, p);
        return true;
      },
      onClose: () => {
        if (e.timer) clearTimeout(e.timer);
        if (e.role === 'publisher' && conn.isPublishing) this.endPublish(conn.stream, 'closed');
        this.entries.delete(conn);
      },
      onCloseError: (err) => this.log.warn(`session close: ${err.message}`),
    });
    e = { conn, socket, role: 'pending', internal: false, info: null, timer: null };
    this.entries.set(conn, e);
    e.timer = setTimeout(() => {
      if (e.role === 'pending') {
        this.log.warn(`connection from ${socket.remoteAddress} did not publish or play in time; closed`);
        socket.destroy();
      }
    }, this.opts.handshakeTimeoutMs ?? 10_000);
    e.timer.unref();
    conn.run();
  }

  private decide(hook: ((req: StreamRequest) => HubDecision) | undefined, req: StreamRequest, refusal: string): HubDecision {
    return hook ? hook(req) : req.internal ? { allow: true } : { allow: false, reason: refusal };
  }

  private handlePush(e: Entry, accept: () => boolean): void {
    const c = e.conn;
    if (!c.streamPath || e.role !== 'pending') return void e.socket.destroy();
    const req = this.request(c, e);
    const decision = this.decide(this.opts.onPrePublish, req, 'internal stream');
    if (!decision.allow) {
      this.log.warn(`publish ${req.streamPath} from ${req.remoteAddress} refused: ${decision.reason}`, {
        streamPath: req.streamPath,
        remoteAddress: req.remoteAddress,
      });
      return void e.socket.destroy();
    }
    const b = c.stream;
    if (b.hasPublisher && !c.isPublishing) {
      const old = this.publisherEntry(b);
      this.log(`${req.streamPath}: new publisher from ${req.remoteAddress} replaces the one from ${old?.info?.remoteAddress ?? '?'}`);
      this.endPublish(b, 'replaced');
      old?.socket.destroy();
      b.register(); // endPublish unregistered the (then empty) broadcast
    }
    if (!accept()) {
      this.log.error(`publish ${req.streamPath} failed`, { streamPath: req.streamPath });
      return void e.socket.destroy();
    }
    e.role = 'publisher';
    e.internal = req.internal;
    e.info = {
      streamPath: req.streamPath,
      app: req.app,
      name: req.name,
      remoteAddress: req.remoteAddress,
      internal: req.internal,
      secure: req.secure,
      sessionId: c.id,
      startMs: this.now(),
    };
    if (!req.internal) this.armIdle(e);
    this.tracks.set(req.streamPath, { video: null, audio: null });
    if ((this.opts.preRollApps ?? []).includes(req.app)) this.preRolls.set(req.streamPath, { messages: [], firstDts: null, bytes: 0 });
    this.log.info(`${req.internal ? 'internal ' : ''}publish ${req.streamPath} from ${req.remoteAddress}`, {
      streamPath: req.streamPath,
      remoteAddress: req.remoteAddress,
    });
    this.opts.onPublish?.(e.info);
  }

  private handlePlay(e: Entry, play: (cache: Buffer[] | null) => void): void {
    const c = e.conn;
    if (!c.streamPath || e.role !== 'pending') return void e.socket.destroy();
    const req = this.request(c, e);
    const decision = this.decide(this.opts.onPrePlay, req, 'only Argus itself may play over RTMP');
    if (!decision.allow) {
      this.log.warn(`play ${req.streamPath} from ${req.remoteAddress} refused: ${decision.reason}`, {
        streamPath: req.streamPath,
        remoteAddress: req.remoteAddress,
      });
      return void e.socket.destroy();
    }
    e.role = 'player';
    e.internal = req.internal;
    if (!req.internal) this.armIdle(e);
    const pre = req.internal ? this.preRolls.get(req.streamPath) : undefined;
    if (pre) this.preRolls.delete(req.streamPath);
    // The first recorder of this publish gets everything since its first keyframe instead of the current GOP.
    play(pre && pre.messages.length > 0 && c.stream.hasPublisher ? pre.messages : null);
  }

  private collectPreRoll(streamPath: string, p: HubPacket): void {
    const pre = this.preRolls.get(streamPath);
    if (!pre) return;
    if (p.flags !== 1 && p.flags !== 3 && p.flags !== 4) return; // headers and metadata are cached by NMS
    if (pre.firstDts === null) {
      if (p.flags !== 3) return; // start at the first keyframe
      pre.firstDts = p.dts;
    }
    const msg = rtmpMessage(p);
    pre.messages.push(msg);
    pre.bytes += msg.length;
    if (p.dts - pre.firstDts > (this.opts.preRollMaxMs ?? 30_000) || pre.bytes > PRE_ROLL_MAX_BYTES) {
      this.preRolls.delete(streamPath); // nobody came to record it: plain GOP cache from now on
    }
  }

  private armIdle(e: Entry): void {
    const ms = this.opts.idleTimeoutMs ?? 15_000;
    e.socket.setTimeout(ms, () => {
      this.log.warn(`${e.conn.streamPath || 'connection'} from ${e.socket.remoteAddress}: nothing for ${ms} ms; closed`);
      e.socket.destroy();
    });
  }

  /** Ends the current publish of a stream synchronously and disconnects everyone watching it. */
  private endPublish(b: HubStream, reason: DonePublishReason): void {
    const e = this.publisherEntry(b);
    this.preRolls.delete(b.streamPath);
    this.tracks.delete(b.streamPath);
    b.finishPublish(); // no packet of this publisher reaches the stream any more
    if (e?.info) {
      this.log.info(`publish ${b.streamPath} ended (${reason})`, { streamPath: b.streamPath, reason });
      // Before the players are cut off, so that a recorder being stopped sees its stop first, then the end of input.
      this.opts.onDonePublish?.(e.info, reason);
    }
    // Players and viewers of the old publish must not receive the next publisher's timeline.
    b.closeSubscribers();
  }
}
