// Test helper: a minimal RTSP client (RTP interleaved over TCP) that reads the RTP packets of a stream's video track and names the NAL units each one carries.
import { connect } from 'node:net';

/** One RTP packet of the video track: the NAL unit types it carries (several in an aggregate, one in a fragment). */
export interface VideoRtpPacket {
  /** 'single' NAL unit packet, 'aggregate' (H.264 STAP-A, H.265 AP) or 'fragment' (FU-A / FU). */
  kind: 'single' | 'aggregate' | 'fragment';
  /** H.264 nal_unit_type (7 SPS, 8 PPS, 5 IDR, ...) or H.265 nal_unit_type (32 VPS, 33 SPS, 34 PPS, 19/20 IDR, ...). */
  nalTypes: number[];
  /** For a fragment: whether it is the first one of its NAL unit. */
  start: boolean;
}

/** The parameter set NAL unit types of each codec, all of which a decoder needs before the first picture. */
export const PARAMETER_SETS: Record<'h264' | 'h265', readonly number[]> = { h264: [7, 8], h265: [32, 33, 34] };

/** Names the NAL units of one RTP payload (RFC 6184 for H.264, RFC 7798 for H.265). */
export function videoRtpPacket(codec: 'h264' | 'h265', payload: Buffer): VideoRtpPacket {
  const h265 = codec === 'h265';
  const headerLen = h265 ? 2 : 1;
  const typeOf = (b: Buffer, at: number) => (h265 ? (b[at]! >> 1) & 0x3f : b[at]! & 0x1f);
  const type = typeOf(payload, 0);
  if (type === (h265 ? 48 : 24)) {
    const nalTypes: number[] = [];
    for (let at = headerLen; at + 2 < payload.length;) {
      const size = payload.readUInt16BE(at);
      nalTypes.push(typeOf(payload, at + 2));
      at += 2 + size;
    }
    return { kind: 'aggregate', nalTypes, start: false };
  }
  if (type === (h265 ? 49 : 28)) {
    const fu = payload[headerLen]!;
    return { kind: 'fragment', nalTypes: [h265 ? fu & 0x3f : fu & 0x1f], start: (fu & 0x80) !== 0 };
  }
  return { kind: 'single', nalTypes: [type], start: false };
}

/** The NAL unit types of a keyframe's pictures (H.264 IDR; H.265 IRAP: BLA, IDR, CRA). */
export const KEYFRAME_NALS: Record<'h264' | 'h265', readonly number[]> = { h264: [5], h265: [16, 17, 18, 19, 20, 21] };

/** Whether a packet starts a keyframe's picture. */
export function startsKeyframe(codec: 'h264' | 'h265', p: VideoRtpPacket): boolean {
  return (p.kind !== 'fragment' || p.start) && p.nalTypes.some((t) => KEYFRAME_NALS[codec].includes(t));
}

/**
 * Plays `url` as an RTSP client with RTP interleaved in the TCP connection (DESCRIBE, SETUP of every track, PLAY,
 * TEARDOWN) until `until` holds for the packets read so far (checked as they arrive) or `seconds` have passed,
 * and returns that track's RTP packets in arrival order; the connection is closed before it settles.
 */
export function readVideoRtp(
  url: string,
  seconds: number,
  until: (codec: 'h264' | 'h265', packets: VideoRtpPacket[]) => boolean = () => false,
): Promise<{ codec: 'h264' | 'h265'; packets: VideoRtpPacket[]; about: string }> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port || 554) });
  let cseq = 0;
  let buf = Buffer.alloc(0);
  let session = '';
  let codec: 'h264' | 'h265' | null = null;
  const packets: VideoRtpPacket[] = [];
  let enough: (() => void) | null = null;
  const frames = new Map<number, number>();
  let transport = '';
  let videoChannel = 0;
  let pending: { resolve: (r: { headers: Map<string, string>; body: string }) => void; reject: (e: Error) => void } | null = null;

  const request = (method: string, target: string, headers: Record<string, string> = {}) =>
    new Promise<{ headers: Map<string, string>; body: string }>((resolve, reject) => {
      pending = { resolve, reject };
      const lines = [`${method} ${target} RTSP/1.0`, `CSeq: ${++cseq}`, ...(session ? [`Session: ${session}`] : [])];
      for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
      socket.write(lines.join('\r\n') + '\r\n\r\n');
    });

  /** Takes the complete RTSP responses and interleaved frames off the front of the buffer. */
  const drain = () => {
    for (;;) {
      if (buf.length > 0 && buf[0] === 0x24) {
        if (buf.length < 4) return;
        const len = buf.readUInt16BE(2);
        if (buf.length < 4 + len) return;
        const channel = buf[1]!;
        const rtp = buf.subarray(4, 4 + len);
        buf = buf.subarray(4 + len);
        frames.set(channel, (frames.get(channel) ?? 0) + 1);
        if (channel !== videoChannel || codec === null || rtp.length < 12) continue; // audio, RTCP
        const csrcs = rtp[0]! & 0x0f;
        let at = 12 + 4 * csrcs;
        if (rtp[0]! & 0x10) at += 4 + 4 * rtp.readUInt16BE(at + 2);
        const padding = rtp[0]! & 0x20 ? rtp[rtp.length - 1]! : 0;
        packets.push(videoRtpPacket(codec, rtp.subarray(at, rtp.length - padding)));
        if (until(codec, packets)) enough?.();
        continue;
      }
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.subarray(0, end).toString('latin1').split('\r\n');
      const headers = new Map(head.slice(1).map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const bodyLen = Number(headers.get('content-length') ?? 0);
      if (buf.length < end + 4 + bodyLen) return;
      const body = buf.subarray(end + 4, end + 4 + bodyLen).toString('latin1');
      buf = buf.subarray(end + 4 + bodyLen);
      const p = pending;
      pending = null;
      if (!/^RTSP\/1\.0 200/.test(head[0]!)) p?.reject(new Error(`${url}: ${head[0]}`));
      else p?.resolve({ headers, body });
    }
  };

  const failed = new Promise<never>((_, reject) => {
    socket.on('error', (err) => {
      pending?.reject(err);
      reject(err);
    });
  });
  failed.catch(() => undefined);
  socket.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    drain();
  });

  const play = async () => {
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const described = await request('DESCRIBE', url, { Accept: 'application/sdp' });
    const tracks = described.body.split(/^m=/m).slice(1);
    const videoAt = tracks.findIndex((m) => m.startsWith('video'));
    if (videoAt < 0) throw new Error(`${url}: no video track in the SDP`);
    const rtpmap = /^a=rtpmap:\d+ (H264|H265)\//im.exec(tracks[videoAt]!);
    if (!rtpmap) throw new Error(`${url}: the video is neither H.264 nor H.265`);
    const base = described.headers.get('content-base') ?? url + '/';
    // Every track, as a player does (with only the video set up, a mount with audio sometimes sent nothing at all);
    // track i on channels 2i (RTP) and 2i + 1 (RTCP).
    for (const [i, track] of tracks.entries()) {
      const control = /^a=control:(\S+)/m.exec(track)?.[1] ?? '';
      const setup = await request('SETUP', /^rtsp:/i.test(control) ? control : new URL(control, base).toString(), {
        Transport: `RTP/AVP/TCP;unicast;interleaved=${2 * i}-${2 * i + 1}`,
      });
      session ||= (setup.headers.get('session') ?? '').split(';')[0]!;
      if (i === videoAt) transport = setup.headers.get('transport') ?? '';
    }
    videoChannel = 2 * videoAt;
    codec = rtpmap[1]!.toUpperCase() === 'H265' ? 'h265' : 'h264';
    await request('PLAY', url, { Range: 'npt=0-' });
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, seconds * 1000);
      enough = () => (clearTimeout(t), resolve());
      if (until(codec!, packets)) enough();
    });
    const got = { codec, packets: packets.slice(), about: `transport ${transport}; frames per channel ${JSON.stringify([...frames])}` };
    // leave as a player does: without TEARDOWN the server stops the shared media under its other clients
    await request('TEARDOWN', url);
    return got;
  };

  // a server that stops answering ends the read with an error instead of leaving the socket open
  const deadline = setTimeout(() => socket.destroy(new Error(`${url}: no answer within ${seconds + 15} s`)), (seconds + 15) * 1000);
  return Promise.race([play(), failed]).finally(() => {
    clearTimeout(deadline);
    socket.destroy();
  });
}
