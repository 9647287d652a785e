// Test helper: RTMP publishers like a unit's 4G encoder or OBS: ffmpeg looping a clip (-re), or GStreamer (rtmp2sink) live-encoding a test picture.
import { spawn, type ChildProcess } from 'node:child_process';
import { FFMPEG_BIN } from './ffmpeg';

/** GStreamer's command-line launcher (Debian gstreamer1.0-tools). */
export const GST_LAUNCH_BIN = 'gst-launch-1.0';

export interface Publisher {
  proc: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  stderr(): string;
  /** SIGKILL (a dropped 4G link) and wait for exit. Idempotent. */
  kill(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Starts a publisher process, keeping the tail of its stderr; a last-resort exit hook kills it with the test run. */
function startPublisher(bin: string, args: string[]): Publisher {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const child of running) child.kill('SIGKILL');
    });
  }
  const proc = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(proc);
  let err = '';
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-8192)));
  // 'close' also fires when the binary cannot be spawned ('error' then 'close' with code -2 / null)
  const exited = new Promise<number | null>((resolve) => {
    proc.once('error', (e) => (err += `\n${bin}: ${e.message}`));
    proc.once('close', (code) => {
      running.delete(proc);
      resolve(code);
    });
  });
  return {
    proc,
    exited,
    stderr: () => err,
    kill: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** Publishes `clip` to `url` with ffmpeg (stream copy, FLV). `loop` repeats it until killed; `output` options go before the URL (rtmps: -tls_verify 1 -ca_file). */
export function publishRtmp(url: string, clip: string, opts: { loop?: boolean; output?: string[] } = {}): Publisher {
  const args = [
    '-nostdin',
    '-hide_banner',
    '-v',
    'error',
    '-re',
    ...(opts.loop ? ['-stream_loop', '-1'] : []),
    '-i',
    clip,
    '-c',
    'copy',
    '-f',
    'flv',
    ...(opts.output ?? []),
    url,
  ];
  return startPublisher(FFMPEG_BIN, args);
}

export interface GstPublishOptions {
  /** A 1 kHz test tone as AAC (voaacenc, mono, 16 kHz); default true. false: video only, like most CCTV encoders. */
  audio?: boolean;
  /** Test picture size; default 320x240 (cheap: about 2 % of a core with x264 ultrafast). */
  width?: number;
  height?: number;
  /** Integer frames per second; default 15. */
  fps?: number;
  /** x264 target bitrate; default 300. */
  bitrateKbps?: number;
  /** Seconds between keyframes; default 1. */
  keyframeSeconds?: number;
}

/**
 * Publishes a live-encoded test picture (videotestsrc, moving ball, x264) with an optional test tone to `url` with
 * GStreamer (`flvmux streamable=true ! rtmp2sink`): an RTMP client that is not ffmpeg, with its own handshake, chunking
 * and FLV tags. Runs until killed; exits non-zero when the server refuses or drops it. No B-frames: GStreamer 1.22's
 * flvmux writes repeated DTS for x264 B-frames (checked: the FLV does not decode cleanly), so B-frame tests use ffmpeg.
 */
export function publishRtmpGst(url: string, opts: GstPublishOptions = {}): Publisher {
  const width = opts.width ?? 320;
  const height = opts.height ?? 240;
  const fps = opts.fps ?? 15;
  const bitrateKbps = opts.bitrateKbps ?? 300;
  const keyframeSeconds = opts.keyframeSeconds ?? 1;
  for (const [key, value] of Object.entries({ width, height, fps, bitrateKbps })) {
    if (!Number.isInteger(value) || value <= 0) throw new Error(`publishRtmpGst: ${key} must be a positive integer, got ${value}`);
  }
  const keyInt = Math.round(keyframeSeconds * fps);
  if (keyInt < 1) throw new Error(`publishRtmpGst: keyframeSeconds ${keyframeSeconds} is too short`);
  if (!/^rtmps?:\/\//.test(url) || /[\s"\\]/.test(url)) throw new Error(`publishRtmpGst: bad url ${url}`);
  // gst-launch syntax: one pipeline description as argv tokens ("!" links, "name." refers to an element).
  const args = [
    '-q',
    '-e',
    'flvmux',
    'name=mux',
    'streamable=true',
    '!',
    'rtmp2sink',
    `location="${url}"`,
    'videotestsrc',
    'is-live=true',
    'pattern=ball',
    '!',
    `video/x-raw,width=${width},height=${height},framerate=${fps}/1,format=I420`,
    '!',
    'x264enc',
    'speed-preset=ultrafast',
    `bitrate=${bitrateKbps}`,
    `key-int-max=${keyInt}`,
    'tune=zerolatency',
    '!',
    'video/x-h264,profile=main',
    '!',
    'h264parse',
    '!',
    'queue',
    '!',
    'mux.video',
  ];
  if (opts.audio ?? true) {
    args.push(
      'audiotestsrc',
      'is-live=true',
      'wave=sine',
      'freq=1000',
      'volume=0.3',
      '!',
      'audio/x-raw,rate=16000,channels=1',
      '!',
      'voaacenc',
      'bitrate=32000',
      '!',
      'aacparse',
      '!',
      'queue',
      '!',
      'mux.audio',
    );
  }
  return startPublisher(GST_LAUNCH_BIN, args);
}
