// Recording benchmark: N simulated 1080p cameras recorded through the real back end; CPU, memory, bytes, gaps, index query time.
//
//   npm run bench:record -- --cameras N --seconds S [--segment-seconds 60] [--index-days 30] [--verbose]
//
// The cameras are one GStreamer RTSP server process looping a pre-encoded 1080p H.264/AAC clip (~4 Mbit/s) on N mounts,
// so the sources cost little CPU and are reported apart. The back end runs in this process (startBackend); the cameras
// are added through the HTTP API like an operator would. The last line of stdout is the machine-readable RESULT line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Camera } from '../common/api';
import { loadConfig } from '../main/config';
import { startBackend, type Backend } from '../main/server/backend';
import { findRecorderProcesses, killOrphanRecorders } from '../media/orphans';
import { openSqliteStore } from '../storage/sqlite/index';
import { ensureClip } from '../test/helpers/clips';
import { startRtspServer } from '../test/helpers/rtsp-server';
import { parseFlags, UsageError } from './lib/args';
import { dirUsage } from './lib/fs-usage';
import { analyzeGaps, uncoveredMs } from './lib/gaps';
import { login } from './lib/http';
import { runIndexBench } from './lib/index-bench';
import { runBench, type BenchContext, type BenchOutcome } from './lib/lifecycle';
import { startCpuProfile } from './lib/cpu-profile';
import { clockTicksPerSecond, loadAverage, sampleMachineCpu, sampleProcess, type MachineCpu, type ProcSample } from './lib/proc';
import { recordReport, type CameraFigures } from './lib/record-report';
import { fmtBytes } from './lib/stats';

const NAME = 'bench:record';
const CLIP = { width: 1920, height: 1080, fps: 25, seconds: 10, bitrateKbps: 4000, audio: true } as const;
const ADMIN_PASSWORD = 'bench-chief-password';
const MB = 1024 * 1024;

let flags: ReturnType<typeof parse>;
function parse() {
  return parseFlags('npm run bench:record -- --cameras N --seconds S [options]', {
    cameras: { default: 8, min: 1, description: 'number of simulated 1080p cameras' },
    seconds: { default: 60, min: 1, description: 'length of the measured window, seconds' },
    'segment-seconds': { default: 60, min: 2, description: 'segment length of the cameras (API field segmentSeconds)' },
    'warmup-seconds': { default: 2, min: 0, description: 'wait after every camera is recording, before measuring' },
    'sample-seconds': { default: 5, min: 1, description: 'interval of the /proc samples during the window (RSS peak, restarts)' },
    transport: { default: 'tcp', description: 'RTSP transport of the cameras: tcp or udp' },
    'index-days': { default: 30, min: 1, description: 'days of 60 s segments in the synthetic index' },
    'index-cameras': { default: 64, min: 1, description: 'cameras in the synthetic index' },
    'index-batch': { default: 50_000, min: 1, description: 'rows per insertMany call when filling the index' },
    'index-queries': { default: 50, min: 1, description: 'timed one-camera-one-day queries' },
    'cpu-profile': { default: '', description: 'write a V8 CPU profile of the server process over the window to this file and summarise it' },
    keep: { default: '', description: 'set to "yes" to keep the temp dir (recordings, databases) for inspection' },
  });
}
try {
  flags = parse();
  if (flags.transport !== 'tcp' && flags.transport !== 'udp') throw new UsageError(`--transport: expected tcp or udp, got "${flags.transport}"`);
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(2);
}

// Bounded: setup (clip generation, connections) + window + shutdown + index fill at a pessimistic 10k rows/s.
const TIME_LIMIT_MS =
  (420 +
    flags['warmup-seconds'] +
    flags.seconds +
    3 * flags['segment-seconds'] +
    3 * flags.cameras +
    (flags['index-days'] * flags['index-cameras'] * 1440) / 10_000) *
  1000;

interface LogStats {
  lines: string[];
  counts: Record<string, number>;
}

const LOG_PATTERNS: Array<[string, RegExp]> = [
  ['ffmpeg exits', /ffmpeg ended after/],
  ['stalls', /no video for/],
  ['unclosed segments', /ended without closing/],
  ['clock re-syncs', /wall clock re-synced/],
  ['probe failures', /could not be probed/],
  ['index write failures', /index write failed/],
  ['retention deletions', /\[retention\].*deleted/],
];

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function main(ctx: BenchContext): Promise<BenchOutcome> {
  const { note, defer } = ctx;
  const n = flags.cameras;
  const seconds = flags.seconds;
  const segmentSeconds = flags['segment-seconds'];
  const tck = clockTicksPerSecond();
  const cpuCount = os.cpus().length;
  note(`${n} cameras, ${seconds} s window, ${segmentSeconds} s segments, ${cpuCount} cores, load average ${loadAverage()}, CLK_TCK ${tck}`);

  // ---------------------------------------------------------------- sources
  const clip = await ensureClip(CLIP);
  note(`clip ${path.basename(clip)}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-bench-record-'));
  defer('remove temp dir', () => (flags.keep === 'yes' ? note(`kept ${tmp}`) : fs.rmSync(tmp, { recursive: true, force: true })), 120_000);
  const rtsp = await startRtspServer({ count: n, clip, readyTimeoutMs: 60_000 });
  defer('stop RTSP server', () => rtsp.stop());
  note(`RTSP server pid ${rtsp.pid} on port ${rtsp.port} serving /cam1 .. /cam${n}`);

  // ---------------------------------------------------------------- back end
  const config = loadConfig({ dataDir: tmp, env: {}, overrides: { port: 0, rtmpPort: 0, sipPort: 0 } });
  const recordingsDir = config.recordingsDir;
  fs.mkdirSync(recordingsDir, { recursive: true });
  // Retention would delete recordings (and falsify bytes and gaps) if the volume ran short of minFreeBytes.
  const needBytes = n * (((CLIP.bitrateKbps + 200) * 1000) / 8) * (seconds + flags['warmup-seconds'] + 3 * segmentSeconds + 60);
  const freeBytes = fs.statfsSync(tmp).bavail * fs.statfsSync(tmp).bsize;
  if (freeBytes - needBytes < config.minFreeBytes + 512 * MB)
    throw new Error(
      `not enough free space in ${os.tmpdir()}: ${fmtBytes(freeBytes)} free, the run needs ~${fmtBytes(needBytes)} plus the ${fmtBytes(config.minFreeBytes)} retention keeps free`,
    );

  const logs: LogStats = { lines: [], counts: Object.fromEntries(LOG_PATTERNS.map(([k]) => [k, 0])) };
  const log = (line: string) => {
    logs.lines.push(line);
    if (logs.lines.length > 400) logs.lines.shift();
    for (const [k, re] of LOG_PATTERNS) if (re.test(line)) logs.counts[k]++;
    if (flags.verbose) process.stderr.write(`[server] ${line}\n`);
  };
  let backend: Backend | null = null;
  // Registered before backend.close so it runs after it: no recorder may outlive the benchmark.
  defer('stop leftover recorders', async () => {
    const left = await killOrphanRecorders(recordingsDir, 3000);
    if (left.length > 0) throw new Error(`${left.length} recording ffmpeg process(es) were still running after shutdown`);
  });
  defer(
    'close back end',
    async () => {
      await backend?.close();
    },
    60_000,
  );
  const dumpLog = () => {
    if (!flags.verbose && logs.lines.length > 0)
      note(
        `last server log lines:\n${logs.lines
          .slice(-40)
          .map((l) => `  ${l}`)
          .join('\n')}`,
      );
  };
  try {
    backend = await startBackend(config, { env: { ...process.env, ARGUS_ADMIN_PASSWORD: ADMIN_PASSWORD }, log });
    note(`back end listening on ${backend.url}`);
    const api = await login(backend.url, 'admin', ADMIN_PASSWORD);

    const createT0 = performance.now();
    const cameras: Camera[] = [];
    for (let i = 1; i <= n; i++) {
      cameras.push(
        await api.call<Camera>('POST', '/api/v1/cameras', {
          name: `Bench camera ${i}`,
          url: rtsp.url(`cam${i}`),
          transport: flags.transport,
          segmentSeconds,
        }),
      );
    }
    note(`created ${n} cameras through the API in ${((performance.now() - createT0) / 1000).toFixed(1)} s; waiting until all are recording`);

    // ---------------------------------------------------------------- wait for 'recording'
    const waitDeadline = Date.now() + 60_000 + n * 1_000;
    for (;;) {
      const list = await api.call<Camera[]>('GET', '/api/v1/cameras');
      const notYet = list.filter((c) => c.status.state !== 'recording');
      if (notYet.length === 0) break;
      if (Date.now() > waitDeadline) {
        throw new Error(
          `${notYet.length} of ${n} cameras are not recording after ${Math.round((Date.now() - waitDeadline) / 1000) + 60 + n} s: ` +
            notYet
              .slice(0, 5)
              .map((c) => `${c.name}: ${c.status.state}${c.status.lastError ? ` (${c.status.lastError})` : ''}`)
              .join('; '),
        );
      }
      await sleep(500);
    }
    const recordingT = performance.now();
    note(`all ${n} cameras recording ${((recordingT - createT0) / 1000).toFixed(1)} s after the first was created`);
    await sleep(flags['warmup-seconds'] * 1000);

    // ---------------------------------------------------------------- measured window
    const pidOfCamera = (): Map<number, number> => {
      const map = new Map<number, number>();
      for (const p of findRecorderProcesses(recordingsDir)) {
        const out = p.cmdline.find((a) => a.startsWith(recordingsDir + '/') && a.endsWith('.ts'));
        const id = Number(path.relative(recordingsDir, out!).split(path.sep)[0]);
        if (map.has(id)) throw new Error(`camera ${id} has two recording processes (${map.get(id)} and ${p.pid}): invariant 1 broken`);
        map.set(id, p.pid);
      }
      return map;
    };
    const pids0 = pidOfCamera();
    for (const c of cameras) if (!pids0.has(c.id)) throw new Error(`no recording ffmpeg found for ${c.name} (id ${c.id}) under ${recordingsDir}`);
    const s0 = new Map<number, ProcSample>();
    for (const [id, pid] of pids0) {
      const s = sampleProcess(pid);
      if (!s) throw new Error(`recorder of camera ${id} (pid ${pid}) vanished`);
      s0.set(id, s);
    }
    const profiler = flags['cpu-profile'] ? await startCpuProfile(path.resolve(flags['cpu-profile'])) : null;
    const self0 = sampleProcess(process.pid)!;
    const rtsp0 = sampleProcess(rtsp.pid);
    const machine0: MachineCpu = sampleMachineCpu();
    const server0 = process.cpuUsage();
    const usage0 = dirUsage(recordingsDir);
    const counts0 = { ...logs.counts };
    const wall0 = Date.now();
    const t0 = performance.now();
    note(`measuring for ${seconds} s ...`);

    const rssPeak = new Map<number, number>();
    const notRecordingSeen = new Map<number, number>();
    const latest = new Map<number, ProcSample>(s0);
    const restarted = new Set<number>();
    const sampleAll = () => {
      for (const c of cameras) {
        const first = s0.get(c.id)!;
        const s = sampleProcess(first.pid);
        if (!s || s.startTicks !== first.startTicks || s.state === 'Z') {
          restarted.add(c.id);
          continue;
        }
        latest.set(c.id, s);
        rssPeak.set(c.id, Math.max(rssPeak.get(c.id) ?? 0, s.rssBytes));
        if (backend!.recording.status(c.id).state !== 'recording') notRecordingSeen.set(c.id, (notRecordingSeen.get(c.id) ?? 0) + 1);
      }
    };
    sampleAll();
    const endAt = t0 + seconds * 1000;
    let lastProgress = t0;
    while (performance.now() < endAt) {
      await sleep(Math.min(flags['sample-seconds'] * 1000, Math.max(0, endAt - performance.now())));
      sampleAll();
      if (performance.now() - lastProgress >= 60_000) {
        lastProgress = performance.now();
        note(`${Math.round((lastProgress - t0) / 1000)} / ${seconds} s`);
      }
    }
    const elapsedS = (performance.now() - t0) / 1000;
    const server1 = process.cpuUsage(server0);
    const machine1 = sampleMachineCpu();
    const self1 = sampleProcess(process.pid)!;
    const rtsp1 = sampleProcess(rtsp.pid);
    const usage1 = dirUsage(recordingsDir);
    const wall1 = Date.now();
    const profileSummary = profiler ? await profiler.stop() : null;
    const pids1 = pidOfCamera();
    for (const c of cameras) if (pids1.get(c.id) !== pids0.get(c.id)) restarted.add(c.id);
    const events: Record<string, number> = {};
    for (const k of Object.keys(logs.counts)) events[k] = logs.counts[k] - counts0[k];
    note(`window done (${elapsedS.toFixed(1)} s); stopping the back end`);

    // ---------------------------------------------------------------- clean shutdown, then the index
    const closeT0 = performance.now();
    await backend.close();
    const shutdownS = (performance.now() - closeT0) / 1000;
    const leftovers = findRecorderProcesses(recordingsDir);
    if (leftovers.length > 0) throw new Error(`${leftovers.length} recording ffmpeg process(es) still running after backend.close()`);
    await rtsp.stop();

    const store = await openSqliteStore(config.dbFile, { log });
    const perCamera: CameraFigures[] = [];
    try {
      for (const c of cameras) {
        const rows = await store.segments.listRange(c.id, wall0 - 3_600_000, Date.now() + 3_600_000, 100_000);
        const s0c = s0.get(c.id)!;
        const s1c = latest.get(c.id)!;
        perCamera.push({
          id: c.id,
          name: c.name,
          pid: s0c.pid,
          // Of a restarted recorder only the first process's share is known: its figure is a lower bound.
          cpuPct: ((s1c.cpuS - s0c.cpuS) / elapsedS) * 100,
          sysPct: ((s1c.sysS - s0c.sysS) / elapsedS) * 100,
          rssMb: s1c.rssBytes / MB,
          rssPeakMb: (rssPeak.get(c.id) ?? s1c.rssBytes) / MB,
          bytesPerS: ((usage1.bySubdir.get(String(c.id)) ?? 0) - (usage0.bySubdir.get(String(c.id)) ?? 0)) / elapsedS,
          restarted: restarted.has(c.id),
          gaps: analyzeGaps(rows),
          uncoveredWindowMs: uncoveredMs(rows, wall0, wall1),
          writingRows: rows.filter((r) => r.state === 'writing').length,
          recoveredRows: rows.filter((r) => r.recovered).length,
        });
      }
    } finally {
      await store.close();
    }
    // The recordings are no longer needed: free the disk before the index benchmark.
    if (flags.keep !== 'yes') fs.rmSync(recordingsDir, { recursive: true, force: true });

    const index = await runIndexBench({
      dir: path.join(tmp, 'index'),
      cameras: flags['index-cameras'],
      days: flags['index-days'],
      batchRows: flags['index-batch'],
      queries: flags['index-queries'],
      warmup: 5,
      note,
    });

    return {
      report: recordReport({
        flags,
        n,
        seconds,
        segmentSeconds,
        clipName: path.basename(clip),
        perCamera,
        notRecordingSeen,
        restarted,
        elapsedS,
        createT0,
        recordingT,
        server1,
        self0,
        self1,
        rtsp0,
        rtsp1,
        machine0,
        machine1,
        usage0,
        usage1,
        shutdownS,
        events,
        profileSummary,
        index,
      }),
    };
  } catch (e) {
    dumpLog();
    throw e;
  }
}

runBench(NAME, TIME_LIMIT_MS, main);
