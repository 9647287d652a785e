// End to end (built console, real back end, headless Chromium, no network): a fresh server without MBTiles shows the
// built-in basemap (vector outlines, province names in the console's language, a screenshot that is not blank); unit and
// camera markers are SVG with labels, no emoji; several alarms at one place are one pin with a count that spreads out on a
// click; an MBTiles file created while the server runs is drawn without a restart or a reload.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Camera, UnitKey } from '../../common/api';
import { makeMbtiles } from '../../scripts/make-mbtiles';
import { launchBrowser, openConsole, startServer, type TestBrowser, type TestServer } from '../harness';

const PASSWORD = 'map-basemap-chief';
const CENTER: [number, number] = [31.2304, 121.4737];
const SHOTS = path.join(os.tmpdir(), 'argus-map-shots');

describe('Map tab without tiles: the built-in basemap, SVG markers, grouped alarms, tiles picked up live', () => {
  let tmp: string;
  let b: TestServer;
  let browser: TestBrowser;
  const external: string[] = [];

  const api = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
    const r = await b.client.call<T>(method, `/api/v1${p}`, body);
    expect(r.status, `${method} ${p}`).toBeLessThan(300);
    return r.body;
  };
  const unitAt = async (callsign: string, lat: number, lon: number) => {
    const u = await api<UnitKey>('POST', '/units', { callsign, type: 'vehicle', officer: null });
    const r = await fetch(`${b.url}/api/v1/gps/telemetry?unit=${u.unit.id}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Unit-Key': u.streamKey },
      body: JSON.stringify({ points: [{ tMs: Date.now() - 1000, lat, lon }] }),
    });
    expect(r.status).toBe(200);
    return u;
  };

  async function openMap(locale: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const {
      context,
      page,
      pageErrors: errors,
    } = await openConsole(b.url, {
      browser,
      user: { username: 'admin', password: PASSWORD },
      context: { locale, timezoneId: 'Asia/Shanghai', viewport: { width: 1400, height: 900 } },
      prepareContext: (ctx) =>
        ctx.route('**/*', (route) => {
          const u = route.request().url();
          if (u.startsWith(b.url) || u.startsWith('ws://127.0.0.1') || u.startsWith('data:')) return route.continue();
          external.push(u);
          return route.abort();
        }),
    });
    await page.getByRole('tab', { name: locale.startsWith('zh') ? '电子地图' : 'Map', exact: true }).click();
    await page.locator('.map-tab .leaflet-container').waitFor();
    return { context, page, errors };
  }

  /** Share of pixels of a PNG that differ from the map's empty background (#10141b), counted in the page's canvas. */
  const nonBackgroundShare = (page: Page, png: Buffer) =>
    page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      [c.width, c.height] = [img.width, img.height];
      const g = c.getContext('2d')!;
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i]! - 0x10) + Math.abs(d[i + 1]! - 0x14) + Math.abs(d[i + 2]! - 0x1b) > 12) n++;
      return n / (d.length / 4);
    }, png.toString('base64'));

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    b = await startServer({ tag: 'e2e-basemap', console: true, adminPassword: PASSWORD });
    tmp = b.tmp;
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await b?.close();
  });

  it.each([
    ['en-US', 'Jiangsu', 'Hangzhou', 'No map tiles yet'],
    ['zh-CN', '江苏', '杭州', '尚无地图瓦片'],
  ])(
    '%s: a fresh server without MBTiles draws the basemap (outlines, province and city names, not blank)',
    async (locale, province, city, hint) => {
      const { context, page, errors } = await openMap(locale);
      const paths = page.locator('.leaflet-basemap-pane path');
      await expect.poll(() => paths.count(), { timeout: 20_000 }).toBeGreaterThan(150);
      // Drawn shapes, not empty path elements.
      const drawn = await page.evaluate(
        () => [...document.querySelectorAll('.leaflet-basemap-pane path')].filter((p) => (p.getAttribute('d') ?? '').length > 20).length,
      );
      expect(drawn).toBeGreaterThan(20);
      await page.locator('.basemap-label', { hasText: province }).first().waitFor();
      await page.locator('.basemap-city', { hasText: city }).first().waitFor();
      // Beijing, Shanghai, ...: one name, the city's (no province label on top of it).
      expect(await page.locator('.basemap-city', { hasText: locale.startsWith('zh') ? '上海' : 'Shanghai' }).count()).toBe(1);
      expect(await page.locator('.basemap-label', { hasText: locale.startsWith('zh') ? '上海' : 'Shanghai' }).count()).toBe(0);
      expect(await page.locator('.map-no-tiles').innerText()).toContain(hint);
      expect(await page.locator('img.leaflet-tile').count()).toBe(0);
      const shot = await page.locator('.map-canvas').screenshot({ path: path.join(SHOTS, `basemap-${locale}.png`) });
      const share = await nonBackgroundShare(page, shot);
      expect(share).toBeGreaterThan(0.3);
      const cost = await page.evaluate(() => ({
        res: (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
          .filter((e) => e.name.includes('/api/v1/gps/basemap'))
          .map((e) => ({ transferBytes: e.transferSize, decodedBytes: e.decodedBodySize })),
        fetchMs: performance.getEntriesByName('argus.basemap.fetch').map((e) => Math.round(e.duration)),
        drawMs: performance.getEntriesByName('argus.basemap.draw').map((e) => Math.round(e.duration)),
      }));
      expect(cost.res[0]!.transferBytes).toBeLessThan(200_000); // gzip: ~105 kB of 301 kB
      console.log(`[basemap ${locale}] ${JSON.stringify(cost)}; non-background ${(share * 100).toFixed(0)} % of the map`);
      expect(external).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    },
    90_000,
  );

  it('draws units and cameras as SVG icons with labels (no emoji), and several alarms at one place as one pin with a count', async () => {
    const [lat, lon] = CENTER;
    // Around the map's centre, far enough apart (≥ 400 m) to be separate markers at zoom 14.
    const units = [await unitAt('Car 1', lat, lon), await unitAt('Car 2', lat + 0.006, lon), await unitAt('Car 3', lat - 0.004, lon + 0.007)];
    const cam = await api<Camera>('POST', '/cameras', { name: 'Gate North 北门', url: 'rtsp://127.0.0.1:1/x', enabled: false });
    await api('PUT', `/gps/cameras/${cam.id}/place`, { lat: lat + 0.003, lon: lon - 0.008, viewDeg: 90 });
    // Three alarms at one place (one per unit: alarms of one source may merge), one elsewhere.
    const here = [];
    for (const u of units)
      here.push(
        await api<{ id: number }>('POST', '/alarms', {
          sourceId: u.unit.id,
          severity: u === units[0] ? 'critical' : 'minor',
          message: 'test',
          lat: lat - 0.002,
          lon: lon - 0.002,
        }),
      );
    const apart = await api<{ id: number }>('POST', '/alarms', {
      sourceId: units[0]!.unit.id,
      severity: 'major',
      message: 'elsewhere',
      lat: lat + 0.0035,
      lon: lon + 0.004,
    });

    const { context, page, errors } = await openMap('en-US');
    await page.locator('.camera-marker').waitFor();
    // From the outline view (zoom 6) to zoom 14 with the map's own zoom button.
    const zoomIn = page.locator('.leaflet-control-zoom-in');
    for (let i = 0; i < 8; i++) {
      await zoomIn.click();
      await page.waitForTimeout(350);
    }
    const unitMarkers = page.locator('.unit-marker');
    await expect.poll(() => unitMarkers.count(), { timeout: 10_000 }).toBe(3);
    const markers = await page.evaluate(() =>
      [...document.querySelectorAll('.unit-marker, .camera-marker, .alarm-marker')].map((m) => ({
        cls: m.className,
        text: (m as HTMLElement).innerText,
        svg: m.querySelectorAll('svg').length,
      })),
    );
    expect(markers.length).toBeGreaterThanOrEqual(5);
    for (const m of markers) {
      expect(m.text, m.cls).not.toMatch(/\p{Extended_Pictographic}/u);
      if (!m.cls.includes('alarm-marker')) expect(m.svg, m.cls).toBeGreaterThan(0);
    }
    for (const [i, u] of units.entries()) {
      const m = page.locator(`.unit-marker:has([data-unit-id="${u.unit.id}"])`);
      expect(await m.locator('.unit-glyph svg').count()).toBe(1);
      expect(await m.locator('.unit-label').innerText()).toBe(`Car ${i + 1}`);
    }
    const label = page.locator('.camera-marker .camera-label');
    expect(await label.innerText()).toBe('Gate North 北门');
    expect(await label.isVisible()).toBe(true);
    const box = (await label.boundingBox())!;
    const canvas = (await page.locator('.map-canvas').boundingBox())!;
    expect(box.width).toBeGreaterThan(40);
    expect(box.x).toBeGreaterThan(canvas.x);
    expect(box.x + box.width).toBeLessThan(canvas.x + canvas.width);
    expect(await page.locator('.camera-marker .camera-glyph svg').count()).toBe(1);

    // The three alarms at one place: one pin showing 3, in the most severe one's colour, flashing (critical, new).
    const group = page.locator('.alarm-group[data-count="3"]');
    await group.waitFor();
    expect((await group.getAttribute('data-alarm-ids'))!.split(',').map(Number).sort()).toEqual(here.map((a) => a.id).sort());
    expect(await group.getAttribute('data-severity')).toBe('critical');
    expect(await group.innerText()).toBe('3');
    expect(await page.locator('.alarm-group-marker').count()).toBe(1);
    expect(await page.locator(`.alarm-pin[data-alarm-id="${apart.id}"]`).count()).toBe(1);
    for (const a of here) expect(await page.locator(`.alarm-pin[data-alarm-id="${a.id}"]`).count()).toBe(0);
    // A click zooms in until they part (or spreads them out where they share the place): three pins.
    // Leaflet and markercluster ignore clicks on a cluster while they animate (as for a user: wait until the map is still).
    await page.waitForFunction(() => !document.querySelector('.leaflet-cluster-anim, .leaflet-zoom-anim'));
    await page.waitForTimeout(300);
    await group.click();
    for (const a of here) await page.locator(`.alarm-pin[data-alarm-id="${a.id}"]`).waitFor({ timeout: 10_000 });
    await page.locator(`.alarm-pin[data-alarm-id="${here[0]!.id}"]`).click();
    await page.locator(`.map-alarm-card .alarm-detail[data-alarm-id="${here[0]!.id}"]`).waitFor();
    await page.locator('.map-canvas').screenshot({ path: path.join(SHOTS, 'markers-en.png') });
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it('draws an MBTiles file created while the server runs, without a restart or a reload', async () => {
    const { context, page, errors } = await openMap('en-US');
    await expect.poll(() => page.locator('.leaflet-basemap-pane path').count(), { timeout: 20_000 }).toBeGreaterThan(150);
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    expect(await page.locator('img.leaflet-tile').count()).toBe(0);
    await makeMbtiles(path.join(tmp, 'data', 'map.mbtiles'), { center: CENTER, radiusKm: 2, minZoom: 12, maxZoom: 14 });
    await expect
      .poll(
        () =>
          page.evaluate(
            () =>
              [...document.querySelectorAll<HTMLImageElement>('img.leaflet-tile')].filter(
                (i) => i.complete && i.naturalWidth === 256 && i.src.includes('/api/v1/gps/tiles/'),
              ).length,
          ),
        { timeout: 20_000 },
      )
      .toBeGreaterThan(3);
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    await expect.poll(() => page.locator('.map-no-tiles').count()).toBe(0);
    // Tiles sit above the outlines.
    const z = await page.evaluate(() =>
      [getComputedStyle(document.querySelector('.leaflet-basemap-pane')!).zIndex, getComputedStyle(document.querySelector('.leaflet-tile-pane')!).zIndex].map(
        Number,
      ),
    );
    expect(z[0]).toBeLessThan(z[1]!);
    await page.locator('.map-canvas').screenshot({ path: path.join(SHOTS, 'tiles-live.png') });
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});
