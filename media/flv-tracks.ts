// What a hub stream carries (video/audio codec from its FLV tags) and the FLV a console viewer gets: header flags that match the tracks, no audio it cannot play.
import { playableAudio } from '../common/live-codecs';

/** FLV tag types (first byte of a tag). */
const TAG_AUDIO = 8;
const TAG_VIDEO = 9;
/** FLV audio SoundFormat values the console's player (mpegts.js + MSE) decodes: MP3 and AAC. */
const PLAYABLE_SOUND_FORMATS = new Set([2, 10]);
/** Enhanced FLV: a SoundFormat/VideoTag with this marker carries a FourCC. */
const SOUND_FORMAT_EX = 9;

/** A stream's codecs as seen in its FLV tags, for viewers and for tickets. */
export interface StreamTracks {
  /** 'h264', 'hevc', 'av1', 'vp9', or 'flv-<id>' for other legacy codecs; null until a video tag was seen. */
  video: string | null;
  /** 'aac', 'mp3', 'pcm_alaw', 'pcm_mulaw', ..., 'fourcc-<FourCC>' (Enhanced RTMP) or 'flv-<id>'; null until an audio tag was seen. */
  audio: string | null;
}

const SOUND_FORMAT_NAMES: Record<number, string> = { 0: 'pcm', 1: 'adpcm', 2: 'mp3', 3: 'pcm', 7: 'pcm_alaw', 8: 'pcm_mulaw', 10: 'aac', 11: 'speex' };
const VIDEO_FOURCC_NAMES: Record<string, string> = { hvc1: 'hevc', av01: 'av1', vp09: 'vp9', avc1: 'h264' };

/** Codec of an FLV video tag's payload (the tag body without the 11-byte tag header). */
export function videoCodecOf(body: Buffer): string | null {
  if (body.length < 1) return null;
  if ((body[0] & 0x80) !== 0) {
    // Enhanced RTMP: IsExHeader | FrameType(3) | PacketType(4), then a FourCC.
    if (body.length < 5) return null;
    const fourcc = body.toString('latin1', 1, 5);
    return VIDEO_FOURCC_NAMES[fourcc] ?? `fourcc-${fourcc}`;
  }
  const id = body[0] & 0x0f;
  // Codec id 12 is the pre-standard "HEVC in FLV" of some Chinese encoders and servers.
  return id === 7 ? 'h264' : id === 12 ? 'hevc' : `flv-${id}`;
}

/** Codec of an FLV audio tag's payload. */
export function audioCodecOf(body: Buffer): string | null {
  if (body.length < 1) return null;
  const format = body[0] >> 4;
  if (format === SOUND_FORMAT_EX) {
    if (body.length < 5) return null;
    // Enhanced-RTMP audio (Opus, FLAC, AAC by FourCC...): named apart, the viewer filter leaves it out.
    return `fourcc-${body.toString('latin1', 1, 5)}`;
  }
  return SOUND_FORMAT_NAMES[format] ?? `flv-${format}`;
}

/** Folds one media packet (FLV tag type and body) into a stream's tracks. */
export function observeTag(tracks: StreamTracks, tagType: number, body: Buffer): void {
  if (tagType === TAG_VIDEO && tracks.video === null) tracks.video = videoCodecOf(body);
  else if (tagType === TAG_AUDIO && tracks.audio === null) tracks.audio = audioCodecOf(body);
}

/** The 9-byte FLV file header plus PreviousTagSize0, with the audio/video flags of the tracks the viewer gets. */
export function flvHeader(hasAudio: boolean, hasVideo: boolean): Buffer {
  return Buffer.from([0x46, 0x4c, 0x56, 0x01, (hasAudio ? 4 : 0) | (hasVideo ? 1 : 0), 0, 0, 0, 9, 0, 0, 0, 0]);
}

/**
 * Rewrites what one console viewer receives. The FLV header announces audio only when the stream has audio the
 * player can decode (a silent camera's header saying "audio" makes the player wait for audio forever); audio tags of a
 * codec it cannot decode (G.711, ...) are left out, so that the picture plays without sound instead of failing.
 */
export class ViewerFilter {
  private readonly audio: boolean;

  constructor(tracks: StreamTracks, hasVideo: boolean) {
    this.audio = playableAudio(tracks.audio);
    this.header = flvHeader(this.audio, hasVideo || tracks.video !== null);
  }

  readonly header: Buffer;

  /** The buffer to send instead of `buf` (one FLV header or one FLV tag as node-media-server writes them), or null. */
  map(buf: Buffer): Buffer | null {
    if (buf.length >= 13 && buf[0] === 0x46 && buf[1] === 0x4c && buf[2] === 0x56) return this.header;
    if (buf.length >= 12 && buf[0] === TAG_AUDIO) {
      if (!this.audio) return null;
      // Per tag too: a stream may change codec mid-publish only in theory, but an unplayable tag must never reach the player.
      if (!PLAYABLE_SOUND_FORMATS.has(buf[11] >> 4)) return null;
    }
    return buf;
  }
}
