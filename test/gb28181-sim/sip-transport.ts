// GB/T 28181 device simulator: SIP over raw node:dgram / node:net — client transactions with UDP retransmission, answers on the way requests came in.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { header, param, parseMsg, SipStreamReader, type SipMsg } from './sip-text';

export type Origin = { kind: 'udp'; host: string; port: number } | { kind: 'tcp'; socket: Socket };

export interface TransportOptions {
  transport: 'udp' | 'tcp';
  localHost: string;
  serverHost: string;
  serverPort: number;
  /** Bind this local port (0: any). */
  localPort?: number;
}

interface Pending {
  resolve: (msg: SipMsg) => void;
  reject: (err: Error) => void;
  timers: NodeJS.Timeout[];
}

/** Answers to requests already seen (keyed by branch + method), resent when the request is retransmitted. */
const ANSWER_CACHE_MS = 32_000;

export class SipTransport {
  private udp: UdpSocket | undefined;
  private tcpServer: Server | undefined;
  private tcpToServer: Socket | undefined;
  private readonly pending = new Map<string, Pending>();
  private readonly answered = new Map<string, { buf: Buffer; atMs: number }>();
  private handler: (msg: SipMsg, origin: Origin) => void = () => {};
  /** While true nothing is sent or read: a cable pulled out. */
  silent = false;
  localPort = 0;
  closed = false;

  constructor(private readonly opts: TransportOptions) {}

  get proto(): 'UDP' | 'TCP' {
    return this.opts.transport === 'udp' ? 'UDP' : 'TCP';
  }

  async start(): Promise<void> {
    if (this.opts.transport === 'udp') {
      const sock = createSocket('udp4');
      this.udp = sock;
      await new Promise<void>((resolve, reject) => {
        sock.once('error', reject);
        sock.bind(this.opts.localPort ?? 0, this.opts.localHost, () => resolve());
      });
      sock.on('error', () => {});
      this.localPort = sock.address().port;
      sock.on('message', (buf, rinfo) => {
        const msg = parseMsg(buf);
        if (msg) this.incoming(msg, { kind: 'udp', host: rinfo.address, port: rinfo.port });
      });
    } else {
      const server = createServer((s) => this.readTcp(s));
      this.tcpServer = server;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.opts.localPort ?? 0, this.opts.localHost, () => resolve());
      });
      const addr = server.address();
      this.localPort = addr && typeof addr === 'object' ? addr.port : 0;
    }
  }

  private readTcp(s: Socket): void {
    const reader = new SipStreamReader();
    s.on('data', (d: Buffer) => {
      for (const msg of reader.push(d)) this.incoming(msg, { kind: 'tcp', socket: s });
    });
    s.on('error', () => {});
  }

  private async serverConnection(): Promise<Socket> {
    if (this.tcpToServer && !this.tcpToServer.destroyed) return this.tcpToServer;
    const s = connect({ host: this.opts.serverHost, port: this.opts.serverPort, localAddress: this.opts.localHost });
    this.tcpToServer = s;
    await new Promise<void>((resolve, reject) => {
      s.once('connect', resolve);
      s.once('error', reject);
    });
    s.setNoDelay(true);
    this.readTcp(s);
    s.on('close', () => {
      if (this.tcpToServer === s) this.tcpToServer = undefined;
    });
    return s;
  }

  onRequest(fn: (msg: SipMsg, origin: Origin) => void): void {
    this.handler = fn;
  }

  private incoming(msg: SipMsg, origin: Origin): void {
    if (this.silent || this.closed) return;
    if (msg.kind === 'response') {
      const key = `${param(header(msg, 'via'), 'branch')}|${(header(msg, 'cseq') ?? '').split(/\s+/)[1]?.toUpperCase()}`;
      const p = this.pending.get(key);
      if (!p) return;
      if (msg.status < 200) {
        // provisional: stop retransmitting (RFC 3261 17.1.2.2 timer E keeps going for non-INVITE, but devices relax it)
        return;
      }
      this.pending.delete(key);
      p.timers.forEach(clearTimeout);
      p.resolve(msg);
      return;
    }
    const key = `${param(header(msg, 'via'), 'branch')}|${msg.method}`;
    const prev = this.answered.get(key);
    if (prev && msg.method !== 'ACK') {
      this.sendTo(origin, prev.buf);
      return;
    }
    this.handler(msg, origin);
  }

  /** Sends a response on the way the request came, remembering it for retransmissions of that request. */
  answer(req: SipMsg, origin: Origin, buf: Buffer): void {
    const now = Date.now();
    for (const [k, v] of this.answered) if (now - v.atMs > ANSWER_CACHE_MS) this.answered.delete(k);
    this.answered.set(`${param(header(req, 'via'), 'branch')}|${req.method}`, { buf, atMs: now });
    this.sendTo(origin, buf);
  }

  sendTo(origin: Origin, buf: Buffer): void {
    if (this.silent || this.closed) return;
    if (origin.kind === 'udp') this.udp?.send(buf, origin.port, origin.host);
    else if (!origin.socket.destroyed) origin.socket.write(buf);
  }

  /** Sends a request to the server (or `to` for UDP) and resolves with its final response; rejects on timeout. */
  async request(buf: Buffer, branch: string, method: string, opts: { timeoutMs?: number; to?: Origin } = {}): Promise<SipMsg> {
    if (this.closed) throw new Error('transport closed');
    const timeoutMs = opts.timeoutMs ?? 8_000;
    const key = `${branch}|${method}`;
    return new Promise<SipMsg>((resolve, reject) => {
      const p: Pending = { resolve, reject, timers: [] };
      this.pending.set(key, p);
      p.timers.push(
        setTimeout(() => {
          this.pending.delete(key);
          p.timers.forEach(clearTimeout);
          reject(new Error(`${method}: no answer within ${timeoutMs} ms`));
        }, timeoutMs),
      );
      const send = () => {
        if (this.silent || this.closed) return;
        const to = opts.to;
        if (to) this.sendTo(to, buf);
        else if (this.opts.transport === 'udp') this.udp?.send(buf, this.opts.serverPort, this.opts.serverHost);
        else
          this.serverConnection().then(
            (s) => s.write(buf),
            () => {},
          );
      };
      send();
      if (this.opts.transport === 'udp' && (!opts.to || opts.to.kind === 'udp')) {
        // Timer A: 500 ms, doubling, capped at 4 s (RFC 3261 17.1.1.2 / 17.1.2.2).
        let t = 500;
        for (let at = t; at < timeoutMs; t = Math.min(t * 2, 4000), at += t) p.timers.push(setTimeout(send, at));
      }
    });
  }

  /** Fire-and-forget (ACK). */
  sendToServer(buf: Buffer, to?: Origin): void {
    if (to) this.sendTo(to, buf);
    else if (this.opts.transport === 'udp') {
      if (!this.silent) this.udp?.send(buf, this.opts.serverPort, this.opts.serverHost);
    } else if (!this.silent)
      this.serverConnection().then(
        (s) => s.write(buf),
        () => {},
      );
  }

  /** Drops the TCP connection to the server (the next request opens a new one). */
  resetConnection(): void {
    this.tcpToServer?.destroy();
    this.tcpToServer = undefined;
  }

  close(): void {
    this.closed = true;
    for (const p of this.pending.values()) {
      p.timers.forEach(clearTimeout);
      p.reject(new Error('transport closed'));
    }
    this.pending.clear();
    try {
      this.udp?.close();
    } catch {
      // already closed
    }
    this.tcpToServer?.destroy();
    this.tcpServer?.close();
  }
}
