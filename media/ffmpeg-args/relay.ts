// ffmpeg arguments of a relay into the media hub: the relay output (beside a recording, or alone for a sub stream).
import type { FfmpegArgs, FfmpegOutput } from '../ffmpeg-launcher';
import { FILL_MISSING_PTS_BSF, streamInputArgs } from './input';
import type { StreamInput } from '../stream-source';

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

/** A relay-only process (a camera's sub stream): input copied into the hub, nothing recorded. */
export interface RelaySpec {
  /** What the run reads (from the stream's StreamSource). */
  input: StreamInput;
  ioTimeoutS: number;
  relay: RelayOutput;
}

/**
 * The relay output: stream copy into FLV over RTMP (audio converted to AAC when asked: G.711 at 8 kHz costs about 0.13 %
 * of a core, see docs/design/live.md). A write that blocks longer than 5 s fails the relay instead of stalling the process.
 */
export function relayOutput(r: RelayOutput): FfmpegOutput {
  const codecs = r.audio && r.audioToAac ? ['-c:v', 'copy', '-c:a', 'aac', '-b:a', '32k'] : ['-c', 'copy'];
  return {
    output: r.url,
    options: [
      '-map',
      '0:v:0',
      ...(r.audio ? ['-map', '0:a:0?'] : []),
      ...codecs,
      '-bsf:v',
      FILL_MISSING_PTS_BSF,
      '-rw_timeout',
      '5000000',
      '-f',
      'flv',
      '-flvflags',
      'no_duration_filesize',
    ],
  };
}

export function relayArgs(spec: RelaySpec): FfmpegArgs {
  return {
    ...streamInputArgs(spec.input, spec.ioTimeoutS),
    outputs: [relayOutput(spec.relay)],
  };
}
