// Turns a device recording arriving as MPEG-PS bytes (a GB/T 28181 Download) into MPEG-TS segment files like the recorder's, timed by the stream itself.
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { FfmpegArgs, FfmpegLauncher, RecordProcess } from './ffmpeg-launcher';
import { FILL_MISSING_PTS_BSF } from './ffmpeg-args/input';
import { probe, type ProbeInfo } from './probe';
import { asLog, type LogSink } from '../common/log';
import { PsForFfmpeg } from './ps/for-ffmpeg';

export interface HistoryIngestSpec {
  /** MPEG-PS bytes (RTP already stripped); their end is the end of the recording. */
  bytes: Readable;
  /** Directory the segment files are written into (created). */
  outDir: string;
  /** File name prefix (`<prefix>-000000.ts`, ...). */
  filePrefix: string;
  segmentSeconds: number;
}

/** One written segment: its file, its place in the stream (ms from the first segment's start) and what ffprobe read. */
export interface IngestedSegment extends ProbeInfo {
  file: string;
  offsetMs: number;
  sizeBytes: number;
}

/**
 * ffmpeg reading PS from fd 3 (`-f mpeg`, after media/ps PsForFfmpeg made GB audio readable): video copied, audio (G.711,
 * AAC) as AAC when there is any, cut into MPEG-TS segments at keyframes; the segment list (file, start, end in stream
 * seconds) comes on stdout.
 */
export function historyIngestArgs(spec: Omit<HistoryIngestSpec, 'bytes'>, bytes: Readable): FfmpegArgs {
  return {
    input: 'pipe:3',
    inputOptions: ['-analyzeduration', '4000000', '-probesize', '4000000', '-fflags', '+genpts+discardcorrupt', '-f', 'mpeg'],
    inputBytes: bytes,
    outputs: [
      {
        output: path.join(spec.outDir, `${spec.filePrefix}-%06d.ts`),
        options: [
          '-map',
          '0:v:0',
          '-map',
          '0:a:0?',
          '-c:v',
          'copy',
          '-bsf:v',
          FILL_MISSING_PTS_BSF,
          '-c:a',
          'aac',
          '-b:a',
          '32k',
          '-f',
          'segment',
          '-segment_format',
          'mpegts',
          '-segment_time',
          String(spec.segmentSeconds),
          '-reset_timestamps',
          '0',
          '-segment_list',
          'pipe:1',
          '-segment_list_type',
          'csv',
          '-segment_list_flags',
          '+live',
        ],
      },
    ],
  };
}

export interface HistoryIngest {
  /** Resolves when ffmpeg ended (the bytes ended, or stop()): the segments written, in order, each probed. */
  readonly done: Promise<IngestedSegment[]>;
  /** Ends the ingest early (the current segment is closed). */
  stop(): Promise<void>;
}

/** Starts the ingest. Segments that cannot be probed (an empty tail) are deleted and left out. */
export function ingestHistory(ffmpeg: FfmpegLauncher, spec: HistoryIngestSpec, logSink: LogSink): HistoryIngest {
  const log = asLog(logSink, 'history-ingest');
  fs.mkdirSync(spec.outDir, { recursive: true });
  const closed: Array<{ file: string; startS: number; endS: number }> = [];
  let proc: RecordProcess | null = null;
  const done = new Promise<IngestedSegment[]>((resolve, reject) => {
    const fixed = new PsForFfmpeg();
    spec.bytes.once('error', (e) => fixed.destroy(e));
    proc = ffmpeg.process(historyIngestArgs(spec, spec.bytes.pipe(fixed)), {
      onStdoutLine: (line) => {
        const m = /^(.*),(-?[\d.]+),(-?[\d.]+)$/.exec(line);
        if (m) closed.push({ file: path.resolve(spec.outDir, path.basename(m[1]!)), startS: Number(m[2]), endS: Number(m[3]) });
      },
      onLogLine: (line) => {
        if (/error|invalid/i.test(line)) log.debug(line);
      },
      onProgress: () => undefined,
      onExit: (error, tail) => {
        if (error !== null && closed.length === 0) return reject(new Error(`${error}: ${tail.slice(-3).join(' ')}`));
        if (error !== null) log.warn('ffmpeg ended with an error; keeping the segments it closed', { error });
        void finish().then(resolve, reject);
      },
    });
  });
  const finish = async (): Promise<IngestedSegment[]> => {
    // Files ffmpeg opened but never listed (killed): not indexed, removed.
    const listed = new Set(closed.map((c) => c.file));
    for (const f of fs.readdirSync(spec.outDir)) {
      const abs = path.join(spec.outDir, f);
      if (f.startsWith(`${spec.filePrefix}-`) && !listed.has(abs)) fs.rmSync(abs, { force: true });
    }
    const base = closed[0]?.startS ?? 0;
    const out: IngestedSegment[] = [];
    for (const c of closed) {
      try {
        const info = await probe(ffmpeg, c.file);
        const durationMs = Math.max(0, Math.round((c.endS - c.startS) * 1000)) || info.durationMs;
        if (durationMs <= 0) throw new Error('no playable frames');
        out.push({ ...info, durationMs, file: c.file, offsetMs: Math.round((c.startS - base) * 1000), sizeBytes: fs.statSync(c.file).size });
      } catch (e) {
        log.warn('segment of a device recording could not be probed; dropped', { file: path.basename(c.file), error: (e as Error).message });
        fs.rmSync(c.file, { force: true });
      }
    }
    return out;
  };
  return {
    done,
    stop: async () => {
      await (proc as RecordProcess | null)?.stop(5000);
    },
  };
}
