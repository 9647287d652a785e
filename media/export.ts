// Export jobs (through the launcher): segments joined by stream copy, pieces re-encoded frame-exactly with a watermark, MP4 pieces joined.
import fs from 'node:fs';
import type { FfmpegLauncher, JobOptions } from './ffmpeg-launcher';
import { concatCopyArgs, concatListText, joinArgs, reencodeArgs, watermarkFilter, type ConcatInput } from './ffmpeg-args/export';
import { probe } from './probe';

export type { ConcatInput } from './ffmpeg-args/export';
export type ExportRunOptions = JobOptions;

/** Writes the concat list beside `outFile`, runs `args(list)`, and removes the list. */
async function withConcatList(inputs: ConcatInput[], outFile: string, run: (list: string) => Promise<void>): Promise<void> {
  const list = `${outFile}.ffconcat`;
  await fs.promises.writeFile(list, concatListText(inputs));
  try {
    await run(list);
  } finally {
    await fs.promises.rm(list, { force: true });
  }
}

/**
 * Joins MPEG-TS segment pieces into one MP4 by stream copy (concat demuxer, in/out points in the files' timestamps).
 * The demuxer seeks to the first packet whose DTS is at or after an inpoint and ffmpeg drops packets until a keyframe;
 * packets whose DTS is at or after an outpoint are dropped: callers place both on frame DTS (see
 * main/services/investigation/cut-points.ts). Gaps between inputs are closed (timestamps are made contiguous).
 */
export async function concatCopyToMp4(ffmpeg: FfmpegLauncher, inputs: ConcatInput[], outFile: string, o: ExportRunOptions = {}): Promise<void> {
  await withConcatList(inputs, outFile, (list) => ffmpeg.job(concatCopyArgs(list, outFile), o));
}

/** A drawtext font file, or null (then watermarks are refused). */
export function watermarkFont(): string | null {
  const candidates = [
    '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
    '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf',
    '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
    '/System/Library/Fonts/Supplemental/Arial.ttf',
    'C:/Windows/Fonts/arial.ttf',
  ];
  return candidates.find((f) => fs.existsSync(f)) ?? null;
}

/**
 * Re-encodes one contiguous piece (segments concatenated, no gaps) to MP4 cut frame-exactly at [offsetS, offsetS + durationS)
 * of the concatenation; with `watermark`, burns in the label and the wall-clock time (UTC) of each frame, starting at wallStartMs.
 */
export async function reencodePieceToMp4(
  ffmpeg: FfmpegLauncher,
  files: string[],
  offsetS: number,
  durationS: number,
  outFile: string,
  watermark: { label: string; wallStartMs: number } | null,
  o: ExportRunOptions = {},
): Promise<void> {
  const list = `${outFile}.ffconcat`;
  await fs.promises.writeFile(list, concatListText(files.map((file) => ({ file }))));
  const vf: string[] = ['setpts=PTS-STARTPTS'];
  if (watermark) {
    const font = watermarkFont();
    if (!font) throw new Error('no font for the watermark found');
    vf.push(watermarkFilter(font, watermark.label, watermark.wallStartMs));
  }
  const audio = files.length > 0 && (await probe(ffmpeg, files[0]!)).audioCodec !== null;
  try {
    await ffmpeg.job(reencodeArgs(list, offsetS, durationS, vf, audio, outFile), o);
  } finally {
    await fs.promises.rm(list, { force: true });
  }
}

/** Joins MP4 pieces of one source (same codecs) into one MP4 by stream copy. */
export async function joinMp4(ffmpeg: FfmpegLauncher, pieces: string[], outFile: string, o: ExportRunOptions = {}): Promise<void> {
  await withConcatList(
    pieces.map((file) => ({ file })),
    outFile,
    (list) => ffmpeg.job(joinArgs(list, outFile), o),
  );
}
