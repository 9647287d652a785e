// The one module that runs ffmpeg and ffprobe (through fluent-ffmpeg): recording processes and file probing.
import fs from 'node:fs';
import path from 'node:path';
import { execFile, execFileSync, spawn as spawnChild } from 'node:child_process';
import ffmpeg from 'fluent-ffmpeg';
import { ffmpegCommand, ffmpegPaths, redactSecrets, runFfmpegProcess, signalFfmpeg, type FfmpegArgs, type FfmpegOutput, type RecordProcess } from './ffmpeg-launcher';

export { configureFfmpeg, redactSecrets, type FfmpegArgs, type FfmpegOutput, type FfmpegPaths, type RecordProcess } from './ffmpeg-launcher';

// ---------------------------------------------------------------- probing

export interface ProbeInfo {
  durationMs: number;
  videoCodec: string | null;
  audioCodec: string | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  /** Presentation time of the first packet in seconds, null if unknown. */
  startTimeS: number | null;
}

function parseRate(r: string | undefined): number | null {
  if (!r) return null;
  const [n, d] = r.split('/').map(Number);
  if (!n || !d) return null;
  return Math.round((n / d) * 100) / 100;
}

/** Probes a media file. Rejects with a readable message when the file is unreadable or holds no stream. */
export function probe(file: string, timeoutMs = 15_000): Promise<ProbeInfo> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ffprobe timed out on ${file}`)), timeoutMs);
    ffmpeg.setFfprobePath(ffmpegPaths().ffprobePath);
    ffmpeg.ffprobe(file, (err, data) => {
      clearTimeout(timer);
      if (err) return reject(new Error(`cannot read ${path.basename(file)}: ${String(err.message ?? err).split('\n').slice(-3).join(' ').trim()}`));
      const v = data.streams.find((st) => st.codec_type === 'video');
      const a = data.streams.find((st) => st.codec_type === 'audio');
      const dur = Number(data.format.duration);
      if (!v && !a) return reject(new Error(`${path.basename(file)} holds no audio or video`));
      resolve({
        durationMs: Number.isFinite(dur) ? Math.round(dur * 1000) : 0,
        videoCodec: v?.codec_name ?? null,
        audioCodec: a?.codec_name ?? null,
        width: v?.width ?? null,
        height: v?.height ?? null,
        fps: parseRate(v?.avg_frame_rate) ?? parseRate(v?.r_frame_rate),
        startTimeS: Number.isFinite(Number(data.format.start_time)) ? Number(data.format.start_time) : null,
      });
    });
  });
}

// ---------------------------------------------------------------- recording and relaying

/** Where a stream is copied into the media hub: a second, separate output (never the tee muxer). */
export interface RelayOutput {
  /** rtmp:// URL of the hub stream; carries the hub's internal secret, so it is redacted from every log line. */
  url: string;
  /** Relay the first audio stream too (false once FLV refused the camera's audio codec). */
  audio: boolean;
  /**
   * Convert the relayed audio to AAC (video stays a stream copy): for audio a browser cannot play (G.711). Default:
   * as the recording's own audio (RecordSpec.transcodeAudio), copied otherwise.
   */
  audioToAac?: boolean;
}

export interface RecordSpec {
  /** Input URL including credentials: rtsp(s):// for cameras, rtmp:// (the hub) for mobile units. */
  inputUrl: string;
  /** RTSP transport (ignored for other inputs). */
  transport: 'tcp' | 'udp';
  /** Directory that receives the segments; created if missing. */
  outDir: string;
  /** File name prefix, unique per run (e.g. the run's start time in ms). */
  filePrefix: string;
  segmentSeconds: number;
  /** Transcode audio to AAC (for camera audio MPEG-TS cannot carry, e.g. G.711); video is never re-encoded. */
  transcodeAudio: boolean;
  /** Socket I/O timeout for the input, seconds. */
  ioTimeoutS: number;
  /** Also copy the stream into the media hub (live view), or null. */
  relay?: RelayOutput | null;
  /** Stamp packets with the server clock (for sources whose own timestamps do not advance). */
  wallclockTimestamps?: boolean;
}

/** A relay-only process (a camera's sub stream): input copied into the hub, nothing recorded. */
export interface RelaySpec {
  inputUrl: string;
  transport: 'tcp' | 'udp';
  ioTimeoutS: number;
  relay: RelayOutput;
}

export interface RecordCallbacks {
  /** ffmpeg opened a new segment file (absolute path). */
  onSegmentOpened(file: string): void;
  /** ffmpeg closed a segment: stream times in seconds as reported by the segment muxer. */
  onSegmentClosed(file: string, startS: number, endS: number): void;
  /** Output time reached, in seconds of stream time (about once a second). */
  onProgress(outTimeS: number): void;
  /** The input's streams as ffmpeg reported them at start (once per run). */
  onStreamInfo?(info: StreamInfo): void;
  /** The process ended; `error` is null on a clean exit. `stderrTail` are the last log lines (secrets redacted). */
  onExit(error: string | null, stderrTail: string[]): void;
}

export type RelayCallbacks = Pick<RecordCallbacks, 'onProgress' | 'onExit'>;

/** What the input carries, from ffmpeg's own "Stream #0:n" lines (saves an ffprobe per segment). */
export interface StreamInfo {
  videoCodec: string | null;
  audioCodec: string | null;
  width: number | null;
  height: number | null;
  fps: number | null;
}

const STREAM_LINE = /Stream #0:\d+(?:\[[^\]]*\])?(?:\([^)]*\))?: (Video|Audio): (\w+)(.*)$/;

/** Folds one line of ffmpeg's input description into `info`; returns true when the line was a stream line. */
export function parseStreamLine(line: string, info: StreamInfo): boolean {
  const m = STREAM_LINE.exec(line);
  if (!m) return false;
  if (m[1] === 'Video' && info.videoCodec === null) {
    info.videoCodec = m[2];
    const res = /\b(\d{2,5})x(\d{2,5})\b/.exec(m[3]);
    if (res) {
      info.width = Number(res[1]);
      info.height = Number(res[2]);
    }
    const fps = /([\d.]+)(k?) fps/.exec(m[3]) ?? /([\d.]+)(k?) tbr/.exec(m[3]);
    if (fps) info.fps = Math.round(Number(fps[1]) * (fps[2] ? 1000 : 1) * 100) / 100;
  } else if (m[1] === 'Audio' && info.audioCodec === null) {
    info.audioCodec = m[2];
  }
  return true;
}

export type RecordLauncher = (spec: RecordSpec, cb: RecordCallbacks) => RecordProcess;
export type RelayLauncher = (spec: RelaySpec, cb: RelayCallbacks) => RecordProcess;

/** The output file pattern used for a run: `<prefix>-000000.ts`, `<prefix>-000001.ts`, ... */
export function segmentPattern(spec: Pick<RecordSpec, 'outDir' | 'filePrefix'>): string {
  return path.join(spec.outDir, `${spec.filePrefix}-%06d.ts`);
}

/** True for a file name the recorder writes. */
export function isSegmentFileName(name: string): boolean {
  return /^\d+-\d{6}\.ts$/.test(name);
}

function scheme(url: string): string {
  return (/^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1] ?? '').toLowerCase();
}

/** Input options by input kind: RTSP transport and socket timeout only for rtsp(s); rw_timeout for rtmp (-timeout would mean "listen" there). */
function inputOptions(url: string, transport: 'tcp' | 'udp', ioTimeoutS: number): string[] {
  const us = String(Math.round(ioTimeoutS * 1_000_000));
  const kind = scheme(url);
  const opts: string[] = [];
  if (kind === 'rtsp' || kind === 'rtsps') opts.push('-rtsp_transport', transport, '-timeout', us);
  else if (kind === 'rtmp' || kind === 'rtmps') opts.push('-rw_timeout', us);
  opts.push('-analyzeduration', '2000000', '-fflags', '+genpts+discardcorrupt');
  return opts;
}

/**
 * The relay output: stream copy into FLV over RTMP (audio converted to AAC when asked: G.711 at 8 kHz costs about 0.13 %
 * of a core, see docs/design/live.md). A write that blocks longer than 5 s fails the relay instead of stalling the process.
 */
function relayOutput(r: RelayOutput): FfmpegOutput {
  const codecs = r.audio && r.audioToAac ? ['-c:v', 'copy', '-c:a', 'aac', '-b:a', '32k'] : ['-c', 'copy'];
  return {
    output: r.url,
    options: ['-map', '0:v:0', ...(r.audio ? ['-map', '0:a:0?'] : []), ...codecs, '-bsf:v', FILL_MISSING_PTS_BSF, '-rw_timeout', '5000000', '-f', 'flv', '-flvflags', 'no_duration_filesize'],
  };
}

/**
 * Video bitstream filter for every stream-copy output. Over RTSP, the first frame of a source with B-frames reaches the
 * muxer without a presentation time (ffmpeg's H.264/H.265 parser cannot place it before it has seen the reordering), and
 * MPEG-TS and FLV refuse a first packet without one ("first pts and dts value must be set"). Such a packet gets its
 * decode time as presentation time: the timestamps are unchanged for every packet that had them.
 */
export const FILL_MISSING_PTS_BSF = 'setts=pts=if(eq(PTS\\,NOPTS)\\,DTS\\,PTS)';

/** Audio codecs MPEG-TS carries as playable audio; anything else (G.711, ADPCM, raw PCM) is stored as AAC. */
const TS_AUDIO_CODECS = new Set(['aac', 'mp2', 'mp3', 'ac3', 'eac3', 'opus']);

/** True when the recorder must convert this audio codec (as ffmpeg names it) to AAC to store it playable. */
export function audioNeedsTranscode(codec: string | null): boolean {
  return codec !== null && !TS_AUDIO_CODECS.has(codec);
}

export function recordArgs(spec: RecordSpec): FfmpegArgs {
  const record: FfmpegOutput = {
    output: segmentPattern(spec),
    options: [
      '-map', '0:v:0', '-map', '0:a:0?',
      '-c:v', 'copy', '-bsf:v', FILL_MISSING_PTS_BSF,
      ...(spec.transcodeAudio ? ['-c:a', 'aac', '-b:a', '32k'] : ['-c:a', 'copy']),
      '-max_muxing_queue_size', '1024',
      '-f', 'segment',
      '-segment_format', 'mpegts',
      '-segment_time', String(spec.segmentSeconds),
      '-segment_format_options', 'flush_packets=1',
      '-reset_timestamps', '0',
      '-segment_list', 'pipe:1',
      '-segment_list_type', 'csv',
      '-segment_list_flags', '+live',
    ],
  };
  return {
    input: spec.inputUrl,
    inputOptions: [...inputOptions(spec.inputUrl, spec.transport, spec.ioTimeoutS), ...(spec.wallclockTimestamps ? ['-use_wallclock_as_timestamps', '1'] : [])],
    outputs: spec.relay ? [relayOutput({ audioToAac: spec.transcodeAudio, ...spec.relay }), record] : [record],
  };
}

export function relayArgs(spec: RelaySpec): FfmpegArgs {
  return {
    input: spec.inputUrl,
    inputOptions: inputOptions(spec.inputUrl, spec.transport, spec.ioTimeoutS),
    outputs: [relayOutput(spec.relay)],
  };
}

const OPENING = /Opening '([^']+)' for writing/;

/** Starts one recording ffmpeg (segments, plus the relay output when the spec has one). */
export const launchRecording: RecordLauncher = (spec, cb) => {
  fs.mkdirSync(spec.outDir, { recursive: true });
  const outDir = path.resolve(spec.outDir);
  const info: StreamInfo = { videoCodec: null, audioCodec: null, width: null, height: null, fps: null };
  let inInput = true;
  return runFfmpegProcess(recordArgs(spec), {
    onStdoutLine: (line) => {
      const m = /^(.*),(-?[\d.]+),(-?[\d.]+)$/.exec(line);
      if (m) cb.onSegmentClosed(path.resolve(spec.outDir, path.basename(m[1])), Number(m[2]), Number(m[3]));
    },
    onLogLine: (line) => {
      if (inInput) {
        // The input's description ends at the first output line: the segment list or first segment being opened (before
        // anything was muxed into it), or "Output #" / "Stream mapping:". The recorder may still change its mind then
        // (e.g. G.711 audio must be converted) without a packet written.
        if (OPENING.test(line) || /^(\[\w+\]\s*)?(Output #|Stream mapping:)/.test(line)) {
          inInput = false;
          if (info.videoCodec !== null || info.audioCodec !== null) cb.onStreamInfo?.({ ...info });
        } else if (parseStreamLine(line, info)) return;
      }
      const om = OPENING.exec(line);
      if (om && path.dirname(path.resolve(om[1])) === outDir) cb.onSegmentOpened(path.resolve(om[1]));
    },
    onProgress: (t) => cb.onProgress(t),
    onExit: (err, tail) => cb.onExit(err, tail),
  });
};

/**
 * Rewrites a segment in place whose G.711 audio MPEG-TS stored as a private data stream (bytes ffmpeg cannot read back
 * as audio): the raw G.711 bytes are taken out and put back as AAC beside the copied video. Used only for the first
 * moments of a G.711 source, written before the recorder knew it had to convert the audio.
 */
export async function restoreG711Audio(file: string, codec: 'pcm_alaw' | 'pcm_mulaw', timeoutMs = 20_000): Promise<void> {
  const run = (args: string[]) =>
    new Promise<void>((resolve, reject) => {
      execFile(ffmpegPaths().ffmpegPath, ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args], { timeout: timeoutMs }, (err, _out, stderr) =>
        err ? reject(new Error(`ffmpeg: ${String(stderr).trim().split('\n').slice(-2).join(' ') || err.message}`)) : resolve(),
      );
    });
  const raw = `${file}.g711`;
  const tmp = `${file}.aac.ts`;
  try {
    await run(['-i', file, '-map', '0:d:0', '-c', 'copy', '-f', 'data', raw]);
    const fmt = codec === 'pcm_alaw' ? 'alaw' : 'mulaw';
    await run(['-i', file, '-f', fmt, '-ar', '8000', '-ac', '1', '-i', raw, '-map', '0:v:0', '-map', '1:a:0', '-c:v', 'copy', '-c:a', 'aac', '-b:a', '32k', '-f', 'mpegts', tmp]);
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(raw, { force: true });
    fs.rmSync(tmp, { force: true });
  }
}

/** Starts one relay-only ffmpeg (stream copy of an input into the hub). */
export const launchRelay: RelayLauncher = (spec, cb) =>
  runFfmpegProcess(relayArgs(spec), { onProgress: (t) => cb.onProgress(t), onExit: (err, tail) => cb.onExit(err, tail) });

/** `ffmpeg -version` first line, or null if ffmpeg cannot run. */
export function ffmpegVersion(): string | null {
  try {
    return execFileSync(ffmpegPaths().ffmpegPath, ['-version'], { encoding: 'utf8' }).split('\n')[0] ?? null;
  } catch {
    return null;
  }
}

// ================================================================ field uplink agent (issue 5, agent/)

/** What a unit pushes: the synthetic test picture, a video file (looped) or a V4L2 device. */
export interface UplinkPushSpec {
  /** 'testsrc', a file path, or a device such as /dev/video0. */
  source: string;
  /** rtmp://host:port/live/<unit>?key=... */
  url: string;
  /** Test picture size and rate (defaults 640x360 at 15 fps). */
  size?: string;
  fps?: number;
  /** H.264 bitrate, kbit/s (default 800). */
  bitrateKbps?: number;
  /** Text drawn on the test picture (the callsign). */
  label?: string;
}

export function uplinkPushArgs(spec: UplinkPushSpec): FfmpegArgs {
  const fps = spec.fps ?? 15;
  let input = spec.source;
  let inputOptions: string[];
  if (spec.source === 'testsrc') {
    input = `testsrc2=size=${spec.size ?? '640x360'}:rate=${fps}`;
    inputOptions = ['-re', '-f', 'lavfi'];
  } else if (spec.source.startsWith('/dev/video')) inputOptions = ['-f', 'v4l2', '-framerate', String(fps)];
  else inputOptions = ['-re', '-stream_loop', '-1'];
  const kbps = spec.bitrateKbps ?? 800;
  return {
    input,
    inputOptions,
    outputs: [
      {
        output: spec.url,
        options: [
          '-map', '0:v:0',
          '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
          '-g', String(fps * 2), '-b:v', `${kbps}k`, '-maxrate', `${kbps}k`, '-bufsize', `${kbps * 2}k`,
          '-an',
          '-f', 'flv',
        ],
      },
    ],
  };
}

/** Starts one ffmpeg pushing the unit's video to the hub over RTMP; onExit tells the agent to restart it (with backoff). */
export function launchUplinkPush(spec: UplinkPushSpec, h: { onExit(error: string | null, tail: string[]): void; onProgress?(outTimeS: number): void }): RecordProcess {
  return runFfmpegProcess(uplinkPushArgs(spec), { onProgress: (t) => h.onProgress?.(t), onExit: (err, tail) => h.onExit(err, tail) });
}

// ================================================================ export and snapshots (investigation, issue 6)

/** One input file of an export piece, with optional in/out points in seconds from the file's own start. */
export interface ConcatInput {
  file: string;
  inpointS?: number;
  outpointS?: number;
}

export interface ExportRunOptions {
  /** Called with the output time reached (s). */
  onProgress?: (outTimeS: number) => void;
  /** Aborting kills ffmpeg (SIGKILL) and rejects with an Error named 'AbortError'. */
  signal?: AbortSignal;
  timeoutMs?: number;
}

function concatListText(inputs: ConcatInput[]): string {
  const lines = ['ffconcat version 1.0'];
  for (const i of inputs) {
    lines.push(`file '${path.resolve(i.file).replace(/'/g, "'\\''")}'`);
    if (i.inpointS !== undefined && i.inpointS > 0) lines.push(`inpoint ${i.inpointS.toFixed(6)}`);
    if (i.outpointS !== undefined) lines.push(`outpoint ${i.outpointS.toFixed(6)}`);
  }
  return lines.join('\n') + '\n';
}

/** Runs ffmpeg with `args` to completion; progress from `-progress pipe:1`; rejects with the stderr tail. */
function runFfmpegJob(args: string[], o: ExportRunOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) return reject(Object.assign(new Error('cancelled'), { name: 'AbortError' }));
    const child = spawnChild(ffmpegCommand(), ['-hide_banner', '-nostdin', '-loglevel', 'error', '-progress', 'pipe:1', '-nostats', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    let out = '';
    let aborted = false;
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        const m = /^out_time_us=(\d+)/.exec(line);
        if (m) o.onProgress?.(Number(m[1]) / 1e6);
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-4000)));
    const onAbort = () => {
      aborted = true;
      signalFfmpeg(child, 'SIGKILL');
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = o.timeoutMs ? setTimeout(() => signalFfmpeg(child, 'SIGKILL'), o.timeoutMs) : null;
    child.once('error', (e) => reject(e));
    child.once('close', (code) => {
      if (timer) clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      if (aborted) return reject(Object.assign(new Error('cancelled'), { name: 'AbortError' }));
      if (code === 0) return resolve();
      reject(new Error(`ffmpeg failed (exit ${code}): ${err.trim().split('\n').slice(-4).join(' | ')}`));
    });
  });
}

/**
 * Joins MPEG-TS segment pieces into one MP4 by stream copy (concat demuxer, in/out points in the files' timestamps).
 * The demuxer seeks to the first packet whose DTS is at or after an inpoint and ffmpeg drops packets until a keyframe;
 * packets whose DTS is at or after an outpoint are dropped: callers place both on frame DTS (see
 * main/services/investigation/cut-points.ts). Gaps between inputs are closed (timestamps are made contiguous).
 */
export async function concatCopyToMp4(inputs: ConcatInput[], outFile: string, o: ExportRunOptions = {}): Promise<void> {
  const list = `${outFile}.ffconcat`;
  await fs.promises.writeFile(list, concatListText(inputs));
  try {
    await runFfmpegJob(['-y', '-f', 'concat', '-safe', '0', '-i', list, '-map', '0:v:0', '-map', '0:a:0?', '-c', 'copy',
      '-avoid_negative_ts', 'make_zero', '-movflags', '+faststart', '-f', 'mp4', outFile], o);
  } finally {
    await fs.promises.rm(list, { force: true });
  }
}

/** A drawtext font file, or null (then watermarks are refused). */
export function watermarkFont(): string | null {
  const candidates = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf',
    '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', '/System/Library/Fonts/Supplemental/Arial.ttf', 'C:/Windows/Fonts/arial.ttf'];
  return candidates.find((f) => fs.existsSync(f)) ?? null;
}

function drawtextEscape(s: string): string {
  return s.replace(/[\\':%,;[\]]/g, (c) => `\\${c}`);
}

/**
 * Re-encodes one contiguous piece (segments concatenated, no gaps) to MP4 cut frame-exactly at [offsetS, offsetS + durationS)
 * of the concatenation; with `watermark`, burns in the label and the wall-clock time (UTC) of each frame, starting at wallStartMs.
 */
export async function reencodePieceToMp4(
  files: string[],
  offsetS: number,
  durationS: number,
  outFile: string,
  watermark: { label: string; wallStartMs: number } | null,
  o: ExportRunOptions = {},
): Promise<void> {
  const list = `${outFile}.ffconcat`;
  await fs.promises.writeFile(list, concatListText(files.map((file) => ({ file }))));
  const vf: string[] = ['setpts=PTS-STARTPTS'];
  if (watermark) {
    const font = watermarkFont();
    if (!font) throw new Error('no font for the watermark found');
    const epoch = (watermark.wallStartMs / 1000).toFixed(3);
    vf.push(
      `drawtext=fontfile='${font}':text='${drawtextEscape(watermark.label)}  %{pts\\:gmtime\\:${epoch}\\:%Y-%m-%d %H\\\\\\:%M\\\\\\:%S} UTC':` +
        'fontsize=h/28:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=6:x=12:y=12',
    );
  }
  const audio = files.length > 0 && (await probe(files[0]!)).audioCodec !== null;
  try {
    await runFfmpegJob(['-y', '-f', 'concat', '-safe', '0', '-i', list, '-ss', offsetS.toFixed(3), '-t', durationS.toFixed(3),
      '-map', '0:v:0', ...(audio ? ['-map', '0:a:0', '-af', 'asetpts=PTS-STARTPTS', '-c:a', 'aac', '-b:a', '64k'] : []), '-vf', vf.join(','),
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p',
      '-movflags', '+faststart', '-f', 'mp4', outFile], o);
  } finally {
    await fs.promises.rm(list, { force: true });
  }
}

/** Joins MP4 pieces of one source (same codecs) into one MP4 by stream copy. */
export async function joinMp4(pieces: string[], outFile: string, o: ExportRunOptions = {}): Promise<void> {
  const list = `${outFile}.ffconcat`;
  await fs.promises.writeFile(list, concatListText(pieces.map((file) => ({ file }))));
  try {
    await runFfmpegJob(['-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', '-movflags', '+faststart', '-f', 'mp4', outFile], o);
  } finally {
    await fs.promises.rm(list, { force: true });
  }
}

/**
 * Writes a JPEG of the frame shown at offsetS into a media file (decoding from the keyframe before: frame-exact).
 * offsetS < 0 means "seconds before the end" (the newest frame of a segment being written).
 */
/**
 * The newest decodable frame of a (possibly still growing) recording as JPEG: decodes the last `lookbackS` seconds and
 * keeps the last frame. Seeking straight to "1 s before the end" lands mid-GOP and yields no frame at all (ffmpeg then
 * exits 0 without writing the file); starting further back reaches a keyframe. Writes nothing when the file has none.
 */
export async function extractLastJpeg(file: string, outFile: string, lookbackS = 15, timeoutMs = 30_000): Promise<void> {
  await runFfmpegJob(['-y', '-sseof', (-lookbackS).toFixed(3), '-i', file, '-map', '0:v:0', '-q:v', '2', '-update', '1', '-f', 'image2', '-c:v', 'mjpeg', outFile], { timeoutMs });
}

export async function extractJpeg(file: string, offsetS: number, outFile: string, timeoutMs = 20_000): Promise<void> {
  // MPEG-TS input seeking may land on a later keyframe; so seek the input 3 s early and drop decoded frames up to the
  // exact time (output -ss counts from the input seek target).
  const coarse = Math.max(0, offsetS - 3);
  const seek = offsetS >= 0 ? ['-ss', coarse.toFixed(3), '-i', file, '-ss', (offsetS - coarse).toFixed(3)] : ['-sseof', offsetS.toFixed(3), '-i', file];
  await runFfmpegJob(['-y', ...seek, '-map', '0:v:0', '-frames:v', '1', '-q:v', '2', '-f', 'image2', '-c:v', 'mjpeg', outFile], { timeoutMs });
}
