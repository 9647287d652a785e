// GPS benchmark: telemetry ingest through the real server, near/track queries on a 10-million-point store, and the Map
// tab's frame time in headless Chromium while thousands of markers move.
//
//   npm run bench:gps -- [--units 1000] [--seconds 60] [--burst-seconds 15] [--batch 20] [--points 10000000]
//                        [--store-units 400] [--queries 50] [--markers 2000] [--frame-seconds 20]
//
// 1. ingest: the server runs as its own process (`node --import tsx main/server/cli.ts`); --units units (created through
//    the API) each hold a telemetry WebSocket and report one point a second for --seconds (the offered load: every
//    point must be acknowledged; ack latency and the server's CPU are measured). Then the capacity: every unit sends
//    batches of --batch points back to back (as agents draining a disk buffer after an outage) for --burst-seconds;
//    ingest_pps is the stored points per second of that phase (server CPU alongside).
// 2. store: --points points of --store-units units over one day are generated directly in SQLite (batched
//    transactions through the real schema: unique (unit, time) index + R*Tree kept by triggers), then
//    "units within 500 m of a point between t1 and t2" (1 h windows around random stored points; the same code as the
//    API: R*Tree box, exact distance) --queries times, and a one-day track of one unit.
// 3. map: the built console in headless Chromium, Map tab, --markers units moving every second (positions pushed by the
//    server in its 1 s batches); frame time = requestAnimationFrame intervals over --frame-seconds.
// The last line of stdout is the machine-readable RESULT line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import type { UnitKey } from '../common/api';
import type { ServerToUnit, TelemetryPoint } from '../common/gps';
import { unitsNear } from '../main/services/gps/near';
import { buildRenderer } from '../scripts/build-renderer';
import { Db } from '../storage/sqlite/db';
import { SqliteGpsRepo } from '../storage/sqlite/gps';
import { loadMigrations, migrate } from '../storage/sqlite/migrate';
import { launchBrowser } from '../test/harness';
import { ADMIN_PASSWORD, startServerProcess, type ServerProcess } from '../test/harness';
import { parseFlags, UsageError } from './lib/args';
import { login, type ApiClient } from './lib/http';
import { runBench, type BenchContext, type BenchOutcome } from './lib/lifecycle';
import { loadAverage, sampleProcess } from './lib/proc';
import { fmt, median, percentile } from './lib/stats';

const NAME = 'bench:gps';
const CENTER: [number, number] = [31.2304, 121.4737];
const USAGE =
  'npm run bench:gps -- [--units 1000] [--seconds 60] [--burst-seconds 15] [--batch 20] [--points 10000000] [--store-units 400] [--queries 50] [--markers 2000] [--frame-seconds 20]';

interface Link {
  id: number;
  ws: WebSocket;
  seq: number;
  pending: Map<number, { sentMs: number; resolve: (r: ServerToUnit) => void }>;
  lat: number;
  lon: number;
  heading: number;
  lastT: number;
}

async function createUnits(api: ApiClient, n: number, prefix: string, note: (m: string) => void): Promise<UnitKey[]> {
  const out: UnitKey[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      await api.call<UnitKey>('POST', '/api/v1/units', { callsign: `${prefix}-${String(i + 1).padStart(4, '0')}`, type: i % 5 === 0 ? 'body' : 'vehicle' }),
    );
    if ((i + 1) % 250 === 0) note(`${i + 1}/${n} units created`);
  }
  return out;
}

async function connect(base: string, units: UnitKey[]): Promise<Link[]> {
  const links: Link[] = [];
  const wsBase = base.replace(/^http/, 'ws');
  for (let i = 0; i < units.length; i += 100) {
    await Promise.all(
      units.slice(i, i + 100).map(
        (u) =>
          new Promise<void>((resolve, reject) => {
            const ws = new WebSocket(`${wsBase}/api/v1/gps/telemetry?unit=${u.unit.id}`, { headers: { 'x-unit-key': u.streamKey } });
            const link: Link = {
              id: u.unit.id,
              ws,
              seq: 0,
              pending: new Map(),
              lat: CENTER[0] + (Math.random() - 0.5) * 0.08,
              lon: CENTER[1] + (Math.random() - 0.5) * 0.09,
              heading: Math.floor(Math.random() * 4) * 90,
              lastT: 0,
            };
            ws.on('message', (d) => {
              const m = JSON.parse(String(d)) as ServerToUnit;
              if (m.type === 'ack') {
                const p = link.pending.get(m.seq);
                link.pending.delete(m.seq);
                p?.resolve(m);
              }
            });
            ws.once('open', () => (links.push(link), resolve()));
            ws.once('error', reject);
          }),
      ),
    );
  }
  return links;
}

function nextPoint(l: Link, tMs: number): TelemetryPoint {
  const rad = (l.heading * Math.PI) / 180;
  l.lat += (10 * Math.cos(rad)) / 111_195;
  l.lon += (10 * Math.sin(rad)) / (111_195 * Math.cos((l.lat * Math.PI) / 180));
  if (Math.random() < 0.03) l.heading = (l.heading + (Math.random() < 0.5 ? 90 : 270)) % 360;
  if (Math.abs(l.lat - CENTER[0]) > 0.05) l.heading = l.lat > CENTER[0] ? 180 : 0;
  if (Math.abs(l.lon - CENTER[1]) > 0.06) l.heading = l.lon > CENTER[1] ? 270 : 90;
  l.lastT = Math.max(tMs, l.lastT + 1);
  return { tMs: l.lastT, lat: l.lat, lon: l.lon, speedMps: 10, headingDeg: l.heading, batteryPct: 80, signalDbm: -75 };
}

function send(l: Link, points: TelemetryPoint[]): Promise<ServerToUnit> {
  const seq = ++l.seq;
  return new Promise((resolve) => {
    l.pending.set(seq, { sentMs: Date.now(), resolve });
    l.ws.send(JSON.stringify({ type: 'points', seq, points }));
  });
}

function cpuOf(server: ServerProcess): number {
  return sampleProcess(server.proc.pid!)?.cpuS ?? 0;
}

async function main(ctx: BenchContext): Promise<BenchOutcome> {
  const f = parseFlags(USAGE, {
    units: { default: 1000, description: 'units reporting every second', min: 1 },
    seconds: { default: 60, description: 'seconds of the 1 Hz phase', min: 1 },
    'burst-seconds': { default: 15, description: 'seconds of the capacity phase', min: 1 },
    batch: { default: 20, description: 'points per message in the capacity phase', min: 1 },
    points: { default: 10_000_000, description: 'points in the query store', min: 1000 },
    'store-units': { default: 400, description: 'units in the query store', min: 1 },
    queries: { default: 50, description: 'near queries', min: 1 },
    markers: { default: 2000, description: 'moving markers in Chromium', min: 1 },
    'frame-seconds': { default: 20, description: 'seconds of frame sampling', min: 1 },
  });
  const lines: string[] = [];
  const out = (s: string) => lines.push(s);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-bench-gps-'));
  ctx.defer('remove temp dir', () => fs.rmSync(tmp, { recursive: true, force: true }));
  out(`bench:gps on ${os.cpus().length} CPUs, load ${loadAverage()}`);

  // ---------------------------------------------------------------- 1. ingest
  ctx.note('building the console');
  const build = await buildRenderer(path.join(tmp, 'console'));
  const server = await startServerProcess(path.join(tmp, 'data'), { env: { ARGUS_CONSOLE_DIR: build.outDir, ARGUS_ADMIN_PASSWORD: ADMIN_PASSWORD } });
  ctx.defer('stop server', async () => void (await server.stop()));
  const api = await login(server.base, 'admin', ADMIN_PASSWORD);
  const nUnits = Math.max(f.units, f.markers);
  ctx.note(`creating ${nUnits} units`);
  const units = await createUnits(api, nUnits, 'BENCH', ctx.note);
  const links = await connect(server.base, units);
  ctx.defer('close unit sockets', () => links.forEach((l) => l.ws.terminate()));
  const ingestLinks = links.slice(0, f.units);

  ctx.note(`1 Hz phase: ${f.units} units for ${f.seconds} s`);
  const latencies: number[] = [];
  let acked = 0;
  let stored1 = 0;
  const cpu0 = cpuOf(server);
  const t0 = Date.now();
  const inflight: Promise<void>[] = [];
  for (let s = 0; s < f.seconds; s++) {
    const secondStart = t0 + s * 1000;
    ingestLinks.forEach((l, i) => {
      const at = secondStart + (i / ingestLinks.length) * 1000;
      inflight.push(
        new Promise<void>((resolve) =>
          setTimeout(
            () => {
              const sent = Date.now();
              void send(l, [nextPoint(l, sent)]).then((r) => {
                latencies.push(Date.now() - sent);
                acked++;
                if (r.type === 'ack') stored1 += r.stored;
                resolve();
              });
            },
            Math.max(0, at - Date.now()),
          ),
        ),
      );
    });
    await new Promise((r) => setTimeout(r, Math.max(0, secondStart + 1000 - Date.now())));
  }
  await Promise.all(inflight);
  const phase1S = (Date.now() - t0) / 1000;
  const cpu1 = cpuOf(server);
  const offered = f.units * f.seconds;

  ctx.note(`capacity phase: ${f.units} units x ${f.batch}-point batches back to back for ${f['burst-seconds']} s`);
  let stored2 = 0;
  const cpu2a = cpuOf(server);
  const b0 = Date.now();
  const until = b0 + f['burst-seconds'] * 1000;
  await Promise.all(
    ingestLinks.map(async (l) => {
      while (Date.now() < until) {
        const now = Date.now();
        const pts = Array.from({ length: f.batch }, () => ({ ...nextPoint(l, now - 60_000), buffered: true }));
        const r = await send(l, pts);
        if (r.type === 'ack') stored2 += r.stored;
      }
    }),
  );
  const burstS = (Date.now() - b0) / 1000;
  const cpu2b = cpuOf(server);
  const ingestPps = stored2 / burstS;
  out('');
  out('1. ingest (server process, real WebSockets, SQLite on disk)');
  out(
    `   1 Hz: ${f.units} units x ${f.seconds} s: offered ${offered} points, acknowledged ${acked}, stored ${stored1} (${fmt(stored1 / phase1S, 0)} points/s)`,
  );
  out(
    `         ack latency p50 ${fmt(median(latencies), 1)} ms, p95 ${fmt(percentile(latencies, 95), 1)} ms, max ${fmt(Math.max(...latencies), 0)} ms; server CPU ${fmt(((cpu1 - cpu0) / phase1S) * 100, 1)} % of one core`,
  );
  out(
    `   capacity: ${f.batch}-point batches from ${f.units} units: ${stored2} points in ${fmt(burstS, 1)} s = ${fmt(ingestPps, 0)} points/s sustained; server CPU ${fmt(((cpu2b - cpu2a) / burstS) * 100, 1)} % of one core`,
  );

  // ---------------------------------------------------------------- 3. map frames (server still up)
  ctx.note(`Chromium: ${f.markers} markers moving every second for ${f['frame-seconds']} s`);
  const browser = await launchBrowser();
  ctx.defer('close browser', () => browser.close());
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: 'en-US', bypassCSP: true });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  await page.goto(server.base);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.console').waitFor();
  await page.getByRole('tab', { name: 'Map' }).click();
  await page.locator('.map-tab .leaflet-container').waitFor();
  const mapLinks = links.slice(0, f.markers);
  let moving = true;
  const mover = (async () => {
    while (moving) {
      const s = Date.now();
      await Promise.all(mapLinks.map((l) => send(l, [nextPoint(l, Date.now())])));
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - s))));
    }
  })();
  // Let every marker arrive, then sample.
  await page.locator('.unit-count', { hasText: `${f.markers} units` }).waitFor({ timeout: 60_000 });
  await page.waitForTimeout(3000);
  // A string, not a function: tsx's name-keeping helpers do not exist in the page.
  const frames = (await page.evaluate(`new Promise((resolve) => {
    const deltas = [];
    let last = performance.now();
    const end = last + ${f['frame-seconds'] * 1000};
    const step = (t) => {
      deltas.push(t - last);
      last = t;
      if (t < end) requestAnimationFrame(step);
      else resolve({ deltas, visible: document.querySelectorAll('.unit-marker').length, clusters: document.querySelectorAll('.marker-cluster').length });
    };
    requestAnimationFrame(step);
  })`)) as { deltas: number[]; visible: number; clusters: number };
  moving = false;
  await mover;
  const frameP95 = percentile(frames.deltas, 95);
  out('');
  out(`3. map (headless Chromium, Map tab, ${f.markers} units moving every second, default zoom)`);
  out(
    `   ${frames.deltas.length} frames in ${f['frame-seconds']} s: frame time p50 ${fmt(median(frames.deltas), 1)} ms, p95 ${fmt(frameP95, 1)} ms, max ${fmt(Math.max(...frames.deltas), 1)} ms`,
  );
  out(`   on screen: ${frames.visible} unit markers, ${frames.clusters} clusters`);
  await context.close();
  links.forEach((l) => l.ws.terminate());
  await server.stop();

  // ---------------------------------------------------------------- 2. store and queries
  ctx.note(`generating ${f.points} points of ${f['store-units']} units in SQLite`);
  const db = await Db.open(path.join(tmp, 'store.db'));
  ctx.defer('close store', () => db.close());
  await migrate(db, await loadMigrations());
  await db.exec('PRAGMA cache_size = -262144'); // 256 MiB page cache for the bulk load and queries
  const perUnit = Math.ceil(f.points / f['store-units']);
  const dayStart = Date.UTC(2026, 0, 15);
  const stepMs = Math.floor(86_400_000 / perUnit);
  const CHUNK = 200_000;
  const g0 = Date.now();
  let generated = 0;
  while (generated < f.points) {
    const n = Math.min(CHUNK, f.points - generated);
    // Row k of the whole store: unit = k / perUnit, i = k % perUnit (unit by unit, so the clustered (unit, time) key is
    // appended to, as a day of 1 Hz telemetry from many units also mostly is); smooth Lissajous routes over a 20 x 20 km city.
    await db.transaction(async (tx) => {
      await tx.run(
        `WITH RECURSIVE s(k) AS (SELECT ? UNION ALL SELECT k + 1 FROM s WHERE k < ?)
         INSERT INTO gps_points (unit_id, t_ms, lat, lon, alt_m, speed_mps, heading_deg, accuracy_m, battery_pct, signal_dbm, sos, received_ms)
         SELECT u + 1, ? + i * ? + u, ? + 0.09 * sin(i * (0.0021 + (u % 37) * 0.00004) + u), ? + 0.1 * sin(i * (0.0017 + (u % 41) * 0.00005) + u * 1.7),
                12, 9.5, (i * 7) % 360, 5, 80, -75, 0, ? + i * ? + u + 800
         FROM (SELECT k / ? AS u, k % ? AS i FROM s)`,
        [generated, generated + n - 1, dayStart, stepMs, CENTER[0], CENTER[1], dayStart, stepMs, perUnit, perUnit],
      );
    });
    generated += n;
    if (generated % 1_000_000 < CHUNK) ctx.note(`${generated} points`);
  }
  const genS = (Date.now() - g0) / 1000;
  const repo = new SqliteGpsRepo(db);
  const count = await repo.countPoints();
  const sizeBytes =
    fs.statSync(path.join(tmp, 'store.db')).size + (fs.existsSync(path.join(tmp, 'store.db-wal')) ? fs.statSync(path.join(tmp, 'store.db-wal')).size : 0);
  // Near queries around random stored points, 1 h windows.
  const nearMs: number[] = [];
  const found: number[] = [];
  for (let q = 0; q < f.queries; q++) {
    const u = 1 + Math.floor(Math.random() * f['store-units']);
    const i = Math.floor(Math.random() * perUnit);
    const p = (await repo.track(u, dayStart + i * stepMs, dayStart + (i + 5) * stepMs, 1))[0];
    if (!p) continue;
    const s = performance.now();
    const r = await unitsNear(repo, { lat: p.lat, lon: p.lon, radiusM: 500, startMs: p.tMs - 1_800_000, endMs: p.tMs + 1_800_000 });
    nearMs.push(performance.now() - s);
    found.push(r.length);
    if (!r.some((x) => x.unitId === u)) throw new Error(`near query missed unit ${u} at its own point`);
  }
  const trackMs: number[] = [];
  let trackPoints = 0;
  for (let k = 0; k < 5; k++) {
    const u = 1 + Math.floor(Math.random() * f['store-units']);
    const s = performance.now();
    const t = await repo.track(u, dayStart, dayStart + 86_400_000, 200_000);
    trackMs.push(performance.now() - s);
    trackPoints = t.length;
  }
  out('');
  out(
    `2. store: ${count} points of ${f['store-units']} units over one day (${perUnit} each, every ${fmt(stepMs / 1000, 2)} s), ${fmt(sizeBytes / 1024 ** 3, 2)} GiB`,
  );
  out(`   generated in SQLite in ${fmt(genS, 0)} s (${fmt(count / genS, 0)} rows/s with the unique index and R*Tree triggers)`);
  out(
    `   near query (500 m, 1 h window, R*Tree + exact distance): p50 ${fmt(median(nearMs), 1)} ms, p95 ${fmt(percentile(nearMs, 95), 1)} ms over ${nearMs.length} queries; units found median ${median(found)}`,
  );
  out(`   one-day track of one unit: ${trackPoints} points, median ${fmt(median(trackMs), 1)} ms of 5`);
  out('');
  out(`load after: ${loadAverage()}`);
  out(
    `RESULT ingest_pps=${fmt(ingestPps, 0)} near_query_ms_p50=${fmt(median(nearMs), 1)} track_query_ms=${fmt(median(trackMs), 1)} map_frame_ms_p95=${fmt(frameP95, 1)}`,
  );
  return { report: lines.join('\n') };
}

runBench(NAME, 90 * 60_000, async (ctx) => {
  try {
    return await main(ctx);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw e;
  }
});
