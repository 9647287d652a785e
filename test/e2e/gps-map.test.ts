// End to end (built console, real back end, headless Chromium, no network): tiles from the local MBTiles, a unit's marker
// appears, moves with new positions, turns stale, its card opens "watch live", and its track plays back; an SOS shows as an
// alarm marker at its place, whose card acknowledges it and shows its video.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnitKey } from '../../common/api';
import type { TelemetryPoint } from '../../common/gps';
import { makeMbtiles } from '../../scripts/make-mbtiles';
import { openConsole, startServer, type ConsolePage, type TestServer } from '../harness';

const PASSWORD = 'gps-map-chief';
const CENTER: [number, number] = [31.2304, 121.4737];

describe('Map tab (headless Chromium, offline)', () => {
  let b: TestServer;
  let ui: ConsolePage;
  let page: Page;
  let token: string;
  let unit: UnitKey;
  const external: string[] = [];
  let pageErrors: string[] = [];

  const send = async (points: TelemetryPoint[]) => {
    const r = await fetch(`${b.url}/api/v1/gps/telemetry?unit=${unit.unit.id}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Unit-Key': unit.streamKey },
      body: JSON.stringify({ points }),
    });
    expect(r.status).toBe(200);
  };
  const marker = () => page.locator(`.unit-marker:has([data-unit-id="${unit.unit.id}"])`);
  // Where P is on screen, from a tile image whose z/x/y is in its URL (Web Mercator), independent of the console's code.
  const expectedAt = async (lat: number, lon: number) => {
    const tile = page.locator('img.leaflet-tile[src*="/api/v1/gps/tiles/"]').first();
    const m = /tiles\/(\d+)\/(\d+)\/(\d+)\.png/.exec((await tile.getAttribute('src'))!)!;
    const [z, x, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const box = (await tile.boundingBox())!;
    const n = 2 ** z;
    const wx = ((lon + 180) / 360) * n;
    const r = (lat * Math.PI) / 180;
    const wy = ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n;
    return { x: box.x + (wx - x) * box.width, y: box.y + (wy - y) * box.height };
  };
  let sosUnit: UnitKey;

  beforeAll(async () => {
    b = await startServer({
      tag: 'e2e-gps-map',
      console: true,
      adminPassword: PASSWORD,
      prepareDataDir: async (dataDir) => {
        const tiles = await makeMbtiles(path.join(dataDir, 'map.mbtiles'), { center: CENTER, radiusKm: 2, minZoom: 12, maxZoom: 15 });
        expect(tiles).toBeGreaterThan(10);
      },
    });
    token = b.token;
    unit = await b.client.createUnit({ callsign: 'Car 88', type: 'vehicle', officer: 'Wang Fang' });
    ui = await openConsole(b.url, {
      user: { username: 'admin', password: PASSWORD },
      context: { locale: 'en-US', timezoneId: 'Asia/Shanghai', viewport: { width: 1400, height: 900 } },
      // No network: anything not served by Argus itself is refused (and noted).
      prepareContext: (context) =>
        context.route('**/*', (route) => {
          const u = route.request().url();
          if (u.startsWith(b.url) || u.startsWith('ws://127.0.0.1') || u.startsWith('data:')) return route.continue();
          external.push(u);
          return route.abort();
        }),
    });
    page = ui.page;
    pageErrors = ui.pageErrors;
    await page.getByRole('tab', { name: 'Map' }).click();
    await page.locator('.map-tab .leaflet-container').waitFor();
  });

  afterAll(async () => {
    await ui?.close();
    await b?.close();
  });

  it('draws tiles from the local MBTiles with no network', async () => {
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
    expect(external).toEqual([]);
    // Leaflet's own images come from the bundle, not a CDN.
    const css = await page.evaluate(() =>
      [...document.styleSheets].some((s) => {
        try {
          return [...s.cssRules].some((r) => r.cssText.includes('.leaflet-container'));
        } catch {
          return false;
        }
      }),
    );
    expect(css).toBe(true);
  });

  it('shows a unit marker that moves with new positions and turns stale after 60 s without a fix', async () => {
    const t = Date.now() - 48_000;
    await send([{ tMs: t, lat: CENTER[0], lon: CENTER[1], speedMps: 10, headingDeg: 0, batteryPct: 64, signalDbm: -71 }]);
    await marker().waitFor();
    await expect.poll(async () => (await marker().getAttribute('class')) ?? '').toContain('unit-online');
    const before = (await marker().boundingBox())!;
    const track: TelemetryPoint[] = [];
    for (let i = 1; i <= 8; i++)
      track.push({ tMs: t + i * 1000, lat: CENTER[0] + i * 0.0006, lon: CENTER[1], speedMps: 10, headingDeg: 0, batteryPct: 64, signalDbm: -71 });
    await send(track);
    await expect.poll(async () => before.y - (await marker().boundingBox())!.y, { timeout: 15_000 }).toBeGreaterThan(20); // north = up
    expect(await marker().locator('.unit-label').innerText()).toContain('Car 88');
    // The last fix is t + 8 s; 60 s later the marker is stale (the layer re-checks every 5 s).
    await expect.poll(async () => (await marker().getAttribute('class')) ?? '', { timeout: 40_000, interval: 1000 }).toContain('unit-stale');
  }, 90_000);

  it('opens the unit card, plays its track back, and "watch live" puts the unit on the wall', async () => {
    await marker().locator('.unit-glyph').click();
    const card = page.locator(`.unit-card[data-unit-id="${unit.unit.id}"]`);
    await card.waitFor();
    expect(await card.innerText()).toContain('Wang Fang');
    expect(await card.innerText()).toContain('64 %');
    expect(await card.innerText()).toContain('36 km/h');
    await card.getByRole('button', { name: 'Track playback' }).click();
    await expect.poll(() => page.locator('.track-count').innerText()).toBe('9 points');
    const slider = page.locator('.track-slider');
    const min = Number(await slider.getAttribute('min'));
    const max = Number(await slider.getAttribute('max'));
    expect(max - min).toBe(8000);
    const dot = page.locator('.track-marker');
    await dot.waitFor();
    const start = (await dot.boundingBox())!;
    await page.locator('.track-speed').selectOption('4');
    await page.locator('.track-play').click();
    // 8 s of track at 4x: about 2 s; the marker moves north and playback stops at the end.
    await expect.poll(() => slider.inputValue(), { timeout: 15_000 }).toBe(String(max));
    await expect.poll(() => page.locator('.track-play').innerText()).toBe('Play');
    expect(start.y - (await dot.boundingBox())!.y).toBeGreaterThan(20);
    // Scrubbing the slider moves the marker back.
    await slider.fill(String(min));
    await expect.poll(async () => Math.abs((await dot.boundingBox())!.y - start.y), { timeout: 10_000 }).toBeLessThan(3);
    await card.getByRole('button', { name: 'Watch live' }).click();
    await expect.poll(() => page.getByRole('tab', { name: 'Live' }).getAttribute('aria-selected')).toBe('true');
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('draws a circle geofence for patrol cars and shows its enter and exit events', async () => {
    await page.getByRole('tab', { name: 'Map' }).click();
    await page.getByRole('button', { name: 'Draw circle' }).click();
    const box = (await page.locator('.map-canvas').boundingBox())!;
    await page.mouse.click(box.x + 150, box.y + box.height - 150);
    await page.mouse.click(box.x + 210, box.y + box.height - 150);
    await page.locator('.fence-name').fill('Harbour gate');
    await page.locator('.fence-types label', { hasText: 'Patrol car unit' }).locator('input').check();
    await page.getByRole('button', { name: 'Save geofence' }).click();
    await page.locator('.fences li', { hasText: 'Harbour gate' }).waitFor();
    const fences = (await (await fetch(`${b.url}/api/v1/gps/geofences`, { headers: { Authorization: `Bearer ${token}` } })).json()) as Array<{
      name: string;
      circle: { lat: number; lon: number; radiusM: number };
      unitTypes: string[];
    }>;
    const fence = fences.find((x) => x.name === 'Harbour gate')!;
    expect(fence.unitTypes).toEqual(['vehicle']);
    expect(fence.circle.radiusM).toBeGreaterThan(10);
    // The car drives through it: outside, centre, outside.
    const now = Date.now();
    const far = fence.circle.lat + (3 * fence.circle.radiusM) / 111_195;
    await send([{ tMs: now - 3000, lat: far, lon: fence.circle.lon }]);
    await send([{ tMs: now - 2000, lat: fence.circle.lat, lon: fence.circle.lon }]);
    await send([{ tMs: now - 1000, lat: far, lon: fence.circle.lon }]);
    await page.locator('.toast', { hasText: 'Car 88 entered Harbour gate' }).waitFor();
    await page.locator('.toast', { hasText: 'Car 88 left Harbour gate' }).waitFor();
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('shows an SOS at its place as a flashing alarm marker; its card acknowledges it and shows the video', async () => {
    sosUnit = (await (
      await fetch(`${b.url}/api/v1/units`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ callsign: 'Bike 7', type: 'body', officer: 'Zhao Min' }),
      })
    ).json()) as UnitKey;
    const post = async (points: TelemetryPoint[]) => {
      const r = await fetch(`${b.url}/api/v1/gps/telemetry?unit=${sosUnit.unit.id}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Unit-Key': sosUnit.streamKey },
        body: JSON.stringify({ points }),
      });
      expect(r.status).toBe(200);
    };
    await page.getByRole('tab', { name: 'Map' }).click();
    // The SOS is pressed at P; the unit then runs on to Q (still in SOS): the alarm stays where it was raised.
    const P: [number, number] = [CENTER[0] - 0.0021, CENTER[1] + 0.0034];
    const now = Date.now();
    await post([{ tMs: now - 2000, lat: P[0], lon: P[1], sos: true }]);
    type A = { id: number; type: string; sourceId: number; lat: number; lon: number; severity: string };
    const openAlarms = async () =>
      ((await (await fetch(`${b.url}/api/v1/alarms?state=open`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { alarms: A[] }).alarms;
    let alarm: A | undefined;
    await expect
      .poll(async () => (alarm = (await openAlarms()).find((a) => a.type === 'sos' && a.sourceId === sosUnit.unit.id)), { timeout: 15_000 })
      .toBeTruthy();
    expect(alarm).toMatchObject({ lat: P[0], lon: P[1], severity: 'critical' });
    const alarmId = alarm!.id;
    const pin = page.locator(`.alarm-marker .alarm-pin[data-alarm-id="${alarmId}"]`);
    const pinMarker = page.locator(`.alarm-marker:has(.alarm-pin[data-alarm-id="${alarmId}"])`);
    await pin.waitFor();
    expect(await pin.getAttribute('data-severity')).toBe('critical');
    expect(await pinMarker.getAttribute('class')).toContain('alarm-marker-flashing');
    // The geofence crossings of the test before are minor alarms with a place: drawn too, distinct and not flashing.
    const fenceAlarms = (await openAlarms()).filter((a) => a.type.startsWith('geofence') && a.lat !== null);
    expect(fenceAlarms.length).toBeGreaterThan(0);
    for (const f of fenceAlarms) {
      const m = page.locator(`.alarm-marker:has(.alarm-pin[data-alarm-id="${f.id}"])`);
      expect(await m.locator('.alarm-pin').getAttribute('data-severity')).toBe(f.severity);
      expect(await m.getAttribute('class')).not.toContain('alarm-marker-flashing');
    }
    expect(await page.locator('.alarm-marker').count()).toBe(fenceAlarms.length + 1);
    await post([{ tMs: now - 1000, lat: P[0] + 0.002, lon: P[1], sos: true }]);

    const pinAt = async () => {
      const bb = (await pin.boundingBox())!;
      return { x: bb.x + bb.width / 2, y: bb.y + bb.height / 2 };
    };
    const unitMarker = page.locator(`.unit-marker:has([data-unit-id="${sosUnit.unit.id}"])`);
    await expect.poll(async () => (await unitMarker.getAttribute('class')) ?? '', { timeout: 15_000 }).toContain('unit-sos');
    await expect
      .poll(
        async () => {
          const [want, got] = [await expectedAt(...P), await pinAt()];
          return Math.hypot(want.x - got.x, want.y - got.y);
        },
        { timeout: 10_000 },
      )
      .toBeLessThan(3);

    // Click: the alarm's card; acknowledge it (the marker stops flashing), then "Show video" opens the Live tab.
    await pin.click();
    const detail = page.locator(`.map-alarm-card .alarm-detail[data-alarm-id="${alarmId}"]`);
    await detail.waitFor();
    expect(await detail.innerText()).toContain('Bike 7');
    await detail.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => detail.getAttribute('data-state')).toBe('acknowledged');
    await expect.poll(async () => (await pinMarker.getAttribute('class')) ?? '').not.toContain('alarm-marker-flashing');
    const steps = (await (await fetch(`${b.url}/api/v1/alarms/${alarmId}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
      state: string;
      handler: string | null;
    };
    expect(steps.state).toBe('acknowledged');
    await detail.getByRole('button', { name: 'Show video' }).click();
    await expect.poll(() => page.getByRole('tab', { name: 'Live' }).getAttribute('aria-selected')).toBe('true');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it("raises a manual alarm from a unit's card: it is stored with the unit's position and drawn there", async () => {
    await page.getByRole('tab', { name: 'Map' }).click();
    const units = (await (await fetch(`${b.url}/api/v1/gps/units`, { headers: { Authorization: `Bearer ${token}` } })).json()) as Array<{
      unitId: number;
      position: { lat: number; lon: number } | null;
    }>;
    const pos = units.find((u) => u.unitId === sosUnit.unit.id)!.position!;
    await page.locator(`.unit-marker:has([data-unit-id="${sosUnit.unit.id}"]) .unit-glyph`).click();
    const card = page.locator(`.unit-card[data-unit-id="${sosUnit.unit.id}"]`);
    await card.getByRole('button', { name: 'Raise alarm' }).click();
    // The card switches from the (acknowledged) SOS to the new alarm.
    const detail = page.locator('.map-alarm-card .alarm-detail[data-state="new"]');
    await detail.waitFor();
    const alarmId = Number(await detail.getAttribute('data-alarm-id'));
    const a = (await (await fetch(`${b.url}/api/v1/alarms/${alarmId}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
      type: string;
      sourceId: number;
      lat: number;
      lon: number;
      severity: string;
      message: string;
    };
    expect(a).toMatchObject({ type: 'manual', sourceId: sosUnit.unit.id, lat: pos.lat, lon: pos.lon, severity: 'major' });
    expect(a.message).toBe('Raised on the map for Bike 7 by admin');
    const pin = page.locator(`.alarm-pin[data-alarm-id="${alarmId}"]`);
    await pin.waitFor();
    expect(await pin.getAttribute('data-severity')).toBe('major');
    await expect
      .poll(
        async () => {
          const [want, bb] = [await expectedAt(pos.lat, pos.lon), (await pin.boundingBox())!];
          return Math.hypot(want.x - (bb.x + bb.width / 2), want.y - (bb.y + bb.height / 2));
        },
        { timeout: 10_000 },
      )
      .toBeLessThan(3);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
