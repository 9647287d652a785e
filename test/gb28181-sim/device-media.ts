// GB/T 28181 device simulator: INVITE sessions (Play, Playback, Download) — SDP offer/answer with y=/f=, RTP over UDP or TCP active/passive, BYE, MANSRTSP INFO.
import type { GbDevice } from './device';
import { MediaStream } from './media-stream';
import { header, newTag, param, responseTo, uriOf, type SipMsg } from './sip-text';
import type { Origin } from './sip-transport';
import { tcpActiveSink, tcpPassiveSink, udpSink, type RtpSink } from './rtp';

export interface SdpOffer {
  sessionName: string;
  host: string;
  port: number;
  tcp: boolean;
  /** The platform's a=setup: 'passive' (it listens, the device connects) or 'active' (it connects). */
  setup: 'active' | 'passive' | undefined;
  ssrc: string | undefined;
  startS: number;
  endS: number;
  downloadSpeed: number;
  uChannel: string | undefined;
}

export function parseOffer(sdp: string): SdpOffer {
  const o: SdpOffer = {
    sessionName: 'Play',
    host: '',
    port: 0,
    tcp: false,
    setup: undefined,
    ssrc: undefined,
    startS: 0,
    endS: 0,
    downloadSpeed: 1,
    uChannel: undefined,
  };
  let sessionHost = '';
  for (const raw of sdp.split(/\r?\n/)) {
    const line = raw.trim();
    const [k, v] = [line.slice(0, 1), line.slice(2)];
    if (line[1] !== '=') continue;
    if (k === 's') o.sessionName = v.trim();
    else if (k === 'c') sessionHost = sessionHost || (v.split(/\s+/)[2] ?? '');
    else if (k === 'm' && v.startsWith('video')) {
      const parts = v.split(/\s+/);
      o.port = Number(parts[1]);
      o.tcp = /TCP/i.test(parts[2] ?? '');
    } else if (k === 'y') o.ssrc = v.trim();
    else if (k === 'u') o.uChannel = v.split(':')[0];
    else if (k === 't') {
      const [s, e] = v.trim().split(/\s+/).map(Number);
      o.startS = s || 0;
      o.endS = e || 0;
    } else if (k === 'a') {
      const m = /^setup:(\w+)/i.exec(v);
      if (m) o.setup = m[1].toLowerCase() === 'active' ? 'active' : 'passive';
      const d = /^downloadspeed:(\d+(?:\.\d+)?)/i.exec(v);
      if (d) o.downloadSpeed = Number(d[1]) || 1;
    }
  }
  o.host = sessionHost;
  return o;
}

interface Session {
  callId: string;
  channelId: string;
  offer: SdpOffer;
  /** Our To (with tag) and their From: in-dialog requests the device sends swap them. */
  localHdr: string;
  remoteHdr: string;
  remoteUri: string;
  origin: Origin;
  sink: RtpSink;
  stream: MediaStream | undefined;
  cseq: number;
  acked: boolean;
  resend?: NodeJS.Timeout;
  ssrc: number;
}

type Reply = (status: number, reason: string, extra?: Array<[string, string | number]>, body?: Buffer) => void;

export class MediaSessions {
  private readonly sessions = new Map<string, Session>();
  /** While true, streams stop sending packets but dialogs stay up (a device whose encoder hangs). */
  mediaFrozen = false;

  constructor(private readonly dev: GbDevice) {}

  onRequest(msg: SipMsg, origin: Origin, reply: Reply): void {
    const callId = header(msg, 'call-id') ?? '';
    const s = this.sessions.get(callId);
    switch (msg.method) {
      case 'INVITE':
        if (s) {
          reply(
            200,
            'OK',
            [
              ['Contact', this.dev.contact],
              ['Content-Type', 'APPLICATION/SDP'],
            ],
            this.answer(s),
          );
          return;
        }
        void this.invite(msg, origin, reply).catch((err: Error) => {
          this.dev.emit({ ev: 'invite-failed', callId, reason: err.message });
          reply(488, 'Not Acceptable Here');
        });
        return;
      case 'ACK':
        if (s && !s.acked) {
          s.acked = true;
          clearInterval(s.resend);
          void this.startStream(s);
        }
        return;
      case 'BYE':
        if (!s) {
          reply(481, 'Call/Transaction Does Not Exist');
          return;
        }
        reply(200, 'OK');
        this.end(s, 'bye');
        return;
      case 'CANCEL':
        reply(200, 'OK');
        return;
      case 'INFO':
        if (!s) {
          reply(481, 'Call/Transaction Does Not Exist');
          return;
        }
        reply(200, 'OK');
        this.mansrtsp(s, msg.body.toString('utf8'));
        return;
      default:
        reply(405, 'Method Not Allowed');
    }
  }

  private async invite(msg: SipMsg, origin: Origin, reply: Reply): Promise<void> {
    const channelId = this.dev.channelUri(msg.uri) || this.dev.channelUri(header(msg, 'to') ?? '');
    const offer = parseOffer(msg.body.toString('utf8'));
    const callId = header(msg, 'call-id') ?? '';
    const ch = this.dev.channels.find((c) => c.id === channelId && c.kind === 'camera');
    this.dev.emit({
      ev: 'invite',
      callId,
      channelId,
      sessionName: offer.sessionName,
      ssrc: offer.ssrc ?? null,
      tcp: offer.tcp,
      setup: offer.setup ?? null,
      host: offer.host,
      port: offer.port,
      startS: offer.startS,
      endS: offer.endS,
    });
    if (!ch) {
      reply(404, 'Not Found');
      return;
    }
    if (!offer.host || !offer.port) {
      reply(488, 'Not Acceptable Here');
      return;
    }
    reply(100, 'Trying');
    const local = this.dev.cfg.localHost;
    let sink: RtpSink;
    if (!offer.tcp) sink = await udpSink(local, offer.host, offer.port);
    else if (offer.setup === 'active') sink = await tcpPassiveSink(local);
    else sink = await tcpActiveSink(offer.host, offer.port);
    const ssrc = offer.ssrc && /^\d+$/.test(offer.ssrc) ? Number(offer.ssrc) : Math.floor(Math.random() * 1e9);
    const to = header(msg, 'to') ?? '';
    const s: Session = {
      callId,
      channelId,
      offer,
      localHdr: param(to, 'tag') === undefined ? `${to};tag=${newTag()}` : to,
      remoteHdr: header(msg, 'from') ?? '',
      remoteUri: uriOf(header(msg, 'contact') ?? header(msg, 'from') ?? ''),
      origin,
      sink,
      stream: undefined,
      cseq: 1,
      acked: false,
      ssrc,
    };
    this.sessions.set(callId, s);
    const okBuf = this.okBuf(msg, s);
    const ok = () => this.dev.transport.answer(msg, origin, okBuf);
    ok();
    // UDP: resend the 200 until the ACK comes (RFC 3261 13.3.1.4), at most 6 times.
    if (origin.kind === 'udp') {
      let n = 0;
      s.resend = setInterval(() => (++n > 6 ? clearInterval(s.resend) : ok()), 500);
    }
    sink.onClosed(() => {
      if (this.sessions.get(callId) === s) {
        this.dev.emit({ ev: 'media-closed', callId });
        this.end(s, 'tcp-closed');
      }
    });
  }

  private okBuf(req: SipMsg, s: Session): Buffer {
    const tag = param(s.localHdr, 'tag') ?? newTag();
    return responseTo(
      req,
      200,
      'OK',
      tag,
      [
        ['Contact', this.dev.contact],
        ['Content-Type', 'APPLICATION/SDP'],
      ],
      this.answer(s),
      { compact: this.dev.compact },
    );
  }

  private answer(s: Session): Buffer {
    const ch = this.dev.channels.find((c) => c.id === s.channelId);
    const clip = ch?.codec === 'h265' && this.dev.cfg.clipH265 ? this.dev.cfg.clipH265 : this.dev.cfg.clip;
    const local = this.dev.cfg.localHost;
    const lines = [
      'v=0',
      `o=${s.channelId} 0 0 IN IP4 ${local}`,
      `s=${s.offer.sessionName}`,
      `c=IN IP4 ${local}`,
      `t=${s.offer.startS} ${s.offer.endS}`,
      `m=video ${s.sink.localPort} ${s.offer.tcp ? 'TCP/RTP/AVP' : 'RTP/AVP'} 96`,
      'a=sendonly',
      'a=rtpmap:96 PS/90000',
      ...(s.offer.tcp ? [`a=setup:${s.offer.setup === 'active' ? 'passive' : 'active'}`, 'a=connection:new'] : []),
      `y=${String(s.ssrc).padStart(10, '0')}`,
      // f=v/codec/resolution/fps/rate type/kbps a/codec/kbps code/sample rate code (2: H.264, 5: H.265; a/1: G.711)
      `f=v/${clip.video === 'h265' ? 5 : 2}/5/${Math.round(clip.fps)}/2/2000a/1/8/1`,
    ];
    return Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
  }

  private async startStream(s: Session): Promise<void> {
    try {
      await s.sink.ready;
    } catch (err) {
      this.dev.emit({ ev: 'media-failed', callId: s.callId, reason: (err as Error).message });
      return;
    }
    if (this.sessions.get(s.callId) !== s) return;
    const ch = this.dev.channels.find((c) => c.id === s.channelId);
    const clip = ch?.codec === 'h265' && this.dev.cfg.clipH265 ? this.dev.cfg.clipH265 : this.dev.cfg.clip;
    const name = s.offer.sessionName.toLowerCase();
    const ranged = (name === 'playback' || name === 'download') && s.offer.endS > s.offer.startS;
    const frozen = () => this.mediaFrozen;
    const sink: RtpSink = {
      ...s.sink,
      send: (p) => (frozen() ? undefined : s.sink.send(p)),
      close: () => s.sink.close(),
      onClosed: (fn) => s.sink.onClosed(fn),
    };
    s.stream = new MediaStream({
      clip,
      sink,
      ssrc: s.ssrc,
      durationS: ranged ? s.offer.endS - s.offer.startS : undefined,
      scale: name === 'download' ? s.offer.downloadSpeed : 1,
      onEnd: () => void this.mediaEnd(s),
    });
    s.stream.start();
    this.dev.emit({
      ev: 'media-start',
      callId: s.callId,
      channelId: s.channelId,
      sessionName: s.offer.sessionName,
      localPort: s.sink.localPort,
      codec: clip.video,
    });
  }

  /** End of a playback/download range: MediaStatus 121 (annex A.2.5.7), then the platform sends BYE. */
  private async mediaEnd(s: Session): Promise<void> {
    this.dev.emit({ ev: 'media-end', callId: s.callId, frames: s.stream?.sentFrames ?? 0 });
    const status = await this.dev.sendManscdp('Notify', { CmdType: 'MediaStatus', SN: this.dev.nextSn(), DeviceID: s.channelId, NotifyType: 121 });
    this.dev.emit({ ev: 'media-status-sent', callId: s.callId, status });
  }

  /** MANSRTSP (annex B): PLAY with Scale and/or Range npt, PAUSE. */
  private mansrtsp(s: Session, text: string): void {
    const method = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? '';
    const scale = /^Scale:\s*([\d.]+)/im.exec(text)?.[1];
    const range = /^Range:\s*npt=([\d.]+)/im.exec(text)?.[1];
    if (s.stream && method === 'PAUSE') s.stream.pause();
    else if (s.stream && method === 'PLAY') {
      if (range !== undefined) s.stream.seek(Number(range));
      if (scale !== undefined) s.stream.setScale(Number(scale));
      s.stream.resume();
    }
    // Told after it took effect: a test that sees this event sees the stream already paused/resumed.
    this.dev.emit({ ev: 'info', callId: s.callId, method, scale: scale ? Number(scale) : null, rangeS: range ? Number(range) : null });
  }

  private end(s: Session, why: string): void {
    clearInterval(s.resend);
    s.stream?.stop();
    s.sink.close();
    this.sessions.delete(s.callId);
    this.dev.emit({
      ev: 'session-ended',
      callId: s.callId,
      channelId: s.channelId,
      why,
      frames: s.stream?.sentFrames ?? 0,
      packets: s.stream?.sentPackets ?? 0,
    });
  }

  /** Device-initiated BYE of every session (or one). */
  async byeAll(callId?: string): Promise<void> {
    for (const s of [...this.sessions.values()]) {
      if (callId && s.callId !== callId) continue;
      const { buf, branch } = this.dev.buildRequest('BYE', s.remoteUri, { from: s.localHdr, to: s.remoteHdr, callId: s.callId, cseq: ++s.cseq });
      this.end(s, 'device-bye');
      await this.dev.transport.request(buf, branch, 'BYE', { to: s.origin.kind === 'tcp' ? s.origin : undefined, timeoutMs: 4000 }).catch(() => undefined);
    }
  }

  list(): Array<Record<string, unknown>> {
    return [...this.sessions.values()].map((s) => ({
      callId: s.callId,
      channelId: s.channelId,
      sessionName: s.offer.sessionName,
      ssrc: s.ssrc,
      tcp: s.offer.tcp,
      frames: s.stream?.sentFrames ?? 0,
      packets: s.stream?.sentPackets ?? 0,
    }));
  }

  stopAll(): void {
    for (const s of [...this.sessions.values()]) this.end(s, 'stopped');
  }

  count(): number {
    return this.sessions.size;
  }
}
