// Telemetry uplink: sends queued points to the server in HTTP batches, keeps them on failure, retries with backoff.
import type { IngestResult } from '../common/gps';
import type { PointBuffer } from './buffer';

/** A point sent this long after it was captured is flagged `buffered` (it must not become the live position). */
export const BUFFERED_AFTER_MS = 5_000;

export interface UplinkOptions {
  server: string;
  unitId: number;
  key: string;
  buffer: PointBuffer;
  log: (m: string) => void;
  batchSize?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  now?: () => number;
}

export class TelemetryUplink {
  private timer: NodeJS.Timeout | null = null;
  private sending = false;
  private failures = 0;
  private closed = false;
  private nextTryMs = 0;
  readonly stats = { sent: 0, stored: 0, duplicates: 0, rejected: 0, failures: 0 };
  linkUp: boolean | null = null;

  constructor(private readonly o: UplinkOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.pump(), 250);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    while (this.sending) await new Promise((r) => setTimeout(r, 20));
  }

  /** Sends what is queued (one batch at a time) unless waiting out a backoff. */
  async pump(): Promise<void> {
    const now = (this.o.now ?? Date.now)();
    if (this.sending || this.closed || this.o.buffer.length === 0 || now < this.nextTryMs) return;
    this.sending = true;
    try {
      while (!this.closed && this.o.buffer.length > 0) {
        const batch = this.o.buffer.peek(this.o.batchSize ?? 500);
        const sendNow = (this.o.now ?? Date.now)();
        const points = batch.map(({ capturedMs, ...p }) => (sendNow - capturedMs > BUFFERED_AFTER_MS ? { ...p, buffered: true } : p));
        const url = `${this.o.server.replace(/\/$/, '')}/api/v1/gps/telemetry?unit=${this.o.unitId}`;
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-unit-key': this.o.key },
          body: JSON.stringify({ points }),
          signal: AbortSignal.timeout(15_000),
        });
        const body = (await res.json().catch(() => null)) as (IngestResult & { error?: { message: string; reason?: string } }) | null;
        if (res.status !== 200 || !body) {
          const why = body?.error ? `${body.error.reason ?? res.status}: ${body.error.message}` : `HTTP ${res.status}`;
          // Refusals of the whole batch for a reason that retrying cannot fix still keep the points (the key may be fixed).
          throw new Error(`server refused the batch (${why})`);
        }
        this.o.buffer.drop(batch.length);
        this.stats.sent += batch.length;
        this.stats.stored += body.stored;
        this.stats.duplicates += body.duplicates;
        this.stats.rejected += body.rejected.length;
        for (const r of body.rejected) this.o.log(`point ${JSON.stringify(batch[r.index])} refused: ${r.reason} (${r.field} ${r.message})`);
        if (this.linkUp !== true) this.o.log(`telemetry link up (${this.o.buffer.length} points still queued)`);
        this.linkUp = true;
        this.failures = 0;
      }
    } catch (err) {
      this.failures++;
      this.stats.failures++;
      const min = this.o.minBackoffMs ?? 1000;
      const delay = Math.min(this.o.maxBackoffMs ?? 10_000, min * 2 ** Math.min(10, this.failures - 1)) * (0.8 + Math.random() * 0.4);
      this.nextTryMs = (this.o.now ?? Date.now)() + delay;
      if (this.linkUp !== false || this.failures % 10 === 1)
        this.o.log(`telemetry link down (${(err as Error).message}); ${this.o.buffer.length} points kept on disk; retry in ${Math.round(delay / 100) / 10} s`);
      this.linkUp = false;
    } finally {
      this.sending = false;
    }
  }
}
