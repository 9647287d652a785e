// Test assertions on media files using the ffprobe command line directly (independent of Argus's own probing code).
import { execFileSync, spawnSync } from 'node:child_process';
import { waitFor as harnessWaitFor } from '../harness/wait';

export interface FileProbe {
  durationS: number;
  streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number }>;
  /** Decoded video frames (counted by actually decoding). */
  frames?: number;
}

/** ffprobe of one file; throws if ffprobe cannot read it. With `countFrames`, decodes the video to count frames. */
export function ffprobeFile(file: string, countFrames = false): FileProbe {
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams'];
  if (countFrames) args.push('-count_frames', '-select_streams', 'v:0');
  const out = JSON.parse(execFileSync('ffprobe', [...args, file], { encoding: 'utf8' })) as {
    format: { duration?: string };
    streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number; nb_read_frames?: string }>;
  };
  return {
    durationS: Number(out.format.duration ?? 'NaN'),
    streams: out.streams,
    frames: countFrames ? Number(out.streams[0]?.nb_read_frames ?? 0) : undefined,
  };
}

/** Decodes the whole file with ffmpeg; returns its error output (empty when the file decodes cleanly). */
export function decodeErrors(file: string): string {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-nostdin', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' });
  return (r.stderr ?? '') + (r.status === 0 ? '' : `exit ${r.status}`);
}

/**
 * Polls until fn returns a truthy value: the harness's waitFor (test/harness/wait.ts) with positional options. Kept for the
 * tests under media/ and scripts/; test/ uses `waitFor` from test/harness.
 */
export function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 30_000, stepMs = 100): Promise<NonNullable<T>> {
  return harnessWaitFor(fn, { what, timeoutMs, intervalMs: stepMs });
}
