// ffmpeg arguments of a recording run: MPEG-TS segments (plus the relay output first when live view is on), file naming, audio policy.
import path from 'node:path';
import type { FfmpegArgs, FfmpegOutput } from '../ffmpeg-launcher';
import { FILL_MISSING_PTS_BSF, streamInputArgs } from './input';
import type { StreamInput } from '../stream-source';
import { relayOutput, type RelayOutput } from './relay';

export { FILL_MISSING_PTS_BSF } from './input';

export interface RecordSpec {
  /** What the run reads (from the channel's StreamSource): a URL with credentials, or bytes for fd 3. */
  input: StreamInput;
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

/** The output file pattern used for a run: `<prefix>-000000.ts`, `<prefix>-000001.ts`, ... */
export function segmentPattern(spec: Pick<RecordSpec, 'outDir' | 'filePrefix'>): string {
  return path.join(spec.outDir, `${spec.filePrefix}-%06d.ts`);
}

/** True for a file name the recorder writes. */
export function isSegmentFileName(name: string): boolean {
  return /^\d+-\d{6}\.ts$/.test(name);
}

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
      '-map',
      '0:v:0',
      '-map',
      '0:a:0?',
      '-c:v',
      'copy',
      '-bsf:v',
      FILL_MISSING_PTS_BSF,
      ...(spec.transcodeAudio ? ['-c:a', 'aac', '-b:a', '32k'] : ['-c:a', 'copy']),
      '-max_muxing_queue_size',
      '1024',
      '-f',
      'segment',
      '-segment_format',
      'mpegts',
      '-segment_time',
      String(spec.segmentSeconds),
      '-segment_format_options',
      'flush_packets=1',
      '-reset_timestamps',
      '0',
      '-segment_list',
      'pipe:1',
      '-segment_list_type',
      'csv',
      '-segment_list_flags',
      '+live',
    ],
  };
  return {
    ...streamInputArgs(spec.input, spec.ioTimeoutS, spec.wallclockTimestamps ?? false),
    outputs: spec.relay ? [relayOutput({ audioToAac: spec.transcodeAudio, ...spec.relay }), record] : [record],
  };
}

/**
 * The two steps that put a segment's G.711 back as audio (MPEG-TS stored it as a private data stream): take the raw
 * bytes out, then mux them as AAC beside the copied video into `tmp`.
 */
export function g711RestoreArgs(file: string, codec: 'pcm_alaw' | 'pcm_mulaw', raw: string, tmp: string): [string[], string[]] {
  const fmt = codec === 'pcm_alaw' ? 'alaw' : 'mulaw';
  return [
    ['-i', file, '-map', '0:d:0', '-c', 'copy', '-f', 'data', raw],
    [
      '-i',
      file,
      '-f',
      fmt,
      '-ar',
      '8000',
      '-ac',
      '1',
      '-i',
      raw,
      '-map',
      '0:v:0',
      '-map',
      '1:a:0',
      '-c:v',
      'copy',
      '-c:a',
      'aac',
      '-b:a',
      '32k',
      '-f',
      'mpegts',
      tmp,
    ],
  ];
}
