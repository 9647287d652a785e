// Preview frames for the case timeline: the recorded frame at a moment as a JPEG, decoded one at a time, never kept on disk.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { extractJpeg } from '../../../media/snapshot';
import type { FfmpegLauncher } from '../../../media/ffmpeg-launcher';
import type { InvestigationContext } from './context';

/**
 * One ffmpeg at a time (a case with 50 bookmarks must not start 50 decoders on the server); the JPEG goes to a temp
 * file that is deleted once sent, so no frame outlives retention of its recording. The browser caches it (private).
 */
export class FramePreviews {
  private chain: Promise<unknown> = Promise.resolve();
  constructor(
    private readonly store: InvestigationContext['store'],
    private readonly recordingsDir: string,
    private readonly ffmpeg: FfmpegLauncher,
  ) {}

  /** Decodes the frame at tMs into a temp JPEG and hands it to `use`; null when nothing was recorded then. */
  async withFrame<T>(cameraId: number, tMs: number, use: (jpg: string) => Promise<T>): Promise<T | null> {
    const segs = await this.store.segments.listRange(cameraId, tMs, tMs + 1, 5);
    const seg = segs.find((s) => s.startMs <= tMs && s.endMs > tMs && (s.state === 'closed' || s.state === 'writing'));
    if (!seg) return null;
    const file = path.join(this.recordingsDir, ...seg.relPath.split('/'));
    const out = path.join(os.tmpdir(), `argus-frame-${process.pid}-${randomBytes(6).toString('hex')}.jpg`);
    const job = this.chain.then(() => extractJpeg(this.ffmpeg, file, (tMs - seg.startMs) / 1000, out, 10_000));
    this.chain = job.catch(() => undefined);
    try {
      await job;
      return await use(out);
    } finally {
      await fs.promises.rm(out, { force: true });
    }
  }
}
