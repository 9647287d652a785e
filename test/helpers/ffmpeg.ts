// Test helper: runs the real ffmpeg / ffprobe binaries (clip generation, RTSP recording, probing outputs).
import { spawn } from 'node:child_process';

export const FFMPEG_BIN = 'ffmpeg';
export const FFPROBE_BIN = 'ffprobe';

export interface RunResult {
  /** Exit code, or null when killed by a signal (e.g. the timeout). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
  timedOut: boolean;
}

const MAX_CAPTURE_CHARS = 4 * 1024 * 1024;

/** Runs a command to completion, capturing stdout/stderr; SIGKILLs it after timeoutMs. Never rejects on a non-zero exit. */
export function run(bin: string, args: string[], opts: { timeoutMs?: number } = {}): Promise<RunResult> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const startMs = Date.now();
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (stdout.length < MAX_CAPTURE_CHARS) stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-64 * 1024);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${bin}: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, elapsedMs: Date.now() - startMs, timedOut });
    });
  });
}

/** Runs ffmpeg (with -nostdin -hide_banner prepended); rejects with its stderr unless it exits 0. */
export async function runFfmpeg(args: string[], opts: { timeoutMs?: number } = {}): Promise<RunResult> {
  const res = await run(FFMPEG_BIN, ['-nostdin', '-hide_banner', ...args], opts);
  if (res.code !== 0) {
    throw new Error(`ffmpeg ${args.join(' ')} failed (${res.timedOut ? 'timed out' : `exit ${res.code ?? res.signal}`}):\n${res.stderr.trim()}`);
  }
  return res;
}

export interface ProbeStream {
  index: number;
  codec_type: 'video' | 'audio' | 'data' | 'subtitle' | string;
  codec_name?: string;
  profile?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  sample_rate?: string;
  channels?: number;
  has_b_frames?: number;
  start_time?: string;
  duration?: string;
  nb_frames?: string;
}

export interface ProbeResult {
  streams: ProbeStream[];
  format: { format_name?: string; start_time?: string; duration?: string; size?: string; bit_rate?: string };
}

/** ffprobe -show_streams -show_format of a file (or URL). */
export async function ffprobe(input: string, opts: { timeoutMs?: number } = {}): Promise<ProbeResult> {
  const res = await run(FFPROBE_BIN, ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', input], opts);
  if (res.code !== 0) throw new Error(`ffprobe ${input} failed: ${res.stderr.trim()}`);
  const parsed = JSON.parse(res.stdout) as Partial<ProbeResult>;
  return { streams: parsed.streams ?? [], format: parsed.format ?? {} };
}

export interface ProbePacket {
  streamIndex: number;
  /** Seconds; null when the packet has no timestamp. */
  ptsTime: number | null;
  dtsTime: number | null;
  durationTime: number | null;
  sizeBytes: number;
  keyframe: boolean;
}

/** Every packet of a file, in file order (ffprobe -show_packets). */
export async function probePackets(file: string, opts: { timeoutMs?: number } = {}): Promise<ProbePacket[]> {
  const res = await run(
    FFPROBE_BIN,
    ['-v', 'error', '-show_entries', 'packet=stream_index,pts_time,dts_time,duration_time,size,flags', '-of', 'json', file],
    opts,
  );
  if (res.code !== 0) throw new Error(`ffprobe -show_packets ${file} failed: ${res.stderr.trim()}`);
  const num = (v: unknown): number | null => {
    const n = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : NaN;
    return Number.isFinite(n) ? n : null;
  };
  const packets = (JSON.parse(res.stdout) as { packets?: Record<string, unknown>[] }).packets ?? [];
  return packets.map((p) => ({
    streamIndex: Number(p.stream_index),
    ptsTime: num(p.pts_time),
    dtsTime: num(p.dts_time),
    durationTime: num(p.duration_time),
    sizeBytes: Number(p.size ?? 0),
    keyframe: typeof p.flags === 'string' && p.flags.includes('K'),
  }));
}

/**
 * Bitstream filter for `-c copy` of an RTSP source with B-frames: ffmpeg 5.1's RTSP demuxer gives the first video
 * packet neither PTS nor DTS (RTP carries only the PTS, and with frame reordering it cannot derive the DTS yet), so
 * the MPEG-TS muxer refuses it ("first pts and dts value must be set"); by then ffmpeg has guessed the DTS, and this
 * sets the missing PTS to it. A no-op for packets that have a PTS (all others, and every packet of a stream without
 * B-frames, whose PTS the muxer would set to the DTS anyway).
 */
export const RTSP_COPY_VIDEO_BSF = 'setts=pts=if(eq(PTS\\,NOPTS)\\,DTS\\,PTS)';

/**
 * Records an RTSP stream with `ffmpeg -rtsp_transport T -i URL -t SECONDS -c copy OUT` (output format
 * from the extension, e.g. .ts / .mp4 / .mkv; or `format`), with RTSP_COPY_VIDEO_BSF so that sources with B-frames
 * record too. Rejects with ffmpeg's stderr on failure.
 */
export function recordRtsp(
  url: string,
  outFile: string,
  opts: { seconds: number; transport?: 'tcp' | 'udp'; timeoutMs?: number; format?: string },
): Promise<RunResult> {
  return runFfmpeg(
    [
      '-v',
      'error',
      '-y',
      '-rtsp_transport',
      opts.transport ?? 'tcp',
      '-timeout',
      '5000000', // socket I/O timeout, microseconds
      '-i',
      url,
      '-t',
      String(opts.seconds),
      '-c',
      'copy',
      '-bsf:v',
      RTSP_COPY_VIDEO_BSF,
      ...(opts.format ? ['-f', opts.format] : []),
      outFile,
    ],
    { timeoutMs: opts.timeoutMs ?? opts.seconds * 1000 + 20_000 },
  );
}
