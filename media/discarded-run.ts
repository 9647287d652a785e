// A recording run stopped as soon as its streams were known (its audio must be converted): what it wrote is kept.
import fs from 'node:fs';
import type { FfmpegLauncher } from './ffmpeg-launcher';
import { g711RestoreArgs } from './ffmpeg-args/recording';
import { probe, type ProbeInfo } from './probe';

export interface DiscardedSegment extends ProbeInfo {
  relPath: string;
  startMs: number;
  endMs: number;
  sizeBytes: number;
}

export interface DiscardedRunDeps {
  ffmpeg: FfmpegLauncher;
  relPath(file: string): string;
  log(msg: string): void;
  onClosed(seg: DiscardedSegment): void;
  onError(relPath: string, message: string): void;
}

/**
 * Empty files are removed. The others (a hub's pre-roll reaches the muxer in a burst, before the stop lands) get their
 * G.711 audio back as AAC and are indexed back to back, the last one ending at `endMs`, where the next run starts.
 */
export async function indexDiscardedRun(files: string[], audioCodec: string | null, endMs: number, d: DiscardedRunDeps): Promise<void> {
  const kept = files.filter((file) => {
    try {
      if (fs.statSync(file).size > 0) return true;
      fs.rmSync(file, { force: true });
    } catch {
      /* gone */
    }
    return false;
  });
  const probed: Array<{ file: string; info: ProbeInfo }> = [];
  for (const file of kept) {
    if (audioCodec === 'pcm_alaw' || audioCodec === 'pcm_mulaw') {
      await restoreG711Audio(d.ffmpeg, file, audioCodec).catch((e: Error) => d.log(`audio of ${d.relPath(file)} stays unreadable: ${e.message}`));
    }
    try {
      const info = await probe(d.ffmpeg, file);
      if (info.durationMs <= 0) throw new Error('no playable frames');
      probed.push({ file, info });
    } catch (e) {
      d.log(`segment ${d.relPath(file)} could not be probed: ${(e as Error).message}`);
      d.onError(d.relPath(file), (e as Error).message);
    }
  }
  let startMs = endMs - probed.reduce((a, p) => a + p.info.durationMs, 0);
  for (const { file, info } of probed) {
    d.onClosed({ ...info, relPath: d.relPath(file), startMs, endMs: startMs + info.durationMs, sizeBytes: fs.statSync(file).size });
    startMs += info.durationMs;
  }
}

/**
 * Rewrites a segment in place whose G.711 audio MPEG-TS stored as a private data stream (bytes ffmpeg cannot read back
 * as audio): the raw G.711 bytes are taken out and put back as AAC beside the copied video. Used only for the first
 * moments of a G.711 source, written before the recorder knew it had to convert the audio.
 */
export async function restoreG711Audio(ffmpeg: FfmpegLauncher, file: string, codec: 'pcm_alaw' | 'pcm_mulaw', timeoutMs = 20_000): Promise<void> {
  const raw = `${file}.g711`;
  const tmp = `${file}.aac.ts`;
  const [extract, restore] = g711RestoreArgs(file, codec, raw, tmp);
  try {
    await ffmpeg.exec(extract, timeoutMs);
    await ffmpeg.exec(restore, timeoutMs);
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(raw, { force: true });
    fs.rmSync(tmp, { force: true });
  }
}
