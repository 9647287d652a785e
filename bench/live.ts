// Live video benchmark: time to first frame, source-to-browser latency and a full wall soak, through the real server, hub and console.
//
//   npm run bench:live -- [--tiles 16] [--seconds 60] [--drops 20] [--latency-seconds 20] [--latency-connects 5] [--idle-seconds 10] [--verbose]
//
// The server runs as its own process (`node --import tsx main/server/cli.ts`, as an operator starts it), so its CPU
// (getrusage of that process, read from /proc: the same figure process.cpuUsage() gives inside it) is not mixed with
// this process, which drives headless Chromium (playwright-core) and receives its DevTools traffic. Sources:
//   - cameras: one GStreamer RTSP server looping a pre-encoded 640x360 25 fps H.264 (+AAC) clip on --tiles mounts,
//     added through the API; each is recorded (stream copy) and relayed into the hub by its recorder. They have no sub
//     stream, so tiles that ask for `sub` are served `main` (X-Argus-Stream: main);
//   - a mobile unit, created through the API, published by ffmpeg over RTMP with its stream key: a live x264 source
//     (ultrafast, zerolatency, keyint 25, 640x360 25 fps) whose pixels carry its stream time (bench/lib/timecode.ts).
// Phases, all in one Chromium page of the built console:
//   1. idle: signed in, wall empty, every source live: CPU baseline;
//   2. time to first frame: --drops drags of a camera from the device tree onto tile 1 of the 4-wall, the tile closed
//      between drops; drop event -> first frame presented (requestVideoFrameCallback);
//   3. latency on the 1-wall (main stream): the unit on the only tile; every presented frame is drawn to a canvas and
//      its time code read: latency = Date.now() - (T0 + t), T0 calibrated from ffmpeg's progress reports. A viewer
//      starts at the hub's cached keyframe, so its delay depends on where in the GOP it joined: the --latency-seconds
//      are spread over --latency-connects connections (tile closed, unit dropped again);
//   4. soak: --tiles cameras on the smallest wall that holds them (16 -> 4x4) for --seconds: reconnects, `waiting`
//      events, freezes, dropped and decoded frames, CPU of the server, the recorders and Chromium;
//   5. latency on that wall, the same way: the unit replaces the last camera, the others keep playing.
//   6. field-shaped sources, added only now so that phases 1-5 stay comparable with earlier runs: a camera without
//      audio (most CCTV cameras; FIELD_SHAPES 'h264-silent' on a second RTSP server) and a unit sending B-frames
//      ('h264-bframes', ffmpeg stream copy over RTMP): time to first frame, --shape-drops drops each on the 4-wall;
//      then a silent time-code unit (no audio track) for the latency on the 1-wall.
// The last line of stdout is the machine-readable RESULT line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Camera, UnitKey } from '../common/api';
import { killOrphanRecorders } from '../media/orphans';
import { buildRenderer } from '../scripts/build-renderer';
import { launchBrowser } from '../test/harness';
import { ensureClip } from '../test/helpers/clips';
import { startRtspServer } from '../test/helpers/rtsp-server';
import { ADMIN_PASSWORD, startServerProcess, type ServerProcess } from '../test/harness';
import { parseFlags, UsageError } from './lib/args';
import { login } from './lib/http';
import { runBench, type BenchContext, type BenchOutcome } from './lib/lifecycle';
import { cpuWindow, sampleCpu, type CpuSample } from './lib/live-cpu';
import {
  analyzeWaiting,
  armFirstFrame,
  countersDelta,
  installLiveProbe,
  mediaEvents,
  pollPage,
  startLatency,
  stopLatency,
  tileCounters,
  waitFirstFrame,
  type FirstFrame,
  type LatencySamples,
} from './lib/live-page';
import { liveReport, type DropResult, type LatencyConnection, type LatencyResult } from './lib/live-report';
import { measureShapes } from './lib/live-shapes';
import { waitLive } from './lib/live-wait';
import { loadAverage } from './lib/proc';
import { fmt, median, percentile, sum } from './lib/stats';
import { startTimecodePublisher, type TimecodePublisher } from './lib/timecode';

const NAME = 'bench:live';
const CLIP = { width: 640, height: 360, fps: 25, seconds: 10, bitrateKbps: 800, audio: true } as const;
const UNIT_KBPS = 800;
/** GOP of the cameras' clip and of the unit (a keyframe every 25 frames at 25 fps). */
const GOP_MS = 1000;

let flags: ReturnType<typeof parse>;
function parse() {
  return parseFlags('npm run bench:live -- [--tiles N] [--seconds S] [--drops K] [options]', {
    tiles: { default: 16, min: 1, description: 'cameras on the wall during the soak (1..16; the smallest layout of 1, 4, 9, 16 that holds them)' },
    seconds: { default: 60, min: 1, description: 'length of the soak with every tile playing, seconds' },
    drops: { default: 20, min: 1, description: 'camera drops onto a tile for the time-to-first-frame figures' },
    'latency-seconds': { default: 20, min: 1, description: 'sampled seconds of each latency measurement (1-wall, then the full wall)' },
    'latency-connects': { default: 5, min: 1, description: 'connections per latency measurement (the tile is closed and the unit dropped again)' },
    'idle-seconds': { default: 10, min: 1, description: 'CPU baseline with every source live and the wall empty, seconds' },
    'shape-drops': { default: 10, min: 1, description: 'drops of each field-shaped source (silent camera, B-frames unit) for their time to first frame' },
    'warmup-seconds': { default: 2, min: 0, description: 'wait after tiles start playing, before a measured window' },
    keep: { default: '', description: 'set to "yes" to keep the temp dir (server data, console build) for inspection' },
  });
}
try {
  flags = parse();
  if (flags.tiles > 16) throw new UsageError(`--tiles: at most 16 (the largest wall), got ${flags.tiles}`);
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(2);
}

const TIME_LIMIT_MS =
  (300 +
    (flags.drops + 2 * flags['shape-drops']) * 20 +
    3 * (flags['latency-seconds'] + flags['latency-connects'] * (flags['warmup-seconds'] + 15) + 45) +
    flags['idle-seconds'] +
    flags.seconds +
    flags.tiles * 6 +
    120) *
  1000;

/** Set once the measurements are done (or failed): the publisher's exit is then expected. */
let stopping = false;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function wallFor(tiles: number): '1' | '4' | '9' | '16' {
  return tiles <= 1 ? '1' : tiles <= 4 ? '4' : tiles <= 9 ? '9' : '16';
}

// ------------------------------------------------------------------ the run

async function main(ctx: BenchContext): Promise<BenchOutcome> {
  const { note, defer } = ctx;
  const tiles = flags.tiles;
  const wall = wallFor(tiles);
  const warmupMs = flags['warmup-seconds'] * 1000;
  note(
    `${tiles} tiles (${wall}-wall), soak ${flags.seconds} s, ${flags.drops} drops, latency ${flags['latency-seconds']} s x 2; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load average ${loadAverage()}`,
  );
  const loadAtStart = loadAverage();

  // ---------------------------------------------------------------- sources, console, server
  const clip = await ensureClip(CLIP);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-bench-live-'));
  defer('remove temp dir', () => (flags.keep === 'yes' ? note(`kept ${tmp}`) : fs.rmSync(tmp, { recursive: true, force: true })), 60_000);
  const rtsp = await startRtspServer({ count: tiles, clip, readyTimeoutMs: 60_000 });
  defer('stop RTSP server', () => rtsp.stop());
  note(`RTSP server pid ${rtsp.pid} serving /cam1 .. /cam${tiles} (${path.basename(clip)})`);
  const build = await buildRenderer(path.join(tmp, 'console'));
  note(`console built in ${build.durationMs} ms`);

  const dataDir = path.join(tmp, 'data');
  const recordingsDir = path.join(dataDir, 'recordings');
  let server: ServerProcess | null = null;
  defer('stop leftover recorders', async () => {
    const left = await killOrphanRecorders(recordingsDir, 3000);
    if (left.length > 0) throw new Error(`${left.length} recording ffmpeg process(es) were still running after the server stopped`);
  });
  defer(
    'stop server',
    async () => {
      if (!server) return;
      const code = await server.stop(30_000);
      if (code !== 0) note(`server exited with ${code}`);
    },
    45_000,
  );
  server = await startServerProcess(dataDir, { env: { ARGUS_CONSOLE_DIR: build.outDir, ARGUS_ADMIN_PASSWORD: ADMIN_PASSWORD } });
  const srv = server;
  if (flags.verbose) {
    let shown = 0;
    const timer = setInterval(() => {
      while (shown < srv.logs.length) process.stderr.write(`[server] ${srv.logs[shown++]}\n`);
    }, 200);
    defer('stop log echo', () => clearInterval(timer));
  }
  const dumpLog = () =>
    note(
      `last server log lines:\n${srv.logs
        .slice(-40)
        .map((l) => `  ${l}`)
        .join('\n')}`,
    );
  note(`server pid ${srv.proc.pid} on ${srv.base}`);

  let publisher: TimecodePublisher | null = null;
  defer('stop time-code publisher', async () => publisher?.stop());
  try {
    const api = await login(srv.base, 'admin', ADMIN_PASSWORD);
    const cameras: Camera[] = [];
    for (let i = 1; i <= tiles; i++) {
      cameras.push(await api.call<Camera>('POST', '/api/v1/cameras', { name: `Cam ${String(i).padStart(2, '0')}`, url: rtsp.url(`cam${i}`) }));
    }
    const unit = await api.call<UnitKey>('POST', '/api/v1/units', { callsign: 'Bench 1', type: 'vehicle' });
    const unitId = unit.unit.id;
    publisher = startTimecodePublisher(unit.publishUrl, { fps: 25, bitrateKbps: UNIT_KBPS, audio: true });
    const pub = publisher;
    void pub.exited.then((code) => {
      if (!stopping) note(`time-code publisher exited (${code}): ${pub.stderr().trim().slice(-500)}`);
    });
    note(`${tiles} cameras and unit ${unitId} created; time-code publisher pid ${pub.pid}; waiting until every stream is live in the hub`);
    const readyT0 = Date.now();
    await waitLive(api, srv.base, [...cameras.map((c) => c.id), unitId], 60_000 + tiles * 2_000);
    note(`all ${tiles + 1} streams live ${((Date.now() - readyT0) / 1000).toFixed(1)} s after creation`);

    // ---------------------------------------------------------------- Chromium
    const browser = await launchBrowser();
    defer('close Chromium', () => browser.close());
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1600, height: 900 } });
    await installLiveProbe(context);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const playerLines: Array<{ atMs: number; text: string }> = [];
    const pageErrors: string[] = [];
    page.on('console', (m) => {
      const text = m.text();
      if (text.includes('[player')) playerLines.push({ atMs: Date.now(), text });
      if (flags.verbose) process.stderr.write(`[page] ${text}\n`);
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));

    await page.goto(srv.base);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.stream-indicator[data-state=open]').waitFor();
    await page.getByRole('tab', { name: 'Live' }).click();
    await page.locator('[data-testid=video-wall]').waitFor();
    for (const c of cameras) await page.locator(`.tree-camera[data-camera-id="${c.id}"][data-state=recording]`).waitFor({ timeout: 60_000 });
    await page.locator(`.tree-unit[data-unit-id="${unitId}"][data-state=online]`).waitFor({ timeout: 30_000 });

    const sample = (): CpuSample => sampleCpu({ server: srv.proc.pid!, rtsp: rtsp.pid, publisher: pub.pid });

    // ---------------------------------------------------------------- 1. idle baseline
    note(`idle baseline for ${flags['idle-seconds']} s (wall empty, ${tiles + 1} sources live)`);
    const idle0 = sample();
    await sleep(flags['idle-seconds'] * 1000);
    const idle = cpuWindow(idle0, sample());

    // ---------------------------------------------------------------- 2. time to first frame
    const tile = (i: number) => page.locator(`.tile[data-tile-index="${i}"]`);
    const setLayout = async (l: string) => {
      await page.locator(`.layout-buttons button[data-layout="${l}"]`).click();
      await page.locator(`[data-testid=video-wall][data-layout="${l}"]`).waitFor();
    };
    const clearTile = async (i: number) => {
      await tile(i).hover();
      await tile(i).getByRole('button', { name: 'Close tile' }).click();
      await tile(i).and(page.locator('[data-state=idle]')).waitFor();
      await pollPage(page, `!document.querySelector('.tile[data-tile-index="${i}"] video').src`, 10_000);
    };
    /** `count` drops of sources from the tree onto tile 1 of the 4-wall (closed in between): drop -> first frame. */
    const measureDrops = async (count: number, sourceAt: (k: number) => { id: number; tree: string }, gopMs: number): Promise<DropResult[]> => {
      const out: DropResult[] = [];
      for (let k = 0; k < count; k++) {
        const src = sourceAt(k);
        await sleep(Math.random() * gopMs); // a random point of the source's GOP
        await armFirstFrame(page, 0);
        await page.dragAndDrop(src.tree, '.tile[data-tile-index="0"]');
        let ff: FirstFrame;
        try {
          ff = await waitFirstFrame(page, 30_000);
        } catch (e) {
          throw new Error(`drop ${k + 1} (source ${src.id}): no frame presented within 30 s (${(e as Error).message.split('\n')[0]})`, { cause: e });
        }
        if (ff.dropMs === null || ff.frameMs === null) throw new Error(`drop ${k + 1}: the drop event was not seen on tile 1`);
        await tile(0).and(page.locator('[data-state=playing]')).waitFor({ timeout: 30_000 });
        const playerMs = await tile(0).getAttribute('data-first-frame-ms');
        out.push({
          n: k + 1,
          cameraId: src.id,
          ff,
          firstFrameMs: ff.frameMs - ff.dropMs,
          playerMs: playerMs === null ? null : Number(playerMs),
          servedStream: await tile(0).getAttribute('data-served-stream'),
        });
        await clearTile(0);
        await sleep(300);
      }
      return out;
    };
    await setLayout('4');
    note(`time to first frame: ${flags.drops} drops onto tile 1 of the 4-wall`);
    const drops = await measureDrops(
      flags.drops,
      (k) => ({ id: cameras[k % cameras.length].id, tree: `.tree-camera[data-camera-id="${cameras[k % cameras.length].id}"]` }),
      GOP_MS,
    );
    const firstFrameMs = drops.map((d) => d.firstFrameMs);
    note(`first frame p50 ${fmt(median(firstFrameMs), 0)} ms, p95 ${fmt(percentile(firstFrameMs, 95), 0)} ms`);

    // ---------------------------------------------------------------- 3. latency on the 1-wall
    // The unit is dropped onto tile i `connects` times (the tile closed in between): a viewer starts at the keyframe the
    // hub has cached, so its delay depends on where in the 1 s GOP it connected; one connection is one draw of that.
    const connects = flags['latency-connects'];
    const measureLatency = async (
      label: string,
      i: number,
      tilesOnWall: number,
      src: { unitId: number; pub: TimecodePublisher } = { unitId, pub },
    ): Promise<LatencyResult> => {
      const { unitId: latUnit, pub: latPub } = src;
      const perConnectMs = (flags['latency-seconds'] * 1000) / connects;
      const c0 = await tileCounters(page);
      const cpu0 = sample();
      const raws: LatencySamples[] = [];
      for (let c = 0; c < connects; c++) {
        if (c > 0) {
          await clearTile(i);
          await sleep(300);
        }
        // A random point of the 1 s GOP: otherwise connections made a whole number of seconds apart join at the same phase.
        await sleep(Math.random() * GOP_MS);
        await page.dragAndDrop(`.tree-unit[data-unit-id="${latUnit}"]`, `.tile[data-tile-index="${i}"]`);
        await tile(i).and(page.locator('[data-state=playing]')).waitFor({ timeout: 30_000 });
        await sleep(warmupMs);
        await startLatency(page, i);
        await sleep(perConnectMs);
        raws.push(await stopLatency(page));
      }
      const cpu = cpuWindow(cpu0, sample());
      const counters = countersDelta(c0, await tileCounters(page), tilesOnWall);
      const t0 = latPub.t0Ms();
      if (t0 === null) throw new Error(`time-code publisher sent no progress report (stderr: ${latPub.stderr().trim().slice(-300)})`);
      const connections = raws.map((raw, c): LatencyConnection => {
        if (raw.samples.length < 10)
          throw new Error(
            `${label}, connection ${c + 1}: only ${raw.samples.length} frames with a readable time code (rejected: ${JSON.stringify(raw.rejected)}, ${raw.callbacks} frame callbacks, video ${raw.videoSize})`,
          );
        const first = raw.samples[0];
        const last = raw.samples[raw.samples.length - 1];
        const rate = (last[1] - first[1]) / 100 / ((last[0] - first[0]) / 1000);
        // A frame cannot be shown before it was made: a clearly negative latency means a misread time code or a wrong T0.
        const early = raw.samples.filter(([at, v]) => at - (t0 + v * 10) < -100);
        if (early.length > 0)
          throw new Error(
            `${label}, connection ${c + 1}: ${early.length} frames shown before they were sent (e.g. value ${early[0][1]} at ${early[0][0] - t0} ms after T0): time code misread or T0 wrong`,
          );
        return {
          raw,
          latencyMs: raw.samples.map(([at, v]) => at - (t0 + v * 10)),
          presentedLatencyMs: raw.samples.map(([, v, presented]) => presented - (t0 + v * 10)),
          rate,
          windowS: (last[0] - first[0]) / 1000,
        };
      });
      return {
        label,
        tile: i,
        connections,
        t0Ms: t0,
        t0AfterSpawnMs: t0 - latPub.spawnMs,
        latencyMs: connections.flatMap((c) => c.latencyMs),
        presentedLatencyMs: connections.flatMap((c) => c.presentedLatencyMs),
        bufferS: connections.flatMap((c) => c.raw.bufferS),
        frames: sum(connections.map((c) => c.raw.samples.length)),
        windowS: sum(connections.map((c) => c.windowS)),
        counters,
        cpu,
      };
    };
    await setLayout('1');
    note(`latency on the 1-wall (main stream) for ${flags['latency-seconds']} s`);
    const lat1 = await measureLatency('1-wall, main stream', 0, 1);
    note(`latency p50 ${fmt(median(lat1.latencyMs), 0)} ms, p95 ${fmt(percentile(lat1.latencyMs, 95), 0)} ms`);
    await clearTile(0);

    // ---------------------------------------------------------------- 4. soak
    await setLayout(wall);
    await tile(0).click();
    const fillT0 = Date.now();
    for (const c of cameras) await page.locator(`.tree-camera[data-camera-id="${c.id}"]`).dblclick();
    const fillDeadline = Date.now() + 60_000 + tiles * 3_000;
    for (;;) {
      const playing = await page.locator('.tile[data-state=playing]').count();
      if (playing >= tiles) break;
      if (Date.now() > fillDeadline)
        throw new Error(`only ${playing} of ${tiles} tiles playing ${Math.round((Date.now() - fillT0) / 1000)} s after filling the wall`);
      await sleep(200);
    }
    const fillS = (Date.now() - fillT0) / 1000;
    note(`${tiles} tiles playing ${fmt(fillS, 1)} s after the first double-click; soak for ${flags.seconds} s`);
    await sleep(warmupMs);
    const soakC0 = await tileCounters(page);
    const soakStartMs = Date.now();
    const soakCpu0 = sample();
    const soakLog0 = srv.logs.length;
    const soakPlayer0 = playerLines.length;
    const soakEnd = Date.now() + flags.seconds * 1000;
    while (Date.now() < soakEnd) {
      await sleep(Math.min(15_000, soakEnd - Date.now()));
      if (Date.now() < soakEnd) note(`${Math.round(flags.seconds - (soakEnd - Date.now()) / 1000)} / ${flags.seconds} s`);
    }
    const soakCpu = cpuWindow(soakCpu0, sample());
    const soak = countersDelta(soakC0, await tileCounters(page), tiles);
    const soakEndMs = Date.now();
    const soakWaiting = analyzeWaiting(await mediaEvents(page, fillT0), tiles, soakStartMs, soakEndMs);
    const soakPlaying = await page.locator('.tile[data-state=playing]').count();
    const soakServerLines = srv.logs.slice(soakLog0);
    const soakPlayerLines = playerLines.slice(soakPlayer0);

    // ---------------------------------------------------------------- 5. latency on the full wall
    note(`latency on the ${wall}-wall (the unit replaces camera ${cameras[tiles - 1].id} on tile ${tiles}) for ${flags['latency-seconds']} s`);
    const latW = await measureLatency(`${wall}-wall, tile ${tiles}, ${tiles - 1} cameras playing`, tiles - 1, tiles);
    note(`latency p50 ${fmt(median(latW.latencyMs), 0)} ms, p95 ${fmt(percentile(latW.latencyMs, 95), 0)} ms`);

    const publisherFrames = pub.framesSent();
    const publisherReports = pub.reports();

    // ---------------------------------------------------------------- 6. field-shaped sources
    const shapes = await measureShapes({
      api,
      base: srv.base,
      note,
      defer,
      page,
      setLayout,
      clearTile,
      tile,
      measureDrops,
      measureLatency,
      waitLive,
      shapeDrops: flags['shape-drops'],
    });
    stopping = true;

    return {
      report: liveReport({
        flags,
        tiles,
        wall,
        clipKbps: CLIP.bitrateKbps,
        unitKbps: UNIT_KBPS,
        cameras,
        drops,
        firstFrameMs,
        lat1,
        latW,
        connects,
        publisherFrames,
        publisherReports,
        idle,
        soakCpu,
        soak,
        soakWaiting,
        soakPlaying,
        fillS,
        soakServerLines,
        soakPlayerLines,
        pageErrors,
        serverPid: srv.proc.pid,
        loadAtStart,
        shapes,
      }),
    };
  } catch (e) {
    stopping = true;
    dumpLog();
    throw e;
  }
}

runBench(NAME, TIME_LIMIT_MS, main);
