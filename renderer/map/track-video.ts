// Track playback with the unit's recordings: links the Map tab's TrackClock to the Playback tab's SyncSession (one hls.js tile), both ways.
import { invApi } from '../playback/inv-api';
import { SyncSession } from '../playback/sync-player';
import type { TrackClock } from './track-player';

/** True when the unit recorded anything between startMs and endMs (false when the user may not view recordings). */
export async function hasRecordings(unitId: number, startMs: number, endMs: number): Promise<boolean> {
  try {
    const tl = await invApi.timeline(unitId, startMs, Math.max(endMs, startMs + 1));
    return tl.ranges.some((r) => r.endMs > startMs && r.startMs < endMs);
  } catch {
    return false; // no playback rights (officers) or no investigation feature: the track plays without video
  }
}

/**
 * While a track with recordings is loaded, the video is the clock: play/pause/speed drive the playback session, and
 * the wall time of the frame on screen moves the track marker (`videoTime`). Scrubbing the slider (`TrackClock.seek`)
 * seeks the video through the track clock's seek hook.
 */
export class TrackVideoLink {
  readonly session: SyncSession;
  private readonly offs: Array<() => void> = [];
  private readonly playingListeners = new Set<(playing: boolean) => void>();
  private wasPlaying = false;

  constructor(readonly clock: TrackClock) {
    clock.pause();
    this.session = new SyncSession(clock.tMs);
    this.session.clock.speed = clock.speed;
    this.offs.push(clock.onSeek((unitId, tMs) => unitId === clock.sourceId && this.session.seek(tMs)));
    this.offs.push(this.session.onTick(() => this.follow()));
  }

  get unitId(): number {
    return this.clock.sourceId;
  }

  get playing(): boolean {
    return !this.session.clock.paused;
  }

  attach(video: HTMLVideoElement): void {
    this.session.attach(this.unitId, video);
  }

  detach(): void {
    this.session.detach(this.unitId);
  }

  /** The tile's state ('loading' | 'playing' | 'paused' | 'gap' | 'waiting' | 'error'), or null before attach. */
  tileState(): string | null {
    return this.session.tiles.get(this.unitId)?.state ?? null;
  }

  onPlaying(l: (playing: boolean) => void): () => void {
    this.playingListeners.add(l);
    return () => this.playingListeners.delete(l);
  }

  onTick(l: () => void): () => void {
    return this.session.onTick(l);
  }

  play(): void {
    if (this.clock.tMs >= this.clock.endMs) this.clock.seek(this.clock.startMs);
    this.session.clock.play();
    this.session.tick();
  }

  pause(): void {
    this.session.clock.pause();
    this.session.tick();
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  setSpeed(speed: number): void {
    this.clock.speed = speed;
    this.session.clock.setSpeed(speed);
    this.session.tick();
  }

  /** Each tick of the session: report the wall time on screen to the track (the marker moves), stop at the track's end. */
  private follow(): void {
    const playing = this.playing;
    if (playing) {
      const tile = this.session.tiles.get(this.unitId);
      const shown = tile && tile.state === 'playing' ? tile.shownWallMs() : null;
      const tMs = shown ?? this.session.clock.now();
      this.clock.videoTime(this.unitId, tMs);
      if (tMs >= this.clock.endMs) {
        this.session.clock.pause();
        this.session.clock.set(this.clock.endMs);
      }
    }
    if (this.playing !== this.wasPlaying) {
      this.wasPlaying = this.playing;
      for (const l of this.playingListeners) l(this.wasPlaying);
    }
  }

  close(): void {
    for (const off of this.offs) off();
    this.offs.length = 0;
    this.playingListeners.clear();
    this.session.close();
  }
}
