// Test helper: a unit publishing H.265 over Enhanced RTMP (FLV video tags with FourCC 'hvc1'), as OBS 29+ and ffmpeg 6.1+ encoders do; ffmpeg 5.1 here can do neither, so node-media-server's RTMP client speaks the protocol.
import { createRequire } from 'node:module';
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { runFfmpeg } from './ffmpeg';

const require = createRequire(import.meta.url);

interface RtmpClientLike {
  urlInfo: { streamName: string; query: Record<string, string> } | null;
  connected: boolean;
  connect(url: string): Promise<void>;
  sendConnect(): Promise<unknown>;
  sendCreateStream(): Promise<unknown>;
  sendPublish(name: string): Promise<unknown>;
  sendMetaData(meta: Record<string, unknown>): void;
  sendPacket(p: { codec_type: number; flags: number; dts: number; pts: number; size: number; data: Buffer }): void;
  disconnect(): void;
}
const RtmpClient = require('node-media-server/src/protocol/rtmp_client.js') as new () => RtmpClientLike;

const FOURCC_HVC1 = Buffer.from('hvc1');
/** onMetaData videocodecid of Enhanced RTMP: the FourCC as a number. */
const HVC1_CODEC_ID = FOURCC_HVC1.readUInt32BE(0);

interface AccessUnit {
  nals: Buffer[];
  key: boolean;
}

/** Splits an Annex B H.265 stream into NAL units. */
function splitAnnexB(data: Buffer): Buffer[] {
  const nals: Buffer[] = [];
  let start = -1;
  for (let i = 0; i + 2 < data.length; i++) {
    if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1) {
      if (start >= 0) nals.push(trimZeros(data.subarray(start, i)));
      start = i + 3;
      i += 2;
    }
  }
  if (start >= 0) nals.push(data.subarray(start));
  return nals.filter((n) => n.length > 2);
}

function trimZeros(b: Buffer): Buffer {
  let end = b.length;
  while (end > 0 && b[end - 1] === 0) end--;
  return b.subarray(0, end);
}

const nalType = (n: Buffer) => (n[0] >> 1) & 0x3f;

/** Groups NAL units into access units: a new one at each first slice of a picture (or the parameter sets before it). */
function accessUnits(nals: Buffer[]): { aus: AccessUnit[]; vps: Buffer; sps: Buffer; pps: Buffer } {
  let vps: Buffer | null = null;
  let sps: Buffer | null = null;
  let pps: Buffer | null = null;
  const aus: AccessUnit[] = [];
  let cur: AccessUnit = { nals: [], key: false };
  let curHasVcl = false;
  for (const n of nals) {
    const t = nalType(n);
    const vcl = t < 32;
    const startsPicture = vcl ? (n[2] & 0x80) !== 0 : t >= 32 && t <= 40;
    if (startsPicture && curHasVcl) {
      aus.push(cur);
      cur = { nals: [], key: false };
      curHasVcl = false;
    }
    if (t === 32) vps ??= n;
    else if (t === 33) sps ??= n;
    else if (t === 34) pps ??= n;
    if (t === 35) continue; // access unit delimiters are not carried in FLV
    cur.nals.push(n);
    if (vcl) {
      curHasVcl = true;
      if (t >= 16 && t <= 23) cur.key = true;
    }
  }
  if (curHasVcl) aus.push(cur);
  if (!vps || !sps || !pps) throw new Error('H.265 stream without VPS/SPS/PPS');
  return { aus, vps, sps, pps };
}

/** Removes emulation-prevention bytes (00 00 03). */
function rbsp(n: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < n.length; i++) {
    if (i >= 2 && n[i] === 3 && n[i - 1] === 0 && n[i - 2] === 0) continue;
    out.push(n[i]);
  }
  return Buffer.from(out);
}

/** HEVCDecoderConfigurationRecord (ISO/IEC 14496-15) with the SPS's general profile/tier/level, 4:2:0 8-bit, 4-byte lengths. */
function hvcC(vps: Buffer, sps: Buffer, pps: Buffer): Buffer {
  const s = rbsp(sps);
  const ptl = s.subarray(3, 15); // NAL header (2), vps id / max sub layers / nesting (1), then 12 bytes of general PTL
  const head = Buffer.from([
    1,
    ...ptl, // general_profile_space/tier/profile_idc, 32 compatibility flags, 48 constraint flags, level_idc
    0xf0, 0x00, // min_spatial_segmentation_idc
    0xfc, // parallelismType
    0xfd, // chromaFormat 4:2:0
    0xf8, 0xf8, // bit depths 8
    0x00, 0x00, // avgFrameRate
    0x0f, // constantFrameRate 0, numTemporalLayers 1, temporalIdNested 1, lengthSizeMinusOne 3
    3,
  ]);
  const arrays = [vps, sps, pps].map((n) => {
    const b = Buffer.alloc(5);
    b[0] = 0x80 | nalType(n);
    b.writeUInt16BE(1, 1);
    b.writeUInt16BE(n.length, 3);
    return Buffer.concat([b, n]);
  });
  return Buffer.concat([head, ...arrays]);
}

export interface ErtmpPublisher {
  /** Frames sent so far. */
  sent(): number;
  /** Disconnects (a dropped link). */
  stop(): void;
}

/**
 * Publishes the video of an H.265 clip without B-frames (e.g. fieldClip('h265-silent')) to `url`
 * (rtmp://host:port/app/name?key=...) in real time, looping, as Enhanced RTMP: a SequenceStart tag with the hvcC,
 * then CodedFramesX tags (no composition time) of 4-byte length-prefixed NAL units.
 */
export async function publishErtmpHevc(url: string, clip: string, opts: { fps?: number } = {}): Promise<ErtmpPublisher> {
  const fps = opts.fps ?? 25;
  const raw = path.join(os.tmpdir(), `argus-ertmp-${randomBytes(4).toString('hex')}.hevc`);
  await runFfmpeg(['-v', 'error', '-y', '-i', clip, '-map', '0:v:0', '-c', 'copy', '-bsf:v', 'hevc_mp4toannexb', '-f', 'hevc', raw]);
  const { aus, vps, sps, pps } = accessUnits(splitAnnexB(await readFile(raw)));
  await rm(raw, { force: true });

  const client = new RtmpClient();
  await client.connect(url);
  await client.sendConnect();
  await client.sendCreateStream();
  const q = new URL(url).search; // the unit's key travels in the stream name's query
  await client.sendPublish(`${client.urlInfo!.streamName}${q}`);
  client.sendMetaData({ videocodecid: HVC1_CODEC_ID, framerate: fps, encoder: 'argus-test ertmp' });
  const seq = Buffer.concat([Buffer.from([0x80 | (1 << 4) | 0]), FOURCC_HVC1, hvcC(vps, sps, pps)]);
  client.sendPacket({ codec_type: 9, flags: 2, dts: 0, pts: 0, size: seq.length, data: seq });

  let n = 0;
  const startMs = Date.now();
  const frameMs = 1000 / fps;
  const timer = setInterval(() => {
    if (!client.connected) return stop();
    // Send every frame that is due by now (real time, like -re).
    while (n * frameMs <= Date.now() - startMs) {
      const au = aus[n % aus.length];
      const body = Buffer.concat(au.nals.flatMap((nal) => [Buffer.from([(nal.length >>> 24) & 0xff, (nal.length >>> 16) & 0xff, (nal.length >>> 8) & 0xff, nal.length & 0xff]), nal]));
      const data = Buffer.concat([Buffer.from([0x80 | ((au.key ? 1 : 2) << 4) | 3]), FOURCC_HVC1, body]);
      const dts = Math.round(n * frameMs);
      client.sendPacket({ codec_type: 9, flags: au.key ? 3 : 4, dts, pts: dts, size: data.length, data });
      n++;
    }
  }, 10);
  let stopped = false;
  function stop(): void {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    try {
      client.disconnect();
    } catch {
      /* already gone */
    }
  }
  return { sent: () => n, stop };
}
