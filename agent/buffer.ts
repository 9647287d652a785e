// Disk-backed FIFO of telemetry points not yet acknowledged by the server (survives link outages and agent restarts).
import fs from 'node:fs';
import path from 'node:path';
import type { TelemetryPoint } from '../common/gps';

/**
 * A point as the agent keeps it: capturedMs is the agent's clock when it was read (to tell buffered points);
 * timeFromAgentClock marks a fix whose time is the agent's clock, not the receiver's (gpsd gave none). Neither is sent.
 */
export type QueuedPoint = TelemetryPoint & { capturedMs: number; timeFromAgentClock?: true };

export class PointBuffer {
  private points: QueuedPoint[] = [];

  /** file: JSON lines, one point each; null keeps the queue in memory only. */
  constructor(private readonly file: string | null) {
    if (!file) return;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (!fs.existsSync(file)) return;
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        this.points.push(JSON.parse(line) as QueuedPoint);
      } catch {
        // a line cut by a crash mid-write: skip it
      }
    }
  }

  get length(): number {
    return this.points.length;
  }

  push(p: QueuedPoint): void {
    this.points.push(p);
    if (this.file) fs.appendFileSync(this.file, JSON.stringify(p) + '\n');
  }

  /** The oldest n points (not removed). */
  peek(n: number): QueuedPoint[] {
    return this.points.slice(0, n);
  }

  /** Removes the oldest n points (acknowledged) and rewrites the file atomically. */
  drop(n: number): void {
    if (n <= 0) return;
    this.points = this.points.slice(n);
    if (!this.file) return;
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, this.points.map((p) => JSON.stringify(p) + '\n').join(''));
    fs.renameSync(tmp, this.file);
  }
}
