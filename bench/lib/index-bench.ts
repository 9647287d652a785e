// Benchmark helper: fills a fresh SQLite segment index with synthetic 60-second segments and times per-camera day queries.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { NewSegment } from '../../storage/repositories';
import { openSqliteStore } from '../../storage/sqlite/index';
import { LIST_RANGE_SQL, listRangeParams } from '../../storage/sqlite/segments';
import { max, percentile } from './stats';

export interface IndexBenchOptions {
  /** Directory for the database (created; the caller removes it). */
  dir: string;
  cameras: number;
  days: number;
  /** Rows per insertMany call. */
  batchRows: number;
  queries: number;
  warmup: number;
  note: (msg: string) => void;
}

export interface IndexBenchResult {
  rows: number;
  insertS: number;
  insertRowsPerS: number;
  dbBytes: number;
  queryMs: number[];
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  rowsPerQuery: number;
  queryPlan: string;
}

const DAY_MS = 86_400_000;
const SEGMENT_MS = 60_000;
/** Fixed origin (2025-01-01T00:00:00Z) so runs are comparable. */
const ORIGIN_MS = Date.UTC(2025, 0, 1);

/** Small deterministic PRNG (mulberry32), so every run queries the same cameras and days. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function segmentRow(cameraId: number, minute: number): NewSegment {
  const startMs = ORIGIN_MS + minute * SEGMENT_MS;
  return {
    cameraId,
    // Same shape as the recorder's files: <cameraId>/<runStartMs>-<seq>.ts, one run per day.
    relPath: `${cameraId}/${ORIGIN_MS + Math.floor(minute / 1440) * DAY_MS}-${String(minute % 1440).padStart(6, '0')}.ts`,
    startMs,
    endMs: startMs + SEGMENT_MS,
    durationMs: SEGMENT_MS,
    sizeBytes: 30_000_000 + ((cameraId * 7919 + minute * 104_729) % 1_000_000),
    videoCodec: 'h264',
    audioCodec: 'aac',
    width: 1920,
    height: 1080,
    fps: 25,
    state: 'closed',
    protected: false,
    recovered: false,
  };
}

export async function runIndexBench(o: IndexBenchOptions): Promise<IndexBenchResult> {
  fs.mkdirSync(o.dir, { recursive: true });
  const file = path.join(o.dir, 'index-bench.db');
  const store = await openSqliteStore(file, { log: (l) => o.note(l) });
  try {
    // Rows arrive as in production: minute by minute, every camera's segment of that minute (cameras interleaved).
    const minutes = o.days * 1440;
    const rows = minutes * o.cameras;
    o.note(`index: inserting ${rows.toLocaleString('en-US')} rows (${o.cameras} cameras x ${o.days} days of 60 s segments) in batches of ${o.batchRows}`);
    const t0 = performance.now();
    let batch: NewSegment[] = [];
    let done = 0;
    let lastNote = t0;
    for (let m = 0; m < minutes; m++) {
      for (let c = 1; c <= o.cameras; c++) {
        batch.push(segmentRow(c, m));
        if (batch.length >= o.batchRows) {
          await store.segments.insertMany(batch);
          done += batch.length;
          batch = [];
          if (performance.now() - lastNote > 10_000) {
            lastNote = performance.now();
            o.note(`index: ${done.toLocaleString('en-US')} rows (${Math.round(done / ((lastNote - t0) / 1000)).toLocaleString('en-US')} rows/s)`);
          }
        }
      }
    }
    if (batch.length > 0) await store.segments.insertMany(batch);
    done += batch.length;
    const insertS = (performance.now() - t0) / 1000;
    if (done !== rows) throw new Error(`index: inserted ${done} rows, expected ${rows}`);
    o.note(`index: inserted in ${insertS.toFixed(1)} s (${Math.round(rows / insertS).toLocaleString('en-US')} rows/s)`);

    const plan = await store.db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${LIST_RANGE_SQL}`, listRangeParams(1, ORIGIN_MS, ORIGIN_MS + DAY_MS, 10_000));
    const queryPlan = plan.map((p) => p.detail).join('; ');

    const rand = prng(20250101);
    const queryOnce = async () => {
      const cameraId = 1 + Math.floor(rand() * o.cameras);
      const day = Math.floor(rand() * o.days);
      const dayStart = ORIGIN_MS + day * DAY_MS;
      const q0 = performance.now();
      const got = await store.segments.listRange(cameraId, dayStart, dayStart + DAY_MS, 10_000);
      const ms = performance.now() - q0;
      if (got.length !== 1440) throw new Error(`index: camera ${cameraId} day ${day}: ${got.length} rows, expected 1440`);
      return ms;
    };
    for (let i = 0; i < o.warmup; i++) await queryOnce();
    const queryMs: number[] = [];
    for (let i = 0; i < o.queries; i++) queryMs.push(await queryOnce());

    let dbBytes = 0;
    for (const f of [file, `${file}-wal`]) {
      try {
        dbBytes += fs.statSync(f).size;
      } catch {
        /* no WAL file */
      }
    }
    return {
      rows,
      insertS,
      insertRowsPerS: rows / insertS,
      dbBytes,
      queryMs,
      p50Ms: percentile(queryMs, 50),
      p95Ms: percentile(queryMs, 95),
      maxMs: max(queryMs),
      rowsPerQuery: 1440,
      queryPlan,
    };
  } finally {
    await store.close();
  }
}
