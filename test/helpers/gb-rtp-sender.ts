// Test helper: sends GB-style PS over RTP in real time (UDP, TCP connecting to Argus, or TCP listening for Argus), looping with advancing times.
import dgram from 'node:dgram';
import net from 'node:net';
import { frame4571 } from '../../media/rtp/framing';
import { buildRtp } from '../../media/rtp/packet';
import { muxPs, type PsChunk, type PsSource } from './gb-ps';

export interface PsRtpSenderOptions {
  /** 'udp' and 'tcp-connect' send to host:port; 'tcp-listen' listens on host (port 0: a free one) for Argus to connect. */
  transport: 'udp' | 'tcp-connect' | 'tcp-listen';
  host: string;
  port: number;
  ssrc: number;
  payloadType?: number;
  /** RTP payload bytes per packet; default 1400. */
  mtu?: number;
  /** Loop the clip (times advance); default true. */
  loop?: boolean;
}

export class PsRtpSender {
  packets = 0;
  bytes = 0;
  private seq = Math.floor(Math.random() * 0x10000);
  private stopped = false;
  private paused = false;
  private udp: dgram.Socket | null = null;
  private tcp: net.Socket | null = null;
  private server: net.Server | null = null;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly src: PsSource,
    private readonly o: PsRtpSenderOptions,
  ) {}

  /** Starts sending (tcp-listen: once Argus connects); resolves with the listening port for tcp-listen, else 0. */
  async start(): Promise<number> {
    switch (this.o.transport) {
      case 'udp':
        this.udp = dgram.createSocket('udp4');
        this.loop = this.run();
        return 0;
      case 'tcp-connect':
        this.tcp = net.connect({ host: this.o.host, port: this.o.port });
        this.tcp.on('error', () => undefined);
        await new Promise((r, j) => {
          this.tcp!.once('connect', r);
          this.tcp!.once('error', j);
        });
        this.loop = this.run();
        return 0;
      case 'tcp-listen': {
        const srv = net.createServer((s) => {
          s.on('error', () => undefined);
          this.tcp?.destroy();
          this.tcp = s;
          this.loop ??= this.run();
        });
        this.server = srv;
        await new Promise<void>((r) => srv.listen(this.o.port, this.o.host, () => r()));
        return (srv.address() as net.AddressInfo).port;
      }
    }
  }

  /** Stops sending packets (the stream stays "open": no BYE, no close), as a device whose encoder hung. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop?.catch(() => undefined);
    this.udp?.close();
    this.tcp?.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private async run(): Promise<void> {
    const t0 = Date.now();
    const first = this.src.video[0]?.dts ?? 0;
    for (let pass = 0; !this.stopped; pass++) {
      const chunks = muxPs(this.src, pass * this.src.durationTicks);
      for (const c of chunks) {
        if (this.stopped) return;
        const due = t0 + (c.dts - first) / 90;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (!this.paused) this.send(c);
      }
      if (this.o.loop === false) return;
    }
  }

  private send(c: PsChunk): void {
    const mtu = this.o.mtu ?? 1400;
    for (let i = 0; i < c.bytes.length; i += mtu) {
      const last = i + mtu >= c.bytes.length;
      const pkt = buildRtp(c.bytes.subarray(i, i + mtu), {
        seq: this.seq,
        timestamp: c.dts % 2 ** 32,
        ssrc: this.o.ssrc,
        payloadType: this.o.payloadType ?? 96,
        marker: last && c.video,
      });
      this.seq = (this.seq + 1) & 0xffff;
      this.packets++;
      this.bytes += pkt.length;
      if (this.udp) this.udp.send(pkt, this.o.port, this.o.host);
      else if (this.tcp && !this.tcp.destroyed) this.tcp.write(frame4571(pkt));
    }
  }
}
