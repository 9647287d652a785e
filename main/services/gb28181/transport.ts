// The SIP transports of the GB/T 28181 endpoint: one UDP socket and one TCP listener on the same port, SIP framing over TCP, raw parsing with the `sip` package.
import dgram from 'node:dgram';
import net from 'node:net';
import sip, { type SipMessage } from 'sip';
import type { Log } from '../../../common/log';

export type SipProtocol = 'UDP' | 'TCP';

/** Where a message came from / goes to. */
export interface SipRemote {
  protocol: SipProtocol;
  address: string;
  port: number;
}

/** What the `sip` transaction layer sends through. */
export interface SipConnection {
  send(m: SipMessage): void;
  release(): void;
  protocol: string;
}

export interface TransportOptions {
  bind: string;
  /** 0 picks a port free for both UDP and TCP. */
  port: number;
  log: Log;
  onMessage: (m: SipMessage, remote: SipRemote) => void;
  /** Bytes that are not a SIP message (or lack Via/From/To/Call-ID/CSeq); `m` when the start line and headers parsed. */
  onMalformed: (remote: SipRemote, why: string, m: SipMessage | null) => void;
}

const MAX_HEADER_BYTES = 64 * 1024;
const MAX_CONTENT_BYTES = 1024 * 1024;
/** An idle TCP connection (no SIP message for this long) is closed: devices keep alive every 60 s by default. */
const TCP_IDLE_MS = 10 * 60_000;

/** True when a parsed message has what a transaction needs (as the `sip` package checks it). */
export function wellFormed(m: SipMessage): boolean {
  const h = m.headers;
  return (
    (m.method !== undefined || (m.status !== undefined && m.status >= 100 && m.status <= 699)) &&
    Array.isArray(h.via) &&
    h.via.length > 0 &&
    typeof h.via[0]?.host === 'string' &&
    typeof h['call-id'] === 'string' &&
    h['call-id'].length > 0 &&
    typeof h.to?.uri === 'string' &&
    typeof h.from?.uri === 'string' &&
    typeof h.cseq?.seq === 'number' &&
    Number.isFinite(h.cseq.seq)
  );
}

/** Parses one message ('binary' text); undefined when the start line or headers do not parse. */
function parseSafe(text: string): SipMessage | undefined {
  try {
    return sip.parse(text);
  } catch {
    return undefined;
  }
}

export class SipTransport {
  private udp: dgram.Socket | null = null;
  private tcp: net.Server | null = null;
  private readonly streams = new Map<string, net.Socket>();
  private boundPort = 0;

  constructor(private readonly o: TransportOptions) {}

  get port(): number {
    return this.boundPort;
  }

  /** Binds UDP then TCP on the same port (with port 0: retries until a port is free for both). */
  async start(): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const udp = await this.bindUdp(this.o.port);
      const port = udp.address().port;
      try {
        this.tcp = await this.listenTcp(port);
        this.udp = udp;
        this.boundPort = port;
        return port;
      } catch (err) {
        udp.close();
        if (this.o.port !== 0 || attempt >= 10) throw err;
      }
    }
  }

  private bindUdp(port: number): Promise<dgram.Socket> {
    return new Promise((resolve, reject) => {
      const sock = dgram.createSocket(net.isIPv6(this.o.bind) ? 'udp6' : 'udp4');
      sock.once('error', reject);
      sock.bind(port, this.o.bind, () => {
        sock.off('error', reject);
        sock.on('error', (e) => this.o.log.warn('SIP UDP socket error', { error: e.message }));
        sock.on('message', (data, rinfo) => this.onDatagram(data, { protocol: 'UDP', address: rinfo.address, port: rinfo.port }));
        resolve(sock);
      });
    });
  }

  private listenTcp(port: number): Promise<net.Server> {
    return new Promise((resolve, reject) => {
      const srv = net.createServer((sock) => this.adopt(sock, { protocol: 'TCP', address: sock.remoteAddress ?? '', port: sock.remotePort ?? 0 }));
      srv.once('error', reject);
      srv.listen(port, this.o.bind, () => {
        srv.off('error', reject);
        srv.on('error', (e) => this.o.log.warn('SIP TCP listener error', { error: e.message }));
        resolve(srv);
      });
    });
  }

  private onDatagram(data: Buffer, remote: SipRemote): void {
    const text = data.toString('latin1');
    if (/^\s*$/.test(text)) return; // CRLF keep-alive pings
    const m = parseSafe(text);
    if (!m) return this.o.onMalformed(remote, 'unparseable', null);
    if (!wellFormed(m)) return this.o.onMalformed(remote, 'missing headers', m);
    this.o.onMessage(m, remote);
  }

  /** Frames SIP messages on a TCP stream (RFC 3261 18.3: headers, then Content-Length bytes). */
  private adopt(sock: net.Socket, remote: SipRemote): void {
    const key = `${remote.address}|${remote.port}`;
    this.streams.set(key, sock);
    let buf = '';
    sock.setEncoding('latin1');
    sock.setTimeout(TCP_IDLE_MS, () => sock.destroy());
    sock.on('error', () => undefined);
    sock.on('close', () => {
      if (this.streams.get(key) === sock) this.streams.delete(key);
    });
    sock.on('data', (chunk: string) => {
      buf += chunk;
      for (;;) {
        buf = buf.replace(/^(\r\n)+/, '');
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) {
          if (buf.length > MAX_HEADER_BYTES) {
            this.o.onMalformed(remote, 'header block too long', null);
            sock.destroy();
          }
          return;
        }
        const head = buf.slice(0, end + 4);
        const m = parseSafe(head);
        const len = m?.headers['content-length'] ?? 0;
        if (!m || !Number.isInteger(len) || len < 0 || len > MAX_CONTENT_BYTES) {
          this.o.onMalformed(remote, m ? 'bad Content-Length' : 'unparseable', m ?? null);
          buf = buf.slice(end + 4);
          if (m) sock.destroy(); // the framing is lost
          continue;
        }
        if (buf.length < end + 4 + len) return;
        m.content = buf.slice(end + 4, end + 4 + len);
        buf = buf.slice(end + 4 + len);
        if (!wellFormed(m)) this.o.onMalformed(remote, 'missing headers', m);
        else this.o.onMessage(m, remote);
      }
    });
  }

  /** A connection to `remote`: UDP from the listening socket; TCP over the peer's own connection, else a new one. */
  open(remote: SipRemote): SipConnection {
    if (remote.protocol === 'UDP') {
      return {
        protocol: 'UDP',
        release: () => undefined,
        send: (m) => {
          const bytes = Buffer.from(sip.stringify(m), 'latin1');
          this.udp?.send(bytes, remote.port, remote.address);
        },
      };
    }
    const key = `${remote.address}|${remote.port}`;
    let sock = this.streams.get(key);
    if (!sock || sock.destroyed) {
      sock = net.connect(remote.port, remote.address);
      this.adopt(sock, remote);
    }
    const s = sock;
    return {
      protocol: 'TCP',
      release: () => undefined,
      send: (m) => {
        if (!s.destroyed) s.write(sip.stringify(m), 'latin1');
      },
    };
  }

  async close(): Promise<void> {
    for (const s of this.streams.values()) s.destroy();
    this.streams.clear();
    const udp = this.udp;
    const tcp = this.tcp;
    this.udp = null;
    this.tcp = null;
    await Promise.all([new Promise<void>((r) => (udp ? udp.close(() => r()) : r())), new Promise<void>((r) => (tcp ? tcp.close(() => r()) : r()))]);
  }
}
