// Drift guard, frame watch (stall and no-start) and retry delays of the live player.
import { describe, expect, it } from 'vitest';
import { driftDecision, FrameWatch, rangesOf, retryDelayMs } from './playback-guard';

describe('driftDecision', () => {
  it('does nothing within the latency budget', () => {
    expect(driftDecision([{ start: 0, end: 10 }], 9.2)).toEqual({ action: 'none', latencySec: expect.closeTo(0.8, 5) });
    expect(driftDecision([], 3).action).toBe('none');
  });

  it('jumps to the live edge minus the remain when more than 1.5 s behind', () => {
    const d = driftDecision([{ start: 0, end: 10 }], 8);
    expect(d).toEqual({ action: 'seek', to: 9.7, latencySec: 2 });
  });

  it('uses the newest range and jumps over a gap', () => {
    const d = driftDecision(
      [
        { start: 0, end: 4 },
        { start: 6, end: 7 },
      ],
      3.9,
    );
    expect(d.action).toBe('seek');
    expect(d.action === 'seek' && d.to).toBeCloseTo(6.7);
  });

  it('never seeks before the start of the newest range', () => {
    const d = driftDecision([{ start: 5, end: 5.2 }], 2);
    expect(d).toMatchObject({ action: 'seek', to: 5 });
  });

  it('reads TimeRanges', () => {
    const tr = { length: 2, start: (i: number) => [0, 5][i], end: (i: number) => [3, 8][i] };
    expect(rangesOf(tr)).toEqual([
      { start: 0, end: 3 },
      { start: 5, end: 8 },
    ]);
  });
});

describe('FrameWatch', () => {
  it('waits for the first frame, then reports playing while the counter grows', () => {
    const w = new FrameWatch(1000, 5000, 12000);
    expect(w.sample(1000, 40)).toBe('waiting'); // baseline of a reused element
    expect(w.sample(2000, 40)).toBe('waiting');
    expect(w.sample(3000, 45)).toBe('playing');
    expect(w.firstFrameAt).toBe(3000);
    expect(w.sample(4000, 70)).toBe('playing');
  });

  it('reports a stall after 5 s without a new frame', () => {
    const w = new FrameWatch(0);
    w.sample(0, 0);
    w.sample(1000, 25);
    expect(w.sample(5000, 25)).toBe('playing');
    expect(w.sample(6000, 25)).toBe('stalled');
    expect(w.sample(6500, 26)).toBe('playing');
  });

  it('reports noStart when no frame came within the first-frame timeout', () => {
    const w = new FrameWatch(0, 5000, 12000);
    expect(w.sample(0, 0)).toBe('waiting');
    expect(w.sample(11_999, 0)).toBe('waiting');
    expect(w.sample(12_000, 0)).toBe('noStart');
  });
});

describe('retryDelayMs', () => {
  it('doubles from 1 s up to the cap with bounded jitter', () => {
    expect(retryDelayMs(1, 15000, () => 1)).toBe(1000);
    expect(retryDelayMs(3, 15000, () => 1)).toBe(4000);
    expect(retryDelayMs(10, 15000, () => 1)).toBe(15000);
    expect(retryDelayMs(10, 15000, () => 0)).toBe(11250);
  });
});
