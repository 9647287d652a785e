// Benchmark helper: a live RTMP source whose pixels carry its own stream time (black/white blocks), sent in real time by ffmpeg.
//
// Every frame shows an 8 x 4 grid of 64 px blocks at (64, 52) of a 640 x 360 picture (over testsrc2, so the encoder has
// motion to code): rows 0-2 are the 24 bits of floor(t * 100) (t = stream time in seconds, least significant bit first,
// left to right, top to bottom), row 3 is a check byte, 255 - ((v & 255) + (v >> 8 & 255) + (v >> 16 & 255)) % 256, so a
// frame whose blocks were misread (or an all-black picture) is rejected. The in-page decoder is in live-page.ts.
//
// With -re, ffmpeg reads frame N (t = N / fps) from lavfi at wall time T0 + t. T0 is calibrated from ffmpeg's own
// -progress reports: at wall time W it has sent `frame=F` frames, so frame F - 1 left at or before W, and
// T0 <= W - (F - 1) / fps; the minimum over all reports is the estimate (good to about a frame, since reports come at a
// random phase of the frame clock every 100 ms).
import { spawn, type ChildProcess } from 'node:child_process';

export const TIMECODE = {
  width: 640,
  height: 360,
  /** Top-left corner and size of the block grid in the 640 x 360 picture. */
  x0: 64,
  y0: 52,
  block: 64,
  cols: 8,
  rows: 4,
} as const;

/** The check byte stored in row 3 for the value v. */
export function timecodeCheck(v: number): number {
  return 255 - (((v & 255) + ((v >> 8) & 255) + ((v >> 16) & 255)) % 256);
}

/** lavfi graph (outputs out0 = video, out1 = audio when wanted) drawing the time code over testsrc2. */
export function timecodeGraph(fps: number, audio: boolean): string {
  const { width, height, x0, y0, block, cols, rows } = TIMECODE;
  // v = floor(t * 100) with t = N / fps; one geq evaluation per block (8 x 4 pixels), then scaled up (nearest neighbour).
  const v = `floor(N*100/${fps}+0.000001)`;
  const lum =
    `st(0,${v});` +
    `st(1,255-mod(mod(ld(0),256)+mod(floor(ld(0)/256),256)+mod(floor(ld(0)/65536),256),256));` +
    `if(lt(Y,${rows - 1}),mod(floor(ld(0)/pow(2,X+${cols}*Y)),2),mod(floor(ld(1)/pow(2,X)),2))*219+16`;
  const code =
    `nullsrc=s=${cols}x${rows}:r=${fps},format=yuv420p,geq=lum='${lum}':cb=128:cr=128,` + `scale=${cols * block}:${rows * block}:flags=neighbor[code]`;
  const bg = `testsrc2=s=${width}x${height}:r=${fps},format=yuv420p[bg]`;
  const graph = `${code};${bg};[bg][code]overlay=x=${x0}:y=${y0}:format=yuv420[out0]`;
  return audio ? `${graph};sine=frequency=1000:sample_rate=16000[out1]` : graph;
}

export interface TimecodePublisher {
  pid: number;
  proc: ChildProcess;
  /** Node wall clock (ms) when ffmpeg was spawned. */
  spawnMs: number;
  fps: number;
  /** Calibrated wall time (ms) of stream time 0, null before the first progress report. */
  t0Ms(): number | null;
  /** Frames sent so far (ffmpeg's last report). */
  framesSent(): number;
  /** Progress reports received. */
  reports(): number;
  stderr(): string;
  exited: Promise<number | null>;
  /** SIGTERM (SIGKILL after 3 s) and wait for exit; idempotent. */
  stop(): Promise<void>;
}

export interface TimecodeOptions {
  fps?: number;
  bitrateKbps?: number;
  audio?: boolean;
  ffmpeg?: string;
}

/**
 * Starts ffmpeg publishing the time-code source to `url` (RTMP) in real time: x264 ultrafast, zerolatency, GOP = fps
 * (one keyframe a second like a camera), optional AAC mono 16 kHz.
 */
export function startTimecodePublisher(url: string, opts: TimecodeOptions = {}): TimecodePublisher {
  const fps = opts.fps ?? 25;
  const kbps = opts.bitrateKbps ?? 800;
  const audio = opts.audio ?? true;
  const args = [
    '-nostdin',
    '-hide_banner',
    '-v',
    'error',
    '-progress',
    'pipe:1',
    '-stats_period',
    '0.1',
    '-re',
    '-f',
    'lavfi',
    '-i',
    timecodeGraph(fps, audio),
    '-map',
    '0:v',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-tune',
    'zerolatency',
    '-pix_fmt',
    'yuv420p',
    '-g',
    String(fps),
    '-keyint_min',
    String(fps),
    '-sc_threshold',
    '0',
    '-b:v',
    `${kbps}k`,
    '-maxrate',
    `${kbps}k`,
    '-bufsize',
    `${Math.round(kbps / 2)}k`,
  ];
  if (audio) args.push('-map', '0:a', '-c:a', 'aac', '-b:a', '32k', '-ac', '1', '-ar', '16000');
  args.push('-f', 'flv', '-flvflags', 'no_duration_filesize', url);

  const spawnMs = Date.now();
  const proc = spawn(opts.ffmpeg ?? 'ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-8192)));
  let t0: number | null = null;
  let frames = 0;
  let reports = 0;
  let buf = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
    const atMs = Date.now();
    buf += d;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      const m = /^frame=(\d+)$/.exec(line);
      if (!m) continue;
      const f = Number(m[1]);
      reports++;
      frames = f;
      if (f < 1) continue;
      const est = atMs - ((f - 1) / fps) * 1000;
      if (t0 === null || est < t0) t0 = est;
    }
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  let stopping: Promise<void> | null = null;
  return {
    pid: proc.pid!,
    proc,
    spawnMs,
    fps,
    t0Ms: () => t0,
    framesSent: () => frames,
    reports: () => reports,
    stderr: () => err,
    exited,
    stop: () => {
      stopping ??= (async () => {
        if (proc.exitCode !== null || proc.signalCode !== null) return;
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
