// GB/T 28181 media SDP: the offer Argus sends in an INVITE (live, playback, download), the device's answer read back, SSRCs and the Subject header.
import sdpTransform from 'sdp-transform';
import type { RtpTransport } from '../../../media/rtp/receiver';

/** What an offer says; everything session-specific is a parameter (records reuse it for Playback/Download). */
export interface GbOffer {
  /** o= user: this server's 20-digit ID. */
  serverId: string;
  /** o= and c= address: where the device sends media (for tcp-active: Argus's address all the same). */
  host: string;
  /** m= port: where media arrives (udp, tcp-passive); tcp-active offers 9 (discard) as RFC 4145 says. */
  port: number;
  transport: RtpTransport;
  /** y=: the 10-digit SSRC (ssrcFor). */
  ssrc: string;
  /** s=: 'Play' (live), 'Playback', 'Download'. */
  session: 'Play' | 'Playback' | 'Download';
  /** u=: the channel and a type (`<channelId>:0`); playback and download only. */
  uri?: string;
  /** t=: start and end, seconds since the epoch; 0 0 for live. */
  startS?: number;
  stopS?: number;
  /** a=downloadspeed: download only. */
  downloadSpeed?: number;
}

/** m=video payloads Argus offers: 96 PS (what it wants), 98 H264 and 97 MPEG4 as GB devices expect to see them. */
const RTPMAP = [
  { payload: 96, codec: 'PS', rate: 90000 },
  { payload: 98, codec: 'H264', rate: 90000 },
  { payload: 97, codec: 'MPEG4', rate: 90000 },
];

export function buildOffer(o: GbOffer): string {
  const tcp = o.transport !== 'udp';
  const media: sdpTransform.MediaDescription = {
    type: 'video',
    port: o.transport === 'tcp-active' ? 9 : o.port,
    protocol: tcp ? 'TCP/RTP/AVP' : 'RTP/AVP',
    payloads: '96 97 98',
    rtp: RTPMAP,
    fmtp: [],
    direction: 'recvonly',
  };
  if (tcp) {
    // Argus's role: passive = Argus listens (the device connects), active = Argus connects.
    media.setup = o.transport === 'tcp-passive' ? 'passive' : 'active';
    media.connectionType = 'new';
  }
  const text = sdpTransform.write({
    version: 0,
    origin: { username: o.serverId, sessionId: 0, sessionVersion: 0, netType: 'IN', ipVer: 4, address: o.host },
    name: o.session,
    ...(o.uri ? { uri: o.uri } : {}),
    connection: { version: 4, ip: o.host },
    timing: { start: o.startS ?? 0, stop: o.stopS ?? 0 },
    media: [media],
  });
  // sdp-transform knows neither y= (SSRC) nor GB's a=downloadspeed; they close the media section.
  const extra = [...(o.downloadSpeed ? [`a=downloadspeed:${o.downloadSpeed}`] : []), `y=${o.ssrc}`];
  return text.replace(/\r\n$/, '') + '\r\n' + extra.join('\r\n') + '\r\n';
}

/** What the device answered. */
export interface GbAnswer {
  /** Where the device sends from / listens (c=, media level first). */
  host: string;
  port: number;
  transport: 'udp' | 'tcp';
  /** The device's a=setup (for TCP): active = it connects, passive = it listens. */
  setup: 'active' | 'passive' | 'actpass' | null;
  /** y= as a number (the RTP SSRC the device will use), or null when absent or unreadable. */
  ssrc: number | null;
  /** The payload types it answered with. */
  payloads: number[];
  /** f= media description, as sent (may be empty). */
  format: string | null;
}

/** Reads a device's SDP answer; throws an Error (the caller's reason) when it has no usable m=video. */
export function parseAnswer(text: string): GbAnswer {
  const norm = text.replace(/\r?\n/g, '\r\n');
  const sdp = sdpTransform.parse(norm);
  const m = sdp.media.find((x) => x.type === 'video') ?? sdp.media[0];
  if (!m) throw new Error('the SDP answer has no media line');
  const host = m.connection?.ip ?? sdp.connection?.ip ?? sdp.origin?.address;
  if (!host) throw new Error('the SDP answer has no connection address');
  const y = /^y=\s*(\d{1,10})\s*$/m.exec(text)?.[1];
  const ssrc = y !== undefined && Number(y) <= 0xffffffff ? Number(y) : null;
  const setup = m.setup === 'active' || m.setup === 'passive' || m.setup === 'actpass' ? m.setup : null;
  return {
    host,
    port: m.port,
    transport: /TCP/i.test(m.protocol) ? 'tcp' : 'udp',
    setup,
    ssrc,
    payloads: String(m.payloads ?? '')
      .split(/\s+/)
      .filter((x) => x !== '')
      .map(Number),
    format: /^f=(.*)$/m.exec(text)?.[1]?.trim() ?? null,
  };
}

/**
 * Hands out SSRCs as GB/T 28181 (annex: 媒体流 SSRC) defines them: 10 decimal digits, the first 0 for live and 1 for
 * history (playback, download), then digits 4–8 of the domain ID, then a 4-digit sequence unique among the streams open.
 */
export class SsrcPool {
  private readonly prefix: string;
  private readonly used = new Set<string>();
  private next = 1;

  constructor(domain: string) {
    this.prefix = domain.replace(/\D/g, '').padEnd(8, '0').slice(3, 8);
  }

  take(kind: 'live' | 'history'): string {
    for (let i = 0; i < 10_000; i++) {
      const seq = this.next;
      this.next = (this.next % 9999) + 1;
      const ssrc = `${kind === 'live' ? 0 : 1}${this.prefix}${String(seq).padStart(4, '0')}`;
      if (!this.used.has(ssrc)) {
        this.used.add(ssrc);
        return ssrc;
      }
    }
    throw new Error('no free SSRC: 9,999 streams of one kind are open');
  }

  release(ssrc: string): void {
    this.used.delete(ssrc);
  }
}

/** The INVITE's Subject: `<sender (channel) ID>:<SSRC>,<receiver (server) ID>:0`. */
export function inviteSubject(channelId: string, ssrc: string, serverId: string): string {
  return `${channelId}:${ssrc},${serverId}:0`;
}
