// GPS telemetry ingest: validates points, stores them in batched transactions, keeps live positions, SOS and reject counters.
import { checkPoint, MAX_BATCH_POINTS, type IngestResult, type RejectReason, type TelemetryPoint, type UnitPosition } from '../../../common/gps';
import type { GpsPointRow, GpsRepo } from '../../../storage/repos/gps';

/** A point newer than this (server clock) may become the live position; older ones are history only. */
export const LIVE_MAX_AGE_MS = 60_000;

export interface IngestDeps {
  repo: GpsRepo;
  now: () => number;
  log: (m: string) => void;
  /** Called after each stored batch with the newly stored points of one unit, in the unit's time order. */
  onStored?: (unitId: number, points: GpsPointRow[]) => Promise<void> | void;
  /** SOS switched on or off (from points in time order, or an explicit SOS message). */
  onSos?: (unitId: number, active: boolean, at: { tMs: number; lat: number | null; lon: number | null }) => void;
  /** Longest time points wait before their batch is written, ms. */
  flushMs?: number;
  /** A batch is written at once when this many points wait. */
  flushPoints?: number;
}

interface Pending {
  points: GpsPointRow[];
  buffered: boolean[];
  resolve: (r: { stored: number; duplicates: number }) => void;
  reject: (e: Error) => void;
}

interface UnitLive {
  position: UnitPosition | null;
  lastSeenMs: number | null;
  links: number;
  sos: boolean;
  /** Newest unit time already looked at for SOS transitions. */
  sosT: number;
  rejects: Partial<Record<RejectReason, number>>;
}

export class GpsIngest {
  private queue: Pending[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private readonly live = new Map<number, UnitLive>();
  private readonly dirty = new Set<number>();
  private readonly linkDirty = new Set<number>();
  private pendingRejects = new Map<string, { unitId: number; reason: string; count: number; lastMs: number }>();
  private closed = false;
  /** Totals since start (bench and status). */
  readonly totals = { stored: 0, duplicates: 0, rejected: 0 };

  constructor(private readonly deps: IngestDeps) {}

  /** Loads each unit's newest stored point as its last known position and the stored reject counters. */
  async start(): Promise<void> {
    for (const p of await this.deps.repo.latestPerUnit()) {
      const u = this.unit(p.unitId);
      u.position = toPosition(p);
      u.sosT = p.tMs;
      u.sos = p.sos;
      u.lastSeenMs = p.receivedMs;
    }
    for (const r of await this.deps.repo.rejects()) {
      const u = this.unit(r.unitId);
      u.rejects[r.reason as RejectReason] = r.count;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private unit(id: number): UnitLive {
    let u = this.live.get(id);
    if (!u) {
      u = { position: null, lastSeenMs: null, links: 0, sos: false, sosT: -Infinity, rejects: {} };
      this.live.set(id, u);
    }
    return u;
  }

  /** Counts a refusal for a unit (also for messages that never reach `submit`: bad JSON, bad key). */
  reject(unitId: number, reason: RejectReason, count = 1): void {
    if (count <= 0) return;
    const now = this.deps.now();
    const u = this.unit(unitId);
    u.rejects[reason] = (u.rejects[reason] ?? 0) + count;
    this.totals.rejected += count;
    const k = `${unitId}:${reason}`;
    const cur = this.pendingRejects.get(k);
    if (cur) {
      cur.count += count;
      cur.lastMs = now;
    } else this.pendingRejects.set(k, { unitId, reason, count, lastMs: now });
    this.schedule();
  }

  /** Validates and stores a batch of one (authenticated, enabled) unit's points; resolves once they are written. */
  async submit(unitId: number, raw: unknown[]): Promise<IngestResult> {
    const now = this.deps.now();
    this.seen(unitId, now);
    if (raw.length > MAX_BATCH_POINTS) {
      this.reject(unitId, 'too_many_points', raw.length);
      return {
        stored: 0,
        duplicates: 0,
        rejected: [{ index: -1, reason: 'too_many_points', field: '', message: `at most ${MAX_BATCH_POINTS} points per batch` }],
      };
    }
    const rejected: IngestResult['rejected'] = [];
    const points: GpsPointRow[] = [];
    const buffered: boolean[] = [];
    raw.forEach((r, index) => {
      const c = checkPoint(r, now);
      if (!c.ok) {
        rejected.push({ index, reason: c.reason, field: c.field, message: c.message });
        this.reject(unitId, c.reason);
        return;
      }
      points.push(toRow(unitId, c.point, now));
      buffered.push(c.point.buffered === true);
    });
    if (points.length === 0) return { stored: 0, duplicates: 0, rejected };
    const r = await new Promise<{ stored: number; duplicates: number }>((resolve, reject) => {
      if (this.closed) return reject(new Error('telemetry ingest is closed'));
      this.queue.push({ points, buffered, resolve, reject });
      this.queued += points.length;
      if (this.queued >= (this.deps.flushPoints ?? 5000)) void this.flush();
      else this.schedule();
    });
    return { ...r, rejected };
  }

  /** An explicit SOS from the unit (a key or the command line on the agent). */
  sos(unitId: number, active: boolean, tMs: number): void {
    const u = this.unit(unitId);
    this.seen(unitId, this.deps.now());
    if (u.sos === active) return;
    u.sos = active;
    if (u.position) u.position = { ...u.position, sos: active };
    this.dirty.add(unitId);
    this.deps.onSos?.(unitId, active, { tMs, lat: u.position?.lat ?? null, lon: u.position?.lon ?? null });
  }

  /** A telemetry link of the unit opened (+1) or closed (-1). */
  link(unitId: number, delta: 1 | -1): void {
    const u = this.unit(unitId);
    u.links = Math.max(0, u.links + delta);
    this.seen(unitId, this.deps.now());
    this.linkDirty.add(unitId);
  }

  private seen(unitId: number, now: number): void {
    this.unit(unitId).lastSeenMs = now;
    this.linkDirty.add(unitId);
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.deps.flushMs ?? 100);
    this.timer.unref?.();
  }

  /** Writes everything queued (one transaction), then updates live state. Flushes never overlap. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.flushing = this.flushing.then(() => this.flushOnce());
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    this.queued = 0;
    const rejects = [...this.pendingRejects.values()];
    this.pendingRejects = new Map();
    if (rejects.length > 0) await this.deps.repo.addRejects(rejects).catch((e: Error) => this.deps.log(`[gps] storing reject counters failed: ${e.message}`));
    if (batch.length === 0) return;
    const all = batch.flatMap((p) => p.points);
    let stored: GpsPointRow[];
    try {
      stored = await this.deps.repo.insertPoints(all);
    } catch (err) {
      this.deps.log(`[gps] storing ${all.length} points failed: ${(err as Error).message}`);
      for (const p of batch) p.reject(err as Error);
      return;
    }
    const storedSet = new Set(stored);
    const bufferedOf = new Map<GpsPointRow, boolean>();
    for (const p of batch) {
      let n = 0;
      p.points.forEach((pt, i) => {
        bufferedOf.set(pt, p.buffered[i]!);
        if (storedSet.has(pt)) n++;
      });
      this.totals.stored += n;
      this.totals.duplicates += p.points.length - n;
      p.resolve({ stored: n, duplicates: p.points.length - n });
    }
    // Per unit, in the unit's time order.
    const byUnit = new Map<number, GpsPointRow[]>();
    for (const p of stored) {
      const list = byUnit.get(p.unitId) ?? [];
      list.push(p);
      byUnit.set(p.unitId, list);
    }
    const now = this.deps.now();
    for (const [unitId, pts] of byUnit) {
      pts.sort((a, b) => a.tMs - b.tMs);
      const u = this.unit(unitId);
      for (const p of pts) {
        if (p.tMs > u.sosT) {
          u.sosT = p.tMs;
          if (p.sos !== u.sos) {
            u.sos = p.sos;
            this.deps.onSos?.(unitId, p.sos, { tMs: p.tMs, lat: p.lat, lon: p.lon });
          }
        }
        const isLive = !bufferedOf.get(p) && p.tMs >= now - LIVE_MAX_AGE_MS && (!u.position || p.tMs > u.position.tMs);
        if (isLive) {
          u.position = toPosition(p);
          u.position.sos = u.sos;
          this.dirty.add(unitId);
        }
      }
      try {
        await this.deps.onStored?.(unitId, pts);
      } catch (err) {
        this.deps.log(`[gps] after-store of unit ${unitId} failed: ${(err as Error).message}`);
      }
    }
  }

  /** Live positions changed since the last call, and link changes (for the throttled broadcast). */
  takeChanges(): { positions: UnitPosition[]; links: Array<{ unitId: number; linkUp: boolean; lastSeenMs: number | null }> } {
    const positions: UnitPosition[] = [];
    for (const id of this.dirty) {
      const p = this.live.get(id)?.position;
      if (p) positions.push(p);
    }
    const links = [...this.linkDirty].map((id) => {
      const u = this.unit(id);
      return { unitId: id, linkUp: u.links > 0, lastSeenMs: u.lastSeenMs };
    });
    this.dirty.clear();
    this.linkDirty.clear();
    return { positions, links };
  }

  state(unitId: number): Readonly<UnitLive> | null {
    return this.live.get(unitId) ?? null;
  }

  /** Every unit's live state. */
  all(): ReadonlyMap<number, Readonly<UnitLive>> {
    return this.live;
  }

  forget(unitId: number): void {
    this.live.delete(unitId);
  }
}

function toRow(unitId: number, p: TelemetryPoint, now: number): GpsPointRow {
  return {
    unitId,
    tMs: p.tMs,
    lat: p.lat,
    lon: p.lon,
    altM: p.altM ?? null,
    speedMps: p.speedMps ?? null,
    headingDeg: p.headingDeg ?? null,
    accuracyM: p.accuracyM ?? null,
    batteryPct: p.batteryPct ?? null,
    signalDbm: p.signalDbm ?? null,
    sos: p.sos === true,
    receivedMs: now,
  };
}

export function toPosition(p: GpsPointRow): UnitPosition {
  return {
    unitId: p.unitId,
    tMs: p.tMs,
    lat: p.lat,
    lon: p.lon,
    altM: p.altM,
    speedMps: p.speedMps,
    headingDeg: p.headingDeg,
    accuracyM: p.accuracyM,
    batteryPct: p.batteryPct,
    signalDbm: p.signalDbm,
    sos: p.sos,
  };
}
