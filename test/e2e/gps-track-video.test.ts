// End to end (built console, real back end, hls.js in headless Chromium): a unit's replayed track plays its recorded video in sync: scrubbing the track seeks the video, playing the video moves the marker.
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnitKey } from '../../common/api';
import type { TelemetryPoint } from '../../common/gps';
import { buildRenderer } from '../../scripts/build-renderer';
import { launchBrowser, type TestBrowser } from './browser';
import { BAR_BITS, FPS, indexSegments, makeSegments } from './investigation-fixtures';
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

describe('track playback with the unit\'s recorded video (headless Chromium)', () => {
  let dataDir: string;
  let srv: InvServer;
  let browser: TestBrowser;
  let context: BrowserContext;
  let page: Page;
  let unit: UnitKey;
  let t0: number;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dataDir = tempDir('gps-track-video');
    const build = await buildRenderer(path.join(dataDir, 'console'));
    srv = await startInvServer(path.join(dataDir, 'data'), {}, build.outDir);
    const admin = await srv.token();
    const created = await srv.api<UnitKey>('POST', '/api/v1/units', admin, { callsign: 'Car 12', type: 'vehicle', officer: 'Li Lei' });
    expect(created.status).toBe(201);
    unit = created.body;
    // 18 s of recording (three 6 s MPEG-TS segments, frame number as a barcode) and a GPS track over the same time,
    // recent enough that the last fix is the unit's live position (its marker is on the map).
    t0 = Math.floor((Date.now() - 25_000) / 1000) * 1000;
    await indexSegments(srv.backend.store, unit.unit.id, await makeSegments(srv.backend.config.recordingsDir, unit.unit.id, t0, 3, 6));
    const points: TelemetryPoint[] = [];
    for (let i = 0; i <= 18; i++) points.push({ tMs: t0 + i * 1000, lat: CENTER[0] + i * 0.0004, lon: CENTER[1], speedMps: 5, headingDeg: 0 });
    const r = await fetch(`${srv.backend.url}/api/v1/gps/telemetry?unit=${unit.unit.id}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Unit-Key': unit.streamKey }, body: JSON.stringify({ points }) });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { stored: number }).stored).toBe(19);
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.stack ?? err.message));
    page.setDefaultTimeout(20_000);
    await page.goto(srv.backend.url);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.console').waitFor();
  }, 180_000);

  afterAll(async () => {
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
    await expect.poll(() => page.locator('.track-count').innerText()).toBe('19 points');
    await page.locator(`.track-video[data-unit-id="${unit.unit.id}"] video`).waitFor();
    const slider = page.locator('.track-slider');
    expect(Number(await slider.getAttribute('min'))).toBe(t0);
    expect(Number(await slider.getAttribute('max'))).toBe(t0 + 18_000);
    const dot = page.locator('.track-marker');

    // Scrub: the video seeks to the frame recorded at that time (segments 2, 3 and 1).
    for (const offset of [7_400, 15_200, 2_100]) {
      const target = t0 + offset;
      await slider.fill(String(target));
      await expect.poll(async () => Number(await page.locator('.track-time').getAttribute('data-t-ms'))).toBe(target);
      const expected = Math.floor(offset / FRAME_MS + 1e-6);
      const got = await until(async () => {
        const s = await shown(page);
        return s.frame !== null && !s.seeking && Math.abs(s.frame - expected) <= 1 ? s.frame : null;
      }, 30_000, `frame ${expected} after scrubbing to +${offset} ms`);
      expect(Math.abs(got - expected)).toBeLessThanOrEqual(1);
    }
    // The paused video stays on that frame (it does not drift back to where it was).
    const still = await shown(page);
    expect(Math.abs(still.frame! - Math.floor(2_100 / FRAME_MS))).toBeLessThanOrEqual(1);

    // Play: the video runs and the marker follows the frame on screen.
    const startBox = (await dot.boundingBox())!;
    await page.locator('.track-play').click();
    await expect.poll(() => page.locator('.track-play').innerText()).toBe('Pause');
    const samples: Array<{ frame: number; trackMs: number }> = [];
    await until(async () => {
      const s = await shown(page);
      if (s.frame !== null && !s.seeking && s.frame > Math.floor(2_100 / FRAME_MS) + 25) samples.push({ frame: s.frame, trackMs: s.trackMs });
      return samples.length >= 5 ? true : (await page.waitForTimeout(300), null);
    }, 40_000, 'the video playing');
    for (let i = 1; i < samples.length; i++) expect(samples[i]!.frame, 'frames advance').toBeGreaterThanOrEqual(samples[i - 1]!.frame);
    expect(samples.at(-1)!.frame).toBeGreaterThan(samples[0]!.frame);
    for (const s of samples) {
      const frameWall = t0 + s.frame * FRAME_MS;
      // The marker's time is the time of the frame on screen (reported each 100 ms tick).
      expect(Math.abs(s.trackMs - frameWall), `track at ${s.trackMs - t0} ms, frame at ${frameWall - t0} ms`).toBeLessThan(600);
    }
    expect(samples.at(-1)!.trackMs - t0).toBeGreaterThan(3_000);
    // North is up: the marker moved north along the track.
    expect(startBox.y - (await dot.boundingBox())!.y).toBeGreaterThan(5);
    // At the track's end playback stops.
    await expect.poll(() => page.locator('.track-play').innerText(), { timeout: 40_000 }).toBe('Play');
    expect(Number(await page.locator('.track-time').getAttribute('data-t-ms'))).toBeGreaterThanOrEqual(t0 + 17_000);
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
