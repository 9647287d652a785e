// Test helper: starts/stops scripts/rtsp_server.py, a GStreamer RTSP server looping pre-encoded clips of any field shape (fake cameras).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Debian's python: it has python3-gi and GstRtspServer (a pyenv python first on PATH does not). */
export const PYTHON_BIN = '/usr/bin/python3';
export const RTSP_SERVER_SCRIPT = fileURLToPath(new URL('../../scripts/rtsp_server.py', import.meta.url));

export type RtspServerOptions = (
  | {
      /**
       * Mount path ('/cam1' or 'cam1') -> clip file (MP4, QuickTime .mov, TS or MKV, e.g. from ensureClip / fieldClip):
       * H.264 or H.265, with or without B-frames, with AAC, G.711 A-law / μ-law or no audio. Each mount loops its clip
       * forever at 1x with increasing timestamps (one loop = the video's length), shared by all its clients.
       */
      mounts: Record<string, string>;
    }
  | {
      /** Serves `clip` at /cam1 .. /cam{count}. */
      count: number;
      clip: string;
    }
) & {
  /** How long to wait for `READY <port>`; default 20 s. */
  readyTimeoutMs?: number;
  /**
   * Max RTP packet size; default 1400 like a real camera. Larger packets (ffmpeg accepts up to 8192)
   * make the fake cameras cheaper in CPU, at the cost of realism for the receiver.
   */
  mtu?: number;
  /** 'user:password' every mount asks for (RTSP Basic, or Digest with `digest`); passed in the environment, not argv. */
  auth?: string;
  digest?: boolean;
};

export interface RtspServer {
  port: number;
  /** rtsp://127.0.0.1:PORT/MOUNT ('cam1' and '/cam1' are the same mount). */
  url(mount: string): string;
  /** SIGTERM, then SIGKILL after 3 s; resolves once the process has exited. Idempotent. */
  stop(): Promise<void>;
  pid: number;
}

const KILL_AFTER_MS = 3_000;
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Last-resort cleanup so a crashed test run does not leave fake cameras behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/**
 * Starts the RTSP server on 127.0.0.1. Without `port` the server binds port 0 and reports the port
 * the kernel chose (no race with other tests); with `port` it uses that one, e.g. to bring a stopped
 * camera back on the same URL. Rejects (with the server's stderr) if it does not print READY in time.
 */
export async function startRtspServer(opts: RtspServerOptions, port?: number): Promise<RtspServer> {
  const args = [RTSP_SERVER_SCRIPT, '--address', '127.0.0.1', '--port', String(port ?? 0)];
  if ('mounts' in opts) {
    const entries = Object.entries(opts.mounts);
    if (entries.length === 0) throw new Error('startRtspServer: no mounts');
    for (const [mount, clip] of entries) args.push('--mount', `/${trimSlashes(mount)}=${clip}`);
  } else {
    if (!Number.isInteger(opts.count) || opts.count <= 0) throw new Error(`startRtspServer: bad count ${opts.count}`);
    args.push('--count', String(opts.count), '--clip', opts.clip);
  }
  if (opts.mtu !== undefined) args.push('--mtu', String(opts.mtu));
  if (opts.digest) args.push('--digest');
  const readyTimeoutMs = opts.readyTimeoutMs ?? 20_000;

  installExitHook();
  const env = opts.auth === undefined ? process.env : { ...process.env, RTSP_SERVER_AUTH: opts.auth };
  const child = spawn(PYTHON_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  running.add(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-32 * 1024);
  });
  // 'close': the process has exited and its stdout/stderr are drained.
  const exited = new Promise<void>((resolve) => {
    child.once('close', () => {
      running.delete(child);
      resolve();
    });
  });
  const describe = () => `${PYTHON_BIN} ${args.join(' ')}`;

  const boundPort = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const cleanup = () => {
      clearTimeout(timer);
      child.off('error', onError);
      child.off('close', onClose);
      lines.off('line', onLine);
      lines.on('line', () => {}); // keep draining stdout so the server never blocks on a full pipe
    };
    const fail = (why: string) => {
      cleanup();
      child.kill('SIGKILL');
      // wait (briefly) for stderr to drain so the error carries the server's explanation
      void Promise.race([exited, new Promise((r) => setTimeout(r, 1_000))]).then(() =>
        reject(new Error(`RTSP server ${why}: ${describe()}\n--- stderr ---\n${stderr.trim()}`)),
      );
    };
    const onError = (err: Error) => fail(`could not be spawned (${err.message})`);
    const onClose = (code: number | null, signal: NodeJS.Signals | null) => fail(`exited before READY (${code ?? signal})`);
    const onLine = (line: string) => {
      const m = /^READY (\d+)$/.exec(line.trim());
      if (!m) return;
      cleanup();
      resolve(Number(m[1]));
    };
    const timer = setTimeout(() => fail(`did not print READY within ${readyTimeoutMs} ms`), readyTimeoutMs);
    child.once('error', onError);
    child.once('close', onClose);
    lines.on('line', onLine);
  });

  let stopping: Promise<void> | undefined;
  return {
    port: boundPort,
    pid: child.pid!,
    url: (mount: string) => `rtsp://127.0.0.1:${boundPort}/${trimSlashes(mount)}`,
    stop: () => {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return exited;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

function trimSlashes(mount: string): string {
  return mount.replace(/^\/+|\/+$/g, '');
}
