// One recorder's segment bookkeeping: wall-clock times from the run's clock anchor, chaining within a run, sanity checks, probing, in order.
import fs from 'node:fs';
import path from 'node:path';
import { ClockAnchor } from './clock-anchor';
import { probe, type ProbeInfo } from './probe';
import type { FfmpegLauncher } from './ffmpeg-launcher';
import type { StreamInfo } from './record-process';

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

export type SegmentEvents = {
  onSegmentOpened(seg: OpenedSegment): void;
  /** A segment is complete and probed. Called in order of segments. */
  onSegmentClosed(seg: ClosedSegment): void;
  /** A closed segment could not be probed (corrupt or empty); it is left for crash recovery. */
  onSegmentError(relPath: string, message: string): void;
};

/** Within a run, consecutive segments are chained; the anchor re-syncs them only when they drift further than this. */
const RESYNC_MS = 2000;

/**
 * Segments of one camera across runs. Per run (newRun): the clock anchor, the segments ffmpeg opened and not yet closed,
 * the end of the run's last segment. Across runs: the end of the last segment indexed, and one chain of reports so
 * that segments are reported in order (probing a partial segment takes time).
 */
export class SegmentIndex {
  private anchor = new ClockAnchor();
  private openSegs = new Map<string, { startMs: number; openedAtMs: number }>();
  private prevEndMs: number | null = null;
  private chain: Promise<void> = Promise.resolve();
  /** End of the last segment reported closed (wall-clock ms), across runs. */
  private indexedEndMs = -Infinity;

  constructor(
    private readonly cameraId: number,
    private readonly recordingsDir: string,
    private readonly events: SegmentEvents,
    private readonly now: () => number,
    private readonly log: (msg: string) => void,
    private readonly ffmpeg: FfmpegLauncher,
  ) {}

  /** A new ffmpeg run starts: a new anchor, nothing open, no segment to chain to. */
  newRun(): void {
    this.anchor = new ClockAnchor();
    this.openSegs.clear();
    this.prevEndMs = null;
  }

  /** A progress sample of the current run (arrival time, stream time). */
  sample(atMs: number, outTimeS: number): void {
    this.anchor.add(atMs, outTimeS);
  }

  relPath(file: string): string {
    return path.relative(this.recordingsDir, file).split(path.sep).join('/');
  }

  /**
   * A segment indexed outside this index (a discarded run's) is reported; the next run's first segment may not start
   * before its end (that run may begin with media from before it: a receiver's cached GOP).
   */
  closedElsewhere(seg: Omit<ClosedSegment, 'cameraId'>): void {
    this.indexedEndMs = Math.max(this.indexedEndMs, seg.endMs);
    this.events.onSegmentClosed({ ...seg, cameraId: this.cameraId });
  }

  /** Runs `task` after every report queued before it. */
  enqueue(task: () => Promise<void>): void {
    this.chain = this.chain.then(task);
  }

  /** Resolves when every queued report is done. */
  drained(): Promise<void> {
    return this.chain;
  }

  private wallMs(streamS: number): number | null {
    const off = this.anchor.offsetMs();
    return off === null ? null : Math.round(off + streamS * 1000);
  }

  /** The current run opened a segment file. */
  opened(file: string): void {
    const startMs = this.prevEndMs ?? this.now();
    this.openSegs.set(file, { startMs, openedAtMs: this.now() });
    this.events.onSegmentOpened({ cameraId: this.cameraId, relPath: this.relPath(file), startMs });
  }

  /** ffmpeg closed a segment (stream times from the muxer); `sameRun` when it belongs to the current run, whose streams are `runInfo`. */
  closed(file: string, startS: number, endS: number, sameRun: boolean, runInfo: StreamInfo | null): void {
    const opened = this.openSegs.get(file);
    this.openSegs.delete(file);
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
    this.report(file, startMs, durationMs, sameRun ? runInfo : null);
  }

  /** Segments ffmpeg opened but never reported closed (it was killed): index them with their true length. */
  closeLeftovers(): void {
    for (const [file, opened] of this.openSegs) {
      const startMs = this.prevEndMs ?? opened.startMs;
      this.log(`ffmpeg ended without closing ${this.relPath(file)}; indexing it with its probed duration`);
      this.report(file, startMs, 0);
    }
    this.openSegs.clear();
  }

  /**
   * Reports a finished segment. With the run's stream info and the muxer's duration nothing needs probing (an ffprobe
   * costs ~0.3 s of CPU); `durationMs` 0 means "take ffprobe's duration" (partial segments of a killed ffmpeg).
   */
  private report(file: string, startMs: number, durationMs: number, known: StreamInfo | null = null): void {
    const rel = this.relPath(file);
    this.enqueue(async () => {
      try {
        const info = known && durationMs > 0 ? { ...known, durationMs, startTimeS: null } : await probe(this.ffmpeg, file);
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
        this.events.onSegmentClosed({ ...info, durationMs: dur, cameraId: this.cameraId, relPath: rel, startMs: start, endMs: start + dur, sizeBytes });
      } catch (e) {
        this.log(`segment ${rel} could not be probed: ${(e as Error).message}`);
        this.events.onSegmentError(rel, (e as Error).message);
      }
    });
  }
}
