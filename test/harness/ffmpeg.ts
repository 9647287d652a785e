// The ffmpeg launcher tests hand to what they start directly (recorders, relays, probes, exports): the binaries on PATH.
import { createFfmpegLauncher, type FfmpegLauncher } from '../../media/ffmpeg-launcher';

/** A launcher for the `ffmpeg` and `ffprobe` on PATH (the defaults of the settings). */
export function testLauncher(): FfmpegLauncher {
  return createFfmpegLauncher({ ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' });
}
