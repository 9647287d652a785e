// Wall-clock <-> media position mapping of the playback map.
import { describe, expect, it } from 'vitest';
import type { PlaybackPiece } from '../../common/investigation';
import { mediaAt, nextRecorded, wallAt } from './wall-map';

const T = 1_800_000_000_000;
const pieces: PlaybackPiece[] = [
  { segmentId: 1, wallMs: T, mediaS: 0, durationS: 2, discontinuity: true },
  { segmentId: 1, wallMs: T + 2000, mediaS: 2, durationS: 2, discontinuity: false },
  // a 10 s gap
  { segmentId: 2, wallMs: T + 14_000, mediaS: 4, durationS: 2, discontinuity: true },
];

describe('wall map', () => {
  it('maps wall time to media position and back, with gaps absent from the media', () => {
    expect(mediaAt(pieces, T + 500)).toBe(0.5);
    expect(mediaAt(pieces, T + 3000)).toBe(3);
    expect(mediaAt(pieces, T + 15_000)).toBe(5);
    expect(mediaAt(pieces, T + 8000)).toBeNull();
    expect(mediaAt(pieces, T - 1)).toBeNull();
    expect(wallAt(pieces, 4.25)).toBe(T + 14_250);
    expect(wallAt(pieces, 1)).toBe(T + 1000);
    expect(wallAt(pieces, 9)).toBeNull();
  });

  it('finds the next recorded moment after a gap', () => {
    expect(nextRecorded(pieces, T + 8000)).toBe(T + 14_000);
    expect(nextRecorded(pieces, T + 1000)).toBe(T + 1000);
    expect(nextRecorded(pieces, T + 20_000)).toBeNull();
  });
});
