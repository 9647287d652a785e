// Whether a live stream can be shown in this console at all: the server's word on relaying it, and the browser's decoders (MSE).
import type { LiveTicket } from '../../common/api';

/** Why a tile shows no picture and stops retrying: the server cannot relay the codec, or this browser cannot decode it. */
export interface Unplayable {
  why: 'not-relayed' | 'no-decoder';
  /** The codec as the server names it ('hevc', 'av1', ...). */
  codec: string;
}

/** An MSE type string for a video codec the console's player (mpegts.js) can carry; null for codecs it cannot. */
export function videoMime(codec: string): string | null {
  switch (codec) {
    case 'h264':
      return 'video/mp4; codecs="avc1.42E01E"';
    case 'hevc':
      return 'video/mp4; codecs="hvc1.1.6.L93.B0"';
    case 'av1':
      return 'video/mp4; codecs="av01.0.05M.08"';
    default:
      return null;
  }
}

/** How a codec is named to operators ("H.265", not "hevc"). */
export function codecLabel(codec: string): string {
  switch (codec) {
    case 'h264':
      return 'H.264';
    case 'hevc':
      return 'H.265';
    case 'av1':
      return 'AV1';
    default:
      return codec.toUpperCase();
  }
}

/** Null when the ticket's stream may play; else why it cannot (checked before connecting, so nothing loops). */
export function unplayable(ticket: Pick<LiveTicket, 'videoCodec' | 'relayable'>, canDecode: (mime: string) => boolean): Unplayable | null {
  const codec = ticket.videoCodec;
  if (!ticket.relayable) return { why: 'not-relayed', codec: codec ?? 'unknown' };
  if (codec === null || codec === 'h264') return null;
  const mime = videoMime(codec);
  return mime !== null && canDecode(mime) ? null : { why: 'no-decoder', codec };
}

/** The browser's answer (MSE); false where MediaSource is missing. */
export function browserCanDecode(mime: string): boolean {
  const MS = (globalThis as { MediaSource?: { isTypeSupported(t: string): boolean } }).MediaSource;
  return typeof MS?.isTypeSupported === 'function' && MS.isTypeSupported(mime);
}
