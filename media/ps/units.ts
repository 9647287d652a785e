// MPEG-PS units (ISO 13818-1 program stream): an incremental splitter into pack headers, system headers, PSMs and PES packets, and their fields.
import { packHeaderLength } from '../rtp/ps-start';

/** Stream ids: pack header, system header, program stream map, end code. */
export const PACK = 0xba;
export const SYSTEM_HEADER = 0xbb;
export const PSM = 0xbc;
export const END_CODE = 0xb9;

/**
 * Splits a PS byte stream into whole units whatever the chunking: `onUnit(id, unit)` gets the stream id (BA, BB, BC,
 * C0…EF, BD…) and the unit's bytes (a view valid during the call). Bytes that are not a unit (a device's garbage, a
 * stream joined mid-unit) are skipped up to the next start code and counted.
 */
export class PsSplitter {
  skippedBytes = 0;
  private rest: Buffer = Buffer.alloc(0);

  constructor(private readonly onUnit: (id: number, unit: Buffer) => void) {}

  push(chunk: Buffer): void {
    const buf = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    let off = 0;
    for (;;) {
      if (buf.length - off < 4) break;
      if (buf[off] !== 0 || buf[off + 1] !== 0 || buf[off + 2] !== 1 || buf[off + 3]! < END_CODE) {
        const next = nextStartCode(buf, off + 1);
        const to = next < 0 ? Math.max(off, buf.length - 3) : next;
        this.skippedBytes += to - off;
        off = to;
        if (next < 0) break;
        continue;
      }
      const id = buf[off + 3]!;
      let len: number;
      if (id === PACK) len = packHeaderLength(buf.subarray(off));
      else if (id === END_CODE) len = 4;
      else len = buf.length - off < 6 ? -1 : 6 + buf.readUInt16BE(off + 4);
      if (len < 0 || buf.length - off < len) break;
      this.onUnit(id, buf.subarray(off, off + len));
      off += len;
    }
    this.rest = off < buf.length ? Buffer.from(buf.subarray(off)) : Buffer.alloc(0);
  }
}

/** The next 00 00 01 xx with xx ≥ B9 (a system start code) at or after `from`, or -1. */
function nextStartCode(b: Buffer, from: number): number {
  let i = from;
  for (;;) {
    i = b.indexOf(0x01, i + 2);
    if (i < 0 || i + 1 >= b.length) return -1;
    if (b[i - 1] === 0 && b[i - 2] === 0 && b[i + 1]! >= END_CODE) return i - 2;
  }
}

/** Stream types of a PSM, by elementary stream id (0x1B H.264, 0x24 H.265, 0x0F AAC, 0x90 G.711A, 0x91 G.711μ ...). */
export function parsePsm(unit: Buffer): Map<number, number> | null {
  if (unit.length < 16) return null;
  const infoLen = unit.readUInt16BE(8);
  let off = 10 + infoLen;
  if (off + 2 > unit.length) return null;
  const mapLen = unit.readUInt16BE(off);
  off += 2;
  const end = Math.min(off + mapLen, unit.length - 4);
  const types = new Map<number, number>();
  while (off + 4 <= end) {
    types.set(unit[off + 1]!, unit[off]!);
    off += 4 + unit.readUInt16BE(off + 2);
  }
  return types;
}

/** Offset of a PES packet's payload (after its MPEG-2 header), or -1 when the header is not MPEG-2 or is cut short. */
export function pesPayloadOffset(unit: Buffer): number {
  if (unit.length < 9 || (unit[6]! & 0xc0) !== 0x80) return -1;
  const off = 9 + unit[8]!;
  return off <= unit.length ? off : -1;
}

/** A PES packet's PTS and DTS (90 kHz; DTS = PTS when absent), or null when it carries none. */
export function pesTimes(unit: Buffer): { pts: number; dts: number } | null {
  if (pesPayloadOffset(unit) < 0) return null;
  const flags = unit[7]! >> 6;
  if (flags < 2 || unit.length < 14) return null;
  const pts = readTimestamp(unit, 9);
  const dts = flags === 3 && unit.length >= 19 ? readTimestamp(unit, 14) : pts;
  return { pts, dts };
}

/** A 33-bit PES timestamp (5 bytes with markers). */
export function readTimestamp(b: Buffer, off: number): number {
  const hi = (b[off]! >> 1) & 0x07;
  const mid = (b[off + 1]! << 7) | (b[off + 2]! >> 1);
  const lo = (b[off + 3]! << 7) | (b[off + 4]! >> 1);
  return hi * 2 ** 30 + mid * 2 ** 15 + lo;
}

/** Writes a 33-bit PES timestamp with its 4-bit prefix ('0010' PTS only, '0011' PTS of a pair, '0001' DTS). */
export function writeTimestamp(b: Buffer, off: number, prefix: number, t: number): void {
  const v = ((t % 2 ** 33) + 2 ** 33) % 2 ** 33;
  const hi = Math.floor(v / 2 ** 30);
  const mid = Math.floor(v / 2 ** 15) & 0x7fff;
  const lo = v & 0x7fff;
  b[off] = (prefix << 4) | (hi << 1) | 1;
  b[off + 1] = mid >> 7;
  b[off + 2] = ((mid & 0x7f) << 1) | 1;
  b[off + 3] = lo >> 7;
  b[off + 4] = ((lo & 0x7f) << 1) | 1;
}
