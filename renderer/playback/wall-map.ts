// Maps wall-clock time to a position in an on-the-fly VOD playlist and back (pieces from the playback map; gaps are not in the media).
import type { PlaybackMap, PlaybackPiece } from '../../common/investigation';

/** Media position (s) showing wall time wallMs, or null when wallMs falls in a gap or outside the map. */
export function mediaAt(pieces: readonly PlaybackPiece[], wallMs: number): number | null {
  let lo = 0;
  let hi = pieces.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = pieces[mid]!;
    if (wallMs < p.wallMs) hi = mid - 1;
    else if (wallMs >= p.wallMs + p.durationS * 1000) lo = mid + 1;
    else return p.mediaS + (wallMs - p.wallMs) / 1000;
  }
  return null;
}

/** The piece showing wall time wallMs, or null in a gap or outside the map. */
export function pieceAt(pieces: readonly PlaybackPiece[], wallMs: number): PlaybackPiece | null {
  let lo = 0;
  let hi = pieces.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = pieces[mid]!;
    if (wallMs < p.wallMs) hi = mid - 1;
    else if (wallMs >= p.wallMs + p.durationS * 1000) lo = mid + 1;
    else return p;
  }
  return null;
}

/** Wall time (ms) shown at media position mediaS, or null outside the map. */
export function wallAt(pieces: readonly PlaybackPiece[], mediaS: number): number | null {
  let lo = 0;
  let hi = pieces.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = pieces[mid]!;
    if (mediaS < p.mediaS) hi = mid - 1;
    else if (mediaS >= p.mediaS + p.durationS) lo = mid + 1;
    else return p.wallMs + (mediaS - p.mediaS) * 1000;
  }
  const last = pieces[pieces.length - 1];
  if (last && Math.abs(mediaS - (last.mediaS + last.durationS)) < 0.05) return last.wallMs + last.durationS * 1000;
  return null;
}

/** The first recorded wall time at or after wallMs inside the map, or null. */
export function nextRecorded(pieces: readonly PlaybackPiece[], wallMs: number): number | null {
  for (const p of pieces) if (p.wallMs + p.durationS * 1000 > wallMs) return Math.max(p.wallMs, wallMs);
  return null;
}

/** True when the map covers wallMs with a margin before its end (else a new window is loaded). */
export function covers(map: PlaybackMap, wallMs: number, marginMs: number): boolean {
  return wallMs >= map.startMs && wallMs < map.endMs - marginMs;
}

export const SPEEDS = [0.125, 0.25, 0.5, 1, 2, 4, 8, 16] as const;

/** The timeline's zoom steps (visible span, ms): a week down to a minute. */
export const SPANS_MS = [7 * 86_400_000, 86_400_000, 6 * 3_600_000, 3_600_000, 15 * 60_000, 5 * 60_000, 60_000] as const;
