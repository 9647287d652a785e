// End to end (built console, real back end, two units publishing over RTMP with ffmpeg, headless Chromium): "watch live"
// from a unit's map card right after a page reload puts the unit on a free tile of the wall, where it plays; a second
// unit goes to another free tile, even with the first one's tile selected, and the first unit stays.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnitKey } from '../../common/api';
import { ensureClip } from '../helpers/clips';
import { publishRtmp, type Publisher } from '../helpers/rtmp';
import { openConsole, startServer, type ConsolePage, type TestServer } from '../harness';

const PASSWORD = 'map-watch-live-chief';

describe('"Watch live" from the map (headless Chromium, RTMP units)', () => {
  let b: TestServer;
  let ui: ConsolePage;
  let page: Page;
  const units: UnitKey[] = [];
  const publishers: Publisher[] = [];
  let pageErrors: string[] = [];

  const tileOf = (unitId: number) => page.locator(`.tile:has(video[data-source-id="${unitId}"])`);
  const watchLive = async (unitId: number) => {
    await page.getByRole('tab', { name: 'Map' }).click();
    await page.locator(`.unit-marker:has([data-unit-id="${unitId}"]) .unit-glyph`).click();
    const card = page.locator(`.unit-card[data-unit-id="${unitId}"]`);
    await card.getByRole('button', { name: 'Watch live' }).click();
    await expect.poll(() => page.getByRole('tab', { name: 'Live' }).getAttribute('aria-selected')).toBe('true');
  };

  beforeAll(async () => {
    const clip = await ensureClip({ width: 320, height: 180, fps: 10, seconds: 4, bitrateKbps: 200, audio: false });
    b = await startServer({ tag: 'e2e-map-watch', console: true, adminPassword: PASSWORD });
    // Two units west and east of the default map centre (far enough apart at the outline zoom to click each).
    for (const [callsign, lon] of [
      ['Car 21', 120.6],
      ['Car 22', 122.3],
    ] as const) {
      const u = await b.client.createUnit({ callsign, type: 'vehicle' });
      const r = await b.client.call(
        'POST',
        `/api/v1/gps/telemetry?unit=${u.unit.id}`,
        { points: [{ tMs: Date.now(), lat: 31.23, lon }] },
        { token: '', headers: { 'X-Unit-Key': u.streamKey } },
      );
      expect(r.status).toBe(200);
      units.push(u);
      publishers.push(publishRtmp(u.publishUrl, clip, { loop: true }));
    }
    ui = await openConsole(b.url, {
      user: { username: 'admin', password: PASSWORD },
      context: { locale: 'en-US', timezoneId: 'Asia/Shanghai', viewport: { width: 1600, height: 900 } },
    });
    ({ page, pageErrors } = ui);
  }, 180_000);

  afterAll(async () => {
    for (const p of publishers) await p.kill();
    await ui?.close();
    await b?.close();
  });

  it('after a reload, puts the unit on a free tile where it plays; a second unit takes another free tile, the first stays', async () => {
    // Open the map, then reload: the console comes back on the Map tab, the Live tab not mounted yet.
    await page.getByRole('tab', { name: 'Map' }).click();
    await page.locator('.map-tab .leaflet-container').waitFor();
    await page.reload();
    await page.locator('.console').waitFor();
    expect(await page.getByRole('tab', { name: 'Map' }).getAttribute('aria-selected')).toBe('true');
    const [a, c] = units.map((u) => u.unit.id) as [number, number];

    await watchLive(a);
    await expect.poll(() => tileOf(a).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => tileOf(a).getAttribute('data-state'), { timeout: 30_000 }).toBe('playing');
    const first = await tileOf(a).getAttribute('data-tile-index');

    // The operator selects the first unit's tile; the second unit must not replace it.
    await tileOf(a).click();
    await expect.poll(() => tileOf(a).getAttribute('aria-selected')).toBe('true');
    await watchLive(c);
    await expect.poll(() => tileOf(c).count(), { timeout: 10_000 }).toBe(1);
    expect(await tileOf(c).getAttribute('data-tile-index')).not.toBe(first);
    expect(await tileOf(a).getAttribute('data-tile-index')).toBe(first);
    await expect.poll(() => tileOf(c).getAttribute('data-state'), { timeout: 30_000 }).toBe('playing');
    expect(await tileOf(a).getAttribute('data-state')).toBe('playing');
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
