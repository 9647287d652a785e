// A GB/T 28181 PS byte stream made readable by ffmpeg 5.1's `mpeg` demuxer: G.711 audio declared so it is detected, nothing else changed.
import { Transform, type TransformCallback } from 'node:stream';
import { alawToMulawInPlace } from './g711';
import { PSM, PsSplitter, parsePsm, pesPayloadOffset } from './units';

/** PSM stream types of GB/T 28181 audio (annex C / common practice). */
export const PS_TYPE = {
  h264: 0x1b,
  h265: 0x24,
  mpeg4: 0x10,
  aac: 0x0f,
  g711a: 0x90,
  g711u: 0x91,
  g722: 0x92,
  g723: 0x93,
  g729: 0x99,
  svacAudio: 0x9b,
} as const;

/** What the stream declared (first PSM seen), for the log and status. */
export interface PsStreamTypes {
  video: number | null;
  audio: number | null;
}

/**
 * ffmpeg 5.1 skips PS audio whose PSM type is 0x90 (G.711A) and reads 0x91 (G.711μ) only from streams that begin with
 * "IMKH" (a Hikvision file header it knows). So the stream handed to ffmpeg begins with "IMKH", an A-law stream is
 * converted to μ-law byte by byte (lossless enough: the recorder encodes it to AAC anyway) and declared 0x91, and audio
 * packets that come before the first PSM (whose type is then unknown: ffmpeg would take them for MPEG audio) are
 * dropped. Video and every other unit pass unchanged. `onTypes` is told the PSM's types once.
 */
export class PsForFfmpeg extends Transform {
  private readonly splitter: PsSplitter;
  private out: Buffer[] = [];
  private types: Map<number, number> | null = null;
  private headerSent = false;
  droppedAudioUnits = 0;

  constructor(private readonly onTypes?: (t: PsStreamTypes) => void) {
    super();
    this.splitter = new PsSplitter((id, unit) => this.unit(id, unit));
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (!this.headerSent) {
      this.headerSent = true;
      this.push(Buffer.from('IMKH', 'latin1'));
    }
    this.splitter.push(chunk);
    if (this.out.length) this.push(this.out.length === 1 ? this.out[0] : Buffer.concat(this.out));
    this.out = [];
    done();
  }

  private unit(id: number, unit: Buffer): void {
    if (id === PSM) {
      const types = parsePsm(unit);
      if (types) {
        if (!this.types) this.onTypes?.(summarise(types));
        this.types = types;
        const copy = Buffer.from(unit);
        rewriteAlawType(copy);
        this.out.push(copy);
        return;
      }
    }
    if (id >= 0xc0 && id <= 0xdf) {
      const type = this.types?.get(id);
      if (type === undefined) {
        this.droppedAudioUnits++;
        return;
      }
      if (type === PS_TYPE.g711a) {
        const off = pesPayloadOffset(unit);
        if (off < 0) return;
        const copy = Buffer.from(unit);
        alawToMulawInPlace(copy, off);
        this.out.push(copy);
        return;
      }
    }
    // A view is enough: the splitter never reuses the bytes it hands out.
    this.out.push(unit);
  }
}

function summarise(types: Map<number, number>): PsStreamTypes {
  let video: number | null = null;
  let audio: number | null = null;
  for (const [id, t] of types) {
    if (id >= 0xe0 && id <= 0xef && video === null) video = t;
    if (id >= 0xc0 && id <= 0xdf && audio === null) audio = t;
  }
  return { video, audio };
}

/** Declares every 0x90 entry of a PSM (copied unit) as 0x91. ffmpeg does not check the PSM's CRC. */
function rewriteAlawType(unit: Buffer): void {
  const infoLen = unit.readUInt16BE(8);
  let off = 12 + infoLen;
  const end = Math.min(off + unit.readUInt16BE(10 + infoLen), unit.length - 4);
  while (off + 4 <= end) {
    if (unit[off] === PS_TYPE.g711a) unit[off] = PS_TYPE.g711u;
    off += 4 + unit.readUInt16BE(off + 2);
  }
}

/**
 * The fix-up over a reader of PS (a receiver's subscription): destroying the result (or its source failing) destroys both,
 * so the subscription ends with the run that read it.
 */
export function psForFfmpeg(source: import('node:stream').Readable, onTypes?: (t: PsStreamTypes) => void): PsForFfmpeg {
  const fix = new PsForFfmpeg(onTypes);
  source.on('error', (err) => fix.destroy(err));
  fix.once('close', () => source.destroy());
  source.pipe(fix);
  return fix;
}
