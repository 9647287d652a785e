// Supervises one camera's recording ffmpeg: restarts with backoff, tracks status, turns segment events into wall-clock times.
import fs from 'node:fs';
import path from 'node:path';
import type { CameraState, CameraStatus } from '../common/api';
import { audioNeedsTranscode } from './ffmpeg-args/recording';
import { probe, type ProbeInfo } from './probe';
import { launchRecording, type RecordLauncher, type RecordProcess, type StreamInfo } from './record-process';
import { englishOf, type ServerMessage } from '../common/messages';
import { explainFfmpegError, explainRelayFailure, STALLED } from './errors';
import { ClockAnchor } from './clock-anchor';
import { indexDiscardedRun } from './discarded-run';
import { backoffDelay, supervisionDefaults, type SupervisionOptions } from './supervision';

export interface RecorderConfig {
  cameraId: number;
  /** Input URL including credentials: rtsp(s):// of a camera, or the hub's rtmp:// URL of a mobile unit. */
  url: string;
  transport: 'tcp' | 'udp';
  segmentSeconds: number;
  /** Recordings root; the camera writes to `<root>/<cameraId>/`. */
  recordingsDir: string;
  /** Also copy the stream into the media hub at this rtmp:// URL (live view); null/absent: recording only. */
  relayUrl?: string | null;
  /** Why there is no relay, shown in the status while recording (e.g. the hub is not running). */
  relayUnavailable?: ServerMessage | null;
}


export interface OpenedSegment {
  cameraId: number;
  /** Path relative to the recordings root, forward slashes. */
  relPath: string;
  /** Estimated wall-clock start (UTC ms); refined when the segment closes. */
  startMs: number;
}

export interface ClosedSegment extends ProbeInfo {
  cameraId: number;
  relPath: string;
  startMs: number;
  endMs: number;
  sizeBytes: number;
}

export interface RecorderEvents {
  onStatus(status: CameraStatus): void;
  onSegmentOpened(seg: OpenedSegment): void;
  /** A segment is complete and probed. Called in order of segments. */
  onSegmentClosed(seg: ClosedSegment): void;
  /** A closed segment could not be probed (corrupt or empty); it is left for crash recovery. */
  onSegmentError(relPath: string, message: string): void;
}

export interface RecorderOptions extends SupervisionOptions {
  launch?: RecordLauncher;
  now?: () => number;
  log?: (msg: string) => void;
}

/** Within a run, consecutive segments are chained; the anchor re-syncs them only when they drift further than this. */
const RESYNC_MS = 2000;

export class Recorder {
  private proc: RecordProcess | null = null;
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
  private anchor = new ClockAnchor();
  private openSegs = new Map<string, { startMs: number; openedAtMs: number }>();
  private prevEndMs: number | null = null;
  private bytesWindow: Array<{ atMs: number; bytes: number }> = [];
  private currentFile: string | null = null;
  private closedBytes = 0;
  private probeChain: Promise<void> = Promise.resolve();
  /** End of the last segment reported closed (wall-clock ms), across runs. */
  private indexedEndMs = -Infinity;

  private readonly launch: RecordLauncher;
  private readonly now: () => number;
  private readonly log: (msg: string) => void;
  private readonly o: Required<SupervisionOptions>;

  constructor(
    private cfg: RecorderConfig,
    private readonly events: RecorderEvents,
    opts: RecorderOptions = {},
  ) {
    this.launch = opts.launch ?? launchRecording;
    this.now = opts.now ?? Date.now;
    const prefix = `[recorder cam ${cfg.cameraId}]`;
    this.log = (m) => (opts.log ?? console.log)(`${prefix} ${m}`);
    this.o = supervisionDefaults(opts);
    this.sinceMs = this.now();
    this.relayNote = cfg.relayUrl ? null : (cfg.relayUnavailable ?? null);
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
    this.stopWatchdog();
    await this.probeChain;
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
    this.anchor = new ClockAnchor();
    this.openSegs.clear();
    this.prevEndMs = null;
    this.bytesWindow = [];
    this.currentFile = null;
    this.closedBytes = 0;
    this.setState(this.failures === 0 ? 'connecting' : this.state === 'failed' ? 'failed' : 'reconnecting', this.lastError);
    const runStart = this.runStartMs;
    const relay = this.cfg.relayUrl && this.relayOff === null ? { url: this.cfg.relayUrl, audio: this.relayAudio } : null;
    this.runHasRelay = relay !== null;
    this.proc = this.launch(
      {
        inputUrl: this.cfg.url,
        transport: this.cfg.transport,
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

  private relPath(file: string): string {
    return path.relative(this.cfg.recordingsDir, file).split(path.sep).join('/');
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
    this.anchor.add(at, outTimeS);
    if (this.state !== 'recording') {
      this.setState('recording', null);
    }
    // Bitrate from the current file's growth.
    if (this.currentFile) {
      let size = 0;
      try {
        size = fs.statSync(this.currentFile).size;
      } catch {
        /* not yet created */
      }
      this.bytesWindow.push({ atMs: at, bytes: this.closedBytes + size });
      while (this.bytesWindow.length > 6) this.bytesWindow.shift();
    }
  }

  private bitrateBps(): number | null {
    const w = this.bytesWindow;
    if (w.length < 2) return null;
    const a = w[0];
    const b = w[w.length - 1];
    if (b.atMs <= a.atMs) return null;
    return Math.round(((b.bytes - a.bytes) * 8 * 1000) / (b.atMs - a.atMs));
  }

  private wallMs(streamS: number): number | null {
    const off = this.anchor.offsetMs();
    return off === null ? null : Math.round(off + streamS * 1000);
  }

  private onOpened(runStart: number, file: string): void {
    if (runStart !== this.runStartMs) return;
    if (this.discardRun) {
      this.discardedFiles.push(file);
      return;
    }
    if (this.currentFile) {
      try {
        this.closedBytes += fs.statSync(this.currentFile).size;
      } catch {
        /* ignore */
      }
    }
    this.currentFile = file;
    const startMs = this.prevEndMs ?? this.now();
    this.openSegs.set(file, { startMs, openedAtMs: this.now() });
    this.events.onSegmentOpened({ cameraId: this.cfg.cameraId, relPath: this.relPath(file), startMs });
  }

  private onClosed(runStart: number, file: string, startS: number, endS: number): void {
    if (runStart === this.runStartMs && this.discardRun) return; // its files are indexed when it has exited
    const opened = this.openSegs.get(file);
    this.openSegs.delete(file);
    const sameRun = runStart === this.runStartMs;
    // Wall clock: chain to the previous segment of this run; the anchor places a run's first segment and corrects drift.
    const estimate = sameRun ? this.wallMs(startS) : null;
    let startMs: number;
    if (sameRun && this.prevEndMs !== null) {
      startMs = this.prevEndMs;
      // Only forward (a hole in the stream): moving back would overlap the segment before (invariant 6).
      if (estimate !== null && estimate - startMs > RESYNC_MS) {
        this.log(`wall clock re-synced by ${estimate - startMs} ms`);
        startMs = estimate;
      }
    } else {
      startMs = estimate ?? opened?.startMs ?? this.now() - Math.round((endS - startS) * 1000);
    }
    let durationMs = Math.max(0, Math.round((endS - startS) * 1000));
    // Sanity: the muxer's duration must roughly match the wall-clock time the segment was open (buffering at start
    // and at the end make up to a few seconds of difference). A source with broken timestamps must not be indexed
    // as a 0.1 s segment that really holds a minute: then the wall-clock duration is taken. The other way round is
    // normal: buffered video (a hub's pre-roll, a camera's burst after a stall) is muxed faster than real time.
    if (opened) {
      const wallMs = this.now() - opened.openedAtMs;
      if (wallMs - durationMs > Math.max(3000, wallMs / 2)) {
        this.log(`segment ${this.relPath(file)}: camera timestamps say ${durationMs} ms, the wall clock ${wallMs} ms; indexing the wall-clock duration`);
        durationMs = wallMs;
      }
    }
    const endMs = startMs + durationMs;
    if (sameRun) this.prevEndMs = endMs;
    this.reportClosed(file, startMs, durationMs, sameRun ? this.runInfo : null);
  }

  /**
   * Reports a finished segment. With the run's stream info and the muxer's duration nothing needs probing (an ffprobe
   * costs ~0.3 s of CPU); `durationMs` 0 means "take ffprobe's duration" (partial segments of a killed ffmpeg).
   */
  private reportClosed(file: string, startMs: number, durationMs: number, known: StreamInfo | null = null): void {
    const rel = this.relPath(file);
    this.probeChain = this.probeChain.then(async () => {
      try {
        const info = known && durationMs > 0 ? { ...known, durationMs, startTimeS: null } : await probe(file);
        const sizeBytes = fs.statSync(file).size;
        const dur = durationMs > 0 ? durationMs : info.durationMs;
        if (dur <= 0) throw new Error('no playable frames');
        // A new run's anchor can place its first segment a few ms before the end of the last one indexed (a killed
        // run's partial segment is timed by its probed length): segments never overlap, so start where that one ended.
        // A larger overlap means the wall clock itself stepped back: keep the estimate, the index then follows the clock.
        const overlapMs = this.indexedEndMs - startMs;
        const start = overlapMs > 0 && overlapMs <= RESYNC_MS ? this.indexedEndMs : startMs;
        this.indexedEndMs = start + dur;
        // The muxer's own times are exact for the segment; ffprobe's duration is used for partial segments.
        this.events.onSegmentClosed({ ...info, durationMs: dur, cameraId: this.cfg.cameraId, relPath: rel, startMs: start, endMs: start + dur, sizeBytes });
      } catch (e) {
        this.log(`segment ${rel} could not be probed: ${(e as Error).message}`);
        this.events.onSegmentError(rel, (e as Error).message);
      }
    });
  }

  /** Segments ffmpeg opened but never reported closed (it was killed): index them with their true length. */
  private closeLeftovers(): void {
    for (const [file, opened] of this.openSegs) {
      const startMs = this.prevEndMs ?? opened.startMs;
      this.log(`ffmpeg ended without closing ${this.relPath(file)}; indexing it with its probed duration`);
      this.reportClosed(file, startMs, 0);
    }
    this.openSegs.clear();
  }

  /** Files of a run stopped as soon as its streams were known (to convert G.711): see `indexDiscardedRun`. */
  private dropDiscarded(): void {
    const files = this.discardedFiles;
    this.discardedFiles = [];
    const endMs = this.now();
    const codec = this.discardedAudio;
    this.probeChain = this.probeChain.then(() =>
      indexDiscardedRun(files, codec, endMs, {
        relPath: (f) => this.relPath(f),
        log: this.log,
        onClosed: (seg) => this.events.onSegmentClosed({ ...seg, cameraId: this.cfg.cameraId }),
        onError: (rel, message) => this.events.onSegmentError(rel, message),
      }),
    );
  }

  private onExit(runStart: number, error: string | null, tail: string[]): void {
    if (runStart !== this.runStartMs) return;
    this.proc = null;
    this.stopWatchdog();
    this.closeLeftovers();
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
        this.log(`relay to the media hub failed (${relay.kind}${relay.codec ? ` ${relay.codec}` : ''}); recording ${relay.kind === 'audio' ? 'with a video-only relay' : 'without relay'}`);
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
