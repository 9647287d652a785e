// GB/T 28181 device simulator: an MPEG-2 program stream muxer (ISO 13818-1 2.5: pack header, system header, PSM, PES) as GB devices emit it.

export type PsVideoCodec = 'h264' | 'h265';
export type PsAudioCodec = 'alaw' | 'mulaw' | 'aac' | 'none';

/** PSM stream_type values GB/T 28181 annex C uses. */
export const STREAM_TYPE = { h264: 0x1b, h265: 0x24, alaw: 0x90, mulaw: 0x91, aac: 0x0f } as const;
export const VIDEO_STREAM_ID = 0xe0;
export const AUDIO_STREAM_ID = 0xc0;
/** Largest payload of one PES packet (PES_packet_length is 16 bits; 3 flag bytes and up to 10 of timestamps come off). */
const MAX_PES_PAYLOAD = 0xffff - 3 - 10;
const TWO_30 = 2 ** 30;
const TWO_33 = 2 ** 33;

/** 33-bit clock value split for bit packing (JS bit operators are 32-bit). */
function split33(v: number): { top3: number; low30: number } {
  const t = ((Math.round(v) % TWO_33) + TWO_33) % TWO_33;
  return { top3: Math.floor(t / TWO_30) & 7, low30: t % TWO_30 };
}

/** 5-byte PTS/DTS field: prefix nibble, 33 bits with markers. */
function timestamp(prefix: number, v: number): Buffer {
  const { top3, low30 } = split33(v);
  return Buffer.from([
    (prefix << 4) | (top3 << 1) | 1,
    (low30 >>> 22) & 0xff,
    (((low30 >>> 15) & 0x7f) << 1) | 1,
    (low30 >>> 7) & 0xff,
    ((low30 & 0x7f) << 1) | 1,
  ]);
}

/** Pack header (0x000001BA, MPEG-2 form): SCR in 90 kHz, mux_rate in units of 50 bytes/s, `stuffing` 0xFF bytes (0..7). */
export function packHeader(scr90k: number, muxRate = 6106, stuffing = 0): Buffer {
  const { top3, low30 } = split33(scr90k);
  const ext = 0;
  const b = Buffer.alloc(14 + stuffing, 0xff);
  b.writeUInt32BE(0x000001ba, 0);
  b[4] = 0x44 | (top3 << 3) | ((low30 >>> 28) & 0x03);
  b[5] = (low30 >>> 20) & 0xff;
  b[6] = (((low30 >>> 15) & 0x1f) << 3) | 0x04 | ((low30 >>> 13) & 0x03);
  b[7] = (low30 >>> 5) & 0xff;
  b[8] = ((low30 & 0x1f) << 3) | 0x04 | ((ext >>> 7) & 0x03);
  b[9] = ((ext << 1) & 0xfe) | 0x01;
  b[10] = (muxRate >>> 14) & 0xff;
  b[11] = (muxRate >>> 6) & 0xff;
  b[12] = ((muxRate & 0x3f) << 2) | 0x03;
  b[13] = 0xf8 | stuffing;
  return b;
}

/** System header (0x000001BB) listing the video stream and, when present, the audio one. */
export function systemHeader(hasAudio: boolean, rateBound = 6106): Buffer {
  const streams = hasAudio ? 2 : 1;
  const b = Buffer.alloc(12 + 3 * streams);
  b.writeUInt32BE(0x000001bb, 0);
  b.writeUInt16BE(6 + 3 * streams, 4);
  b[6] = 0x80 | ((rateBound >>> 15) & 0x7f);
  b[7] = (rateBound >>> 7) & 0xff;
  b[8] = ((rateBound & 0x7f) << 1) | 0x01;
  b[9] = ((hasAudio ? 1 : 0) << 2) | 0x00; // audio_bound, fixed_flag 0, CSPS_flag 0
  b[10] = 0xe1; // system_audio_lock, system_video_lock, marker, video_bound 1
  b[11] = 0xff; // packet_rate_restriction_flag + reserved
  // P-STD buffer bounds: video scale 1 (1024 B) size 2048, audio scale 0 (128 B) size 32.
  b.set([VIDEO_STREAM_ID, 0xe8, 0x00], 12);
  if (hasAudio) b.set([AUDIO_STREAM_ID, 0xc0, 0x20], 15);
  return b;
}

/** MPEG-2 CRC-32 (polynomial 0x04C11DB7, no reflection), as the PSM and PSI tables carry. */
export function crc32Mpeg(buf: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of buf) {
    crc ^= byte << 24;
    for (let i = 0; i < 8; i++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  return crc >>> 0;
}

/** Program stream map (0x000001BC): stream types of video (0x1b/0x24) and audio (0x90/0x91/0x0f). */
export function programStreamMap(video: PsVideoCodec, audio: PsAudioCodec, version = 0): Buffer {
  const entries: Array<[number, number]> = [[STREAM_TYPE[video], VIDEO_STREAM_ID]];
  if (audio !== 'none') entries.push([STREAM_TYPE[audio], AUDIO_STREAM_ID]);
  const b = Buffer.alloc(16 + 4 * entries.length);
  b.writeUInt32BE(0x000001bc, 0);
  b.writeUInt16BE(10 + 4 * entries.length, 4);
  b[6] = 0x80 | 0x60 | (version & 0x1f); // current_next_indicator, reserved, version
  b[7] = 0xff; // reserved + marker
  b.writeUInt16BE(0, 8); // program_stream_info_length
  b.writeUInt16BE(4 * entries.length, 10);
  entries.forEach(([type, id], i) => {
    b[12 + 4 * i] = type;
    b[13 + 4 * i] = id;
    b.writeUInt16BE(0, 14 + 4 * i);
  });
  b.writeUInt32BE(crc32Mpeg(b.subarray(0, b.length - 4)), b.length - 4);
  return b;
}

/** PES packets of one access unit: the first carries PTS (and DTS when it differs), larger units continue in more packets. */
export function pesPackets(streamId: number, payload: Buffer, pts90k: number, dts90k?: number): Buffer[] {
  const out: Buffer[] = [];
  let off = 0;
  let first = true;
  do {
    const withDts = first && dts90k !== undefined && dts90k !== pts90k;
    const hdrData = first ? (withDts ? 10 : 5) : 0;
    const chunk = payload.subarray(off, off + MAX_PES_PAYLOAD);
    const head = Buffer.alloc(9);
    head.writeUInt32BE(0x00000100 | streamId, 0);
    head.writeUInt16BE(3 + hdrData + chunk.length, 4);
    head[6] = first ? 0x84 : 0x80; // '10', data_alignment_indicator on the unit's first packet
    head[7] = first ? (withDts ? 0xc0 : 0x80) : 0x00;
    head[8] = hdrData;
    const parts: Buffer[] = [head];
    if (first && withDts) parts.push(timestamp(0x3, pts90k), timestamp(0x1, dts90k));
    else if (first) parts.push(timestamp(0x2, pts90k));
    parts.push(chunk);
    out.push(Buffer.concat(parts));
    off += chunk.length;
    first = false;
  } while (off < payload.length);
  return out;
}

/** Muxes access units into PS packs: every unit gets a pack header, keyframes also the system header and PSM. */
export class PsMuxer {
  constructor(
    readonly video: PsVideoCodec,
    readonly audio: PsAudioCodec,
  ) {}

  /** One video access unit (Annex B, start codes included) → one PS pack. */
  videoPack(au: Buffer, pts90k: number, key: boolean, dts90k?: number): Buffer {
    const parts = [packHeader(dts90k ?? pts90k)];
    if (key) parts.push(systemHeader(this.audio !== 'none'), programStreamMap(this.video, this.audio));
    parts.push(...pesPackets(VIDEO_STREAM_ID, au, pts90k, dts90k));
    return Buffer.concat(parts);
  }

  /** One audio frame (G.711 samples, or an ADTS AAC frame) → one PS pack. */
  audioPack(frame: Buffer, pts90k: number): Buffer {
    return Buffer.concat([packHeader(pts90k), ...pesPackets(AUDIO_STREAM_ID, frame, pts90k)]);
  }
}
