// Test helper: generates (once, cached by parameters) pre-encoded H.264/AAC test clips with ffmpeg.
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
  /** Mono AAC-LC 1 kHz sine tone; default true. */
  audio?: boolean;
  /**
   * AAC sample rate; default 16000 (common on IP cameras). Each AAC frame is one RTP packet, so
   * 48000 triples the audio packet rate (and the fake camera's CPU cost for audio).
   */
  audioSampleRate?: 8000 | 16000 | 22050 | 24000 | 32000 | 44100 | 48000;
  /** File name prefix (letters, digits, '-', '_'); default 'clip'. The parameters are always appended. */
  name?: string;
}

/** Bump when the encoding recipe changes, so stale cached clips are not reused. */
const RECIPE_VERSION = 2;

const inFlight = new Map<string, Promise<string>>();

/**
 * Returns the path of an MP4 (faststart) clip: testsrc2 pattern with the frame number and timestamp
 * burnt in (when ffmpeg has drawtext and a font is found), H.264 Main profile without B-frames,
 * constant GOP (a keyframe every second, no scene-cut keyframes), ~bitrateKbps, plus an optional AAC
 * sine track. Generated once under test/fixtures/generated/ and reused; concurrent callers (also in
 * other processes) are safe: each writes a temp file and renames it into place.
 */
export function ensureClip(opts: ClipOptions = {}): Promise<string> {
  const width = opts.width ?? 1280;
  const height = opts.height ?? 720;
  const fps = opts.fps ?? 25;
  const seconds = opts.seconds ?? 10;
  const bitrateKbps = opts.bitrateKbps ?? 2000;
  const audio = opts.audio ?? true;
  const audioSampleRate = opts.audioSampleRate ?? 16000;
  const name = opts.name ?? 'clip';
  for (const [key, value] of Object.entries({ width, height, fps, seconds, bitrateKbps })) {
    if (!Number.isInteger(value) || value <= 0) throw new Error(`ensureClip: ${key} must be a positive integer, got ${value}`);
  }
  if (width % 2 !== 0 || height % 2 !== 0) throw new Error(`ensureClip: ${width}x${height} must be even (yuv420p)`);
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`ensureClip: bad name ${JSON.stringify(name)}`);

  const audioTag = audio ? `aac${Math.round(audioSampleRate / 1000)}k` : 'noaudio';
  const file = join(
    GENERATED_DIR,
    `${name}-${width}x${height}-${fps}fps-${seconds}s-${bitrateKbps}k-${audioTag}-r${RECIPE_VERSION}.mp4`,
  );
  let pending = inFlight.get(file);
  if (!pending) {
    pending = generate(file, { width, height, fps, seconds, bitrateKbps, audio, audioSampleRate });
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
    audio: boolean;
    audioSampleRate: number;
  },
): Promise<string> {
  if (await isNonEmptyFile(file)) return file;
  await mkdir(GENERATED_DIR, { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}.mp4`;

  const overlay = await drawtextFilter(o.height);
  const args = [
    '-v', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${o.width}x${o.height}:rate=${o.fps}:duration=${o.seconds}`,
  ];
  if (o.audio) args.push('-f', 'lavfi', '-i', `sine=frequency=1000:sample_rate=${o.audioSampleRate}:duration=${o.seconds}`);
  args.push('-map', '0:v');
  if (overlay) args.push('-vf', overlay);
  args.push(
    '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'main', '-bf', '0', '-pix_fmt', 'yuv420p',
    '-g', String(o.fps), '-keyint_min', String(o.fps), '-sc_threshold', '0',
    '-b:v', `${o.bitrateKbps}k`, '-maxrate', `${o.bitrateKbps}k`, '-bufsize', `${o.bitrateKbps}k`,
  );
  if (o.audio) {
    const audioKbps = o.audioSampleRate <= 24000 ? 32 : 64;
    args.push('-map', '1:a', '-c:a', 'aac', '-b:a', `${audioKbps}k`, '-ac', '1', '-ar', String(o.audioSampleRate));
  }
  args.push('-t', String(o.seconds), '-movflags', '+faststart', '-f', 'mp4', tmp);

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
    `drawtext=fontfile='${font}':text='frame %{n}  %{pts\\:hms}':fontsize=${size}` +
    ':fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=8:x=24:y=h-th-24'
  );
}
