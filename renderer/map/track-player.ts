// Track playback clock: position on a unit's track at a time (interpolated), play/pause/speed, and the seek hook to a video player.
import type { TrackPointView } from '../../common/gps';

/** Where the unit was at tMs (linear between fixes; clamped to the ends). */
export function positionAt(track: readonly TrackPointView[], tMs: number): { lat: number; lon: number; headingDeg: number | null; index: number } | null {
  if (track.length === 0) return null;
  if (tMs <= track[0]!.tMs) return { ...track[0]!, index: 0 };
  const last = track.length - 1;
  if (tMs >= track[last]!.tMs) return { ...track[last]!, index: last };
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (track[mid]!.tMs <= tMs) lo = mid;
    else hi = mid;
  }
  const a = track[lo]!;
  const b = track[hi]!;
  const f = (tMs - a.tMs) / (b.tMs - a.tMs);
  return { lat: a.lat + (b.lat - a.lat) * f, lon: a.lon + (b.lon - a.lon) * f, headingDeg: a.headingDeg, index: lo };
}

/**
 * The seek hook between track playback and a video player (issue 6 plays recordings): the track tells the player
 * "seek to T" through `onSeek` listeners; the player reports its current time with `videoTime(T)`, which moves the
 * marker (and the slider) without seeking back.
 */
export interface SeekHook {
  /** The video player subscribes: called with the unit's id and the time to show (UTC ms). Returns unsubscribe. */
  onSeek(listener: (sourceId: number, tMs: number) => void): () => void;
  /** The video player reports the time it is showing (UTC ms) while it plays. */
  videoTime(sourceId: number, tMs: number): void;
}

export class TrackClock implements SeekHook {
  tMs = 0;
  playing = false;
  speed = 1;
  private lastTick = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly seekListeners = new Set<(sourceId: number, tMs: number) => void>();
  private readonly changeListeners = new Set<(tMs: number) => void>();

  constructor(
    readonly sourceId: number,
    readonly startMs: number,
    readonly endMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tMs = startMs;
  }

  onChange(l: (tMs: number) => void): () => void {
    this.changeListeners.add(l);
    return () => this.changeListeners.delete(l);
  }

  onSeek(l: (sourceId: number, tMs: number) => void): () => void {
    this.seekListeners.add(l);
    return () => this.seekListeners.delete(l);
  }

  /** The operator scrubs the slider: the marker jumps and the video is told to seek. */
  seek(tMs: number): void {
    this.set(tMs);
    for (const l of this.seekListeners) l(this.sourceId, this.tMs);
  }

  videoTime(sourceId: number, tMs: number): void {
    if (sourceId === this.sourceId) this.set(tMs);
  }

  play(): void {
    if (this.playing) return;
    if (this.tMs >= this.endMs) this.seek(this.startMs);
    this.playing = true;
    this.lastTick = this.now();
    this.timer = setInterval(() => this.tick(), 100);
  }

  pause(): void {
    this.playing = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Advances by wall-clock time × speed (called by the timer; public for tests). */
  tick(): void {
    const t = this.now();
    const dt = (t - this.lastTick) * this.speed;
    this.lastTick = t;
    this.set(this.tMs + dt);
    if (this.tMs >= this.endMs) this.pause();
  }

  private set(tMs: number): void {
    this.tMs = Math.max(this.startMs, Math.min(this.endMs, tMs));
    for (const l of this.changeListeners) l(this.tMs);
  }

  close(): void {
    this.pause();
    this.seekListeners.clear();
    this.changeListeners.clear();
  }
}
