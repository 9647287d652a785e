// Keyframe index of an MPEG-TS segment file (pure TypeScript, no ffmpeg): byte offsets and PTS of the video keyframes, for byte-range VOD pieces.
import fs from 'node:fs';

const PKT = 188;

export interface TsKeyframe {
  /** Byte offset of the TS packet that starts the keyframe's PES. */
  offset: number;
  /** PTS in seconds, unwrapped relative to the file's first video PTS. */
  ptsS: number;
  /** DTS in seconds on the same scale (= ptsS without B-frames). A demuxer seek by timestamp lands by DTS. */
  dtsS: number;
}

/** One video frame (PES) of the file, on the keyframes' scale. */
export interface TsFrame {
  ptsS: number;
  dtsS: number;
}

export interface TsIndex {
  sizeBytes: number;
  /** The PAT and PMT packets (prepended to every piece so each piece decodes on its own). */
  header: Buffer;
  /** First video PTS of the file (s, 33-bit clock as found). */
  firstPtsS: number;
  /** Last video PTS + one frame, relative to firstPtsS (s). */
  durationS: number;
  keyframes: TsKeyframe[];
  /** Every video frame in file (decode) order; only when asked for (`{ frames: true }`). */
  frames?: TsFrame[];
}

function readPts(b: Buffer, i: number): number {
  return ((b[i]! >> 1) & 0x07) * 2 ** 30 + (((b[i + 1]! << 8) | b[i + 2]!) >> 1) * 2 ** 15 + (((b[i + 3]! << 8) | b[i + 4]!) >> 1);
}

/** Scans a TS file (reads it once, in 4 MiB blocks). Throws when it holds no H.264/H.265 video. */
export async function indexTsFile(file: string, opts: { frames?: boolean } = {}): Promise<TsIndex> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const { size } = await fh.stat();
    const BLOCK = PKT * 22_310; // ~4 MiB
    const buf = Buffer.alloc(BLOCK);
    let pmtPid = -1;
    let videoPid = -1;
    let pat: Buffer | null = null;
    let pmt: Buffer | null = null;
    let first: number | null = null;
    let last = 0;
    let prevPts = 0;
    let frames = 0;
    const kfs: TsKeyframe[] = [];
    const frameList: TsFrame[] = [];
    let prevDts = 0;
    let pos = 0;
    while (pos < size) {
      const { bytesRead } = await fh.read(buf, 0, BLOCK, pos);
      if (bytesRead < PKT) break;
      const whole = bytesRead - (bytesRead % PKT);
      for (let p = 0; p < whole; p += PKT) {
        if (buf[p] !== 0x47) continue;
        const b1 = buf[p + 1]!;
        const pid = ((b1 & 0x1f) << 8) | buf[p + 2]!;
        const pusi = (b1 & 0x40) !== 0;
        const afc = (buf[p + 3]! >> 4) & 3;
        let payload = p + 4;
        let rai = false;
        if (afc & 2) {
          const alen = buf[p + 4]!;
          if (alen > 0) rai = (buf[p + 5]! & 0x40) !== 0;
          payload = p + 5 + alen;
        }
        if (!(afc & 1) || payload >= p + PKT) continue;
        if (pid === 0 && pusi && pmtPid < 0) {
          const s = payload + 1 + buf[payload]!; // pointer field
          const secLen = ((buf[s + 1]! & 0x0f) << 8) | buf[s + 2]!;
          for (let i = s + 8; i + 4 <= s + 3 + secLen - 4; i += 4) {
            const prog = (buf[i]! << 8) | buf[i + 1]!;
            if (prog !== 0) {
              pmtPid = ((buf[i + 2]! & 0x1f) << 8) | buf[i + 3]!;
              break;
            }
          }
          pat = Buffer.from(buf.subarray(p, p + PKT));
        } else if (pid === pmtPid && pusi && videoPid < 0) {
          const s = payload + 1 + buf[payload]!;
          const secLen = ((buf[s + 1]! & 0x0f) << 8) | buf[s + 2]!;
          const progInfoLen = ((buf[s + 10]! & 0x0f) << 8) | buf[s + 11]!;
          for (let i = s + 12 + progInfoLen; i + 5 <= s + 3 + secLen - 4;) {
            const type = buf[i]!;
            const epid = ((buf[i + 1]! & 0x1f) << 8) | buf[i + 2]!;
            const esLen = ((buf[i + 3]! & 0x0f) << 8) | buf[i + 4]!;
            if (type === 0x1b || type === 0x24) {
              videoPid = epid;
              break;
            }
            i += 5 + esLen;
          }
          pmt = Buffer.from(buf.subarray(p, p + PKT));
        } else if (pid === videoPid && pusi) {
          if (buf[payload] !== 0 || buf[payload + 1] !== 0 || buf[payload + 2] !== 1) continue;
          const flags = buf[payload + 7]!;
          if (!(flags & 0x80)) continue;
          let pts = readPts(buf, payload + 9) / 90_000;
          let dts = (flags & 0xc0) === 0xc0 ? readPts(buf, payload + 14) / 90_000 : pts;
          if (first === null) first = pts;
          // Unwrap the 33-bit clock.
          while (pts < prevPts - 2 ** 32 / 90_000) pts += 2 ** 33 / 90_000;
          while (dts < prevDts - 2 ** 32 / 90_000) dts += 2 ** 33 / 90_000;
          prevPts = pts;
          prevDts = dts;
          const rel = pts - first;
          frames++;
          if (rel > last) last = rel;
          if (rai) kfs.push({ offset: pos + p, ptsS: rel, dtsS: dts - first });
          if (opts.frames) frameList.push({ ptsS: rel, dtsS: dts - first });
        }
      }
      pos += whole;
    }
    if (!pat || !pmt || videoPid < 0 || first === null) throw new Error(`${file}: no H.264/H.265 video found`);
    kfs.sort((a, b) => a.ptsS - b.ptsS);
    const frameS = frames > 1 ? last / (frames - 1) : 0.04;
    return {
      sizeBytes: size,
      header: Buffer.concat([pat, pmt]),
      firstPtsS: first,
      durationS: last + frameS,
      keyframes: kfs,
      ...(opts.frames ? { frames: frameList } : {}),
    };
  } finally {
    await fh.close();
  }
}
