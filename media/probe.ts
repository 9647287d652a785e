// Probing a media file with ffprobe (through the launcher): duration, codecs, picture size, frame rate.
import path from 'node:path';
import type { FfmpegLauncher } from './ffmpeg-launcher';

export interface ProbeInfo {
  durationMs: number;
  videoCodec: string | null;
  audioCodec: string | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  /** Presentation time of the first packet in seconds, null if unknown. */
  startTimeS: number | null;
}

function parseRate(r: string | undefined): number | null {
  if (!r) return null;
  const [n, d] = r.split('/').map(Number);
  if (!n || !d) return null;
  return Math.round((n / d) * 100) / 100;
}

/** Probes a media file. Rejects with a readable message when the file is unreadable or holds no stream. */
export function probe(ffmpeg: FfmpegLauncher, file: string, timeoutMs = 15_000): Promise<ProbeInfo> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ffprobe timed out on ${file}`)), timeoutMs);
    ffmpeg.ffprobe(file, (err, data) => {
      clearTimeout(timer);
      if (err)
        return reject(
          new Error(
            `cannot read ${path.basename(file)}: ${String(err.message ?? err)
              .split('\n')
              .slice(-3)
              .join(' ')
              .trim()}`,
          ),
        );
      const v = data.streams.find((st) => st.codec_type === 'video');
      const a = data.streams.find((st) => st.codec_type === 'audio');
      const dur = Number(data.format.duration);
      if (!v && !a) return reject(new Error(`${path.basename(file)} holds no audio or video`));
      resolve({
        durationMs: Number.isFinite(dur) ? Math.round(dur * 1000) : 0,
        videoCodec: v?.codec_name ?? null,
        audioCodec: a?.codec_name ?? null,
        width: v?.width ?? null,
        height: v?.height ?? null,
        fps: parseRate(v?.avg_frame_rate) ?? parseRate(v?.r_frame_rate),
        startTimeS: Number.isFinite(Number(data.format.start_time)) ? Number(data.format.start_time) : null,
      });
    });
  });
}
