// Test helper: an ffmpeg that publishes a clip over RTMP in real time (-re), like a unit's 4G encoder or OBS.
import { spawn, type ChildProcess } from 'node:child_process';
import { FFMPEG_BIN } from './ffmpeg';

export interface Publisher {
  proc: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  stderr(): string;
  /** SIGKILL (a dropped 4G link) and wait for exit. */
  kill(): Promise<void>;
}

/** Publishes `clip` to `url` (stream copy, FLV). `loop` repeats it until killed. */
export function publishRtmp(url: string, clip: string, opts: { loop?: boolean } = {}): Publisher {
  const args = ['-nostdin', '-hide_banner', '-v', 'error', '-re', ...(opts.loop ? ['-stream_loop', '-1'] : []), '-i', clip, '-c', 'copy', '-f', 'flv', url];
  const proc = spawn(FFMPEG_BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-8192)));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    proc,
    exited,
    stderr: () => err,
    kill: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}
