// How a recorder or relay reads one channel's stream, whatever protocol brought it (docs/design/devices.md "StreamSource").
import type { Readable } from 'node:stream';
import type { ServerMessage } from '../common/messages';
import { assertNever } from '../common/events';

/**
 * Container of bytes handed over by a protocol adapter. Containers keep the sender's timestamps; raw elementary streams
 * (h264, hevc) are timed by their frame rate (an adapter whose protocol carries frame times, such as JT/T 1078, may hand
 * over mpegts or flv instead to keep them).
 */
export type PipeFormat = 'mpegts' | 'mpeg-ps' | 'flv' | 'h264' | 'hevc';

/** What one ffmpeg run reads: a URL it dials itself, or bytes written into its fd 3. */
export type StreamInput =
  { kind: 'url'; url: string; rtspTransport: 'tcp' | 'udp' | null; secrets: readonly string[] } | { kind: 'pipe'; format: PipeFormat; bytes: Readable };

/** A channel's main or sub stream. open() is called before every run; release() after it ended (either way). */
export interface StreamSource {
  readonly channelId: number;
  readonly stream: 'main' | 'sub';
  /** Secret-free text for logs and statuses ("rtsp://10.1.2.3/ch1", "hub /live/3", "gb28181 INVITE 3402…"). */
  describe(): string;
  /** Resolves when the stream can be read; rejects with SourceUnavailable (reason worded by the console). */
  open(signal: AbortSignal): Promise<StreamInput>;
  release(): void;
}

/** The source cannot be read now (`permanent`: not until its configuration changes); `reason` is a registered message. */
export class SourceUnavailable extends Error {
  constructor(
    readonly reason: ServerMessage,
    readonly permanent = false,
  ) {
    super(reason.code);
    this.name = 'SourceUnavailable';
  }
}

/** ffmpeg's demuxer name for a pipe format. */
export function demuxerOf(format: PipeFormat): string {
  switch (format) {
    case 'mpegts':
      return 'mpegts';
    case 'mpeg-ps':
      return 'mpeg';
    case 'flv':
      return 'flv';
    case 'h264':
      return 'h264';
    case 'hevc':
      return 'hevc';
    default:
      return assertNever(format);
  }
}

/** A URL source that is always available (a fixed URL with nothing to hold): tests, and adapters with nothing to do on open. */
export function urlSource(channelId: number, stream: 'main' | 'sub', input: Extract<StreamInput, { kind: 'url' }>, describe: string): StreamSource {
  return { channelId, stream, describe: () => describe, open: () => Promise.resolve(input), release: () => undefined };
}
