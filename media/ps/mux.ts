// The MPEG-PS muxer GB/T 28181 peers expect: pack header per frame, system header + PSM (H.264 0x1b / H.265 0x24, G.711/AAC) before keyframes, PES with PTS/DTS split at 65,000 bytes.
import { writeTimestamp } from './units';

/** One access unit (video) or audio packet, with 90 kHz times. */
export interface EsPacket {
  pts: number;
  dts: number;
  key: boolean;
  data: Buffer;
}

/** PSM stream types: the video's (0x1b H.264, 0x24 H.265) and the audio's (0x90 G.711A, 0x91 G.711U, 0x0f AAC) or null. */
export interface PsStreams {
  videoType: number;
  audioType: number | null;
}

const MAX_PES_PAYLOAD = 65_000;

export function packHeader(scr: number): Buffer {
  const b = Buffer.alloc(14);
  b.writeUInt32BE(0x000001ba, 0);
  const v = ((Math.round(scr) % 2 ** 33) + 2 ** 33) % 2 ** 33;
  const hi = Math.floor(v / 2 ** 30);
  const mid = Math.floor(v / 2 ** 15) & 0x7fff;
  const lo = v & 0x7fff;
  b[4] = 0x44 | (hi << 3) | (mid >> 13);
  b[5] = (mid >> 5) & 0xff;
  b[6] = ((mid & 0x1f) << 3) | 0x04 | (lo >> 13);
  b[7] = (lo >> 5) & 0xff;
  b[8] = ((lo & 0x1f) << 3) | 0x04;
  b[9] = 0x01;
  const muxRate = 50_000; // units of 50 bytes/s: 20 Mbit/s
  b[10] = (muxRate >> 14) & 0xff;
  b[11] = (muxRate >> 6) & 0xff;
  b[12] = ((muxRate & 0x3f) << 2) | 0x03;
  b[13] = 0xf8;
  return b;
}

export function systemHeader(audio: boolean): Buffer {
  const streams = audio ? 2 : 1;
  const b = Buffer.alloc(12 + 3 * streams);
  b.writeUInt32BE(0x000001bb, 0);
  b.writeUInt16BE(6 + 3 * streams, 4);
  b.writeUIntBE(0x80c351, 6, 3); // marker, rate bound, marker
  b[9] = (audio ? 1 : 0) << 2; // audio bound, not fixed, not CSPS
  b[10] = 0xe1; // locks, marker, video bound 1
  b[11] = 0xff;
  b.set([0xe0, 0xe0, 0xe8], 12);
  if (audio) b.set([0xc0, 0xc0, 0x20], 15);
  return b;
}

export function psm(videoType: number, audioType: number | null): Buffer {
  const entries = audioType === null ? 1 : 2;
  const b = Buffer.alloc(16 + 4 * entries);
  b.writeUInt32BE(0x000001bc, 0);
  b.writeUInt16BE(10 + 4 * entries, 4);
  b[6] = 0xe0;
  b[7] = 0xff;
  b.writeUInt16BE(0, 8);
  b.writeUInt16BE(4 * entries, 10);
  b.set([videoType, 0xe0, 0, 0], 12);
  if (audioType !== null) b.set([audioType, 0xc0, 0, 0], 16);
  // CRC left 0: demuxers (ffmpeg, devices' peers) do not check it.
  return b;
}

export function pes(streamId: number, data: Buffer, pts: number | null, dts: number | null): Buffer {
  const times = pts === null ? 0 : dts !== null && dts !== pts ? 10 : 5;
  const head = Buffer.alloc(9 + times);
  head.writeUInt32BE(0x00000100 | streamId, 0);
  head.writeUInt16BE(3 + times + data.length, 4);
  head[6] = 0x80;
  head[7] = times === 10 ? 0xc0 : times === 5 ? 0x80 : 0;
  head[8] = times;
  if (pts !== null) writeTimestamp(head, 9, times === 10 ? 3 : 2, pts);
  if (times === 10 && dts !== null) writeTimestamp(head, 14, 1, dts);
  return Buffer.concat([head, data]);
}

/** One video access unit as PS bytes (pack header; system header + PSM when it is a keyframe; PES). */
export function muxVideoFrame(s: PsStreams, f: EsPacket): Buffer {
  const parts: Buffer[] = [packHeader(f.dts - 3600)];
  if (f.key) parts.push(systemHeader(s.audioType !== null), psm(s.videoType, s.audioType));
  for (let i = 0; i < f.data.length; i += MAX_PES_PAYLOAD) {
    parts.push(pes(0xe0, f.data.subarray(i, i + MAX_PES_PAYLOAD), i === 0 ? f.pts : null, i === 0 ? f.dts : null));
  }
  return Buffer.concat(parts);
}

/** One audio packet as PS bytes (pack header, PES 0xc0 with PTS). */
export function muxAudioPacket(a: EsPacket): Buffer {
  return Buffer.concat([packHeader(a.pts - 3600), pes(0xc0, a.data, a.pts, null)]);
}
