// The frame a snapshot takes: the newest decodable frame of a live recording (or the segment before), or a playback instant.
import fs from 'node:fs';
import path from 'node:path';
import { ErrorKind } from '../../../common/errors';
import { extractJpeg, extractLastJpeg } from '../../../media/snapshot';
import type { FfmpegLauncher } from '../../../media/ffmpeg-launcher';
import type { SegmentRow } from '../../../storage/repositories';
import { msg } from '../../../common/messages';
import { DomainError } from '../../platform/errors';

/** A closed segment that ended this recently still counts as "live" when the open one has no complete frame yet. */
export const LIVE_FALLBACK_MS = 30_000;

async function nonEmptyFile(file: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(file)).size > 0;
  } catch {
    return false;
  }
}

interface Shot {
  seg: SegmentRow;
  offsetS: number;
  live: boolean;
  fallback: SegmentRow | null;
  cameraName: string;
}

/**
 * Writes the JPEG to `jpg` and returns the segment it came from. Live: the newest frame of `seg`, else of `fallback`;
 * playback: the frame at `offsetS`. Throws an DomainError with a code (the snapshot's folder removed): 'snapshot.no_frame'
 * when there is no decodable frame (ffmpeg exits 0 without writing then: seeking to 1 s before the end of a growing
 * segment lands mid-GOP, which gave ENOENT on snapshot.jpg), 'snapshot.failed' when ffmpeg fails.
 */
export async function grabFrame(ffmpeg: FfmpegLauncher, recordingsDir: string, jpg: string, shot: Shot): Promise<SegmentRow> {
  const dir = path.dirname(jpg);
  let used: SegmentRow | null;
  try {
    used = await frameFrom(ffmpeg, recordingsDir, jpg, shot);
  } catch (err) {
    await fs.promises.rm(dir, { recursive: true, force: true });
    throw new DomainError(ErrorKind.Unavailable, msg('snapshot.failed'), { message: `cannot take the snapshot: ${(err as Error).message}` });
  }
  if (used) return used;
  await fs.promises.rm(dir, { recursive: true, force: true });
  const path_ = shot.live ? 'cameraId' : 'tMs';
  throw DomainError.conflict(path_, msg('snapshot.no_frame', { name: shot.cameraName }));
}

async function frameFrom(ffmpeg: FfmpegLauncher, recordingsDir: string, jpg: string, shot: Shot): Promise<SegmentRow | null> {
  const fileOf = (s: SegmentRow) => path.join(recordingsDir, ...s.relPath.split('/'));
  if (!shot.live) {
    await extractJpeg(ffmpeg, fileOf(shot.seg), shot.offsetS, jpg);
    return (await nonEmptyFile(jpg)) ? shot.seg : null;
  }
  // Live: a segment opened a moment ago may be empty or hold no complete frame yet (ffmpeg fails or writes nothing).
  for (const s of [shot.seg, shot.fallback]) {
    if (!s) continue;
    try {
      await extractLastJpeg(ffmpeg, fileOf(s), jpg);
    } catch {
      continue;
    }
    if (await nonEmptyFile(jpg)) return s;
  }
  return null;
}
