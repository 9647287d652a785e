// `npm run bench:playback`: timeline query over 30 days x 64 cameras of segment rows, seek-to-frame in Chromium through the real console, and a 1 h 1080p stream-copy export.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Case, ExportJob } from '../common/investigation';
import { loadConfig } from '../main/config';
import { AuditLog } from '../main/services/audit-log';
import type { FeatureContext } from '../main/services/features';
import { InvestigationService } from '../main/services/investigation/service';
import { buildRenderer } from '../scripts/build-renderer';
import type { NewSegment } from '../storage/repositories';
import { openSqliteStore } from '../storage/sqlite/index';
import { launchBrowser } from '../test/harness';
import { BAR_BITS, FPS, indexSegments, makeSegments, segmentRow } from '../test/e2e/investigation-fixtures';
import { ADMIN_PASSWORD, startInvServer, until } from '../test/e2e/investigation-server';
import { parseFlags } from './lib/args';
import { loadAverage } from './lib/proc';
import { fmt, median, percentile } from './lib/stats';
import { createFfmpegLauncher } from '../media/ffmpeg-launcher';

const flags = parseFlags('npm run bench:playback -- [flags]', {
  cameras: { default: 64, description: 'cameras with segment rows', min: 1 },
  days: { default: 30, description: 'days of 60 s segment rows per camera', min: 1 },
  seeks: { default: 20, description: 'timeline seeks measured in Chromium', min: 1 },
  'export-minutes': { default: 60, description: 'minutes of 1080p 4 Mbit/s exported by stream copy', min: 1 },
});

const DAY = 86_400_000;
const noop = () => undefined;

async function timelineBench(dir: string): Promise<{ medianMs: number; coldMs: number; rows: number }> {
  const store = await openSqliteStore(path.join(dir, 'timeline.db'), { log: noop });
  try {
    const end = Math.floor(Date.now() / 60_000) * 60_000;
    const start = end - flags.days * DAY;
    const perCam = flags.days * 1440;
    const t0 = Date.now();
    for (let cam = 1; cam <= flags.cameras; cam++) {
      const rows: NewSegment[] = [];
      for (let i = 0; i < perCam; i++) {
        // A 2-minute gap every 6 hours, so the timeline has ranges to merge and gaps to show.
        if (i % 360 === 359) continue;
        const s = start + i * 60_000;
        rows.push({
          cameraId: cam,
          relPath: `${cam}/${s}.ts`,
          startMs: s,
          endMs: s + 60_000,
          durationMs: 60_000,
          sizeBytes: 30_000_000,
          videoCodec: 'h264',
          audioCodec: 'aac',
          width: 1920,
          height: 1080,
          fps: 25,
          state: 'closed',
          protected: false,
          recovered: false,
        });
      }
      await store.segments.insertMany(rows);
    }
    console.log(`index: ${flags.cameras} cameras x ${flags.days} days = ${flags.cameras * perCam} rows written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const ctx = {
      config: loadConfig({ dataDir: dir, env: {} }),
      store,
      log: noop,
      now: Date.now,
      publish: noop,
      onServerEvent: () => noop,
      audit: new AuditLog(store, Date.now),
      ffmpeg: createFfmpegLauncher({ ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' }),
    } as unknown as FeatureContext;
    const places = { unitsNear: async () => [], camerasNear: async () => [], track: async () => [] };
    const svc = new InvestigationService(ctx, places, { exportsDir: path.join(dir, 'x'), snapshotsDir: path.join(dir, 's') });
    const cam = Math.ceil(flags.cameras / 2);
    const times: number[] = [];
    let ranges = 0;
    for (let i = 0; i < 15; i++) {
      const a = performance.now();
      const tl = await svc.timeline(cam, start, end, null);
      times.push(performance.now() - a);
      ranges = tl.ranges.length;
    }
    console.log(`timeline: camera ${cam}, ${flags.days} days → ${ranges} recorded ranges; runs (ms): ${times.map((t) => t.toFixed(1)).join(' ')}`);
    return { medianMs: median(times.slice(1)), coldMs: times[0]!, rows: flags.cameras * perCam };
  } finally {
    await store.close();
  }
}

async function seekAndExportBench(dir: string): Promise<{ seekP50: number; seekP95: number; exportS: number; exportX: number }> {
  const build = await buildRenderer(path.join(dir, 'console'));
  const srv = await startInvServer(path.join(dir, 'data'), {}, build.outDir);
  const browser = await launchBrowser();
  try {
    const mk = (name: string) =>
      srv.backend.store.cameras.create(
        {
          name,
          url: 'rtsp://127.0.0.1:1/none',
          subUrl: null,
          username: null,
          password: null,
          transport: 'tcp',
          enabled: false,
          segmentSeconds: 60,
          retentionDays: 30,
          groupName: null,
          description: null,
        },
        Date.now(),
      );
    // ---- seek: 3 minutes of 640x360 in 60 s segments
    const cam = (await mk('Seek cam')).id;
    const t0 = Math.floor((Date.now() - 3 * 3_600_000) / 1000) * 1000;
    await indexSegments(
      srv.backend.store,
      cam,
      await makeSegments(srv.backend.config.recordingsDir, cam, t0, 3, 60, { width: 640, height: 360, bitrateKbps: 1000 }),
    );
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(srv.backend.url);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('tab', { name: 'Playback' }).click();
    await page.locator(`input[name=source-${cam}]`).check();
    await page.locator('input[name=goto]').fill(new Date(t0 + 90_000).toISOString().slice(0, 19));
    await page.getByRole('button', { name: 'Go to' }).click();
    for (let i = 0; i < 2; i++) await page.locator('button[name=zoom-in]').click(); // 1 h → 5 min
    const timeline = page.locator('.pb-timeline');
    await page.locator('.pb-range').first().waitFor();
    const seekMs: number[] = [];
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < flags.seeks + 1; i++) {
      const target = t0 + 5000 + rand() * 170_000;
      const viewStart = Number(await timeline.getAttribute('data-view-start'));
      const span = Number(await timeline.getAttribute('data-view-span'));
      const box = (await timeline.boundingBox())!;
      const before = Date.now();
      await page.mouse.click(box.x + ((target - viewStart) / span) * box.width, box.y + box.height - 8);
      const cursor = Number(await timeline.getAttribute('data-cursor-ms'));
      const expected = Math.floor((cursor - t0) / (1000 / FPS) + 1e-6);
      // A plain script string: tsx's helper names (__name) do not exist in the page.
      const at = (await page.evaluate(`new Promise((resolve, reject) => {
        const id = ${cam}, want = ${expected}, bits = ${BAR_BITS};
        const deadline = Date.now() + 20000;
        const c = document.createElement('canvas');
        function check() {
          const v = document.querySelector('.pb-tile[data-camera-id="' + id + '"] video');
          if (v && v.readyState >= 2 && !v.seeking && v.videoWidth > 0) {
            c.width = v.videoWidth;
            c.height = v.videoHeight;
            const g = c.getContext('2d', { willReadFrequently: true });
            g.drawImage(v, 0, 0);
            const row = g.getImageData(0, 80, c.width, 1).data;
            let n = 0;
            for (let b = 0; b < bits; b++) if (row[Math.round((b + 0.5) * (c.width / bits)) * 4] > 128) n |= 1 << b;
            if (Math.abs(n - want) <= 1) return resolve(Date.now());
          }
          if (Date.now() > deadline) return reject(new Error('frame ' + want + ' not shown'));
          requestAnimationFrame(check);
        }
        check();
      })`)) as number;
      if (i > 0) seekMs.push(at - before); // the first seek also loads the window
    }
    console.log(`seek: ${seekMs.length} seeks to the decoded frame (ms): ${seekMs.map((v) => v.toFixed(0)).join(' ')}`);
    await context.close();

    // ---- export: 1080p 4 Mbit/s, 60 s segments
    // 10 s of 1080p with temporal noise (so the encoder really spends 4 Mbit/s), looped to a 60 s MPEG-TS segment.
    const clip = path.join(dir, 'noisy-1080p.mp4');
    const g = spawnSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=1920x1080:rate=25:duration=10,noise=alls=30:allf=t',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=1000:sample_rate=16000:duration=10',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-bf',
      '0',
      '-g',
      '25',
      '-b:v',
      '4000k',
      '-minrate',
      '4000k',
      '-maxrate',
      '4000k',
      '-bufsize',
      '2000k',
      '-x264-params',
      'nal-hrd=cbr',
      '-c:a',
      'aac',
      '-b:a',
      '32k',
      '-t',
      '10',
      clip,
    ]);
    if (g.status !== 0) throw new Error(`cannot make the 1080p clip: ${g.stderr.toString()}`);
    const expCam = (await mk('Export cam')).id;
    const segDir = path.join(srv.backend.config.recordingsDir, String(expCam));
    fs.mkdirSync(segDir, { recursive: true });
    const minute = path.join(dir, 'minute.ts');
    const loopList = path.join(dir, 'loop.ffconcat');
    fs.writeFileSync(loopList, `ffconcat version 1.0\n${`file '${clip}'\n`.repeat(6)}`);
    const r = spawnSync('ffmpeg', ['-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', loopList, '-c', 'copy', '-f', 'mpegts', minute]);
    if (r.status !== 0) throw new Error(`cannot make the 1080p minute: ${r.stderr.toString()}`);
    const e0 = Date.now() - 6 * 3_600_000;
    const rows: NewSegment[] = [];
    for (let i = 0; i < flags['export-minutes']; i++) {
      const rel = `${expCam}/${e0}-${String(i).padStart(6, '0')}.ts`;
      fs.copyFileSync(minute, path.join(srv.backend.config.recordingsDir, ...rel.split('/')));
      rows.push(
        segmentRow(
          expCam,
          {
            file: path.join(srv.backend.config.recordingsDir, ...rel.split('/')),
            relPath: rel,
            startMs: e0 + i * 60_000,
            endMs: e0 + (i + 1) * 60_000,
            firstFrame: 0,
          },
          1920,
          1080,
        ),
      );
    }
    await srv.backend.store.segments.insertMany(rows);
    const totalBytes = rows.reduce((a, s) => a + s.sizeBytes, 0);
    console.log(
      `export source: ${rows.length} x 60 s segments of 1080p, ${(totalBytes / 1e6).toFixed(0)} MB (${((totalBytes * 8) / (rows.length * 60) / 1e6).toFixed(2)} Mbit/s)`,
    );
    const admin = await srv.token();
    const kase = (await srv.api<Case>('POST', '/api/v1/cases', admin, { reference: 'BENCH-1' })).body;
    const job = (
      await srv.api<ExportJob>('POST', '/api/v1/exports', admin, {
        caseId: kase.id,
        sources: [{ cameraId: expCam }],
        startMs: e0,
        endMs: e0 + rows.length * 60_000,
      })
    ).body;
    const done = await until(
      async () => {
        const j = (await srv.api<ExportJob>('GET', `/api/v1/exports/${job.id}`, admin)).body;
        return j.state === 'done' || j.state === 'failed' ? j : null;
      },
      3_600_000,
      'export',
    );
    if (done.state !== 'done') throw new Error(`export failed: ${done.error}`);
    const exportS = (done.finishedMs! - done.createdMs) / 1000;
    const mediaS = rows.length * 60;
    console.log(`export: ${mediaS} s of 1080p by stream copy (with SHA-256 of sources and outputs) in ${exportS.toFixed(2)} s`);
    return { seekP50: percentile(seekMs, 50), seekP95: percentile(seekMs, 95), exportS, exportX: mediaS / exportS };
  } finally {
    await browser.close();
    await srv.backend.close();
  }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-bench-playback-'));
  try {
    console.log(`bench:playback on ${os.cpus().length} CPUs, load ${loadAverage()}`);
    const tl = await timelineBench(dir);
    const se = await seekAndExportBench(dir);
    console.log('');
    console.log(
      `timeline (30 d of 1 camera among ${flags.cameras}, ${tl.rows} rows): median ${fmt(tl.medianMs, 1)} ms (cold ${fmt(tl.coldMs, 1)} ms); target <= 50 ms`,
    );
    console.log(`seek to decoded frame in Chromium: p50 ${fmt(se.seekP50, 0)} ms, p95 ${fmt(se.seekP95, 0)} ms; target p50 <= 300 ms`);
    console.log(`export ${flags['export-minutes']} min 1080p 4 Mbit/s stream copy: ${fmt(se.exportS, 2)} s = ${fmt(se.exportX, 1)}x real time; target >= 100x`);
    console.log(`load after: ${loadAverage()}`);
    console.log(
      `RESULT timeline_ms=${fmt(tl.medianMs, 1)} seek_ms_p50=${fmt(se.seekP50, 0)} seek_ms_p95=${fmt(se.seekP95, 0)} export_x_realtime=${fmt(se.exportX, 1)}`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench:playback failed: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
