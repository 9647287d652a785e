// Supervises a relay-only ffmpeg (a camera's sub stream copied into the media hub): restarts with the recorder's backoff.
import { relayLauncher, type RecordProcess, type RelayLauncher } from './record-process';
import type { FfmpegLauncher } from './ffmpeg-launcher';
import { asLog, isLog, type Log, type LogSink } from '../common/log';
import { englishOf, type ServerMessage } from '../common/messages';
import { explainFfmpegError, explainRelayFailure, STALLED } from './errors';
import { backoffDelay, supervisionDefaults, type SupervisionOptions } from './supervision';
import type { StreamInput, StreamSource } from './stream-source';
import { openFailure, SourceHold } from './source-hold';

export type RelayState = 'stopped' | 'connecting' | 'relaying' | 'reconnecting' | 'failed';

export interface RelayStatus {
  state: RelayState;
  /** Why the relay is not running, in words an operator understands; null while relaying. */
  lastError: string | null;
  /** The same as a registered code and params (common/messages.ts); null while relaying. */
  reason: ServerMessage | null;
  failures: number;
  nextRetryMs: number | null;
}

export interface StreamRelayConfig {
  /** Camera id (in log lines). */
  cameraId: number;
  /** Name of the relayed stream in logs, e.g. "sub". */
  label: string;
  /** The stream relayed: opened before every run, released after it. */
  source: StreamSource;
  /** rtmp:// URL in the hub, or a function giving one per run (the hub's one-time URLs: onceUrlFor). */
  relayUrl: string | (() => string);
}

export interface StreamRelayOptions extends SupervisionOptions {
  /** Starts the relay ffmpeg (default: the launcher's process runner with the relay arguments). */
  launch?: RelayLauncher;
  now?: () => number;
  /** This relay's logger (the caller's child, e.g. `{ component: 'relay', cameraId, stream }`); a line function is named so here. */
  log?: LogSink;
  onStatus?: (s: RelayStatus) => void;
}

export class StreamRelay {
  private proc: RecordProcess | null = null;
  private hold: SourceHold | null = null;
  private state: RelayState = 'stopped';
  private lastError: ServerMessage | null = null;
  private failures = 0;
  private nextRetryMs: number | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private stopping = false;
  private stalled = false;
  private audio = true;
  private runStartMs = 0;
  private lastProgressMs = 0;
  private readonly launch: RelayLauncher;
  private readonly now: () => number;
  private readonly log: Log;
  private readonly o: Required<SupervisionOptions>;

  constructor(
    private readonly cfg: StreamRelayConfig,
    private readonly opts: StreamRelayOptions & { ffmpeg: FfmpegLauncher },
  ) {
    this.launch = opts.launch ?? relayLauncher(opts.ffmpeg);
    this.now = opts.now ?? Date.now;
    this.log = isLog(opts.log) ? opts.log : asLog(opts.log).child({ component: 'relay', cameraId: cfg.cameraId, stream: cfg.label });
    this.o = supervisionDefaults(opts);
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  status(): RelayStatus {
    return {
      state: this.state,
      lastError: this.lastError ? englishOf(this.lastError) : null,
      reason: this.lastError,
      failures: this.failures,
      nextRetryMs: this.nextRetryMs,
    };
  }

  start(): void {
    this.stopping = false;
    this.attempt();
  }

  async close(): Promise<void> {
    this.stopping = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.nextRetryMs = null;
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    const p = this.proc;
    if (p) await p.stop(3000);
    await this.hold?.abort();
    this.hold = null;
    this.set('stopped', null);
  }

  private set(state: RelayState, lastError: ServerMessage | null): void {
    const text = (m: ServerMessage | null) => (m ? englishOf(m) : null);
    const changed = state !== this.state || text(lastError) !== text(this.lastError);
    this.state = state;
    this.lastError = lastError;
    if (changed) this.opts.onStatus?.(this.status());
  }

  private attempt(): void {
    this.retryTimer = null;
    this.nextRetryMs = null;
    if (this.stopping) return;
    const runStart = (this.runStartMs = this.now());
    this.lastProgressMs = runStart;
    if (this.state === 'stopped') this.set('connecting', this.lastError);
    const hold = (this.hold = new SourceHold(this.cfg.source));
    hold.open().then(
      (input) => {
        if (runStart === this.runStartMs && !this.stopping) this.run(runStart, input);
        else hold.release();
      },
      (err: unknown) => {
        hold.release();
        if (runStart !== this.runStartMs || this.stopping) return;
        this.hold = null;
        const f = openFailure(err);
        this.failures++;
        const delay = f.permanent ? this.o.maxBackoffMs : backoffDelay(this.failures, this.o.minBackoffMs, this.o.maxBackoffMs);
        this.log(`${this.cfg.source.describe()} unavailable: ${f.text}; retry in ${delay} ms (attempt ${this.failures})`);
        this.nextRetryMs = this.now() + delay;
        this.set(delay >= this.o.maxBackoffMs ? 'failed' : 'reconnecting', f.msg);
        this.retryTimer = setTimeout(() => this.attempt(), delay);
      },
    );
  }

  private run(runStart: number, input: StreamInput): void {
    this.lastProgressMs = this.now();
    this.proc = this.launch(
      {
        input,
        ioTimeoutS: this.o.ioTimeoutS,
        relay: { url: typeof this.cfg.relayUrl === 'function' ? this.cfg.relayUrl() : this.cfg.relayUrl, audio: this.audio },
      },
      {
        onProgress: () => {
          if (runStart !== this.runStartMs) return;
          this.lastProgressMs = this.now();
          if (this.state !== 'relaying') this.set('relaying', null);
        },
        onExit: (err, tail) => this.onExit(runStart, err, tail),
      },
    );
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = setInterval(() => {
      if (this.proc && !this.stopping && this.now() - this.lastProgressMs > this.o.stallMs) {
        this.log(`no video for ${Math.round((this.now() - this.lastProgressMs) / 1000)} s; restarting ffmpeg`);
        this.stalled = true;
        void this.proc.stop(2000);
      }
    }, 1000);
    this.watchdog.unref();
  }

  private onExit(runStart: number, error: string | null, tail: string[]): void {
    if (runStart !== this.runStartMs) return;
    this.proc = null;
    this.hold?.release();
    this.hold = null;
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    if (this.stopping) return;
    const ranMs = this.now() - runStart;
    const relay = this.stalled ? null : explainRelayFailure(error, tail);
    const stalled = this.stalled;
    this.stalled = false;
    if (relay?.kind === 'audio' && this.audio) {
      this.audio = false;
      this.log(`${relay.codec} audio cannot be relayed; relaying video only`);
      this.attempt();
      return;
    }
    if (relay?.kind === 'video') {
      // Cannot work until the camera is reconfigured: no retries.
      this.log(`${relay.message}; not retrying`);
      this.failures++;
      this.set('failed', relay.msg);
      return;
    }
    const reason = stalled ? STALLED.msg : relay ? relay.msg : explainFfmpegError(error, tail).msg;
    const message = englishOf(reason);
    if (ranMs >= this.o.healthyRunMs && this.state === 'relaying') this.failures = 0;
    this.failures++;
    const delay = backoffDelay(this.failures, this.o.minBackoffMs, this.o.maxBackoffMs);
    this.log(`ffmpeg ended after ${ranMs} ms: ${message}; retry in ${delay} ms (attempt ${this.failures})`);
    this.nextRetryMs = this.now() + delay;
    this.set(delay >= this.o.maxBackoffMs ? 'failed' : 'reconnecting', reason);
    this.retryTimer = setTimeout(() => this.attempt(), delay);
  }
}
