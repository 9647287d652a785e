// The one place ffmpeg and ffprobe are started: a launcher made with the binary paths (createFfmpegLauncher), the watchdog every ffmpeg runs under, signalling, the long-running process runner (with an optional input pipe on fd 3), the run-to-completion job runner and ffprobe.
import path from 'node:path';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { FfprobeData } from 'fluent-ffmpeg';

export type { FfprobeData } from 'fluent-ffmpeg';

export interface FfmpegPaths {
  ffmpegPath: string;
  ffprobePath: string;
}

/**
 * Every start of ffmpeg or ffprobe goes through one of these, made once by the composition root with the configured
 * binaries and handed to whatever starts them (recorders, relays, exports, snapshots, probes, repairs, the agent).
 */
export interface FfmpegLauncher {
  readonly paths: Readonly<FfmpegPaths>;
  /** Starts one long-running ffmpeg (under the watchdog); `a.inputBytes` are written into its fd 3. */
  process(a: FfmpegArgs, h: RunHandlers): RecordProcess;
  /** Runs ffmpeg (under the watchdog) with `args` to completion; progress from `-progress pipe:1`; rejects with the stderr tail. */
  job(args: string[], o?: JobOptions): Promise<void>;
  /** Runs the bare ffmpeg binary on a short local file job (no watchdog; bounded by `timeoutMs`). */
  exec(args: string[], timeoutMs: number): Promise<void>;
  /** Probes a media file with ffprobe (streams and format, in fluent-ffmpeg's FfprobeData shape). */
  ffprobe(file: string, cb: (err: Error | null, data: FfprobeData) => void): void;
  /** `ffmpeg -version` first line, or null if ffmpeg cannot run. */
  version(): string | null;
}

/** A launcher for the given binaries. Nothing is kept between launchers: two back ends in one process may use different binaries. */
export function createFfmpegLauncher(paths: FfmpegPaths): FfmpegLauncher {
  const p: Readonly<FfmpegPaths> = Object.freeze({ ffmpegPath: paths.ffmpegPath, ffprobePath: paths.ffprobePath });
  const bin: Bin = { ...p, watchdog: findWatchdog() };
  return {
    paths: p,
    process: (a, h) => runFfmpegProcess(bin, a, h),
    job: (args, o) => runFfmpegJob(bin, args, o),
    exec: (args, timeoutMs) => execFfmpeg(p, args, timeoutMs),
    ffprobe: (file, cb) => runFfprobe(p, file, cb),
    version: () => ffmpegVersion(p),
  };
}

/** A launcher's binaries: the paths, and the watchdog script every ffmpeg runs under (null where it cannot run). */
type Bin = FfmpegPaths & { watchdog: string | null };

/**
 * On Linux every ffmpeg runs under `media/bin/ffmpeg-supervised.sh`, a watchdog (one small dash) that the kernel tells when
 * the server dies, even by kill -9: it sends ffmpeg SIGTERM, then SIGKILL after 5 s. The watchdog and its ffmpeg are a
 * process group of their own (see signalFfmpeg). Returns the watchdog's path, or null where it cannot run (setpriv or
 * setsid missing, not Linux): then ffmpeg is started directly and orphans are reaped at the next start (media/orphans.ts).
 */
function findWatchdog(): string | null {
  if (process.platform !== 'linux') return null;
  try {
    execFileSync('setpriv', ['--help'], { stdio: 'ignore' });
    execFileSync('setsid', ['--help'], { stdio: 'ignore' });
    return path.join(import.meta.dirname, 'bin', 'ffmpeg-supervised.sh');
  } catch {
    return null;
  }
}

/** The environment of an ffmpeg start: the watchdog finds the binary in ARGUS_FFMPEG_BIN. */
function ffmpegEnv(paths: FfmpegPaths): NodeJS.ProcessEnv {
  return { ...process.env, ARGUS_FFMPEG_BIN: paths.ffmpegPath };
}

/** The command that starts ffmpeg with the arguments that follow it (the watchdog, or the bare binary). */
function ffmpegCommand(b: Bin): string {
  return b.watchdog ?? b.ffmpegPath;
}

/**
 * Signals an ffmpeg started with ffmpegCommand(). Under the watchdog the signal goes to its process group: SIGTERM reaches
 * ffmpeg (the watchdog ignores it), SIGKILL both. Without the watchdog, to the process itself.
 */
function signalFfmpeg(b: Bin, proc: ChildProcess, sig: 'SIGTERM' | 'SIGKILL'): void {
  if (proc.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
  if (b.watchdog !== null) {
    try {
      process.kill(-proc.pid, sig);
      return;
    } catch {
      // ESRCH: the watchdog has not yet made its group (the first milliseconds) or it is gone: signal the process
    }
  }
  proc.kill(sig);
}

export interface RecordProcess {
  readonly pid: number | undefined;
  /** Asks ffmpeg to finish ('q', then SIGTERM: the current segment is closed properly); SIGKILL after `graceMs`. Resolves on exit. */
  stop(graceMs?: number): Promise<void>;
  /** Kills at once (SIGKILL). */
  kill(): void;
}

/**
 * Replaces secrets in a log line: those carried in URLs (the hub's internal secret, unit stream keys) and the given ones
 * (a source's password, as written and URL-encoded).
 */
export function redactSecrets(line: string, secrets: readonly string[] = []): string {
  let out = line.replace(/([?&](?:secret|key|once)=)[^&\s'"]+/gi, '$1***');
  for (const s of secrets) {
    if (!s) continue;
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join('***');
  }
  return out;
}

export interface FfmpegOutput {
  output: string;
  options: string[];
}

export interface FfmpegArgs {
  /** The input: a URL, or `pipe:3` with `inputBytes` (never a URL with credentials: media/ffmpeg-args/input.ts). */
  input: string;
  inputOptions: string[];
  /** Bytes written into ffmpeg's fd 3 (a fourth stdio pipe; stdin stays free for 'q'); their end is the input's end. */
  inputBytes?: Readable;
  /** Strings never shown in a log line, an error or a status (a source's password). */
  secrets?: readonly string[];
  /** In order. The relay (when present) comes first: if FLV refuses the codec, ffmpeg fails before opening a segment file. */
  outputs: FfmpegOutput[];
}

const TIME = /time=(-?)(\d+):(\d+):(\d+(?:\.\d+)?)/;

export interface RunHandlers {
  onStdoutLine?(line: string): void;
  /** A stderr line that is not a progress line (secrets already redacted). */
  onLogLine?(line: string): void;
  onProgress(outTimeS: number): void;
  onExit(error: string | null, stderrTail: string[]): void;
}

/** fluent-ffmpeg's wording of an exit (kept: media/errors.ts reads it), with the tail's last lines that are not log lines. */
function exitError(code: number | null, signal: NodeJS.Signals | null, lines: string[]): string | null {
  if (signal) return `ffmpeg was killed with signal ${signal}`;
  if (!code) return null;
  const trailing: string[] = [];
  for (const l of lines) {
    if (l.startsWith(' ') || l.startsWith('[')) trailing.length = 0;
    else trailing.push(l);
  }
  return `ffmpeg exited with code ${code}: ${trailing.join('\n')}`;
}

/** The command line of a long-running process: global options, input options and input, then each output's options and target. */
export function processArgv(a: FfmpegArgs): string[] {
  const argv = ['-hide_banner', '-loglevel', 'level+info', '-stats_period', '1', ...a.inputOptions, '-i', a.input];
  for (const o of a.outputs) argv.push(...o.options, o.output);
  return argv;
}

/** Starts one long-running ffmpeg (under the watchdog) with the given arguments; `a.inputBytes` are written into its fd 3. */
function runFfmpegProcess(b: Bin, a: FfmpegArgs, h: RunHandlers): RecordProcess {
  const redact = (line: string) => redactSecrets(line, a.secrets);
  let exited = false;
  let exitWaiters: Array<() => void> = [];
  const tail: string[] = [];
  const recent: string[] = [];
  let stdoutBuf = '';
  let stderrBuf = '';

  const finish = (error: string | null) => {
    if (exited) return;
    exited = true;
    h.onExit(error === null ? null : redact(error), tail.slice());
    for (const w of exitWaiters) w();
    exitWaiters = [];
  };

  const stdio: Array<'pipe'> = a.inputBytes ? ['pipe', 'pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe'];
  const argv = processArgv(a);
  // Any local user reads a command line (ps, /proc/<pid>/cmdline): a secret in it is a bug, refused here.
  const leaked = (a.secrets ?? []).find((s) => s !== '' && argv.some((arg) => arg.includes(s)));
  if (leaked !== undefined) throw new Error('refusing to start ffmpeg: a secret of its input is on its command line');
  const proc: ChildProcess = spawn(ffmpegCommand(b), argv, { stdio, env: ffmpegEnv(b) });
  proc.stdin?.on('error', () => undefined); // 'q' sent to a process that just exited
  if (a.inputBytes) {
    const sink = proc.stdio[3] as import('node:stream').Writable;
    const bytes = a.inputBytes;
    sink.on('error', () => undefined); // EPIPE: ffmpeg ended first
    bytes.pipe(sink);
    // The source ended or failed: ffmpeg sees the end of its input (and closes its segment).
    const endInput = () => sink.end();
    bytes.once('error', endInput);
    proc.once('exit', () => {
      bytes.unpipe(sink);
      bytes.off('error', endInput);
      sink.destroy();
    });
  }
  proc.stdout!.setEncoding('utf8');
  proc.stdout!.on('data', (chunk: string) => {
    stdoutBuf += chunk;
    let nl: number;
    while ((nl = stdoutBuf.indexOf('\n')) >= 0) {
      const line = stdoutBuf.slice(0, nl).trim();
      stdoutBuf = stdoutBuf.slice(nl + 1);
      h.onStdoutLine?.(line);
    }
  });
  const onStderrLine = (raw: string) => {
    const tm = TIME.exec(raw);
    if (tm) {
      const t = Number(tm[2]) * 3600 + Number(tm[3]) * 60 + Number(tm[4]);
      if (!tm[1]) h.onProgress(t);
      return;
    }
    const line = redact(raw);
    recent.push(line);
    if (recent.length > 50) recent.shift();
    if (raw === '') return;
    h.onLogLine?.(line);
    tail.push(line);
    if (tail.length > 30) tail.shift();
  };
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (chunk: string) => {
    stderrBuf += chunk;
    const parts = stderrBuf.split(/\r\n|\r|\n/);
    stderrBuf = parts.pop() ?? '';
    for (const p of parts) onStderrLine(p);
  });
  // 'close': the process exited and its stdout/stderr are drained (the segment list's last line is read).
  proc.once('close', (code, signal) => {
    if (stderrBuf) onStderrLine(stderrBuf);
    stderrBuf = '';
    finish(exitError(code, signal, recent));
  });
  proc.once('error', (err) => finish(err.message));

  return {
    get pid() {
      return proc.pid;
    },
    stop(graceMs = 5000) {
      if (exited) return Promise.resolve();
      return new Promise<void>((resolve) => {
        exitWaiters.push(resolve);
        // 'q' on stdin makes ffmpeg finish like SIGTERM does (trailers written, the segment list's last line printed)
        // without being a signal: ffmpeg takes a second signal as "exit immediately" and then abandons the segment it
        // was closing, which is what happened when a service manager's SIGTERM to the whole process group reached
        // ffmpeg as well as the server. SIGTERM follows only if 'q' was not heeded (an input blocked in a read).
        const quit = () => {
          if (exited) return;
          // (ffmpeg reads no 'q' when an input is a pipe: URL: then SIGTERM at once, a single signal to its own group)
          if (proc.stdin?.writable && !a.input.startsWith('pipe:')) proc.stdin.write('q');
          else signalFfmpeg(b, proc, 'SIGTERM');
          setTimeout(
            () => {
              if (!exited) signalFfmpeg(b, proc, 'SIGTERM');
            },
            Math.min(2000, graceMs / 2),
          ).unref();
          setTimeout(() => {
            if (!exited) signalFfmpeg(b, proc, 'SIGKILL');
          }, graceMs).unref();
        };
        quit();
      });
    },
    kill() {
      signalFfmpeg(b, proc, 'SIGKILL');
    },
  };
}

// ---------------------------------------------------------------- run-to-completion jobs (exports, snapshots, repairs)

export interface JobOptions {
  /** Called with the output time reached (s). */
  onProgress?: (outTimeS: number) => void;
  /** Aborting kills ffmpeg (SIGKILL) and rejects with an Error named 'AbortError'. */
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Runs ffmpeg (under the watchdog) with `args` to completion; progress from `-progress pipe:1`; rejects with the stderr tail. */
function runFfmpegJob(b: Bin, args: string[], o: JobOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) return reject(Object.assign(new Error('cancelled'), { name: 'AbortError' }));
    const child = spawn(ffmpegCommand(b), ['-hide_banner', '-nostdin', '-loglevel', 'error', '-progress', 'pipe:1', '-nostats', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: ffmpegEnv(b),
    });
    let err = '';
    let out = '';
    let aborted = false;
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        const m = /^out_time_us=(\d+)/.exec(line);
        if (m) o.onProgress?.(Number(m[1]) / 1e6);
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-4000)));
    const onAbort = () => {
      aborted = true;
      signalFfmpeg(b, child, 'SIGKILL');
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = o.timeoutMs ? setTimeout(() => signalFfmpeg(b, child, 'SIGKILL'), o.timeoutMs) : null;
    child.once('error', (e) => reject(e));
    child.once('close', (code) => {
      if (timer) clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      if (aborted) return reject(Object.assign(new Error('cancelled'), { name: 'AbortError' }));
      if (code === 0) return resolve();
      reject(new Error(`ffmpeg failed (exit ${code}): ${err.trim().split('\n').slice(-4).join(' | ')}`));
    });
  });
}

/**
 * Runs the bare ffmpeg binary (no watchdog: a short local file job bounded by `timeoutMs`, whose SIGTERM the watchdog
 * would ignore) with `-hide_banner -nostdin -v error -y` and `args`; rejects with the last stderr lines.
 */
function execFfmpeg(paths: FfmpegPaths, args: string[], timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    execFile(paths.ffmpegPath, ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args], { timeout: timeoutMs }, (err, _out, stderr) =>
      err ? reject(new Error(`ffmpeg: ${String(stderr).trim().split('\n').slice(-2).join(' ') || err.message}`)) : resolve(),
    );
  });
}

/**
 * ffprobe of a media file: `-print_format json` read into fluent-ffmpeg's FfprobeData shape (fluent-ffmpeg's own ffprobe
 * keeps the binary's path in a module-wide cache, which would make one launcher's path every launcher's).
 */
function runFfprobe(paths: FfmpegPaths, file: string, cb: (err: Error | null, data: FfprobeData) => void): void {
  execFile(
    paths.ffprobePath,
    ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', file],
    { maxBuffer: 16 * 1024 * 1024 },
    (err, stdout, stderr) => {
      const empty = { streams: [], format: {}, chapters: [] } as FfprobeData;
      if (err) {
        const code = typeof err.code === 'number' ? `exited with code ${err.code}` : err.message;
        return cb(new Error(`ffprobe ${code}\n${String(stderr).trim()}`), empty);
      }
      try {
        const data = JSON.parse(String(stdout)) as Partial<FfprobeData>;
        cb(null, { streams: data.streams ?? [], format: data.format ?? {}, chapters: data.chapters ?? [] } as FfprobeData);
      } catch (e) {
        cb(new Error(`ffprobe output unreadable: ${(e as Error).message}`), empty);
      }
    },
  );
}

/** `ffmpeg -version` first line, or null if ffmpeg cannot run. */
function ffmpegVersion(paths: FfmpegPaths): string | null {
  try {
    return execFileSync(paths.ffmpegPath, ['-version'], { encoding: 'utf8' }).split('\n')[0] ?? null;
  } catch {
    return null;
  }
}
