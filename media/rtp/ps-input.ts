// One run's input from an RTP receiver of GB/T 28181 PS: a fresh subscription fixed up for ffmpeg, as a StreamSource pipe input.
import type { Readable } from 'node:stream';
import { psForFfmpeg, type PsStreamTypes } from '../ps/for-ffmpeg';
import type { StreamInput } from '../stream-source';
import type { RtpReceiver } from './receiver';

/** The pipe input of one run and the way to end its subscription (call it from the source's release()). */
export interface RtpPsInput {
  input: Extract<StreamInput, { kind: 'pipe' }>;
  bytes: Readable;
  end(): void;
}

export function rtpPsInput(receiver: RtpReceiver, onTypes?: (t: PsStreamTypes) => void): RtpPsInput {
  const bytes = psForFfmpeg(receiver.readable(), onTypes);
  return { input: { kind: 'pipe', format: 'mpeg-ps', bytes }, bytes, end: () => bytes.destroy() };
}
