// GB/T 28181 device simulator: loads a clip once with ffmpeg into Annex B access units (H.264/H.265) and audio frames (G.711A or AAC ADTS).
import { spawn } from 'node:child_process';
import type { PsAudioCodec, PsVideoCodec } from './ps-mux';

export interface VideoUnit {
  data: Buffer;
  key: boolean;
}

export interface LoadedClip {
  video: PsVideoCodec;
  audio: PsAudioCodec;
  fps: number;
  units: VideoUnit[];
  /** Audio frames with their offset from the loop's start in 90 kHz ticks. */
  audioFrames: Array<{ data: Buffer; t90k: number }>;
  /** One loop's length in 90 kHz ticks (units / fps). */
  loop90k: number;
}

interface Probe {
  codec: string;
  fps: number;
  bframes: number;
  hasAudio: boolean;
}

function collect(bin: string, args: string[], fds: number): Promise<{ code: number | null; outs: Buffer[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const stdio: Array<'ignore' | 'pipe'> = ['ignore', 'pipe', 'pipe'];
    for (let i = 3; i < 3 + fds - 1; i++) stdio.push('pipe');
    const child = spawn(bin, args, { stdio });
    const outs: Buffer[][] = [];
    let stderr = '';
    for (let fd = 0; fd < fds; fd++) {
      outs.push([]);
      const stream = child.stdio[fd === 0 ? 1 : fd + 2] as NodeJS.ReadableStream;
      stream.on('data', (d: Buffer) => outs[fd].push(d));
    }
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, outs: outs.map((o) => Buffer.concat(o)), stderr }));
  });
}

async function probe(path: string): Promise<Probe> {
  const r = await collect('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', path], 1);
  if (r.code !== 0) throw new Error(`ffprobe ${path}: ${r.stderr}`);
  const streams = (JSON.parse(r.outs[0].toString()) as { streams: Array<Record<string, string | number>> }).streams;
  const v = streams.find((s) => s.codec_type === 'video');
  if (!v) throw new Error(`${path}: no video stream`);
  const [num, den] = String(v.avg_frame_rate ?? v.r_frame_rate ?? '25/1')
    .split('/')
    .map(Number);
  const fps = num && den ? num / den : 25;
  return {
    codec: String(v.codec_name),
    fps: fps > 0 && fps < 121 ? fps : 25,
    bframes: Number(v.has_b_frames ?? 0),
    hasAudio: streams.some((s) => s.codec_type === 'audio'),
  };
}

/** NAL units of an Annex B stream (start code stripped) with their offsets (start code included). */
function nalStarts(buf: Buffer): number[] {
  const starts: number[] = [];
  for (let i = 0; i + 3 < buf.length; i++) {
    if (buf[i] === 0 && buf[i + 1] === 0 && buf[i + 2] === 1) {
      starts.push(i > 0 && buf[i - 1] === 0 ? i - 1 : i);
      i += 2;
    }
  }
  return starts;
}

/**
 * Splits Annex B into access units (H.264 7.4.1.2.3 / H.265 7.4.2.4.4): a unit begins at an AUD, parameter sets or SEI
 * after a picture, or a slice that starts a new picture (first_mb_in_slice = 0 / first_slice_segment_in_pic_flag).
 */
export function splitAccessUnits(buf: Buffer, codec: PsVideoCodec): VideoUnit[] {
  const starts = nalStarts(buf);
  const units: VideoUnit[] = [];
  let unitStart = -1;
  let seenVcl = false;
  let key = false;
  for (const s of starts) {
    const hdr = buf[s + 2] === 1 ? s + 3 : s + 4;
    let vcl: boolean;
    let firstOfPicture = false;
    let boundary: boolean;
    let isKey: boolean;
    if (codec === 'h264') {
      const type = buf[hdr] & 0x1f;
      vcl = type >= 1 && type <= 5;
      if (vcl) firstOfPicture = (buf[hdr + 1] & 0x80) !== 0;
      isKey = type === 5;
      boundary = type === 9 || type === 7 || type === 8 || type === 6 || (type >= 14 && type <= 18);
    } else {
      const type = (buf[hdr] >> 1) & 0x3f;
      vcl = type <= 31;
      if (vcl) firstOfPicture = (buf[hdr + 2] & 0x80) !== 0;
      isKey = type >= 16 && type <= 23;
      boundary = type === 35 || type === 32 || type === 33 || type === 34 || type === 39 || (type >= 41 && type <= 44);
    }
    if (unitStart >= 0 && seenVcl && (boundary || (vcl && firstOfPicture))) {
      units.push({ data: buf.subarray(unitStart, s), key });
      unitStart = s;
      seenVcl = false;
      key = false;
    }
    if (unitStart < 0) unitStart = s;
    if (vcl) seenVcl = true;
    if (isKey) key = true;
  }
  if (unitStart >= 0 && seenVcl) units.push({ data: buf.subarray(unitStart), key });
  return units;
}

/** ADTS frames (AAC) with their sample counts. */
function splitAdts(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let off = 0;
  while (off + 7 <= buf.length && buf[off] === 0xff && (buf[off + 1] & 0xf0) === 0xf0) {
    const len = ((buf[off + 3] & 0x03) << 11) | (buf[off + 4] << 3) | (buf[off + 5] >> 5);
    if (len < 7) break;
    out.push(buf.subarray(off, off + len));
    off += len;
  }
  return out;
}

const AAC_RATE = 16000;
const G711_FRAME_BYTES = 320; // 40 ms at 8 kHz

/**
 * Reads `path` through ffmpeg: video copied to Annex B when it is already `video` without B-frames (else re-encoded,
 * one keyframe a second, no B-frames), audio transcoded to G.711A 8 kHz mono (or AAC ADTS); a clip without audio gets
 * G.711A silence so the PS still carries the audio stream a device would.
 */
export async function loadClip(path: string, video: PsVideoCodec, audio: PsAudioCodec): Promise<LoadedClip> {
  const p = await probe(path);
  const same = (video === 'h264' && p.codec === 'h264') || (video === 'h265' && p.codec === 'hevc');
  const gop = String(Math.round(p.fps));
  const vArgs =
    same && p.bframes === 0
      ? ['-c:v', 'copy']
      : video === 'h264'
        ? ['-c:v', 'libx264', '-preset', 'veryfast', '-bf', '0', '-g', gop]
        : ['-c:v', 'libx265', '-preset', 'veryfast', '-x265-params', `bframes=0:keyint=${gop}:log-level=error`];
  const bsf = video === 'h264' ? 'h264_mp4toannexb' : 'hevc_mp4toannexb';
  const args = [
    '-v',
    'error',
    '-i',
    path,
    '-map',
    '0:v:0',
    ...vArgs,
    ...(vArgs[1] === 'copy' ? ['-bsf:v', bsf] : []),
    '-f',
    video === 'h264' ? 'h264' : 'hevc',
    'pipe:1',
  ];
  const withAudio = audio !== 'none' && p.hasAudio;
  if (withAudio) {
    args.push('-map', '0:a:0', '-ac', '1');
    args.push(
      ...(audio === 'aac'
        ? ['-c:a', 'aac', '-ar', String(AAC_RATE), '-f', 'adts']
        : ['-c:a', audio === 'alaw' ? 'pcm_alaw' : 'pcm_mulaw', '-ar', '8000', '-f', audio]),
    );
    args.push('pipe:3');
  }
  const r = await collect('ffmpeg', args, withAudio ? 2 : 1);
  if (r.code !== 0) throw new Error(`ffmpeg could not read ${path}: ${r.stderr}`);
  const units = splitAccessUnits(r.outs[0], video);
  if (units.length === 0 || !units[0].key) throw new Error(`${path}: no access units starting with a keyframe`);
  const loop90k = Math.round((units.length * 90000) / p.fps);
  const audioFrames: LoadedClip['audioFrames'] = [];
  if (audio === 'aac' && withAudio) {
    splitAdts(r.outs[1]).forEach((data, i) => audioFrames.push({ data, t90k: Math.round((i * 1024 * 90000) / AAC_RATE) }));
  } else if (audio === 'alaw' || audio === 'mulaw') {
    const pcm = withAudio ? r.outs[1] : Buffer.alloc(Math.round((loop90k / 90000) * 8000), audio === 'alaw' ? 0xd5 : 0xff);
    for (let off = 0; off + G711_FRAME_BYTES <= pcm.length; off += G711_FRAME_BYTES) {
      audioFrames.push({ data: pcm.subarray(off, off + G711_FRAME_BYTES), t90k: (off / 8000) * 90000 });
    }
  }
  return { video, audio: audio === 'aac' && !withAudio ? 'none' : audio, fps: p.fps, units, audioFrames: audioFrames.filter((a) => a.t90k < loop90k), loop90k };
}
