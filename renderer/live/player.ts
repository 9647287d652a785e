// Live player of one tile: mpegts.js over WS-FLV (or HTTP-FLV) with a fresh ticket per connection, drift guard, stall watch, retries.
import mpegts from 'mpegts.js';
import { DetachingWebSocketLoader } from './ws-loader';
import type { LiveTicket, LiveTicketRequest, StreamKind } from '../../common/api';
import { ErrorKind } from '../../common/errors';
import { ApiError } from '../api';
import { driftDecision, FrameWatch, MIN_REMAIN_SEC, rangesOf, retryDelayMs } from './playback-guard';

/** liveSync: above this latency play at 1.1x until back at the target (seconds). */
const LIVE_SYNC_MAX_LATENCY_SEC = 0.6;
const LIVE_SYNC_TARGET_LATENCY_SEC = 0.35;
/** The player's own jump to the live edge, only for lags liveSync cannot absorb (seconds). */
const SEEK_FALLBACK_LATENCY_SEC = 3;
import { decodedFrames, streamUrl, type Transport } from './stream-url';
import { playableAudio } from '../../common/live-codecs';
import { browserCanDecode, unplayable, type Unplayable } from './codec-support';

/** What the player is doing; the tile turns it into its state and status line. */
export type PlayerPhase =
  | { kind: 'connecting'; attempt: number }
  /** stream: what the server serves (a camera without a sub stream answers 'sub' with 'main'). */
  | { kind: 'playing'; sinceMs: number; stream: StreamKind }
  /** Lost or could not start; the next attempt is due at retryAtMs. */
  | { kind: 'retrying'; attempt: number; retryAtMs: number; reason: string }
  /** The server refused the ticket (403): no retries. */
  | { kind: 'forbidden' }
  /** The source does not exist (any more): no retries. */
  | { kind: 'gone' }
  /** The server cannot relay this codec, or the browser cannot decode it: said in words, no retries (a kick re-checks). */
  | { kind: 'unsupported'; reason: Unplayable }
  | { kind: 'closed' };

export interface PlayerStats {
  /** Received bitrate (bits per second), null until measured. */
  bitrateBps: number | null;
  /** How far the play position is behind the newest buffered frame (seconds). */
  latencySec: number;
  decodedFrames: number;
  /** Times the drift guard jumped to the live edge. */
  jumps: number;
}

export interface LivePlayerOptions {
  video: HTMLVideoElement;
  sourceId: number;
  stream: StreamKind;
  /** Asks the server for a signed URL (one per connection: tickets are valid 60 s to start one). */
  getTicket: (req: LiveTicketRequest) => Promise<LiveTicket>;
  onPhase: (phase: PlayerPhase) => void;
  onStats?: (stats: PlayerStats) => void;
  transport?: Transport;
  /** Without a new decoded frame for this long, the connection is considered stalled and renewed. */
  stallMs?: number;
  /** Without a first frame this long after connecting, the attempt counts as failed. */
  firstFrameMs?: number;
  maxRetryMs?: number;
  /** Whether the browser decodes an MSE type (default MediaSource.isTypeSupported). */
  canDecode?: (mime: string) => boolean;
  now?: () => number;
  log?: (msg: string) => void;
}

let loggingConfigured = false;
function quietMpegts(): void {
  if (loggingConfigured) return;
  loggingConfigured = true;
  mpegts.LoggingControl.applyConfig({ enableVerbose: false, enableDebug: false, enableInfo: false });
}

const TICK_MS = 1000;

export class LivePlayer {
  private player: mpegts.Player | null = null;
  private tick: ReturnType<typeof setInterval> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private watch: FrameWatch | null = null;
  private attempt = 0;
  private closed = false;
  private phase: PlayerPhase = { kind: 'connecting', attempt: 0 };
  private bitrateBps: number | null = null;
  private jumps = 0;
  private connectStartMs = 0;
  private servedStream: StreamKind;
  /** The stream's audio could not be decoded: connect without audio (picture without sound) from now on. */
  private audioOff = false;
  /** Time from the start of the first attempt to its first decoded frame (ms), once known. */
  firstFrameDelayMs: number | null = null;
  private readonly startedMs: number;
  private readonly o: Required<Omit<LivePlayerOptions, 'onStats'>> & Pick<LivePlayerOptions, 'onStats'>;

  constructor(opts: LivePlayerOptions) {
    this.o = {
      transport: 'ws',
      stallMs: 5_000,
      firstFrameMs: 12_000,
      maxRetryMs: 15_000,
      canDecode: browserCanDecode,
      now: Date.now,
      log: (m) => console.info(m),
      ...opts,
    };
    this.startedMs = this.o.now();
    this.servedStream = opts.stream;
    quietMpegts();
  }

  private get tag(): string {
    return `[player ${this.o.sourceId}/${this.o.stream}]`;
  }

  start(): void {
    if (this.closed) return;
    this.o.video.muted = true;
    void this.connect();
  }

  /** Connects now instead of waiting out the backoff (the source came back online). */
  kick(): void {
    if (this.closed) return;
    // Waiting out a backoff, or hanging on a connection that has shown nothing for a while (opened while the
    // source was down): start over now.
    const stuck = this.phase.kind === 'connecting' && this.player !== null && this.o.now() - this.connectStartMs > 2_000;
    // 'unsupported' too: the source may have come back with another codec.
    if (this.phase.kind !== 'retrying' && this.phase.kind !== 'unsupported' && !stuck) return;
    this.clearRetry();
    this.teardown();
    this.attempt = 0;
    void this.connect();
  }

  setMuted(muted: boolean): void {
    this.o.video.muted = muted;
    if (!muted) void this.o.video.play().catch(() => undefined);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearRetry();
    this.teardown();
    this.setPhase({ kind: 'closed' });
  }

  private setPhase(p: PlayerPhase): void {
    this.phase = p;
    this.o.onPhase(p);
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** Destroys the mpegts player and frees the connection and the MediaSource. */
  private teardown(): void {
    if (this.tick !== null) clearInterval(this.tick);
    this.tick = null;
    this.watch = null;
    const p = this.player;
    this.player = null;
    if (p) {
      try {
        p.pause();
        p.unload();
        p.detachMediaElement();
        p.destroy();
      } catch (err) {
        this.o.log(`${this.tag} teardown: ${(err as Error).message}`);
      }
    }
    const v = this.o.video;
    v.removeAttribute('src');
    try {
      v.load();
    } catch {
      // nothing loaded
    }
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    this.attempt++;
    this.setPhase({ kind: 'connecting', attempt: this.attempt });
    this.connectStartMs = this.o.now();
    let ticket: LiveTicket;
    try {
      ticket = await this.o.getTicket({ sourceId: this.o.sourceId, stream: this.o.stream });
    } catch (err) {
      if (this.closed) return;
      if (err instanceof ApiError && (err.kind === ErrorKind.Forbidden || err.kind === ErrorKind.Unauthorized)) {
        this.setPhase({ kind: 'forbidden' });
        return;
      }
      if (err instanceof ApiError && err.kind === ErrorKind.NotFound) {
        this.setPhase({ kind: 'gone' });
        return;
      }
      this.retry(`ticket: ${(err as Error).message}`);
      return;
    }
    if (this.closed) return;
    this.servedStream = ticket.stream ?? this.o.stream;
    const cannot = unplayable(ticket, this.o.canDecode);
    if (cannot) {
      this.o.log(
        `${this.tag} ${cannot.codec} video ${cannot.why === 'not-relayed' ? 'is not relayed by the server' : 'cannot be decoded by this browser'}; not retrying`,
      );
      this.setPhase({ kind: 'unsupported', reason: cannot });
      return;
    }
    const url = streamUrl(ticket, this.o.transport);
    const player = mpegts.createPlayer(
      // hasAudio false makes mpegts.js ignore every audio tag (after an audio codec it cannot decode). Where the server
      // knows the stream's tracks, hasAudio follows them, whatever an encoder's onMetaData claims (hasAudio: true with no
      // playable audio would make the player wait for audio forever).
      {
        type: 'flv',
        isLive: true,
        url,
        ...(this.audioOff ? { hasAudio: false } : ticket.videoCodec !== null ? { hasAudio: playableAudio(ticket.audioCodec) } : {}),
      },
      {
        ...(/^wss?:/i.test(url) ? { customLoader: DetachingWebSocketLoader } : {}),
        isLive: true,
        enableWorker: false,
        enableStashBuffer: false,
        stashInitialSize: 128 * 1024,
        lazyLoad: false,
        deferLoadAfterSourceOpen: false,
        // Catch up by playing slightly faster, not by seeking: a seek re-decodes from a keyframe, and with 16 software-
        // decoded tiles those seeks fed on themselves (bench:live: 18-163 stalls per minute with seeking, 0 with liveSync).
        liveBufferLatencyChasing: false,
        liveSync: true,
        liveSyncMaxLatency: LIVE_SYNC_MAX_LATENCY_SEC,
        liveSyncTargetLatency: LIVE_SYNC_TARGET_LATENCY_SEC,
        liveSyncPlaybackRate: 1.1,
        autoCleanupSourceBuffer: true,
        autoCleanupMaxBackwardDuration: 20,
        autoCleanupMinBackwardDuration: 10,
        statisticsInfoReportInterval: TICK_MS,
        fixAudioTimestampGap: false,
      },
    );
    this.player = player;
    player.on(mpegts.Events.ERROR, (type: string, detail: string, info: string | { msg?: string } | undefined) => {
      // Demux errors carry their text as a string, network errors as {code, msg}.
      const msg = typeof info === 'string' ? info : info?.msg;
      // Torn down outside mpegts.js's own call stack.
      queueMicrotask(() => {
        if (this.player !== player) return;
        if (detail === mpegts.ErrorDetails.MEDIA_CODEC_UNSUPPORTED && /audio/i.test(msg ?? '') && !this.audioOff) {
          // Never lose the picture for the sound: connect again at once, ignoring audio.
          this.audioOff = true;
          this.o.log(`${this.tag} ${msg}; playing video without sound`);
          this.teardown();
          void this.connect();
          return;
        }
        this.retry(`${type} ${detail}${msg ? `: ${msg}` : ''}`);
      });
    });
    player.on(mpegts.Events.LOADING_COMPLETE, () => {
      queueMicrotask(() => this.player === player && this.retry('stream ended'));
    });
    player.on(mpegts.Events.STATISTICS_INFO, (info: { speed?: number }) => {
      if (this.player !== player || typeof info.speed !== 'number') return;
      this.bitrateBps = Math.round(info.speed * 1024 * 8);
    });
    try {
      player.attachMediaElement(this.o.video);
      player.load();
      void Promise.resolve(player.play()).catch(() => undefined);
    } catch (err) {
      this.retry(`load: ${(err as Error).message}`);
      return;
    }
    this.watch = new FrameWatch(this.o.now(), this.o.stallMs, this.o.firstFrameMs);
    this.watch.sample(this.o.now(), decodedFrames(this.o.video));
    this.tick = setInterval(() => this.onTick(), TICK_MS / 4);
  }

  private lastGuardMs = 0;

  private onTick(): void {
    const watch = this.watch;
    if (this.closed || !watch) return;
    const now = this.o.now();
    const v = this.o.video;
    const frames = decodedFrames(v);
    const verdict = watch.sample(now, frames);
    switch (verdict) {
      case 'playing':
        if (this.phase.kind !== 'playing') {
          if (this.firstFrameDelayMs === null) this.firstFrameDelayMs = now - this.startedMs;
          this.o.log(`${this.tag} playing after ${now - this.connectStartMs} ms (attempt ${this.attempt})`);
          this.attempt = 0;
          this.setPhase({ kind: 'playing', sinceMs: now, stream: this.servedStream });
        }
        break;
      case 'waiting':
        return;
      case 'stalled':
        this.retry(`no new frame for ${Math.round(this.o.stallMs / 1000)} s`);
        return;
      case 'noStart':
        this.retry(`no picture within ${Math.round(this.o.firstFrameMs / 1000)} s`);
        return;
    }
    // The drift guard and the stats run once a second; the frame watch more often, so the first frame shows at once.
    if (now - this.lastGuardMs < TICK_MS) return;
    this.lastGuardMs = now;
    // Fallback only: liveSync keeps latency near 0.35 s; a jump is for large lags (a tab in the background, a hiccup).
    const d = driftDecision(rangesOf(v.buffered), v.currentTime, SEEK_FALLBACK_LATENCY_SEC, MIN_REMAIN_SEC);
    if (d.action === 'seek') {
      this.jumps++;
      v.currentTime = d.to;
    }
    if (v.paused) void v.play().catch(() => undefined);
    this.o.onStats?.({ bitrateBps: this.bitrateBps, latencySec: d.latencySec, decodedFrames: frames, jumps: this.jumps });
  }

  private retry(reason: string): void {
    if (this.closed) return;
    this.teardown();
    this.bitrateBps = null;
    const delay = retryDelayMs(Math.max(1, this.attempt), this.o.maxRetryMs);
    this.o.log(`${this.tag} ${reason}; retry in ${delay} ms`);
    this.setPhase({ kind: 'retrying', attempt: this.attempt, retryAtMs: this.o.now() + delay, reason });
    this.clearRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
  }
}
