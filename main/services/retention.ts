// Retention: deletes the oldest unprotected closed segments by per-camera age, total-bytes budget and minimum free disk space.
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_RETENTION_DAYS } from '../../common/api';
import type { ServerEvent } from '../../common/events';
import type { SegmentRow, Store } from '../../storage/repositories';
import { volumeOf } from '../config';
import { asLog, type Log, type LogSink } from '../../common/log';
import { sweepAlarmChannels } from './retention-policy';

export interface RetentionConfig {
  recordingsDir: string;
  /** 0 = no byte budget. */
  maxRecordingsBytes: number;
  minFreeBytes: number;
  intervalMs: number;
  /** How often free space is checked between full passes. */
  freeCheckIntervalMs?: number;
}

export interface RetentionPassReport {
  deletedSegments: number;
  deletedBytes: number;
  byAge: number;
  /** Segments of channels recording on alarm (with pre-alarm) outside every alarm window (retention-policy.ts). */
  byPolicy: number;
  byBudget: number;
  byFreeSpace: number;
  freeBytesAfter: number | null;
}

const BATCH = 200;
const DAY_MS = 86_400_000;

/** A byte budget under this cannot hold even a few minutes of one camera (a 60 s segment at 4 Mbit/s is 30 MB). */
export const MIN_USEFUL_BUDGET_BYTES = 64 * 1024 ** 2;

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${n} B`;
}

/**
 * Why the retention settings cannot keep any recording on this volume, in words, or null when they can: the minimum
 * free space is not smaller than the volume, or than what the volume could ever free (free space plus the recordings
 * themselves), or the byte budget is tiny.
 */
export function retentionProblem(s: {
  minFreeBytes: number;
  maxRecordingsBytes: number;
  volume: { sizeBytes: number; freeBytes: number } | null;
  recordingsBytes: number;
}): string | null {
  const { minFreeBytes: min, volume: v } = s;
  if (v && min >= v.sizeBytes)
    return `minFreeBytes (${formatBytes(min)}) is not smaller than the recordings volume (${formatBytes(v.sizeBytes)}): retention would delete every recording`;
  if (v && min > 0 && v.freeBytes + s.recordingsBytes <= min)
    return (
      `the recordings volume has ${formatBytes(v.freeBytes)} free and recordings use ${formatBytes(s.recordingsBytes)}; keeping ` +
      `minFreeBytes (${formatBytes(min)}) free leaves no room: retention would delete every recording`
    );
  if (s.maxRecordingsBytes > 0 && s.maxRecordingsBytes < MIN_USEFUL_BUDGET_BYTES)
    return `maxRecordingsBytes (${formatBytes(s.maxRecordingsBytes)}) is smaller than ${formatBytes(MIN_USEFUL_BUDGET_BYTES)}: it cannot keep even a few minutes of one camera`;
  return null;
}

export class RetentionService {
  private timer: NodeJS.Timeout | null = null;
  private freeTimer: NodeJS.Timeout | null = null;
  private running: Promise<RetentionPassReport> | null = null;
  private readonly log: Log;
  private readonly now: () => number;
  /** Test hook: overrides the free-space reading. */
  freeBytesOverride: (() => number | null) | null = null;

  constructor(
    private readonly cfg: RetentionConfig,
    private readonly deps: { store: Store; publish?: (ev: ServerEvent) => void; log?: LogSink; now?: () => number },
  ) {
    this.log = asLog(deps.log, 'retention');
    this.now = deps.now ?? Date.now;
  }

  /** Logs the effective settings, and a warning when they cannot keep any recording (the alarms feature raises it too). */
  async checkSettings(): Promise<string | null> {
    const volume = volumeOf(this.cfg.recordingsDir);
    const problem = retentionProblem({
      minFreeBytes: this.cfg.minFreeBytes,
      maxRecordingsBytes: this.cfg.maxRecordingsBytes,
      volume,
      recordingsBytes: await this.deps.store.segments.totalBytes(),
    });
    this.log.info(
      `keeping ${formatBytes(this.cfg.minFreeBytes)} free${volume ? ` on a ${formatBytes(volume.sizeBytes)} volume` : ''}` +
        `${this.cfg.maxRecordingsBytes > 0 ? `, recordings at most ${formatBytes(this.cfg.maxRecordingsBytes)}` : ''}`,
    );
    if (problem) this.log.warn(`the retention settings cannot keep any recording: ${problem}`);
    return problem;
  }

  start(): void {
    void this.checkSettings().catch((err: Error) => this.log.error(`cannot check the settings: ${err.message}`, { err }));
    this.timer = setInterval(() => void this.runOnce(), this.cfg.intervalMs);
    this.timer.unref();
    this.freeTimer = setInterval(() => {
      const free = this.freeBytes();
      if (free !== null && free < this.cfg.minFreeBytes) void this.runOnce();
    }, this.cfg.freeCheckIntervalMs ?? 10_000);
    this.freeTimer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.freeTimer) clearInterval(this.freeTimer);
    this.timer = this.freeTimer = null;
    await this.running;
  }

  freeBytes(): number | null {
    if (this.freeBytesOverride) return this.freeBytesOverride();
    try {
      const st = fs.statfsSync(this.cfg.recordingsDir);
      return Number(st.bavail) * Number(st.bsize);
    } catch {
      return null;
    }
  }

  /** One pass; concurrent callers share the pass in progress. */
  runOnce(): Promise<RetentionPassReport> {
    if (!this.running) {
      this.running = this.pass().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private async deleteSegments(rows: SegmentRow[]): Promise<number> {
    let bytes = 0;
    for (const r of rows) {
      // File first: a crash between the two leaves a row without file, which recovery drops.
      await fs.promises.rm(path.join(this.cfg.recordingsDir, ...r.relPath.split('/')), { force: true });
      bytes += r.sizeBytes;
    }
    await this.deps.store.segments.deleteByIds(rows.map((r) => r.id));
    const perCam = new Map<number, { n: number; b: number }>();
    for (const r of rows) {
      const e = perCam.get(r.cameraId) ?? { n: 0, b: 0 };
      e.n++;
      e.b += r.sizeBytes;
      perCam.set(r.cameraId, e);
    }
    for (const [cameraId, e] of perCam) this.deps.publish?.({ type: 'retention.deleted', cameraId, segments: e.n, bytes: e.b });
    return bytes;
  }

  private async pass(): Promise<RetentionPassReport> {
    const { store } = this.deps;
    const rep: RetentionPassReport = { deletedSegments: 0, deletedBytes: 0, byAge: 0, byPolicy: 0, byBudget: 0, byFreeSpace: 0, freeBytesAfter: null };
    const now = this.now();
    // 1. Per-camera maximum age; recordings of deleted cameras keep the default retention.
    const retentionDays = new Map((await store.cameras.list()).map((c) => [c.id, c.retentionDays]));
    for (const cameraId of await store.segments.listCameraIds()) {
      const cutoff = now - (retentionDays.get(cameraId) ?? DEFAULT_RETENTION_DAYS) * DAY_MS;
      for (;;) {
        const rows = await store.segments.listOldestDeletable({ cameraId, endBeforeMs: cutoff, limit: BATCH });
        if (rows.length === 0) break;
        rep.deletedBytes += await this.deleteSegments(rows);
        rep.byAge += rows.length;
        if (rows.length < BATCH) break;
      }
    }
    // 1b. Channels recording on alarm with a pre-alarm keep only the pre-alarm buffer and their alarm windows.
    const swept = await sweepAlarmChannels(store, now, (rows) => this.deleteSegments(rows));
    rep.byPolicy = swept.segments;
    rep.deletedBytes += swept.bytes;
    // 2. Global byte budget, then 3. minimum free space: oldest unprotected first, across cameras.
    if (this.cfg.maxRecordingsBytes > 0) {
      let total = await store.segments.totalBytes();
      while (total > this.cfg.maxRecordingsBytes) {
        const rows = await store.segments.listOldestDeletable({ limit: Math.min(BATCH, 20) });
        if (rows.length === 0) break;
        const need = total - this.cfg.maxRecordingsBytes;
        const take: SegmentRow[] = [];
        let acc = 0;
        for (const r of rows) {
          if (acc >= need) break;
          take.push(r);
          acc += r.sizeBytes;
        }
        total -= await this.deleteSegments(take);
        rep.byBudget += take.length;
        rep.deletedBytes += acc;
      }
    }
    let free = this.freeBytes();
    while (free !== null && free < this.cfg.minFreeBytes) {
      const rows = await store.segments.listOldestDeletable({ limit: 20 });
      if (rows.length === 0) {
        this.log.warn('free space is under the minimum and nothing is deletable (all protected or being written)', {
          freeBytes: free,
          minFreeBytes: this.cfg.minFreeBytes,
        });
        break;
      }
      // One at a time, re-reading free space, so no more is deleted than needed.
      for (const r of rows) {
        rep.deletedBytes += await this.deleteSegments([r]);
        rep.byFreeSpace++;
        free = this.freeBytes();
        if (free === null || free >= this.cfg.minFreeBytes) break;
      }
    }
    rep.freeBytesAfter = free;
    rep.deletedSegments = rep.byAge + rep.byPolicy + rep.byBudget + rep.byFreeSpace;
    if (rep.deletedSegments > 0)
      this.log.info(
        `deleted ${rep.deletedSegments} segments (${rep.deletedBytes} B): ${rep.byAge} by age, ${rep.byPolicy} by recording policy, ${rep.byBudget} by budget, ${rep.byFreeSpace} for free space`,
        {
          deletedSegments: rep.deletedSegments,
          deletedBytes: rep.deletedBytes,
        },
      );
    return rep;
  }
}
