// SDP of a history INVITE (s=Playback / s=Download): u= channel, t= Unix-second range, y= history SSRC, and reading the device's answer.
import { formatScale } from './records-rtsp';

export type HistoryMode = 'Playback' | 'Download';

export interface HistoryOffer {
  mode: HistoryMode;
  serverId: string;
  channelId: string;
  /** Address the device sends media to (Argus's media IP). */
  host: string;
  /** Local RTP port (UDP receive port, or the TCP passive listen port). */
  port: number;
  transport: 'udp' | 'tcp-passive' | 'tcp-active';
  startMs: number;
  endMs: number;
  ssrc: string;
  /** Download speed the device is asked for (a=downloadspeed), Download only. */
  downloadSpeed?: number;
}

/**
 * The SSRC of a history stream (GB/T 28181 annex F): '1' (history; live is '0'), the 5 digits at positions 4-8 of the
 * 10-digit domain, and a 4-digit sequence.
 */
export function historySsrc(domain: string, seq: number): string {
  const mid = (domain.replace(/\D/g, '') + '00000000').slice(3, 8);
  return `1${mid}${String(seq % 10_000).padStart(4, '0')}`;
}

/** The offer's SDP text (CRLF lines). t= carries Unix seconds, as GB/T 28181 uses it (not NTP time). */
export function historyOfferSdp(o: HistoryOffer): string {
  const tcp = o.transport !== 'udp';
  const lines = [
    'v=0',
    `o=${o.serverId} 0 0 IN IP4 ${o.host}`,
    `s=${o.mode}`,
    `u=${o.channelId}:0`,
    `c=IN IP4 ${o.host}`,
    `t=${Math.floor(o.startMs / 1000)} ${Math.ceil(o.endMs / 1000)}`,
    `m=video ${o.port} ${tcp ? 'TCP/RTP/AVP' : 'RTP/AVP'} 96 98 97`,
    'a=recvonly',
    'a=rtpmap:96 PS/90000',
    'a=rtpmap:98 H264/90000',
    'a=rtpmap:97 MPEG4/90000',
  ];
  if (tcp) lines.push(`a=setup:${o.transport === 'tcp-passive' ? 'passive' : 'active'}`, 'a=connection:new');
  if (o.mode === 'Download') lines.push(`a=downloadspeed:${formatScale(o.downloadSpeed ?? 4).replace(/\.0$/, '')}`);
  lines.push(`y=${o.ssrc}`, 'f=');
  return lines.join('\r\n') + '\r\n';
}

/** What Argus needs from the device's answer: its SSRC (devices may pick their own), where it sends from or listens. */
export interface HistoryAnswer {
  ssrc: string | null;
  host: string | null;
  port: number | null;
  /** a=filesize (Download; bytes), when the device tells. */
  fileSizeBytes: number | null;
}

export function parseHistoryAnswer(sdp: string): HistoryAnswer {
  const lines = sdp.split(/\r?\n/).map((l) => l.trim());
  const value = (prefix: string) =>
    lines
      .find((l) => l.startsWith(prefix))
      ?.slice(prefix.length)
      .trim() ?? null;
  const y = value('y=');
  const c = value('c=');
  const m = value('m=video');
  const size = lines.map((l) => /^a=filesize:\s*(\d+)/i.exec(l)).find((x) => x !== null);
  return {
    ssrc: y !== null && /^\d{1,10}$/.test(y) ? y : null,
    host: c !== null ? (c.split(/\s+/)[2] ?? null) : null,
    port: m !== null && /^\d+/.test(m) ? Number(/^\d+/.exec(m)![0]) : null,
    fileSizeBytes: size ? Number(size[1]) : null,
  };
}
