// RTP receiver for PS over RTP (GB/T 28181 media): UDP, TCP passive or TCP active (RFC 4571); reorders, strips headers, hands the payload bytes on.
import dgram from 'node:dgram';
import net from 'node:net';
import { Readable } from 'node:stream';
import { asLog, type Log } from '../../common/log';
import { Rfc4571Reader } from './framing';
import { parseRtp, type RtpPacket } from './packet';
import { RtpReorder } from './reorder';
import { isPackStart, isKeyPack } from './ps-start';

/** How the media reaches Argus: UDP; TCP with Argus listening (passive) or Argus connecting to the device (active). */
export type RtpTransport = 'udp' | 'tcp-passive' | 'tcp-active';

export interface RtpReceiverOptions {
  transport: RtpTransport;
  /** Local address to bind (udp, tcp-passive); default 0.0.0.0. */
  bindHost?: string;
  /** Local port (udp, tcp-passive); 0 (default) takes a free one. */
  port?: number;
  /** Keep only packets of this SSRC; null (default) locks on the first SSRC seen (another one is taken when it falls silent for 1 s). */
  ssrc?: number | null;
  windowPackets?: number;
  maxDelayMs?: number;
  /** A subscriber whose reader lags by more than this is cut off (its run ends; the recorder reconnects). */
  maxBufferedBytes?: number;
  /** Bound of the GOP cache (the PS since the last keyframe pack, handed to a new reader first); default 8 MB, 0 = none. */
  maxGopCacheBytes?: number;
  now?: () => number;
  log?: Log | ((msg: string) => void);
}

export interface RtpCounters {
  packets: number;
  /** Payload bytes handed on. */
  bytes: number;
  lost: number;
  duplicates: number;
  late: number;
  malformed: number;
  wrongSsrc: number;
  rtcp: number;
  /** When the last usable packet arrived (the receiver's clock), or null. */
  lastPacketMs: number | null;
  /** The SSRC being received, or null before the first packet. */
  ssrc: number | null;
}

/** A subscriber starts at a pack whose system header/PSM follows (a keyframe in GB/T 28181 PS), or at any pack after this wait. */
const ANY_PACK_AFTER_MS = 3000;
const SSRC_SWITCH_SILENCE_MS = 1000;

interface Subscriber {
  out: Readable;
  started: boolean;
  sinceMs: number;
  /** Payloads of the frame being received, handed on together (one push per frame, not per packet). */
  pending: Buffer[];
}

export class RtpReceiver {
  private readonly log: Log;
  private readonly now: () => number;
  private readonly reorder: RtpReorder;
  private readonly subs = new Set<Subscriber>();
  private readonly listeners = new Set<(payload: Buffer, pkt: RtpPacket) => void>();
  private readonly c = { packets: 0, bytes: 0, malformed: 0, wrongSsrc: 0, rtcp: 0 };
  private lastPacketMs: number | null = null;
  private lastTimestamp = -1;
  private ssrc: number | null;
  private ssrcLastMs = 0;
  private udp: dgram.Socket | null = null;
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private localPort = 0;
  /** Payloads from the last keyframe pack on (the current GOP), or empty when there is none or it outgrew the bound. */
  private gop: Buffer[] = [];
  private gopBytes = 0;

  constructor(private readonly opts: RtpReceiverOptions) {
    this.log = asLog(opts.log, 'rtp');
    this.now = opts.now ?? Date.now;
    this.ssrc = opts.ssrc ?? null;
    this.reorder = new RtpReorder({ windowPackets: opts.windowPackets ?? 64, maxDelayMs: opts.maxDelayMs ?? 150, now: this.now }, (p) => this.deliver(p));
  }

  get transport(): RtpTransport {
    return this.opts.transport;
  }

  /** The local port media arrives on (udp, tcp-passive); 0 for tcp-active. */
  get port(): number {
    return this.localPort;
  }

  /** Binds the UDP socket or opens the TCP listener (tcp-active: nothing until connect()); resolves with the local port. */
  async start(): Promise<number> {
    const host = this.opts.bindHost ?? '0.0.0.0';
    switch (this.opts.transport) {
      case 'udp': {
        const sock = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
        this.udp = sock;
        sock.on('message', (m) => this.onDatagram(m));
        sock.on('error', (err) => this.log.warn('udp socket error', { err: err.message }));
        await new Promise<void>((resolve, reject) => {
          sock.once('error', reject);
          sock.bind(this.opts.port ?? 0, host, () => {
            sock.off('error', reject);
            resolve();
          });
        });
        this.localPort = sock.address().port;
        break;
      }
      case 'tcp-passive': {
        const srv = net.createServer((s) => this.adopt(s));
        this.server = srv;
        await new Promise<void>((resolve, reject) => {
          srv.once('error', reject);
          srv.listen({ host, port: this.opts.port ?? 0 }, () => {
            srv.off('error', reject);
            resolve();
          });
        });
        srv.on('error', (err) => this.log.warn('tcp listener error', { err: err.message }));
        this.localPort = (srv.address() as net.AddressInfo).port;
        break;
      }
      case 'tcp-active':
        break;
    }
    this.timer = setInterval(
      () => {
        this.reorder.flushDue();
        for (const sub of this.subs) this.flush(sub);
      },
      Math.max(20, Math.round((this.opts.maxDelayMs ?? 150) / 2)),
    );
    this.timer.unref();
    return this.localPort;
  }

  /** TCP active: connects to the device's media port (from its SDP answer). */
  connect(host: string, port: number, timeoutMs = 5000): Promise<void> {
    if (this.opts.transport !== 'tcp-active') return Promise.reject(new Error('connect() is for tcp-active receivers'));
    return new Promise((resolve, reject) => {
      const s = net.connect({ host, port });
      const t = setTimeout(() => {
        s.destroy();
        reject(new Error(`tcp connect to ${host}:${port} timed out`));
      }, timeoutMs);
      s.once('connect', () => {
        clearTimeout(t);
        s.off('error', reject);
        this.adopt(s);
        resolve();
      });
      s.once('error', (err) => {
        clearTimeout(t);
        reject(err);
      });
    });
  }

  /** Every in-order payload (and its packet), as it is handed on. Returns the unsubscribe. */
  onPayload(fn: (payload: Buffer, pkt: RtpPacket) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * A new PS byte stream for one reader (a recorder's or relay's ffmpeg run), ending when the receiver closes. It begins
   * with the cached GOP (the PS from the last pack that carries a system header or PSM, i.e. a keyframe) at once and goes
   * on live from there, no byte missing or repeated; without a cached GOP, it starts at the next such pack, or at any
   * pack after 3 s. Destroying it unsubscribes.
   */
  readable(): Readable {
    const sub: Subscriber = { out: new Readable({ read: () => undefined }), started: false, sinceMs: this.now(), pending: [] };
    if (this.gop.length > 0 && !this.closed) {
      // Delivery is synchronous: the next payload delivered is the one right after the cache's last.
      sub.started = true;
      sub.pending = [...this.gop];
      this.flush(sub);
    }
    this.subs.add(sub);
    sub.out.once('close', () => this.subs.delete(sub));
    if (this.closed) sub.out.push(null);
    return sub.out;
  }

  counters(): RtpCounters {
    const r = this.reorder.counters;
    return { ...this.c, lost: r.lost, duplicates: r.duplicates, late: r.late, lastPacketMs: this.lastPacketMs, ssrc: this.ssrc };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.gop = [];
    this.gopBytes = 0;
    this.reorder.flushAll();
    for (const s of this.subs) {
      this.flush(s);
      s.out.push(null);
    }
    for (const s of this.sockets) s.destroy();
    if (this.udp) {
      const u = this.udp;
      await new Promise<void>((r) => u.close(() => r()));
    }
    if (this.server) {
      const srv = this.server;
      await new Promise<void>((r) => srv.close(() => r()));
    }
  }

  private adopt(s: net.Socket): void {
    if (this.closed) {
      s.destroy();
      return;
    }
    // The newest connection is the stream (a device reconnecting replaces its old connection).
    for (const old of this.sockets) old.destroy();
    this.sockets.add(s);
    s.setNoDelay(true);
    const reader = new Rfc4571Reader((p) => this.onDatagram(p));
    s.on('data', (d: Buffer) => reader.push(d));
    s.on('error', (err) => this.log.debug('tcp media connection error', { err: err.message }));
    s.on('close', () => this.sockets.delete(s));
  }

  private onDatagram(buf: Buffer): void {
    if (this.closed) return;
    const pkt = parseRtp(buf);
    if (typeof pkt === 'string') {
      if (pkt === 'rtcp') this.c.rtcp++;
      else this.c.malformed++;
      return;
    }
    const now = this.now();
    if (this.ssrc === null || (this.opts.ssrc == null && pkt.ssrc !== this.ssrc && now - this.ssrcLastMs > SSRC_SWITCH_SILENCE_MS)) {
      if (this.ssrc !== null) this.log.info('rtp sender changed its SSRC', { from: this.ssrc, to: pkt.ssrc });
      this.ssrc = pkt.ssrc;
      this.gop = [];
      this.gopBytes = 0;
    }
    if (pkt.ssrc !== this.ssrc) {
      this.c.wrongSsrc++;
      return;
    }
    this.ssrcLastMs = now;
    this.lastPacketMs = now;
    this.reorder.push(pkt);
  }

  private deliver(pkt: RtpPacket): void {
    this.c.packets++;
    const payload = pkt.payload;
    if (payload.length === 0) return;
    this.c.bytes += payload.length;
    for (const fn of this.listeners) fn(payload, pkt);
    this.cacheGop(payload);
    const newFrame = pkt.timestamp !== this.lastTimestamp;
    this.lastTimestamp = pkt.timestamp;
    for (const sub of this.subs) {
      if (!sub.started) {
        if (!isPackStart(payload) || (!isKeyPack(payload) && this.now() - sub.sinceMs < ANY_PACK_AFTER_MS)) continue;
        sub.started = true;
      }
      if (newFrame) this.flush(sub);
      // A view is enough: datagrams and TCP reads are fresh buffers, never reused.
      sub.pending.push(payload);
      if (pkt.marker) this.flush(sub);
    }
  }

  /** Keeps the payloads since the last keyframe pack, up to the bound (a GOP that outgrows it is dropped until the next keyframe). */
  private cacheGop(payload: Buffer): void {
    const limit = this.opts.maxGopCacheBytes ?? 8 * 1024 * 1024;
    if (limit <= 0) return;
    if (isPackStart(payload) && isKeyPack(payload)) {
      this.gop = [];
      this.gopBytes = 0;
    } else if (this.gop.length === 0) return;
    if (this.gopBytes + payload.length > limit) {
      this.log.debug('gop larger than the cache: not cached', { limitBytes: limit });
      this.gop = [];
      this.gopBytes = 0;
      return;
    }
    this.gop.push(payload);
    this.gopBytes += payload.length;
  }

  private flush(sub: Subscriber): void {
    if (sub.pending.length === 0) return;
    const chunk = sub.pending.length === 1 ? sub.pending[0]! : Buffer.concat(sub.pending);
    sub.pending = [];
    const limit = this.opts.maxBufferedBytes ?? 32 * 1024 * 1024;
    if (sub.out.readableLength > limit) {
      this.log.warn('ps reader too slow: cut off', { bufferedBytes: sub.out.readableLength });
      this.subs.delete(sub);
      sub.out.destroy(new Error('the reader of the PS stream fell behind'));
      return;
    }
    sub.out.push(chunk);
  }
}
