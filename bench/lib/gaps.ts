// Benchmark helper: holes and overlaps in a camera's recorded time spans (index rows), and coverage of a time window.

export interface Span {
  startMs: number;
  endMs: number;
}

export interface GapReport {
  segments: number;
  /** Start of the first and end of the last span (NaN without spans). */
  firstStartMs: number;
  lastEndMs: number;
  /** Sum of the holes (> 0 ms) between consecutive spans within [firstStartMs, lastEndMs]. */
  gapMs: number;
  holes: number;
  largestHoleMs: number;
  /** Time covered by more than one span. */
  overlapMs: number;
  /** Sum of the spans' lengths. */
  recordedMs: number;
}

export function analyzeGaps(spans: readonly Span[]): GapReport {
  const sorted = [...spans].sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  const r: GapReport = { segments: sorted.length, firstStartMs: NaN, lastEndMs: NaN, gapMs: 0, holes: 0, largestHoleMs: 0, overlapMs: 0, recordedMs: 0 };
  if (sorted.length === 0) return r;
  r.firstStartMs = sorted[0].startMs;
  let cursor = sorted[0].endMs;
  for (const s of sorted) r.recordedMs += s.endMs - s.startMs;
  for (const s of sorted.slice(1)) {
    if (s.startMs > cursor) {
      const hole = s.startMs - cursor;
      r.gapMs += hole;
      r.holes++;
      r.largestHoleMs = Math.max(r.largestHoleMs, hole);
    } else {
      r.overlapMs += Math.max(0, Math.min(cursor, s.endMs) - s.startMs);
    }
    cursor = Math.max(cursor, s.endMs);
  }
  r.lastEndMs = cursor;
  return r;
}

/** Milliseconds of [fromMs, toMs) that no span covers. */
export function uncoveredMs(spans: readonly Span[], fromMs: number, toMs: number): number {
  const sorted = [...spans].sort((a, b) => a.startMs - b.startMs);
  let cursor = fromMs;
  let uncovered = 0;
  for (const s of sorted) {
    if (s.endMs <= cursor) continue;
    if (s.startMs >= toMs) break;
    if (s.startMs > cursor) uncovered += s.startMs - cursor;
    cursor = Math.max(cursor, s.endMs);
    if (cursor >= toMs) break;
  }
  if (cursor < toMs) uncovered += toMs - cursor;
  return uncovered;
}
