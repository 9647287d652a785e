// The one module that runs ffmpeg and ffprobe (through fluent-ffmpeg): recording processes and file probing.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import ffmpeg from 'fluent-ffmpeg';

export interface FfmpegPaths {
  ffmpegPath: string;
  ffprobePath: string;
}

let paths: FfmpegPaths = { ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' };
let supervisedLauncher: string | null | undefined;

/** Sets the binaries used by every later call. */
export function configureFfmpeg(p: Partial<FfmpegPaths>): void {
  paths = { ...paths, ...p };
  process.env.ARGUS_FFMPEG_BIN = paths.ffmpegPath;
}

/**
 * On Linux, ffmpeg is started through `setpriv --pdeathsig TERM` so it dies with the server even after kill -9.
 * Returns the wrapper path, or null where that is not available (then orphans are reaped at the next start).
 */
function launcherPath(): string | null {
  if (supervisedLauncher !== undefined) return supervisedLauncher;
  supervisedLauncher = null;
  if (process.platform === 'linux') {
    try {
      execFileSync('setpriv', ['--help'], { stdio: 'ignore' });
      supervisedLauncher = path.join(import.meta.dirname, 'bin', 'ffmpeg-supervised.sh');
      process.env.ARGUS_FFMPEG_BIN = paths.ffmpegPath;
    } catch {
      supervisedLauncher = null;
    }
  }
  return supervisedLauncher;
}

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
    ffmpeg.setFfprobePath(paths.ffprobePath);
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

// ---------------------------------------------------------------- recording

export interface RecordSpec {
  /** Input URL including credentials. */
  inputUrl: string;
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
}

export interface RecordCallbacks {
  /** ffmpeg opened a new segment file (absolute path). */
  onSegmentOpened(file: string): void;
  /** ffmpeg closed a segment: stream times in seconds as reported by the segment muxer. */
  onSegmentClosed(file: string, startS: number, endS: number): void;
  /** Output time reached, in seconds of stream time (about once a second). */
  onProgress(outTimeS: number): void;
  /** The process ended; `error` is null on a clean exit. `stderrTail` are the last log lines. */
  onExit(error: string | null, stderrTail: string[]): void;
}

export interface RecordProcess {
  readonly pid: number | undefined;
  /** Asks ffmpeg to finish (SIGTERM closes the current segment properly); SIGKILL after `graceMs`. Resolves on exit. */
  stop(graceMs?: number): Promise<void>;
  /** Kills at once (SIGKILL). */
  kill(): void;
}

export type RecordLauncher = (spec: RecordSpec, cb: RecordCallbacks) => RecordProcess;

/** The output file pattern used for a run: `<prefix>-000000.ts`, `<prefix>-000001.ts`, ... */
export function segmentPattern(spec: Pick<RecordSpec, 'outDir' | 'filePrefix'>): string {
  return path.join(spec.outDir, `${spec.filePrefix}-%06d.ts`);
}

/** True for a file name the recorder writes. */
export function isSegmentFileName(name: string): boolean {
  return /^\d+-\d{6}\.ts$/.test(name);
}

export function recordArgs(spec: RecordSpec): { input: string; inputOptions: string[]; outputOptions: string[]; output: string } {
  return {
    input: spec.inputUrl,
    inputOptions: [
      '-rtsp_transport', spec.transport,
      '-timeout', String(Math.round(spec.ioTimeoutS * 1_000_000)),
      '-analyzeduration', '2000000',
      '-fflags', '+genpts+discardcorrupt',
    ],
    outputOptions: [
      '-map', '0:v:0', '-map', '0:a:0?',
      '-c:v', 'copy',
      ...(spec.transcodeAudio ? ['-c:a', 'aac', '-b:a', '64k'] : ['-c:a', 'copy']),
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
    output: segmentPattern(spec),
  };
}

const OPENING = /Opening '([^']+)' for writing/;
const TIME = /time=(-?)(\d+):(\d+):(\d+(?:\.\d+)?)/;

/** Starts one recording ffmpeg through fluent-ffmpeg. */
export const launchRecording: RecordLauncher = (spec, cb) => {
  fs.mkdirSync(spec.outDir, { recursive: true });
  const a = recordArgs(spec);
  const cmd = ffmpeg({ stdoutLines: 50 })
    .setFfmpegPath(launcherPath() ?? paths.ffmpegPath)
    .input(a.input)
    .inputOptions(a.inputOptions)
    .output(a.output)
    .outputOptions(a.outputOptions)
    .addOption('-hide_banner')
    .addOption('-nostdin')
    .addOption('-loglevel', 'level+info')
    .addOption('-stats_period', '1');

  let proc: import('node:child_process').ChildProcess | undefined;
  let exited = false;
  let exitWaiters: Array<() => void> = [];
  const tail: string[] = [];
  let stdoutBuf = '';

  const finish = (error: string | null) => {
    if (exited) return;
    exited = true;
    cb.onExit(error, tail.slice());
    for (const w of exitWaiters) w();
    exitWaiters = [];
  };

  cmd.on('start', () => {
    proc = (cmd as unknown as { ffmpegProc: import('node:child_process').ChildProcess }).ffmpegProc;
    proc.stdout?.setEncoding('utf8');
    proc.stdout?.on('data', (chunk: string) => {
      stdoutBuf += chunk;
      let nl: number;
      while ((nl = stdoutBuf.indexOf('\n')) >= 0) {
        const line = stdoutBuf.slice(0, nl).trim();
        stdoutBuf = stdoutBuf.slice(nl + 1);
        const m = /^(.*),(-?[\d.]+),(-?[\d.]+)$/.exec(line);
        if (m) cb.onSegmentClosed(path.resolve(spec.outDir, path.basename(m[1])), Number(m[2]), Number(m[3]));
      }
    });
  });
  cmd.on('stderr', (line: string) => {
    const tm = TIME.exec(line);
    if (tm) {
      const t = Number(tm[2]) * 3600 + Number(tm[3]) * 60 + Number(tm[4]);
      if (!tm[1]) cb.onProgress(t);
      return;
    }
    const om = OPENING.exec(line);
    if (om && !om[1].startsWith('pipe:')) cb.onSegmentOpened(path.resolve(om[1]));
    tail.push(line);
    if (tail.length > 30) tail.shift();
  });
  cmd.on('end', () => finish(null));
  cmd.on('error', (err: Error) => finish(err.message));
  cmd.run();

  return {
    get pid() {
      return proc?.pid;
    },
    stop(graceMs = 5000) {
      if (exited) return Promise.resolve();
      return new Promise<void>((resolve) => {
        exitWaiters.push(resolve);
        const sendTerm = () => {
          if (exited) return;
          if (!proc) return void setTimeout(sendTerm, 50);
          proc.kill('SIGTERM');
          setTimeout(() => {
            if (!exited) proc?.kill('SIGKILL');
          }, graceMs).unref();
        };
        sendTerm();
      });
    },
    kill() {
      proc?.kill('SIGKILL');
    },
  };
};

/** `ffmpeg -version` first line, or null if ffmpeg cannot run. */
export function ffmpegVersion(): string | null {
  try {
    return execFileSync(paths.ffmpegPath, ['-version'], { encoding: 'utf8' }).split('\n')[0] ?? null;
  } catch {
    return null;
  }
}
