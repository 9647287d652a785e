// Pure decisions of the live player: drift guard (jump to the live edge), stall / no-start detection, retry delays.

/** Keep live video at most this far behind the newest buffered frame (seconds). */
export const MAX_LATENCY_SEC = 1.5;
/** After a jump, leave this much buffered ahead of the play position (seconds). */
export const MIN_REMAIN_SEC = 0.3;

export interface BufferedRange {
  start: number;
  end: number;
}

/** TimeRanges (the video element's `buffered`) as plain ranges. */
export function rangesOf(tr: Pick<TimeRanges, 'length' | 'start' | 'end'>): BufferedRange[] {
  const out: BufferedRange[] = [];
  for (let i = 0; i < tr.length; i++) out.push({ start: tr.start(i), end: tr.end(i) });
  return out;
}

export type DriftDecision = { action: 'none'; latencySec: number } | { action: 'seek'; to: number; latencySec: number };

/**
 * Whether to jump to the live edge: when the play position is more than maxLatency behind the end of the newest
 * buffered range, or sits outside it (a gap after a hiccup), seek to end - minRemain.
 */
export function driftDecision(
  ranges: readonly BufferedRange[],
  currentTime: number,
  maxLatencySec = MAX_LATENCY_SEC,
  minRemainSec = MIN_REMAIN_SEC,
): DriftDecision {
  const last = ranges[ranges.length - 1];
  if (!last || last.end <= last.start) return { action: 'none', latencySec: 0 };
  const latencySec = last.end - currentTime;
  const target = Math.max(last.start, last.end - minRemainSec);
  if (latencySec > maxLatencySec) return { action: 'seek', to: target, latencySec };
  if (currentTime < last.start && last.end - last.start > minRemainSec) return { action: 'seek', to: target, latencySec };
  return { action: 'none', latencySec: Math.max(0, latencySec) };
}

export type FrameVerdict = 'waiting' | 'playing' | 'stalled' | 'noStart';

/**
 * Watches the decoded-frame counter: 'playing' while it grows, 'stalled' after stallMs without a new frame once
 * playing, 'noStart' when no first frame came within firstFrameMs of the connection.
 */
export class FrameWatch {
  private lastFrames = -1;
  private lastProgressMs: number;
  private firstFrameAtMs: number | null = null;

  constructor(
    private readonly startMs: number,
    private readonly stallMs = 5_000,
    private readonly firstFrameMs = 12_000,
  ) {
    this.lastProgressMs = startMs;
  }

  /** When the first decoded frame was seen (UTC ms), null before. */
  get firstFrameAt(): number | null {
    return this.firstFrameAtMs;
  }

  sample(nowMs: number, decodedFrames: number): FrameVerdict {
    if (this.lastFrames < 0) {
      // The counter of a reused element does not start at 0: the first sample is the baseline.
      this.lastFrames = decodedFrames;
      return this.verdictWithoutProgress(nowMs);
    }
    if (decodedFrames > this.lastFrames) {
      this.lastFrames = decodedFrames;
      this.lastProgressMs = nowMs;
      this.firstFrameAtMs ??= nowMs;
      return 'playing';
    }
    this.lastFrames = decodedFrames;
    return this.verdictWithoutProgress(nowMs);
  }

  private verdictWithoutProgress(nowMs: number): FrameVerdict {
    if (this.firstFrameAtMs === null) return nowMs - this.startMs >= this.firstFrameMs ? 'noStart' : 'waiting';
    return nowMs - this.lastProgressMs >= this.stallMs ? 'stalled' : 'playing';
  }
}

/** Delay before reconnect attempt `attempt` (1, 2, …): 1 s doubling to maxMs, jitter in [75 %, 100 %]. */
export function retryDelayMs(attempt: number, maxMs = 15_000, random: () => number = Math.random, initialMs = 1_000): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.75 + 0.25 * random()));
}
