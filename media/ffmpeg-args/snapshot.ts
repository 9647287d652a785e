// ffmpeg arguments of JPEG snapshots: the frame at a time in a file, or the newest decodable frame of a growing recording.

/** The newest frame of the last `lookbackS` seconds of `file` (decoded from a keyframe before), written over and over to `outFile`. */
export function lastJpegArgs(file: string, outFile: string, lookbackS: number): string[] {
  return ['-y', '-sseof', (-lookbackS).toFixed(3), '-i', file, '-map', '0:v:0', '-q:v', '2', '-update', '1', '-f', 'image2', '-c:v', 'mjpeg', outFile];
}

/** The frame shown at offsetS into `file` (offsetS < 0: seconds before the end). */
export function jpegAtArgs(file: string, offsetS: number, outFile: string): string[] {
  // MPEG-TS input seeking may land on a later keyframe; so seek the input 3 s early and drop decoded frames up to the
  // exact time (output -ss counts from the input seek target).
  const coarse = Math.max(0, offsetS - 3);
  const seek = offsetS >= 0 ? ['-ss', coarse.toFixed(3), '-i', file, '-ss', (offsetS - coarse).toFixed(3)] : ['-sseof', offsetS.toFixed(3), '-i', file];
  return ['-y', ...seek, '-map', '0:v:0', '-frames:v', '1', '-q:v', '2', '-f', 'image2', '-c:v', 'mjpeg', outFile];
}
