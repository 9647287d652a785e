// GB/T 28181 device simulator: RTP packetiser for PS (PT 96, 1400-byte payloads, marker on a unit's last packet) and its UDP/TCP senders (RFC 4571 framing).
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';

export const RTP_PAYLOAD_BYTES = 1400;

export class RtpPacketiser {
  private seq: number;
  constructor(
    readonly ssrc: number,
    readonly payloadType = 96,
    readonly maxPayloadBytes = RTP_PAYLOAD_BYTES,
  ) {
    this.seq = Math.floor(Math.random() * 0x8000);
  }

  /** Splits one PS pack into RTP packets carrying `ts90k`; the last one has the marker bit. */
  packetise(pack: Buffer, ts90k: number): Buffer[] {
    const out: Buffer[] = [];
    const ts = Math.round(ts90k) % 2 ** 32;
    for (let off = 0; off < pack.length; off += this.maxPayloadBytes) {
      const chunk = pack.subarray(off, off + this.maxPayloadBytes);
      const last = off + this.maxPayloadBytes >= pack.length;
      const h = Buffer.alloc(12);
      h[0] = 0x80;
      h[1] = (last ? 0x80 : 0) | (this.payloadType & 0x7f);
      h.writeUInt16BE(this.seq, 2);
      h.writeUInt32BE(ts, 4);
      h.writeUInt32BE(this.ssrc >>> 0, 8);
      this.seq = (this.seq + 1) & 0xffff;
      out.push(Buffer.concat([h, chunk]));
    }
    return out;
  }
}

/** Where RTP packets go. `ready` resolves once packets can flow (TCP: connected / accepted). */
export interface RtpSink {
  readonly localPort: number;
  ready: Promise<void>;
  send(packets: Buffer[]): void;
  /** Called once if the peer closes the TCP connection (or it fails). */
  onClosed(fn: () => void): void;
  close(): void;
}

/** RFC 4571: each RTP packet behind a 16-bit big-endian length. */
export function frame4571(packets: Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const p of packets) {
    const len = Buffer.alloc(2);
    len.writeUInt16BE(p.length, 0);
    parts.push(len, p);
  }
  return Buffer.concat(parts);
}

/** UDP: a socket bound on `localHost` (its port goes into the SDP answer) sending to the offer's address. */
export async function udpSink(localHost: string, remoteHost: string, remotePort: number): Promise<RtpSink> {
  const sock: UdpSocket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(0, localHost, () => resolve());
  });
  sock.on('error', () => {});
  return {
    localPort: sock.address().port,
    ready: Promise.resolve(),
    send(packets) {
      for (const p of packets) sock.send(p, remotePort, remoteHost);
    },
    onClosed() {},
    close() {
      try {
        sock.close();
      } catch {
        // already closed
      }
    },
  };
}

function tcpSinkOver(localPort: number, ready: Promise<Socket>, server?: Server): RtpSink {
  let sock: Socket | undefined;
  let closed = false;
  const closedFns: Array<() => void> = [];
  const fireClosed = () => {
    if (closed) return;
    closed = true;
    for (const fn of closedFns) fn();
  };
  const p = ready.then((s) => {
    sock = s;
    s.setNoDelay(true);
    s.on('error', fireClosed);
    s.on('close', fireClosed);
    s.on('data', () => {}); // RTCP or junk from the receiver: ignored
  });
  p.catch(fireClosed);
  return {
    localPort,
    ready: p,
    send(packets) {
      // A receiver that stops reading: drop rather than buffer without bound (a device has small buffers too).
      if (sock && !sock.destroyed && sock.writableLength < 4 * 1024 * 1024) sock.write(frame4571(packets));
    },
    onClosed(fn) {
      closedFns.push(fn);
    },
    close() {
      closed = true;
      sock?.destroy();
      server?.close();
    },
  };
}

/** TCP active (the device connects to the platform's a=setup:passive port). */
export async function tcpActiveSink(remoteHost: string, remotePort: number, timeoutMs = 10_000): Promise<RtpSink> {
  const sock = connect({ host: remoteHost, port: remotePort });
  const ready = new Promise<Socket>((resolve, reject) => {
    const t = setTimeout(() => {
      sock.destroy();
      reject(new Error('tcp connect timeout'));
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(t);
      resolve(sock);
    });
    sock.once('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
  });
  await ready;
  return tcpSinkOver(sock.localPort ?? 0, ready);
}

/** TCP passive (the device listens; the platform with a=setup:active connects to the port in the answer). */
export async function tcpPassiveSink(localHost: string, acceptTimeoutMs = 30_000): Promise<RtpSink> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, localHost, () => resolve());
  });
  const addr = server.address();
  const port = addr && typeof addr === 'object' ? addr.port : 0;
  const ready = new Promise<Socket>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('nobody connected')), acceptTimeoutMs);
    server.once('connection', (s) => {
      clearTimeout(t);
      server.close(); // one receiver per stream
      resolve(s);
    });
  });
  ready.catch(() => server.close());
  return tcpSinkOver(port, ready, server);
}
