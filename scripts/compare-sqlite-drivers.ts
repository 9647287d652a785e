// Measures sqlite3 (async, used by Argus) against better-sqlite3 (sync) on the segment bulk-insert and range-query workloads.
//
// better-sqlite3 is NOT a dependency. Install it temporarily without touching package.json / package-lock.json:
//   npm install --no-save better-sqlite3@12     (Node 20: 12.x; 13.x needs a newer Node)
//   npx tsx scripts/compare-sqlite-drivers.ts [--insert-rows 500000] [--cameras 64] [--days 30] [--queries 200] [--runs 3]
//   npm uninstall --no-save better-sqlite3
// or install it elsewhere and point BETTER_SQLITE3_PATH at it (e.g. /tmp/bsq/node_modules/better-sqlite3).
// The decision rule (docs/storage.md): keep sqlite3 unless better-sqlite3 is at least 2x faster on BOTH workloads.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { NewSegment, SegmentRow } from '../storage/repositories';
import { openSqliteStore, type SqliteStore } from '../storage/sqlite/index';
import { loadMigrations, SCHEMA_MIGRATIONS_SQL } from '../storage/sqlite/migrate';
import { INSERT_JSON_SQL, INSERT_SQL, insertParams, LIST_RANGE_SQL, listRangeParams, toSegmentRow } from '../storage/sqlite/segments';

// ---------- minimal typing of the parts of better-sqlite3 we use (the package has no types installed) ----------
interface BStatement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
interface BDatabase {
  pragma(source: string, opts?: { simple?: boolean }): unknown;
  exec(sql: string): void;
  prepare(sql: string): BStatement;
  transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
  close(): void;
}
type BDatabaseCtor = new (file: string) => BDatabase;

const DAY_MS = 86_400_000;
const MIN_MS = 60_000;
const BASE_MS = Date.UTC(2025, 0, 1);

interface Options {
  insertRows: number;
  cameras: number;
  days: number;
  queries: number;
  runs: number;
  keep: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { insertRows: 500_000, cameras: 64, days: 30, queries: 200, runs: 3, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => Number(argv[++i]);
    if (a === '--insert-rows') o.insertRows = next();
    else if (a === '--cameras') o.cameras = next();
    else if (a === '--days') o.days = next();
    else if (a === '--queries') o.queries = next();
    else if (a === '--runs') o.runs = next();
    else if (a === '--keep') o.keep = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

function loadBetterSqlite3(): { ctor: BDatabaseCtor; version: string } | null {
  const require = createRequire(import.meta.url);
  const spec = process.env.BETTER_SQLITE3_PATH ?? 'better-sqlite3';
  try {
    const ctor = require(spec) as BDatabaseCtor;
    const version = (require(`${spec}/package.json`) as { version: string }).version;
    return { ctor, version };
  } catch {
    return null;
  }
}

/** Deterministic PRNG (mulberry32), so both drivers get the same queries. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Segment number i in recording order: minute-major, all cameras of minute k before minute k+1 (as recorders write). */
function seg(i: number, cameras: number): NewSegment {
  const cam = (i % cameras) + 1;
  const minute = Math.floor(i / cameras);
  const startMs = BASE_MS + minute * MIN_MS;
  const d = new Date(startMs).toISOString(); // 2025-01-01T00:00:00.000Z
  return {
    cameraId: cam,
    relPath: `cam-${String(cam).padStart(3, '0')}/${d.slice(0, 10)}/${d.slice(11, 13)}-${d.slice(14, 16)}-00.mp4`,
    startMs,
    endMs: startMs + MIN_MS,
    durationMs: MIN_MS - 40,
    sizeBytes: 15_000_000 + (i % 1000) * 1000,
    videoCodec: 'h264',
    audioCodec: i % 3 === 0 ? 'aac' : null,
    width: 1920,
    height: 1080,
    fps: 25,
    state: 'closed',
    protected: i % 500 === 0,
    recovered: false,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const log = (line: string) => console.log(line);

// ---------- better-sqlite3 side: same pragmas, same migrations, same SQL ----------
async function openBetter(ctor: BDatabaseCtor, file: string, migrate: boolean): Promise<BDatabase> {
  const db = new ctor(file);
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  if (migrate) {
    db.exec(SCHEMA_MIGRATIONS_SQL);
    for (const m of await loadMigrations()) {
      db.transaction(() => {
        db.exec(m.sql);
        db.prepare('INSERT INTO schema_migrations (version, applied_ms) VALUES (?, ?)').run(m.version, Date.now());
      })();
    }
  }
  return db;
}

function betterInsertPerRow(db: BDatabase, rows: NewSegment[]): void {
  const stmt = db.prepare(INSERT_SQL);
  db.transaction((rs: NewSegment[]) => {
    for (const r of rs) stmt.run(insertParams(r));
  })(rows);
}

function betterInsertJson(db: BDatabase, rows: NewSegment[]): void {
  const stmt = db.prepare(INSERT_JSON_SQL);
  db.transaction((rs: NewSegment[]) => {
    for (let i = 0; i < rs.length; i += 5000) stmt.run(JSON.stringify(rs.slice(i, i + 5000).map(insertParams)));
  })(rows);
}

// ---------- workloads ----------
type InsertVariant = { name: string; driver: 'sqlite3' | 'better-sqlite3'; run: (file: string, rows: NewSegment[]) => Promise<void> };

async function sqlite3Store(file: string): Promise<SqliteStore> {
  return openSqliteStore(file, { log: () => undefined });
}

async function benchInsert(dir: string, o: Options, variants: InsertVariant[]): Promise<Map<string, number[]>> {
  const rows = Array.from({ length: o.insertRows }, (_, i) => seg(i, o.cameras));
  const results = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (let run = 1; run <= o.runs; run++) {
    // Alternate the order each run so neither driver always runs on a warmer machine.
    const order = run % 2 ? variants : [...variants].reverse();
    for (const v of order) {
      const file = join(dir, `insert-${run}-${v.name.replace(/\W+/g, '_')}.db`);
      const t0 = performance.now();
      await v.run(file, rows);
      const rate = o.insertRows / ((performance.now() - t0) / 1000);
      results.get(v.name)!.push(rate);
      log(`  run ${run}: ${v.name.padEnd(42)} ${fmt(rate).padStart(9)} rows/s`);
      for (const s of ['', '-wal', '-shm']) await rm(file + s, { force: true });
    }
  }
  return results;
}

async function populateBig(file: string, o: Options, better: BDatabaseCtor | null): Promise<number> {
  const total = o.cameras * o.days * 1440;
  const chunk = 100_000;
  const t0 = performance.now();
  if (better) {
    const db = await openBetter(better, file, true);
    for (let i = 0; i < total; i += chunk) {
      betterInsertPerRow(
        db,
        Array.from({ length: Math.min(chunk, total - i) }, (_, k) => seg(i + k, o.cameras)),
      );
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  } else {
    const store = await sqlite3Store(file);
    for (let i = 0; i < total; i += chunk) {
      await store.segments.insertMany(Array.from({ length: Math.min(chunk, total - i) }, (_, k) => seg(i + k, o.cameras)));
    }
    await store.close();
  }
  log(`  populated ${fmt(total)} rows in ${fmt((performance.now() - t0) / 1000, 1)} s (${fmt((await stat(file)).size / 1e6)} MB)`);
  return total;
}

interface QueryStats {
  perQueryMs: number[];
  passMs: number;
  rows: number;
  loopDelayMaxMs: number;
  loopDelayP99Ms: number;
}

async function benchQueries(
  label: string,
  queries: Array<[number, number]>,
  runQuery: (cam: number, startMs: number) => Promise<SegmentRow[]> | SegmentRow[],
): Promise<QueryStats> {
  // How long the event loop is blocked (other HTTP requests and WebSocket pushes of the server would wait that long).
  // Between queries we yield to the event loop, as a server does between requests, so a query that blocks shows up.
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const perQueryMs: number[] = [];
  let rows = 0;
  let passMs = 0;
  for (const [cam, startMs] of queries) {
    const q0 = performance.now();
    const res = await runQuery(cam, startMs);
    const dt = performance.now() - q0;
    perQueryMs.push(dt);
    passMs += dt;
    rows += res.length;
    await new Promise<void>((resolve) => setTimeout(resolve, 2));
  }
  h.disable();
  void label;
  return { perQueryMs, passMs, rows, loopDelayMaxMs: h.max / 1e6, loopDelayP99Ms: h.percentile(99) / 1e6 };
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const better = loadBetterSqlite3();
  const dir = await mkdtemp(join(tmpdir(), 'argus-driver-bench-'));
  log(
    `[compare-sqlite-drivers] node ${process.version}, sqlite3 ${(createRequire(import.meta.url)('sqlite3/package.json') as { version: string }).version}` +
      `, better-sqlite3 ${better ? better.version : 'NOT INSTALLED'}; dir ${dir}`,
  );
  if (!better) log('  (install it with `npm install --no-save better-sqlite3@12` to compare; measuring sqlite3 only)');

  try {
    // ---- 1. bulk insert ----
    log(`\n1. Bulk insert of ${fmt(o.insertRows)} segment rows into a fresh migrated database (one transaction), ${o.runs} runs`);
    const variants: InsertVariant[] = [
      {
        name: 'sqlite3: SegmentRepo.insertMany (jsonb_each)',
        driver: 'sqlite3',
        run: async (file, rows) => {
          const s = await sqlite3Store(file);
          await s.segments.insertMany(rows);
          await s.close();
        },
      },
      {
        name: 'sqlite3: per-row prepared statement',
        driver: 'sqlite3',
        run: async (file, rows) => {
          const s = await sqlite3Store(file);
          await s.db.transaction(async (tx) => {
            const stmt = await tx.prepare(INSERT_SQL);
            await stmt.runMany(rows.map(insertParams));
            await stmt.finalize();
          });
          await s.close();
        },
      },
    ];
    if (better) {
      variants.push(
        {
          name: 'better-sqlite3: per-row prepared statement',
          driver: 'better-sqlite3',
          run: async (file, rows) => {
            const db = await openBetter(better.ctor, file, true);
            betterInsertPerRow(db, rows);
            db.close();
          },
        },
        {
          name: 'better-sqlite3: jsonb_each (same SQL)',
          driver: 'better-sqlite3',
          run: async (file, rows) => {
            const db = await openBetter(better.ctor, file, true);
            betterInsertJson(db, rows);
            db.close();
          },
        },
      );
    }
    const insert = await benchInsert(dir, o, variants);
    log('  medians:');
    for (const v of variants) log(`    ${v.name.padEnd(42)} ${fmt(median(insert.get(v.name)!)).padStart(9)} rows/s`);
    const bestInsert = (driver: InsertVariant['driver']) => Math.max(...variants.filter((v) => v.driver === driver).map((v) => median(insert.get(v.name)!)));

    // ---- 2. range queries ----
    const bigFile = join(dir, 'big.db');
    log(`\n2. Range queries: ${o.queries} x "one camera, one day" on ${o.cameras} cameras x ${o.days} days x 1440 one-minute segments`);
    const total = await populateBig(bigFile, o, better?.ctor ?? null);
    const r = rng(42);
    const queries: Array<[number, number]> = Array.from({ length: o.queries }, () => [
      1 + Math.floor(r() * o.cameras),
      BASE_MS + Math.floor(r() * o.days) * DAY_MS,
    ]);

    const store = await sqlite3Store(bigFile);
    const bdb = better ? await openBetter(better.ctor, bigFile, false) : null;
    const bstmt = bdb?.prepare(LIST_RANGE_SQL);
    const runners: Array<[string, (cam: number, startMs: number) => Promise<SegmentRow[]> | SegmentRow[]]> = [
      ['sqlite3: SegmentRepo.listRange', (cam, s) => store.segments.listRange(cam, s, s + DAY_MS, 10_000)],
    ];
    if (bstmt) {
      runners.push([
        'better-sqlite3: same SQL + same row mapping',
        (cam, s) => (bstmt.all(...listRangeParams(cam, s, s + DAY_MS, 10_000)) as Parameters<typeof toSegmentRow>[0][]).map(toSegmentRow),
      ]);
    }
    const qstats = new Map<string, QueryStats[]>(runners.map(([n]) => [n, []]));
    for (const [name, fn] of runners) await benchQueries(name, queries.slice(0, 20), fn); // warm-up (page cache)
    for (let run = 1; run <= o.runs; run++) {
      const order = run % 2 ? runners : [...runners].reverse();
      for (const [name, fn] of order) {
        const st = await benchQueries(name, queries, fn);
        qstats.get(name)!.push(st);
        log(
          `  run ${run}: ${name.padEnd(42)} median ${fmt(median(st.perQueryMs), 2)} ms/query, p95 ${fmt(pct(st.perQueryMs, 95), 2)} ms, ` +
            `${o.queries} queries ${fmt(st.passMs)} ms, ${fmt(st.rows / o.queries)} rows/query, event-loop delay p99 ${fmt(st.loopDelayP99Ms, 1)} ms / max ${fmt(st.loopDelayMaxMs, 1)} ms`,
        );
      }
    }
    const medQuery = (name: string) => median(qstats.get(name)!.map((s) => median(s.perQueryMs)));
    log('  medians:');
    for (const [name] of runners) {
      const all = qstats.get(name)!;
      log(
        `    ${name.padEnd(42)} ${fmt(medQuery(name), 2)} ms/query, ${o.queries}-query pass ${fmt(median(all.map((s) => s.passMs)))} ms, ` +
          `event-loop delay p99 ${fmt(median(all.map((s) => s.loopDelayP99Ms)), 1)} ms / max ${fmt(median(all.map((s) => s.loopDelayMaxMs)), 1)} ms`,
      );
    }

    // ---- 3. other queries on the big table (sqlite3 only, for the record) ----
    const time = async <T>(fn: () => Promise<T>) => {
      const t0 = performance.now();
      await fn();
      return performance.now() - t0;
    };
    log(`\n3. Other SegmentRepo calls on ${fmt(total)} rows (sqlite3):`);
    log(`    totalBytes()                                   ${fmt(await time(() => store.segments.totalBytes()), 2)} ms`);
    log(`    listOldestDeletable({ limit: 1000 })           ${fmt(await time(() => store.segments.listOldestDeletable({ limit: 1000 })), 2)} ms`);
    log(
      `    listOldestDeletable({ cameraId: 7, limit: 1000 }) ${fmt(await time(() => store.segments.listOldestDeletable({ cameraId: 7, limit: 1000 })), 2)} ms`,
    );
    log(`    listPaths(7) (one camera's paths)              ${fmt(await time(() => store.segments.listPaths(7)))} ms`);
    log(`    listCameraIds()                                ${fmt(await time(() => store.segments.listCameraIds()), 2)} ms`);
    await store.close();
    bdb?.close();

    // ---- verdict ----
    const s3Insert = bestInsert('sqlite3');
    const s3Query = medQuery(runners[0]![0]);
    if (!better) {
      log(
        `\nRESULT sqlite3-only: insert ${fmt(s3Insert)} rows/s, range query ${fmt(s3Query, 2)} ms/query (${fmt(total)} rows); better-sqlite3 not installed, no comparison`,
      );
      return;
    }
    const bInsert = bestInsert('better-sqlite3');
    const bQuery = medQuery(runners[1]![0]);
    const insertRatio = bInsert / s3Insert;
    const queryRatio = s3Query / bQuery;
    const switchDriver = insertRatio >= 2 && queryRatio >= 2;
    log(
      `\nRESULT insert ${fmt(o.insertRows)} rows: sqlite3 ${fmt(s3Insert)} rows/s, better-sqlite3 ${fmt(bInsert)} rows/s (better-sqlite3 ${fmt(insertRatio, 2)}x); ` +
        `range query (${o.queries} x 1 camera x 1 day, ${fmt(total)} rows): sqlite3 ${fmt(s3Query, 2)} ms, better-sqlite3 ${fmt(bQuery, 2)} ms (better-sqlite3 ${fmt(queryRatio, 2)}x); ` +
        `rule "switch only if >= 2x on both": ${switchDriver ? 'SWITCH to better-sqlite3' : 'KEEP sqlite3'}`,
    );
  } finally {
    if (o.keep) log(`(kept ${dir})`);
    else await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error('[compare-sqlite-drivers]', err);
  process.exitCode = 1;
});
