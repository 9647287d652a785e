// Stream-copy cut points from a frame index: start on the keyframe at or before, end on a hole-free prefix of the decode order.
import { describe, expect, it } from 'vitest';
import { copyEnd, copyStart } from './cut-points';
import type { TsIndex } from './ts-index';

/** 25 fps, GOP of 8 frames, decode order I P B B B P B B B ... (pts − dts = 2 frames for the I frame, like x264 with B-frames). */
function bframeIndex(frames: number): TsIndex {
  const f = 0.04;
  const list: Array<{ ptsS: number; dtsS: number }> = [];
  // Mini-GOPs of 4 in presentation order: P(i+3) decoded first, then B(i), B(i+1), B(i+2); frame 0 is the I frame.
  list.push({ ptsS: 0, dtsS: -2 * f });
  let dts = -f;
  for (let i = 1; i + 3 < frames; i += 4) {
    for (const p of [i + 3, i, i + 1, i + 2]) {
      list.push({ ptsS: p * f, dtsS: dts });
      dts += f;
    }
  }
  const kfs = list.filter((x) => Math.round(x.ptsS / f) % 8 === 0).map((x, k) => ({ offset: k * 1000, ptsS: x.ptsS, dtsS: x.dtsS }));
  const maxPts = Math.max(...list.map((x) => x.ptsS));
  return { sizeBytes: 0, header: Buffer.alloc(0), firstPtsS: 10, durationS: maxPts + f, keyframes: kfs, frames: list };
}

describe('cut points', () => {
  const idx = bframeIndex(40);
  it('starts on the keyframe at or before the requested start, seeking to just before its DTS', () => {
    const a = copyStart(idx, 1_000_000, 0.45); // keyframes at 0, 0.32, 0.64...
    expect(a.firstFrameMs).toBeCloseTo(1_000_000 + 320, 6);
    const kf = idx.keyframes.find((k) => Math.abs(k.ptsS - 0.32) < 1e-9)!;
    expect(a.inpointS).toBeCloseTo(10 + kf.dtsS - 0.0005, 9);
    expect(copyStart(idx, 0, 0.32).firstFrameMs).toBeCloseTo(320, 6); // exactly on a keyframe: that one
  });

  it('ends on a prefix of the decode order without a hole, holding every frame before the end', () => {
    const b = copyEnd(idx, 0, 0.5); // frames before 0.5 s: 0..12 (pts 0.48)
    const kept = idx
      .frames!.filter((f) => b.outpointS === undefined || f.dtsS < b.outpointS - 10)
      .map((f) => Math.round(f.ptsS / 0.04))
      .sort((x, y) => x - y);
    expect(kept).toEqual(kept.map((_, i) => i)); // hole-free
    expect(kept[kept.length - 1]).toBeGreaterThanOrEqual(12);
    expect(b.lastFrameMs).toBeCloseTo(kept[kept.length - 1]! * 40, 6);
  });
});
