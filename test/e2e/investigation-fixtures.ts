// Test data for playback and export: real MPEG-TS segments made by ffmpeg's segment muxer (as the recorder writes them), with the frame number as a readable barcode, indexed into a real store.
import fs from 'node:fs';
import path from 'node:path';
import type { NewSegment, Store } from '../../storage/repositories';
import { runFfmpeg } from '../helpers/ffmpeg';

export const BAR_BITS = 16;
export const FPS = 25;

/**
 * The top 160 rows of each frame are BAR_BITS columns, white where bit i of the frame number is set (bit 0 on the left);
 * the rest is mid-grey with the wall-clock time burnt in when drawtext has a font.
 */
export function barcodeFilter(width: number): string {
  const col = width / BAR_BITS;
  return `geq=lum='if(lt(Y\\,160)\\,if(mod(floor(N/pow(2\\,floor(X/${col})))\\,2)\\,235\\,16)\\,128)':cb=128:cr=128`;
}

export interface RecordedSeg {
  file: string;
  relPath: string;
  startMs: number;
  endMs: number;
  /** First frame number in the file. */
  firstFrame: number;
}

/**
 * Encodes `count` segments of `segSeconds` (keyframe every second, no B-frames) for a recording that starts at
 * startMs, writes them under recordingsDir/<cameraId>/ and returns them (not indexed). The frame number N of any
 * frame maps to wall-clock time startMs + N * 40 ms.
 */
export async function makeSegments(recordingsDir: string, cameraId: number, startMs: number, count: number, segSeconds: number, opts: { width?: number; height?: number; bitrateKbps?: number } = {}): Promise<RecordedSeg[]> {
  const width = opts.width ?? 320;
  const height = opts.height ?? 240;
  const dir = path.join(recordingsDir, String(cameraId));
  fs.mkdirSync(dir, { recursive: true });
  const prefix = `${startMs}`;
  const seconds = count * segSeconds;
  await runFfmpeg([
    '-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=gray:s=${width}x${height}:r=${FPS}:d=${seconds}`,
    '-vf', barcodeFilter(width),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-bf', '0', '-g', String(FPS), '-keyint_min', String(FPS), '-sc_threshold', '0', '-pix_fmt', 'yuv420p',
    ...(opts.bitrateKbps ? ['-b:v', `${opts.bitrateKbps}k`, '-maxrate', `${opts.bitrateKbps}k`, '-bufsize', `${opts.bitrateKbps}k`] : []),
    '-f', 'segment', '-segment_time', String(segSeconds), '-segment_format', 'mpegts', '-reset_timestamps', '0',
    path.join(dir, `${prefix}-%06d.ts`),
  ], { timeoutMs: 600_000 });
  const out: RecordedSeg[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${prefix}-${String(i).padStart(6, '0')}.ts`;
    out.push({
      file: path.join(dir, name),
      relPath: `${cameraId}/${name}`,
      startMs: startMs + i * segSeconds * 1000,
      endMs: startMs + (i + 1) * segSeconds * 1000,
      firstFrame: i * segSeconds * FPS,
    });
  }
  return out;
}

export function segmentRow(cameraId: number, s: RecordedSeg, width = 320, height = 240): NewSegment {
  return {
    cameraId, relPath: s.relPath, startMs: s.startMs, endMs: s.endMs, durationMs: s.endMs - s.startMs, sizeBytes: fs.statSync(s.file).size,
    videoCodec: 'h264', audioCodec: null, width, height, fps: FPS, state: 'closed', protected: false, recovered: false,
  };
}

/** Indexes the segments (all but those in `skip`, whose files are deleted: a gap) and returns the kept rows' ids. */
export async function indexSegments(store: Store, cameraId: number, segs: RecordedSeg[], skip: number[] = []): Promise<number[]> {
  const ids: number[] = [];
  for (const [i, s] of segs.entries()) {
    if (skip.includes(i)) {
      fs.rmSync(s.file, { force: true });
      continue;
    }
    ids.push((await store.segments.insert(segmentRow(cameraId, s))).id);
  }
  return ids;
}

/** Frame number read back from the barcode of a decoded frame (RGB or gray bytes sampled at each column's centre, row 80). */
export function decodeBarcode(sample: (x: number, y: number) => number, width: number): number {
  let n = 0;
  for (let i = 0; i < BAR_BITS; i++) if (sample(Math.round((i + 0.5) * (width / BAR_BITS)), 80) > 128) n |= 1 << i;
  return n;
}
