// Synchronized playback: one wall-clock master (speed, pause) drives up to 9 hls.js players over on-the-fly VOD playlists, correcting drift by rate nudges and seeks.
import Hls from 'hls.js';
import type { PlaybackMap } from '../../common/investigation';
import { invApi } from './inv-api';
import { browserDecodes, codecName } from './codec-support';
import { covers, mediaAt, pieceAt, wallAt } from './wall-map';

/** Window loaded around the playhead (the server caps it at 15 min). */
const WINDOW_BEFORE_MS = 30_000;
const WINDOW_AFTER_MS = 14 * 60_000;
/** Drift above this is corrected by a seek; below, by nudging the playback rate. */
const SEEK_DRIFT_MS = 800;
const NUDGE_DRIFT_MS = 20;
/**
 * A tile that should play but whose picture has not moved for this long reloads its player at the master time. Where
 * a recording run ends and the next begins the tracks can change (audio switched off in a camera edit): MSE buffers
 * only the time all tracks cover, so the old player stalls for good at the boundary (and held the master with it).
 */
const STALL_RELOAD_MS = 2500;
/** A player that has not parsed its playlist by then is given up (and reloaded by the stall check). */
const LOAD_TIMEOUT_MS = 15_000;
export const FRAME_MS = 40;

export class MasterClock {
  private baseWall: number;
  private basePerf = performance.now();
  speed = 1;
  paused = true;

  constructor(wallMs: number) {
    this.baseWall = wallMs;
  }

  now(): number {
    return this.paused ? this.baseWall : this.baseWall + (performance.now() - this.basePerf) * this.speed;
  }

  set(wallMs: number): void {
    this.baseWall = wallMs;
    this.basePerf = performance.now();
  }

  setSpeed(speed: number): void {
    this.set(this.now());
    this.speed = speed;
  }

  pause(): void {
    this.set(this.now());
    this.paused = true;
  }

  play(): void {
    this.set(this.now());
    this.paused = false;
  }
}

export type TileState = 'loading' | 'playing' | 'paused' | 'gap' | 'waiting' | 'error' | 'unsupported';

export class TilePlayer {
  map: PlaybackMap | null = null;
  state: TileState = 'loading';
  error: string | null = null;
  /** The recorded codec this browser cannot decode (state 'unsupported'), e.g. "H.265". */
  unsupportedCodec: string | null = null;
  private hls: Hls | null = null;
  private loading: Promise<void> | null = null;
  private ready = false;
  private lastSeekPerf = 0;
  private loadedFor: number | null = null;
  private lastRefreshPerf = 0;
  private refreshing = false;
  /** Last media position seen moving, and when (stall detection). */
  private moved = { mediaS: -1, perf: 0 };
  /** hls.js reported a fatal error: the player loads nothing more. */
  private dead = false;
  /**
   * Where a piece's first frame really lands in the video element, minus the piece's position in the playlist (s).
   * hls.js places a fragment by its earliest timestamp (the keyframe's DTS with B-frames, or audio that starts
   * before the picture), not by the keyframe's PTS: measured from each parsed fragment, 0 until then.
   */
  private offsetS = 0;

  /** Media position (element time) of wall time wallMs, or null in a gap. */
  private mediaOf(wallMs: number): number | null {
    const m = this.map ? mediaAt(this.map.pieces, wallMs) : null;
    return m === null ? null : m + this.offsetS;
  }

  private wallOf(mediaS: number): number | null {
    return this.map ? wallAt(this.map.pieces, mediaS - this.offsetS) : null;
  }

  constructor(
    readonly cameraId: number,
    readonly video: HTMLVideoElement,
  ) {
    video.muted = true;
    video.playsInline = true;
    video.preload = 'auto';
    // The frame actually presented (its media time), which can lag currentTime by a few frames while playing.
    const rvfc = (video as HTMLVideoElement & { requestVideoFrameCallback?: (cb: (now: number, meta: { mediaTime: number }) => void) => number })
      .requestVideoFrameCallback;
    if (rvfc) {
      const onFrame = (nowPerf: number, meta: { mediaTime: number }) => {
        this.presented = { mediaS: meta.mediaTime, perf: nowPerf };
        if (!this.destroyed) rvfc.call(video, onFrame);
      };
      rvfc.call(video, onFrame);
    }
  }

  private presented: { mediaS: number; perf: number } | null = null;
  private destroyed = false;

  /** Media time of the picture on screen now: the last presented frame advanced by the time since, or currentTime. */
  private screenMediaS(): number {
    const v = this.video;
    const p = this.presented;
    if (!p || v.paused || performance.now() - p.perf > 250) return v.currentTime;
    return p.mediaS + ((performance.now() - p.perf) / 1000) * v.playbackRate;
  }

  /** Wall time of the frame the video shows now, or null. */
  shownWallMs(): number | null {
    return this.map && this.ready ? this.wallOf(this.video.currentTime) : null;
  }

  private load(wallMs: number): Promise<void> {
    this.loading ??= (async () => {
      try {
        const map = await invApi.playbackMap(this.cameraId, Math.max(0, Math.round(wallMs - WINDOW_BEFORE_MS)), Math.round(wallMs + WINDOW_AFTER_MS));
        this.hls?.destroy();
        this.ready = false;
        this.map = map;
        this.error = null;
        // Nothing this browser can decode: no player (the tile says why instead of staying black).
        if (map.pieces.length === 0 || map.pieces.every((p) => !browserDecodes(p.videoCodec))) return;
        const start = mediaAt(map.pieces, wallMs) ?? 0;
        const hls = new Hls({ startPosition: start, maxBufferLength: 8, maxMaxBufferLength: 30, backBufferLength: 10, enableWorker: true });
        this.hls = hls;
        this.dead = false;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            this.dead = true;
            resolve();
          }, LOAD_TIMEOUT_MS);
          this.offsetS = 0;
          hls.on(Hls.Events.FRAG_PARSED, (_e, data) => {
            const video = data.frag.elementaryStreams.video;
            const piece = typeof data.frag.sn === 'number' ? this.map?.pieces[data.frag.sn] : undefined;
            if (video && piece && this.hls === hls) this.offsetS = video.startPTS - piece.mediaS;
          });
          hls.on(Hls.Events.MANIFEST_PARSED, () => {
            this.ready = true;
            clearTimeout(timer);
            resolve();
          });
          hls.on(Hls.Events.ERROR, (_e, data) => {
            if (data.fatal && this.hls === hls) {
              this.error = data.details;
              this.state = 'error';
              this.dead = true;
              clearTimeout(timer);
              resolve();
            }
          });
          hls.loadSource(map.playlist); // a signed, short-lived link (never the session token)
          hls.attachMedia(this.video);
        });
        this.video.currentTime = start;
        this.moved = { mediaS: start, perf: performance.now() };
      } catch (err) {
        this.error = (err as Error).message;
        this.state = 'error';
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  /** Brings the video in line with the master: window, gap, pause, drift. */
  sync(wallMs: number, speed: number, paused: boolean): void {
    if (this.loading) return;
    if ((!this.map || !covers(this.map, wallMs, 3000)) && (this.loadedFor === null || Math.abs(wallMs - this.loadedFor) > 5000)) {
      // At the end of a window, or after a seek outside it: load the window around the playhead.
      this.state = 'loading';
      this.loadedFor = wallMs;
      void this.load(wallMs);
      return;
    }
    if (!this.map) return;
    const piece = pieceAt(this.map.pieces, wallMs);
    if (piece && !browserDecodes(piece.videoCodec)) {
      this.state = 'unsupported';
      this.unsupportedCodec = codecName(piece.videoCodec!);
      if (!this.video.paused) this.video.pause();
      return;
    }
    if (!this.ready) return;
    if (this.map.live) this.refreshLive(wallMs);
    const m = this.mediaOf(wallMs);
    if (m === null) this.moved.perf = performance.now();
    if (m === null && this.atLiveEdge(wallMs)) {
      // Recorded but not on disk up to a keyframe yet: wait for the next piece (the master waits too).
      this.state = 'waiting';
      return;
    }
    if (m === null) {
      this.state = 'gap';
      if (!this.video.paused) this.video.pause();
      return;
    }
    const v = this.video;
    const now = performance.now();
    if (paused) {
      this.moved.perf = now;
      this.state = 'paused';
      if (!v.paused) v.pause();
      if (Math.abs(v.currentTime - m) > 0.01) v.currentTime = m;
      return;
    }
    const shown = this.wallOf(this.screenMediaS());
    const drift = shown === null ? Infinity : shown - wallMs;
    if (Math.abs(v.currentTime - this.moved.mediaS) > 0.005 && !this.dead) this.moved = { mediaS: v.currentTime, perf: now };
    else if ((this.dead || v.readyState < 3) && now - this.moved.perf > STALL_RELOAD_MS && now - this.lastSeekPerf > 1000) {
      this.reload(wallMs); // stuck while playing (see STALL_RELOAD_MS)
      return;
    }
    if (Math.abs(drift) > SEEK_DRIFT_MS * Math.max(1, speed / 2)) {
      if (now - this.lastSeekPerf > 500) {
        // Seek a little ahead at high speed, so the player lands where the master will be.
        v.currentTime = speed > 2 ? m + Math.min(0.5, speed * 0.05) : m;
        this.lastSeekPerf = now;
      }
    } else if (Math.abs(drift) > NUDGE_DRIFT_MS) {
      v.playbackRate = Math.min(16, Math.max(0.0625, speed * (1 - Math.max(-0.5, Math.min(0.5, drift / 400)))));
    } else if (v.playbackRate !== speed) v.playbackRate = speed;
    if (v.paused) void v.play().catch(() => undefined);
    this.state = v.readyState < 3 ? 'waiting' : 'playing';
  }

  /** End (wall ms) of the last piece of the map, or null. */
  private lastEndMs(): number | null {
    const last = this.map?.pieces[this.map.pieces.length - 1];
    return last ? last.wallMs + last.durationS * 1000 : null;
  }

  /** The master is past the newest served piece of a segment still being written (within 20 s of now). */
  private atLiveEdge(wallMs: number): boolean {
    const end = this.lastEndMs();
    return !!this.map?.live && end !== null && wallMs >= end - 1 && end > Date.now() - 20_000 && wallMs < Date.now();
  }

  /** While the window holds the segment being written, reloads the map every 2 s near its end (hls.js reloads the EVENT playlist itself). */
  private refreshLive(wallMs: number): void {
    const end = this.lastEndMs();
    if (this.refreshing || performance.now() - this.lastRefreshPerf < 2000 || (end !== null && wallMs < end - 15_000)) return;
    this.refreshing = true;
    this.lastRefreshPerf = performance.now();
    const cur = this.map!;
    void invApi
      .playbackMap(this.cameraId, cur.startMs, cur.endMs)
      .then(
        (next) => {
          if (this.map === cur && next.pieces.length >= cur.pieces.length) this.map = next;
        },
        () => undefined,
      )
      .finally(() => (this.refreshing = false));
  }

  /** A fresh player at wallMs (the old one is stuck: see STALL_RELOAD_MS). */
  private reload(wallMs: number): void {
    this.moved = { mediaS: -1, perf: performance.now() };
    this.stalledSincePerf = null;
    this.state = 'loading';
    this.loadedFor = wallMs;
    void this.load(wallMs);
  }

  private stalledSincePerf: number | null = null;

  /**
   * True when the tile holds the master back (has media at wallMs but cannot play it yet, or waits at the live edge).
   * A tile that has held the master for STALL_RELOAD_MS reloads its player at wallMs: the master never waits for good
   * (it did where a run with audio met one without: the tile sat in the gap before it, unready for the next run).
   */
  stalled(wallMs: number): boolean {
    if (this.loading) return true;
    if (!this.map || !this.ready) return false;
    if (this.atLiveEdge(wallMs)) return true;
    const piece = pieceAt(this.map.pieces, wallMs);
    const now = performance.now();
    if (!(piece !== null && browserDecodes(piece.videoCodec) && this.video.readyState < 3)) {
      this.stalledSincePerf = null;
      return false;
    }
    this.stalledSincePerf ??= now;
    // At the live edge hls.js learns new pieces only when it reloads the EVENT playlist (every target duration): wait longer.
    if (now - this.stalledSincePerf > (this.map.live ? 3 : 1) * STALL_RELOAD_MS) this.reload(wallMs);
    return true;
  }

  destroy(): void {
    this.destroyed = true;
    this.hls?.destroy();
    this.hls = null;
    this.video.removeAttribute('src');
    this.video.load();
  }
}

/** The playback session: master clock + tiles, driven by a 10 Hz loop; the master waits while a tile buffers. */
export class SyncSession {
  readonly clock: MasterClock;
  readonly tiles = new Map<number, TilePlayer>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private listeners = new Set<() => void>();

  constructor(wallMs: number) {
    this.clock = new MasterClock(wallMs);
    this.timer = setInterval(() => this.tick(), 100);
  }

  onTick(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  attach(cameraId: number, video: HTMLVideoElement): TilePlayer {
    let t = this.tiles.get(cameraId);
    if (t && t.video === video) return t;
    t?.destroy();
    t = new TilePlayer(cameraId, video);
    this.tiles.set(cameraId, t);
    t.sync(this.clock.now(), this.clock.speed, this.clock.paused);
    return t;
  }

  detach(cameraId: number): void {
    this.tiles.get(cameraId)?.destroy();
    this.tiles.delete(cameraId);
  }

  /** Set by changes made outside the loop, so the next tick notifies even when idle. */
  private dirty = true;

  seek(wallMs: number): void {
    this.dirty = true;
    this.clock.set(wallMs);
    this.tick();
  }

  tick(): void {
    const c = this.clock;
    if (this.tiles.size === 0 && c.paused && !this.dirty) return; // idle: no re-render at 10 Hz
    this.dirty = false;
    let now = c.now();
    if (!c.paused && [...this.tiles.values()].some((t) => t.stalled(now))) {
      // Hold the master at the stalled position so no tile runs ahead.
      c.set(now - 100 * c.speed);
      now = c.now();
    }
    for (const t of this.tiles.values()) t.sync(now, c.speed, c.paused);
    for (const l of this.listeners) l();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const id of [...this.tiles.keys()]) this.detach(id);
  }
}
