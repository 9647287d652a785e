// Restart tunables shared by the supervised ffmpeg processes (recorders and relays), with their defaults.

export interface SupervisionOptions {
  /** Backoff after a failed attempt: minBackoffMs doubling up to maxBackoffMs (1 s → 30 s). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A run that worked this long resets the backoff (relays). */
  healthyRunMs?: number;
  /**
   * A recorder whose source delivered this much video (stream time advancing) resets its backoff at once, so a source
   * that flaps (down 6 s, up 9 s) is reconnected within about a second of each recovery instead of ever later.
   */
  videoResetMs?: number;
  /** No progress for this long while running: the stream is considered stalled and ffmpeg is restarted. */
  stallMs?: number;
  /** Socket I/O timeout of the input, seconds. */
  ioTimeoutS?: number;
}

export function supervisionDefaults(o: SupervisionOptions): Required<SupervisionOptions> {
  return {
    minBackoffMs: o.minBackoffMs ?? 1000,
    maxBackoffMs: o.maxBackoffMs ?? 30_000,
    healthyRunMs: o.healthyRunMs ?? 10_000,
    videoResetMs: o.videoResetMs ?? 1000,
    stallMs: o.stallMs ?? 20_000,
    ioTimeoutS: o.ioTimeoutS ?? 10,
  };
}

/** Wait before the next attempt after `failures` consecutive failures. */
export function backoffDelay(failures: number, minMs: number, maxMs: number): number {
  return Math.min(maxMs, minMs * 2 ** Math.max(0, failures - 1));
}
