// Starts recording and relay ffmpegs through the launcher and turns their output into events: segments opened/closed, progress, the input's streams.
import fs from 'node:fs';
import path from 'node:path';
import type { FfmpegLauncher, RecordProcess } from './ffmpeg-launcher';
import { recordArgs, type RecordSpec } from './ffmpeg-args/recording';
import { relayArgs, type RelaySpec } from './ffmpeg-args/relay';

export type { RecordProcess } from './ffmpeg-launcher';
export type { RecordSpec } from './ffmpeg-args/recording';
export type { RelayOutput, RelaySpec } from './ffmpeg-args/relay';

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

const OPENING = /Opening '([^']+)' for writing/;

/** Starts recording ffmpegs (segments, plus the relay output when the spec has one) with the given launcher. */
export const recordingLauncher =
  (ffmpeg: FfmpegLauncher): RecordLauncher =>
  (spec, cb) => {
    fs.mkdirSync(spec.outDir, { recursive: true });
    const outDir = path.resolve(spec.outDir);
    const info: StreamInfo = { videoCodec: null, audioCodec: null, width: null, height: null, fps: null };
    let inInput = true;
    return ffmpeg.process(recordArgs(spec), {
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

/** Starts relay-only ffmpegs (stream copy of an input into the hub) with the given launcher. */
export const relayLauncher =
  (ffmpeg: FfmpegLauncher): RelayLauncher =>
  (spec, cb) =>
    ffmpeg.process(relayArgs(spec), { onProgress: (t) => cb.onProgress(t), onExit: (err, tail) => cb.onExit(err, tail) });
