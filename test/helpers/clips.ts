// Test helper: generates (once, cached by parameters) field-shaped test clips with ffmpeg: H.264/H.265, B-frames, AAC/G.711/no audio.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FFMPEG_BIN, run, runFfmpeg } from './ffmpeg';

/** Where generated clips are cached (git-ignored). */
export const GENERATED_DIR = fileURLToPath(new URL('../fixtures/generated/', import.meta.url));

export interface ClipOptions {
  /** Default 1280. */
  width?: number;
  /** Default 720. */
  height?: number;
  /** Integer frames per second; default 25. One keyframe per second (GOP = fps). */
  fps?: number;
  /** Whole seconds; default 10. */
  seconds?: number;
  /** Target video bitrate; default 2000. */
  bitrateKbps?: number;
  /**
   * Audio track (1 kHz sine, mono): true or 'aac' (AAC-LC, the default), 'alaw' / 'mulaw' (G.711 at 8 kHz, the usual
   * audio of Chinese cameras; stored in a QuickTime .mov), or false (no audio: most CCTV cameras).
   */
  audio?: boolean | ClipAudio;
  /** Video codec; default 'h264'. 'h265' clips are HEVC Main (hvc1). */
  codec?: ClipCodec;
  /** B-frames between references (x264/x265 default is 3); default 0. */
  bframes?: number;
  /** Seconds between keyframes (GOP length); default 1. Must give a whole number of frames. */
  gopSeconds?: number;
  /**
   * AAC sample rate; default 16000 (common on IP cameras). Each AAC frame is one RTP packet, so
   * 48000 triples the audio packet rate (and the fake camera's CPU cost for audio).
   */
  audioSampleRate?: 8000 | 16000 | 22050 | 24000 | 32000 | 44100 | 48000;
  /** File name prefix (letters, digits, '-', '_'); default 'clip'. The parameters are always appended. */
  name?: string;
}

export type ClipCodec = 'h264' | 'h265';
export type ClipAudio = 'aac' | 'alaw' | 'mulaw';

/** Bump when the encoding recipe changes, so stale cached clips are not reused. */
const RECIPE_VERSION = 3;

const inFlight = new Map<string, Promise<string>>();

/**
 * Returns the path of a clip: testsrc2 pattern with the frame number and timestamp burnt in (when ffmpeg has drawtext
 * and a font is found), H.264 Main (or H.265 Main) with `bframes` B-frames, constant GOP of `gopSeconds` (no scene-cut
 * keyframes), ~bitrateKbps, plus an optional sine track (AAC in MP4, G.711 in .mov). Generated once under
 * test/fixtures/generated/ and reused; concurrent callers (also in other processes) are safe: each writes a temp file
 * and renames it into place.
 */
export function ensureClip(opts: ClipOptions = {}): Promise<string> {
  const width = opts.width ?? 1280;
  const height = opts.height ?? 720;
  const fps = opts.fps ?? 25;
  const seconds = opts.seconds ?? 10;
  const bitrateKbps = opts.bitrateKbps ?? 2000;
  const audio: ClipAudio | null = opts.audio === undefined || opts.audio === true ? 'aac' : opts.audio === false ? null : opts.audio;
  const g711 = audio === 'alaw' || audio === 'mulaw';
  const audioSampleRate = g711 ? 8000 : (opts.audioSampleRate ?? 16000);
  const codec = opts.codec ?? 'h264';
  const bframes = opts.bframes ?? 0;
  const gopSeconds = opts.gopSeconds ?? 1;
  const name = opts.name ?? 'clip';
  if (!Number.isInteger(bframes) || bframes < 0 || bframes > 16) throw new Error(`ensureClip: bframes must be 0..16, got ${bframes}`);
  if (!(gopSeconds > 0) || !Number.isInteger(gopSeconds * fps)) throw new Error(`ensureClip: gopSeconds ${gopSeconds} must give whole frames at ${fps} fps`);
  for (const [key, value] of Object.entries({ width, height, fps, seconds, bitrateKbps })) {
    if (!Number.isInteger(value) || value <= 0) throw new Error(`ensureClip: ${key} must be a positive integer, got ${value}`);
  }
  if (width % 2 !== 0 || height % 2 !== 0) throw new Error(`ensureClip: ${width}x${height} must be even (yuv420p)`);
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`ensureClip: bad name ${JSON.stringify(name)}`);

  const audioTag = audio ? `${audio}${Math.round(audioSampleRate / 1000)}k` : 'noaudio';
  const videoTag = `${codec}${bframes ? `-bf${bframes}` : ''}${gopSeconds !== 1 ? `-gop${gopSeconds}s` : ''}`;
  const file = join(
    GENERATED_DIR,
    `${name}-${videoTag}-${width}x${height}-${fps}fps-${seconds}s-${bitrateKbps}k-${audioTag}-r${RECIPE_VERSION}.${g711 ? 'mov' : 'mp4'}`,
  );
  let pending = inFlight.get(file);
  if (!pending) {
    pending = generate(file, { width, height, fps, seconds, bitrateKbps, audio, audioSampleRate, codec, bframes, gopSeconds });
    inFlight.set(file, pending);
    pending.catch(() => inFlight.delete(file));
  }
  return pending;
}

async function generate(
  file: string,
  o: {
    width: number;
    height: number;
    fps: number;
    seconds: number;
    bitrateKbps: number;
    audio: ClipAudio | null;
    audioSampleRate: number;
    codec: ClipCodec;
    bframes: number;
    gopSeconds: number;
  },
): Promise<string> {
  if (await isNonEmptyFile(file)) return file;
  await mkdir(GENERATED_DIR, { recursive: true });
  const ext = file.endsWith('.mov') ? 'mov' : 'mp4';
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}.${ext}`;
  const gop = String(Math.round(o.gopSeconds * o.fps));

  const overlay = await drawtextFilter(o.height);
  const args = ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${o.width}x${o.height}:rate=${o.fps}:duration=${o.seconds}`];
  if (o.audio) args.push('-f', 'lavfi', '-i', `sine=frequency=1000:sample_rate=${o.audioSampleRate}:duration=${o.seconds}`);
  args.push('-map', '0:v');
  if (overlay) args.push('-vf', overlay);
  if (o.codec === 'h264') {
    args.push(
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-profile:v',
      'main',
      '-bf',
      String(o.bframes),
      '-pix_fmt',
      'yuv420p',
      '-g',
      gop,
      '-keyint_min',
      gop,
      '-sc_threshold',
      '0',
    );
  } else {
    // x265: closed GOPs of fixed length, no scene cuts, B-frames as asked; hvc1 tag so MP4/MOV players recognise it.
    args.push(
      '-c:v',
      'libx265',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-tag:v',
      'hvc1',
      '-x265-params',
      `log-level=error:keyint=${gop}:min-keyint=${gop}:scenecut=0:open-gop=0:bframes=${o.bframes}`,
    );
  }
  args.push('-b:v', `${o.bitrateKbps}k`, '-maxrate', `${o.bitrateKbps}k`, '-bufsize', `${o.bitrateKbps}k`);
  if (o.audio === 'aac') {
    const audioKbps = o.audioSampleRate <= 24000 ? 32 : 64;
    args.push('-map', '1:a', '-c:a', 'aac', '-b:a', `${audioKbps}k`, '-ac', '1', '-ar', String(o.audioSampleRate));
  } else if (o.audio) {
    args.push('-map', '1:a', '-c:a', o.audio === 'alaw' ? 'pcm_alaw' : 'pcm_mulaw', '-ac', '1', '-ar', '8000');
  }
  args.push('-t', String(o.seconds), '-movflags', '+faststart', '-f', ext, tmp);

  try {
    await runFfmpeg(args, { timeoutMs: 300_000 });
    await rename(tmp, file); // atomic; a concurrent generator's identical file may be replaced, harmlessly
  } finally {
    await rm(tmp, { force: true });
  }
  return file;
}

async function isNonEmptyFile(path: string): Promise<boolean> {
  try {
    const s = await stat(path);
    return s.isFile() && s.size > 0;
  } catch {
    return false;
  }
}

let drawtextFont: Promise<string | null> | undefined;

/** A font file usable by drawtext, or null when ffmpeg lacks drawtext or no font is found. */
function findDrawtextFont(): Promise<string | null> {
  drawtextFont ??= (async () => {
    try {
      const filters = await run(FFMPEG_BIN, ['-hide_banner', '-filters'], { timeoutMs: 10_000 });
      if (!/\bdrawtext\b/.test(filters.stdout)) return null;
    } catch {
      return null;
    }
    const candidates: string[] = [];
    try {
      const m = await run('fc-match', ['-f', '%{file}', 'monospace'], { timeoutMs: 10_000 });
      if (m.code === 0 && m.stdout.trim()) candidates.push(m.stdout.trim());
    } catch {
      // no fontconfig: try well-known paths
    }
    candidates.push(
      '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf',
      '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
      '/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf',
    );
    return candidates.find((f) => /\.(ttf|otf)$/i.test(f) && existsSync(f) && !/['\\:]/.test(f)) ?? null;
  })();
  return drawtextFont;
}

/** drawtext filter burning in "frame N  HH:MM:SS.mmm", or null when unavailable. */
async function drawtextFilter(height: number): Promise<string | null> {
  const font = await findDrawtextFont();
  if (!font) return null;
  const size = Math.max(12, Math.round(height / 14));
  return (
    `drawtext=fontfile='${font}':text='frame %{n}  %{pts\\:hms}':fontsize=${size}` + ':fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=8:x=24:y=h-th-24'
  );
}

/**
 * Source shapes seen in the field. Media-path tests run over these (a parameterised matrix) so that no path passes only
 * because every test clip has one shape. Short and small where size does not matter, to keep the suite cheap.
 */
export const FIELD_SHAPES = {
  /** H.264 without B-frames, AAC: the shape every early test used. */
  'h264-aac': { codec: 'h264', audio: 'aac', width: 640, height: 360, bitrateKbps: 600 },
  /** Most CCTV cameras: no audio track at all. */
  'h264-silent': { codec: 'h264', audio: false, width: 640, height: 360, bitrateKbps: 600 },
  /** x264 defaults: 3 B-frames, 2 s GOP. */
  'h264-bframes': { codec: 'h264', bframes: 3, gopSeconds: 2, audio: 'aac', width: 640, height: 360, bitrateKbps: 600 },
  /** Chinese cameras: G.711 A-law and μ-law audio at 8 kHz. */
  'h264-g711a': { codec: 'h264', audio: 'alaw', width: 640, height: 360, bitrateKbps: 600 },
  'h264-g711u': { codec: 'h264', audio: 'mulaw', width: 640, height: 360, bitrateKbps: 600 },
  /** H.265 main stream without audio, and with B-frames and G.711. */
  'h265-silent': { codec: 'h265', audio: false, width: 640, height: 360, bitrateKbps: 500 },
  'h265-bframes-g711a': { codec: 'h265', bframes: 3, gopSeconds: 2, audio: 'alaw', width: 640, height: 360, bitrateKbps: 500 },
  /** A 1080p main stream with B-frames and a 2 s GOP. */
  'h264-1080p': { codec: 'h264', bframes: 3, gopSeconds: 2, audio: 'aac', width: 1920, height: 1080, bitrateKbps: 4000 },
  /** A low-bitrate sub stream with a long (4 s) GOP and no audio. */
  'h264-sub-longgop': { codec: 'h264', audio: false, width: 352, height: 288, bitrateKbps: 192, gopSeconds: 4, fps: 15 },
} as const satisfies Record<string, ClipOptions>;

export type FieldShape = keyof typeof FIELD_SHAPES;
export const FIELD_SHAPE_NAMES = Object.keys(FIELD_SHAPES) as FieldShape[];

/** The clip of one field shape (`seconds` long, default 10). */
export function fieldClip(shape: FieldShape, seconds = 10): Promise<string> {
  return ensureClip({ ...FIELD_SHAPES[shape], seconds, name: shape });
}
