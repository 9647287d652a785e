// Supervises one camera's recording ffmpeg: restarts with backoff, tracks status, turns segment events into wall-clock times.
import fs from 'node:fs';
import path from 'node:path';
import type { CameraState, CameraStatus } from '../common/api';
import { audioNeedsTranscode } from './ffmpeg-args/recording';
import { recordingLauncher, type RecordLauncher, type RecordProcess, type StreamInfo } from './record-process';
import { englishOf, type ServerMessage } from '../common/messages';
import { explainFfmpegError, explainRelayFailure, STALLED } from './errors';
import { indexDiscardedRun } from './discarded-run';
import { SegmentIndex, type SegmentEvents } from './segment-index';
import type { StreamInput, StreamSource } from './stream-source';
import { openFailure, SourceHold } from './source-hold';
import { backoffDelay, supervisionDefaults, type SupervisionOptions } from './supervision';
import type { FfmpegLauncher } from './ffmpeg-launcher';
import { asLog, isLog, type Log, type LogSink } from '../common/log';

export interface RecorderConfig {
  cameraId: number;
  /** The channel's stream, whatever protocol brings it: opened before every run, released after it. */
  source: StreamSource;
  segmentSeconds: number;
  /** Recordings root; the camera writes to `<root>/<cameraId>/`. */
  recordingsDir: string;
  /** Also copy the stream into the media hub at this rtmp:// URL, or the one a function gives per run (the hub's one-time URLs; live view); null/absent: recording only. */
  relayUrl?: string | (() => string) | null;
  /** Why there is no relay, shown in the status while recording (e.g. the hub is not running). */
  relayUnavailable?: ServerMessage | null;
}

export type { ClosedSegment, OpenedSegment } from './segment-index';

export interface RecorderEvents extends SegmentEvents {
  onStatus(status: CameraStatus): void;
}

export interface RecorderOptions extends SupervisionOptions {
  launch?: RecordLauncher;
  now?: () => number;
  /** The caller's child logger (`{ component: 'recorder', cameraId }`); a line function is given that name here. */
  log?: LogSink;
}

/** The launcher every ffmpeg and ffprobe of the recorder (runs, segment probes, G.711 repairs) is started by. */
export type RecorderDeps = { ffmpeg: FfmpegLauncher };

export class Recorder {
  private proc: RecordProcess | null = null;
  private hold: SourceHold | null = null; // the current run's source, from open() until the run ended
  private state: CameraState = 'stopped';
  private sinceMs: number;
  private lastError: ServerMessage | null = null;
  private failures = 0;
  private nextRetryMs: number | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private stopping = false;
  private closed = false;
  private transcodeAudio = false;
  /** This run was stopped at its start to restart with audio conversion: its (empty) files are not segments. */
  private discardRun = false;
  private discardedFiles: string[] = [];
  private discardedAudio: string | null = null;
  /** Stream time (s) of the run's first progress: video delivered since then resets the backoff. */
  private firstOutTimeS: number | null = null;
  private stalled = false;
  /** The source's timestamps did not advance: stamp packets with the server clock from now on. */
  private wallclockTimestamps = false;
  // relay (live view): never allowed to stop recording
  /** 'permanent': FLV cannot carry the video codec; 'transient': the hub refused, retried after the next reconnect. */
  private relayOff: 'permanent' | 'transient' | null = null;
  private relayAudio = true;
  private relayNote: ServerMessage | null = null;
  private runHasRelay = false;
  // per run
  private runStartMs = 0;
  private lastProgressMs = 0;
  private lastOutTimeS = 0;
  private runInfo: StreamInfo | null = null;
  private bytesWindow: Array<{ atMs: number; bytes: number }> = [];
  private currentFile: string | null = null;
  /** Files of this run reported closed: an "Opening" line read after the close (stderr behind stdout) is not a new segment. */
  private closedFiles = new Set<string>();
  private closedBytes = 0;
  private readonly segments: SegmentIndex;

  private readonly launch: RecordLauncher;
  private readonly now: () => number;
  private readonly log: Log;
  private readonly ffmpeg: FfmpegLauncher;
  private readonly o: Required<SupervisionOptions>;

  constructor(
    private cfg: RecorderConfig,
    private readonly events: RecorderEvents,
    opts: RecorderOptions & RecorderDeps,
  ) {
    this.ffmpeg = opts.ffmpeg;
    this.launch = opts.launch ?? recordingLauncher(opts.ffmpeg);
    this.now = opts.now ?? Date.now;
    this.log = isLog(opts.log) ? opts.log : asLog(opts.log).child({ component: 'recorder', cameraId: cfg.cameraId });
    this.o = supervisionDefaults(opts);
    this.sinceMs = this.now();
    this.relayNote = cfg.relayUrl ? null : (cfg.relayUnavailable ?? null);
    this.segments = new SegmentIndex(cfg.cameraId, cfg.recordingsDir, events, this.now, this.log, this.ffmpeg);
  }

  /** PID of the running ffmpeg, if any (monitoring and tests). */
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get cameraDir(): string {
    return path.join(this.cfg.recordingsDir, String(this.cfg.cameraId));
  }

  status(): CameraStatus {
    const reason = this.lastError ?? this.relayNote;
    return {
      cameraId: this.cfg.cameraId,
      state: this.state,
      // A live-view problem shows while recording works (recording problems take precedence).
      lastError: reason ? englishOf(reason) : null,
      reason,
      bitrateBps: this.state === 'recording' ? this.bitrateBps() : null,
      sinceMs: this.sinceMs,
      failures: this.failures,
      nextRetryMs: this.nextRetryMs,
    };
  }

  start(): void {
    if (this.closed) throw new Error('recorder closed');
    this.stopping = false;
    this.attempt();
  }

  /** Stops ffmpeg (closing the current segment) and waits until the last segment has been reported. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopping = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.nextRetryMs = null;
    const p = this.proc;
    if (p) await p.stop();
    await this.hold?.abort();
    this.hold = null;
    this.stopWatchdog();
    await this.segments.drained();
    this.setState('stopped', this.lastError);
  }

  private setState(state: CameraState, lastError: ServerMessage | null, force = false): void {
    const text = (m: ServerMessage | null) => (m ? englishOf(m) : null);
    const changed = force || state !== this.state || text(lastError) !== text(this.lastError);
    if (state !== this.state) this.sinceMs = this.now();
    this.state = state;
    this.lastError = lastError;
    if (changed) this.events.onStatus(this.status());
  }

  private attempt(): void {
    this.retryTimer = null;
    this.nextRetryMs = null;
    if (this.stopping) return;
    this.runStartMs = this.now();
    this.lastProgressMs = this.runStartMs;
    this.lastOutTimeS = 0;
    this.runInfo = null;
    this.firstOutTimeS = null;
    this.discardRun = false;
    this.discardedFiles = [];
    this.segments.newRun();
    this.bytesWindow = [];
    this.currentFile = null;
    this.closedFiles = new Set();
    this.closedBytes = 0;
    this.setState(this.failures === 0 ? 'connecting' : this.state === 'failed' ? 'failed' : 'reconnecting', this.lastError);
    const runStart = this.runStartMs;
    const hold = (this.hold = new SourceHold(this.cfg.source));
    hold.open().then(
      (input) => {
        if (runStart === this.runStartMs && !this.stopping) this.run(runStart, input);
        else hold.release();
      },
      (err: unknown) => {
        hold.release();
        if (runStart === this.runStartMs && !this.stopping) this.onOpenFailed(err);
      },
    );
  }

  /** The source could not be opened: no ffmpeg; retried like a failed run (a permanent reason waits the longest). */
  private onOpenFailed(err: unknown): void {
    this.hold = null;
    const f = openFailure(err);
    this.failures++;
    const delay = f.permanent ? this.o.maxBackoffMs : backoffDelay(this.failures, this.o.minBackoffMs, this.o.maxBackoffMs);
    this.log(`${this.cfg.source.describe()} unavailable: ${f.text}; retry in ${delay} ms (attempt ${this.failures})`);
    this.nextRetryMs = this.now() + delay;
    this.setState(delay >= this.o.maxBackoffMs ? 'failed' : 'reconnecting', f.msg, true);
    this.retryTimer = setTimeout(() => this.attempt(), delay);
  }

  private run(runStart: number, input: StreamInput): void {
    this.lastProgressMs = this.now();
    const r = this.cfg.relayUrl;
    const relay = r && this.relayOff === null ? { url: typeof r === 'function' ? r() : r, audio: this.relayAudio } : null;
    this.runHasRelay = relay !== null;
    this.proc = this.launch(
      {
        input,
        outDir: this.cameraDir,
        filePrefix: String(runStart),
        segmentSeconds: this.cfg.segmentSeconds,
        transcodeAudio: this.transcodeAudio,
        ioTimeoutS: this.o.ioTimeoutS,
        relay,
        wallclockTimestamps: this.wallclockTimestamps,
      },
      {
        onSegmentOpened: (file) => this.onOpened(runStart, file),
        onSegmentClosed: (file, startS, endS) => this.onClosed(runStart, file, startS, endS),
        onProgress: (t) => this.onProgress(runStart, t),
        onStreamInfo: (info) => this.onStreamInfo(runStart, info),
        onExit: (err, tail) => this.onExit(runStart, err, tail),
      },
    );
    this.startWatchdog();
  }

  /**
   * The input's streams, known before anything is muxed. Audio MPEG-TS cannot carry playable (G.711 is stored as an
   * unreadable private data stream) makes the recorder restart this run at once with the audio converted to AAC; the
   * index records the codec actually stored.
   */
  private onStreamInfo(runStart: number, info: StreamInfo): void {
    if (runStart !== this.runStartMs) return;
    if (!this.transcodeAudio && audioNeedsTranscode(info.audioCodec)) {
      this.transcodeAudio = true;
      this.discardRun = true;
      this.discardedAudio = info.audioCodec;
      this.log(`camera audio is ${info.audioCodec}, which MPEG-TS cannot store playable; recording with audio converted to AAC (video stays untouched)`);
      // 'q' rather than SIGKILL: what it may already have muxed (a hub's pre-roll) ends on a whole frame.
      void this.proc?.stop(2000);
      return;
    }
    this.runInfo = this.transcodeAudio && info.audioCodec !== null ? { ...info, audioCodec: 'aac' } : info;
  }

  private onProgress(runStart: number, outTimeS: number): void {
    if (runStart !== this.runStartMs) return;
    // "time=0" lines come before anything was muxed (e.g. while an RTMP input is still probed): no anchor sample, no liveness.
    if (outTimeS <= 0) return;
    const at = this.now();
    // Liveness means stream time advancing; a source whose timestamps stand still while bytes flow is caught by the watchdog.
    if (outTimeS > this.lastOutTimeS) {
      this.lastProgressMs = at;
      this.lastOutTimeS = outTimeS;
      this.firstOutTimeS ??= outTimeS;
      // Video flows again: the next outage is retried after the shortest wait, however many came before.
      if (this.failures > 0 && (outTimeS - this.firstOutTimeS) * 1000 >= this.o.videoResetMs) {
        this.failures = 0;
        this.setState('recording', null, true);
      }
    }
    this.segments.sample(at, outTimeS);
    if (this.state !== 'recording') {
      this.setState('recording', null);
    }
    // Bitrate from the current file's growth.
    if (this.currentFile) {
      const size = fs.statSync(this.currentFile, { throwIfNoEntry: false })?.size ?? 0; // 0: not yet created
      this.bytesWindow.push({ atMs: at, bytes: this.closedBytes + size });
      while (this.bytesWindow.length > 6) this.bytesWindow.shift();
    }
  }

  private bitrateBps(): number | null {
    const [a, b] = [this.bytesWindow[0], this.bytesWindow.at(-1)];
    if (!a || !b || b.atMs <= a.atMs) return null;
    return Math.round(((b.bytes - a.bytes) * 8 * 1000) / (b.atMs - a.atMs));
  }

  private onOpened(runStart: number, file: string): void {
    if (runStart !== this.runStartMs || this.closedFiles.has(file)) return;
    if (this.discardRun) {
      this.discardedFiles.push(file);
      return;
    }
    if (this.currentFile) this.closedBytes += fs.statSync(this.currentFile, { throwIfNoEntry: false })?.size ?? 0;
    this.currentFile = file;
    this.segments.opened(file);
  }

  private onClosed(runStart: number, file: string, startS: number, endS: number): void {
    if (runStart === this.runStartMs && this.discardRun) return; // its files are indexed when it has exited
    const sameRun = runStart === this.runStartMs;
    if (sameRun) this.closedFiles.add(file);
    this.segments.closed(file, startS, endS, sameRun, sameRun ? this.runInfo : null);
  }

  /** Files of a run stopped as soon as its streams were known (to convert G.711): see `indexDiscardedRun`. */
  private dropDiscarded(): void {
    const files = this.discardedFiles;
    this.discardedFiles = [];
    const endMs = this.now();
    const codec = this.discardedAudio;
    this.segments.enqueue(() =>
      indexDiscardedRun(files, codec, endMs, {
        ffmpeg: this.ffmpeg,
        relPath: (f) => this.segments.relPath(f),
        log: this.log,
        onClosed: (seg) => this.segments.closedElsewhere(seg),
        onError: (rel, message) => this.events.onSegmentError(rel, message),
      }),
    );
  }

  private onExit(runStart: number, error: string | null, tail: string[]): void {
    if (runStart !== this.runStartMs) return;
    this.proc = null;
    this.hold?.release();
    this.hold = null;
    this.stopWatchdog();
    this.segments.closeLeftovers();
    const ranMs = this.now() - runStart;
    if (this.discardRun) {
      this.dropDiscarded();
      if (this.stopping) return;
      this.attempt();
      return;
    }
    if (this.stopping) return;
    if (this.runHasRelay && !this.stalled) {
      // Recording never depends on the relay: drop (part of) it and record again at once.
      const relay = explainRelayFailure(error, tail);
      if (relay) {
        if (relay.kind === 'audio') this.relayAudio = false;
        else this.relayOff = relay.kind === 'video' ? 'permanent' : 'transient';
        this.relayNote = relay.msg;
        this.log(
          `relay to the media hub failed (${relay.kind}${relay.codec ? ` ${relay.codec}` : ''}); recording ${relay.kind === 'audio' ? 'with a video-only relay' : 'without relay'}`,
        );
        this.setState(this.state, this.lastError, true);
        this.attempt();
        return;
      }
    }
    if (this.relayOff === 'transient') {
      // The camera dropped: its next run tries the relay again.
      this.relayOff = null;
      this.relayNote = null;
    }
    const explained = this.stalled ? STALLED : explainFfmpegError(error, tail);
    this.stalled = false;
    if (explained.audioUnsupported && !this.transcodeAudio) {
      this.transcodeAudio = true;
      this.log('camera audio cannot be stored as is; converting audio to AAC (video stays untouched)');
      this.attempt();
      return;
    }
    this.failures++;
    // A source that sends what this server cannot read fails at once (and raises the recording alarm); it is still
    // retried at the longest interval, as the source may change.
    const delay = explained.permanent ? this.o.maxBackoffMs : backoffDelay(this.failures, this.o.minBackoffMs, this.o.maxBackoffMs);
    this.log(`ffmpeg ended after ${ranMs} ms: ${explained.message}; retry in ${delay} ms (attempt ${this.failures})`);
    this.nextRetryMs = this.now() + delay;
    const state: CameraState = delay >= this.o.maxBackoffMs ? 'failed' : 'reconnecting';
    this.setState(state, explained.msg, true);
    this.retryTimer = setTimeout(() => this.attempt(), delay);
  }

  private startWatchdog(): void {
    this.stopWatchdog();
    this.watchdog = setInterval(() => {
      if (!this.proc || this.stopping) return;
      if (this.now() - this.lastProgressMs > this.o.stallMs) {
        const w = this.bytesWindow;
        const bytesFlow = w.length >= 2 && w[w.length - 1].bytes > w[0].bytes && w[w.length - 1].atMs > this.lastProgressMs;
        if (bytesFlow && !this.wallclockTimestamps) {
          this.wallclockTimestamps = true;
          this.log('video arrives but its timestamps do not advance; restarting with the server clock as timestamps');
        } else {
          this.log(`no video for ${Math.round((this.now() - this.lastProgressMs) / 1000)} s; restarting ffmpeg`);
        }
        this.stalled = true;
        const p = this.proc;
        void p.stop(2000);
      }
    }, 1000);
    this.watchdog.unref();
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
  }
}
