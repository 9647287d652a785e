// Maps a recording's stream time to wall-clock time from the arrival times of ffmpeg's progress lines.

/**
 * Anchors stream time to wall-clock time. Each progress line gives offset = arrival − streamTime, which is never below the
 * true anchor for a live source; a low percentile over a sliding window ignores the rare bursts (flushes) that would pull
 * a plain minimum too early.
 */
export class ClockAnchor {
  private samples: Array<{ atMs: number; offsetMs: number }> = [];
  constructor(private readonly windowMs = 10 * 60_000) {}
  add(atMs: number, streamS: number): void {
    this.samples.push({ atMs, offsetMs: atMs - streamS * 1000 });
    const cutoff = atMs - this.windowMs;
    while (this.samples.length > 1 && this.samples[0].atMs < cutoff) this.samples.shift();
  }
  offsetMs(): number | null {
    if (this.samples.length === 0) return null;
    const sorted = this.samples.map((s) => s.offsetMs).sort((a, b) => a - b);
    return sorted[Math.floor((sorted.length - 1) * 0.1)];
  }
}
