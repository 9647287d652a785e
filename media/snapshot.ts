// JPEG snapshots from recordings (through the launcher): a frame-exact still, or the newest frame of a segment being written.
import type { FfmpegLauncher } from './ffmpeg-launcher';
import { jpegAtArgs, lastJpegArgs } from './ffmpeg-args/snapshot';

/**
 * The newest decodable frame of a (possibly still growing) recording as JPEG: decodes the last `lookbackS` seconds and
 * keeps the last frame. Seeking straight to "1 s before the end" lands mid-GOP and yields no frame at all (ffmpeg then
 * exits 0 without writing the file); starting further back reaches a keyframe. Writes nothing when the file has none.
 */
export async function extractLastJpeg(ffmpeg: FfmpegLauncher, file: string, outFile: string, lookbackS = 15, timeoutMs = 30_000): Promise<void> {
  await ffmpeg.job(lastJpegArgs(file, outFile, lookbackS), { timeoutMs });
}

/**
 * Writes a JPEG of the frame shown at offsetS into a media file (decoding from the keyframe before: frame-exact).
 * offsetS < 0 means "seconds before the end" (the newest frame of a segment being written).
 */
export async function extractJpeg(ffmpeg: FfmpegLauncher, file: string, offsetS: number, outFile: string, timeoutMs = 20_000): Promise<void> {
  await ffmpeg.job(jpegAtArgs(file, offsetS, outFile), { timeoutMs });
}
