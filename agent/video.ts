// Video push of the agent: one ffmpeg (started by media/ffmpeg-launcher.ts) sending to the hub over RTMP, restarted with backoff when it ends.
import type { FfmpegLauncher, RecordProcess } from '../media/ffmpeg-launcher';
import { uplinkPushArgs, type UplinkPushSpec } from './video-args';

/** Starts one ffmpeg pushing the unit's video to the hub over RTMP; onExit tells the agent to restart it (with backoff). */
export function launchUplinkPush(
  ffmpeg: FfmpegLauncher,
  spec: UplinkPushSpec,
  h: { onExit(error: string | null, tail: string[]): void; onProgress?(outTimeS: number): void },
): RecordProcess {
  return ffmpeg.process(uplinkPushArgs(spec), { onProgress: (t) => h.onProgress?.(t), onExit: (err, tail) => h.onExit(err, tail) });
}

export class VideoPusher {
  private proc: ReturnType<typeof launchUplinkPush> | null = null;
  private failures = 0;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;
  private startedMs = 0;

  constructor(
    private readonly spec: UplinkPushSpec,
    private readonly log: (m: string) => void,
    private readonly ffmpeg: FfmpegLauncher,
  ) {}

  start(): void {
    if (this.closed) return;
    this.startedMs = Date.now();
    this.proc = launchUplinkPush(this.ffmpeg, this.spec, {
      onExit: (err, tail) => {
        this.proc = null;
        if (this.closed) return;
        if (Date.now() - this.startedMs > 30_000) this.failures = 0;
        this.failures++;
        const delay = Math.min(30_000, 1000 * 2 ** Math.min(5, this.failures - 1));
        this.log(`video push ended (${err ?? 'end of input'}${tail.length ? `: ${tail.at(-1)}` : ''}); restarting in ${delay / 1000} s`);
        this.retry = setTimeout(() => this.start(), delay);
      },
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.proc?.stop(3000);
  }
}
