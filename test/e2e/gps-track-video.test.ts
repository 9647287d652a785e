// End to end (built console, real back end, hls.js in headless Chromium): a unit publishes a clip over RTMP (frame number
// burnt in as a barcode), the server records it; its replayed track plays that recording in sync: scrubbing the track
// seeks the video, playing the video moves the marker.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnitKey } from '../../common/api';
import type { TelemetryPoint } from '../../common/gps';
import { buildRenderer } from '../../scripts/build-renderer';
import { openConsole, type TestBrowser } from '../harness';
import type { SegmentRow } from '../../storage/repositories';
import { runFfmpeg } from '../helpers/ffmpeg';
import { publishRtmp, type Publisher } from '../helpers/rtmp';
import { BAR_BITS, barcodeFilter, decodeBarcode, FPS } from './investigation-fixtures';
import { ADMIN_PASSWORD, startInvServer, tempDir, until, type InvServer } from './investigation-server';

const FRAME_MS = 1000 / FPS;
const CENTER: [number, number] = [31.2304, 121.4737];

/** The frame number burnt into the frame the track's video shows now (barcode), and the track time shown beside it, read in one pass. */
function shown(page: Page): Promise<{ frame: number | null; trackMs: number; seeking: boolean }> {
  return page.evaluate((bits) => {
    const v = document.querySelector<HTMLVideoElement>('.track-video video');
    const trackMs = Number(document.querySelector('.track-time')?.getAttribute('data-t-ms'));
    if (!v || v.readyState < 2 || v.videoWidth === 0) return { frame: null, trackMs, seeking: false };
    const c = document.createElement('canvas');
    c.width = v.videoWidth;
    c.height = v.videoHeight;
    const g = c.getContext('2d', { willReadFrequently: true })!;
    g.drawImage(v, 0, 0);
    const row = g.getImageData(0, 80, c.width, 1).data;
    let n = 0;
    for (let i = 0; i < bits; i++) if (row[Math.round((i + 0.5) * (c.width / bits)) * 4]! > 128) n |= 1 << i;
    return { frame: n, trackMs, seeking: v.seeking };
  }, BAR_BITS);
}

describe("track playback with the unit's recorded video (headless Chromium)", () => {
  let dataDir: string;
  let srv: InvServer;
  let browser: TestBrowser;
  let page: Page;
  let unit: UnitKey;
  let t0: number;
  let trackPoints = 0;
  let publisher: Publisher | null = null;
  /** The recorded segments with the frame number of their first frame. */
  const segs: Array<SegmentRow & { firstFrame: number }> = [];
  let pageErrors: string[] = [];
  /** The frame the server's segment index puts at wall time tMs. */
  const frameAt = (tMs: number) => {
    const seg = segs.find((x) => x.startMs <= tMs && tMs < x.endMs)!;
    return seg.firstFrame + Math.floor((tMs - seg.startMs) / FRAME_MS + 1e-6);
  };
  /** The wall time of frame n by the segment index. */
  const wallOf = (n: number) => {
    const seg = [...segs].reverse().find((x) => x.firstFrame <= n)!;
    return seg.startMs + (n - seg.firstFrame) * FRAME_MS;
  };

  beforeAll(async () => {
    dataDir = tempDir('gps-track-video');
    const build = await buildRenderer(path.join(dataDir, 'console'));
    srv = await startInvServer(path.join(dataDir, 'data'), {}, build.outDir);
    const admin = await srv.token();
    const created = await srv.api<UnitKey>('POST', '/api/v1/units', admin, { callsign: 'Car 12', type: 'vehicle', officer: 'Li Lei', segmentSeconds: 6 });
    expect(created.status).toBe(201);
    unit = created.body;
    // The unit's encoder: 24 s of 320x240 at 25 fps, keyframe every second, the frame number as a barcode; published
    // over RTMP in real time and recorded by the server into ~6 s segments.
    const clip = path.join(dataDir, 'barcode.flv');
    await runFfmpeg([
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `color=c=gray:s=320x240:r=${FPS}:d=24`,
      '-vf',
      barcodeFilter(320),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-bf',
      '0',
      '-g',
      String(FPS),
      '-keyint_min',
      String(FPS),
      '-sc_threshold',
      '0',
      '-pix_fmt',
      'yuv420p',
      '-f',
      'flv',
      clip,
    ]);
    publisher = publishRtmp(unit.publishUrl, clip);
    expect(await publisher.exited).toBe(0);
    const rows = await until(
      async () => {
        const l = await srv.backend.store.segments.listRange(unit.unit.id, 0, Date.now() + 60_000, 100);
        return l.length >= 3 && l.every((x) => x.state === 'closed') ? l : null;
      },
      60_000,
      "the unit's recording closed in segments",
    );
    // The frame number at the start of each recorded segment, read from its first decoded frame.
    for (const row of rows.sort((a, c) => a.startMs - c.startMs)) {
      const raw = path.join(dataDir, `first-${row.id}.gray`);
      await runFfmpeg([
        '-v',
        'error',
        '-y',
        '-i',
        path.join(srv.backend.config.recordingsDir, row.relPath),
        '-frames:v',
        '1',
        '-f',
        'rawvideo',
        '-pix_fmt',
        'gray',
        raw,
      ]);
      const px = fs.readFileSync(raw);
      segs.push({ ...row, firstFrame: decodeBarcode((x, y) => px[y * 320 + x]!, 320) });
    }
    for (let i = 1; i < segs.length; i++) expect(segs[i]!.firstFrame, 'segments follow each other in the clip').toBeGreaterThan(segs[i - 1]!.firstFrame);
    // A GPS track over the recorded time, one fix a second driving north; the last fix is recent enough to be the
    // unit's live position (its marker is on the map).
    t0 = segs[0]!.startMs;
    const endMs = segs.at(-1)!.endMs;
    const points: TelemetryPoint[] = [];
    for (let tMs = t0; tMs < endMs; tMs += 1000)
      points.push({ tMs, lat: CENTER[0] + ((tMs - t0) / 1000) * 0.0004, lon: CENTER[1], speedMps: 5, headingDeg: 0 });
    points.push({ tMs: endMs, lat: CENTER[0] + ((endMs - t0) / 1000) * 0.0004, lon: CENTER[1], speedMps: 5, headingDeg: 0 });
    trackPoints = points.length;
    const r = await fetch(`${srv.backend.url}/api/v1/gps/telemetry?unit=${unit.unit.id}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Unit-Key': unit.streamKey },
      body: JSON.stringify({ points }),
    });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { stored: number }).stored).toBe(points.length);
    ({ browser, page, pageErrors } = await openConsole(srv.backend.url, {
      user: { username: 'admin', password: ADMIN_PASSWORD },
      context: { viewport: { width: 1440, height: 900 } },
    }));
  }, 180_000);

  afterAll(async () => {
    await publisher?.kill();
    await browser?.close();
    await srv?.backend.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('scrubbing the track to T shows the frame recorded at T; playing the video moves the marker with it', async () => {
    await page.getByRole('tab', { name: 'Map' }).click();
    const marker = page.locator(`.unit-marker:has([data-unit-id="${unit.unit.id}"])`);
    await marker.locator('.unit-glyph').click();
    const card = page.locator(`.unit-card[data-unit-id="${unit.unit.id}"]`);
    await card.getByRole('button', { name: 'Track playback' }).click();
    await expect.poll(() => page.locator('.track-count').innerText()).toBe(`${trackPoints} points`);
    await page.locator(`.track-video[data-unit-id="${unit.unit.id}"] video`).waitFor();
    const slider = page.locator('.track-slider');
    const endMs = segs.at(-1)!.endMs;
    expect(Number(await slider.getAttribute('min'))).toBe(t0);
    expect(Number(await slider.getAttribute('max'))).toBe(endMs);
    // Where the marker is along the drawn track (0 = its south end, the start; 1 = its north end), measured against the
    // track's own line so panning or scrolling does not count, and the track time shown at that moment.
    const along = () =>
      page.evaluate(() => {
        const d = document.querySelector('.track-marker')!.getBoundingClientRect();
        const line = document.querySelector('.leaflet-overlay-pane path[stroke="#4c8dff"]')!.getBoundingClientRect();
        return {
          frac: (line.bottom - (d.top + d.height / 2)) / line.height,
          trackMs: Number(document.querySelector('.track-time')!.getAttribute('data-t-ms')),
        };
      });
    /** The marker reaches the track position of time tMs (Leaflet may animate it for a few hundred ms). */
    const markerAt = (tMs: number) =>
      expect.poll(async () => Math.abs((await along()).frac - (tMs - t0) / (endMs - t0)), { timeout: 5_000 }).toBeLessThan(0.02);

    // Scrub: the video seeks to the frame recorded at that time (in the second, the last and the first segment; the
    // slider moves in 100 ms steps from the track's start).
    const inSeg = (i: number) => t0 + Math.round((segs[i]!.startMs + 2_500 - t0) / 100) * 100;
    const targets = [inSeg(1), inSeg(segs.length - 1), inSeg(0)];
    for (const target of targets) {
      const offset = target - t0;
      await slider.fill(String(target));
      await expect.poll(async () => Number(await page.locator('.track-time').getAttribute('data-t-ms'))).toBe(target);
      const expected = frameAt(target);
      const got = await until(
        async () => {
          const s = await shown(page);
          return s.frame !== null && !s.seeking && Math.abs(s.frame - expected) <= 1 ? s.frame : null;
        },
        30_000,
        `frame ${expected} after scrubbing to +${offset} ms`,
      );
      expect(Math.abs(got - expected)).toBeLessThanOrEqual(1);
      await markerAt(target);
    }
    // The paused video stays on that frame (it does not drift back to where it was).
    const lastTarget = targets.at(-1)!;
    const still = await shown(page);
    expect(Math.abs(still.frame! - frameAt(lastTarget))).toBeLessThanOrEqual(1);

    // Play: the video runs and the marker follows the frame on screen.
    await markerAt(lastTarget);
    const startAt = await along();
    await page.locator('.track-play').click();
    await expect.poll(() => page.locator('.track-play').innerText()).toBe('Pause');
    const samples: Array<{ frame: number; trackMs: number }> = [];
    await until(
      async () => {
        const s = await shown(page);
        if (s.frame !== null && !s.seeking && s.frame > frameAt(lastTarget) + 25) samples.push({ frame: s.frame, trackMs: s.trackMs });
        return samples.length >= 5 ? true : (await page.waitForTimeout(300), null);
      },
      40_000,
      'the video playing',
    );
    for (let i = 1; i < samples.length; i++) expect(samples[i]!.frame, 'frames advance').toBeGreaterThanOrEqual(samples[i - 1]!.frame);
    expect(samples.at(-1)!.frame).toBeGreaterThan(samples[0]!.frame);
    for (const s of samples) {
      const frameWall = wallOf(s.frame);
      // The marker's time is the time of the frame on screen (reported each 100 ms tick).
      expect(Math.abs(s.trackMs - frameWall), `track at ${s.trackMs - t0} ms, frame at ${frameWall - t0} ms`).toBeLessThan(600);
    }
    expect(samples.at(-1)!.trackMs - lastTarget).toBeGreaterThan(1_000);
    // North is up: the marker moved north along the track.
    const now = await along();
    expect(now.frac, 'the marker is where the video is').toBeCloseTo((now.trackMs - t0) / (endMs - t0), 1);
    expect(now.frac - startAt.frac, 'the marker moved north along the track').toBeGreaterThan(0.04);
    // At the track's end playback stops.
    await expect.poll(() => page.locator('.track-play').innerText(), { timeout: 40_000 }).toBe('Play');
    expect(Number(await page.locator('.track-time').getAttribute('data-t-ms'))).toBeGreaterThanOrEqual(segs.at(-1)!.endMs - 1_000);
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
