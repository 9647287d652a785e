// Wall-clock <-> media position mapping of the playback map.
import { describe, expect, it } from 'vitest';
import type { PlaybackPiece } from '../../common/investigation';
import { mediaAt, nextRecorded, wallAt } from './wall-map';

const T = 1_800_000_000_000;
const pieces: PlaybackPiece[] = [
  { segmentId: 1, wallMs: T, mediaS: 0, durationS: 2, discontinuity: true, videoCodec: 'h264' },
  { segmentId: 1, wallMs: T + 2000, mediaS: 2, durationS: 2, discontinuity: false, videoCodec: 'h264' },
  // a 10 s gap
  { segmentId: 2, wallMs: T + 14_000, mediaS: 4, durationS: 2, discontinuity: true, videoCodec: 'h264' },
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

describe('codec support', () => {
  it('says H.265 cannot be decoded where MSE has no HEVC, and names it for people', async () => {
    const { browserDecodes, codecName } = await import('./codec-support');
    const noHevc = (t: string) => t.includes('avc1');
    expect(browserDecodes('hevc', noHevc)).toBe(false);
    expect(browserDecodes('h265', noHevc)).toBe(false);
    expect(browserDecodes('h264', noHevc)).toBe(true);
    expect(browserDecodes(null, noHevc)).toBe(true);
    expect(browserDecodes('hevc', () => true)).toBe(true);
    expect(codecName('hevc')).toBe('H.265');
    expect(codecName('h264')).toBe('H.264');
  });
});
