// Cross-feature end to end: search by place over real GPS telemetry and real recordings (two units over RTMP, two placed RTSP cameras), then an evidence export of the unit with its GPX/KML track, verified offline.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Camera, UnitKey } from '../../common/api';
import type { IngestResult, TelemetryPoint } from '../../common/gps';
import type { Case, ExportJob, Manifest, PlaybackMap, SearchHit, Timeline } from '../../common/investigation';
import { ensureClip } from '../helpers/clips';
import { publishRtmp, type Publisher } from '../helpers/rtmp';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';
import { buildRenderer } from '../../scripts/build-renderer';
import { openConsole, type TestBrowser } from '../harness';
import { ADMIN_PASSWORD, startInvServer, tempDir, until, type InvServer } from './investigation-server';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
/** The place searched for, and the radius. */
const P = { lat: 31.2304, lon: 121.4737 };
const R_M = 50;
/** Metres per degree of longitude at P's latitude (and of latitude). */
const M_PER_DEG_LON = 111_320 * Math.cos((P.lat * Math.PI) / 180);
const M_PER_DEG_LAT = 110_574;
/** Unit A drives east along P's latitude at 20 m/s, passing P at tick PASS_TICK; unit B waits 5 km north. */
const TICKS = 16;
const PASS_TICK = 8;
const STEP_M = 20;

function distanceM(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

describe('search by place with the real GPS feature, and the unit export with its track', () => {
  let dataDir: string;
  let srv: InvServer;
  let admin: string;
  let rtsp: RtspServer;
  let browser: TestBrowser;
  let page: Page;
  const publishers: Publisher[] = [];
  let pageErrors: string[] = [];

  beforeAll(async () => {
    dataDir = tempDir('e2e-integ-place');
    const build = await buildRenderer(path.join(dataDir, 'console'));
    srv = await startInvServer(path.join(dataDir, 'data'), {}, build.outDir);
    admin = await srv.token();
    const clip = await ensureClip({ width: 320, height: 240, fps: 25, seconds: 4, bitrateKbps: 300, audio: true });
    rtsp = await startRtspServer({ count: 2, clip });
    ({ browser, page, pageErrors } = await openConsole(srv.backend.url, {
      localOnly: true,
      context: { timezoneId: undefined, viewport: { width: 1600, height: 900 } },
    }));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    for (const p of publishers) await p.kill();
    await srv?.backend.close();
    await rtsp?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('finds the unit that passed within R metres during its recording (at the right moment) and the camera placed near, not the far ones; exports the unit with GPX and KML', async () => {
    const b = srv.backend;
    const clip = await ensureClip({ width: 320, height: 240, fps: 25, seconds: 4, bitrateKbps: 300, audio: true });
    // Two units that publish video over RTMP, as their 4G encoders do.
    const mkUnit = async (callsign: string) => {
      const r = await srv.api<UnitKey>('POST', '/api/v1/units', admin, { callsign, type: 'vehicle', segmentSeconds: 2 });
      expect(r.status).toBe(201);
      publishers.push(publishRtmp(r.body.publishUrl, clip, { loop: true }));
      return r.body;
    };
    const unitA = await mkUnit('Car 21');
    const unitB = await mkUnit('Car 22');
    // Two fixed cameras recording from the RTSP server, placed on the map: one 30 m from P, one 2 km away.
    const mkCam = async (name: string, mount: string, at: { lat: number; lon: number }) => {
      const r = await srv.api<Camera>('POST', '/api/v1/cameras', admin, { name, url: rtsp.url(mount), segmentSeconds: 2 });
      expect(r.status).toBe(201);
      const placed = await srv.api('PUT', `/api/v1/gps/cameras/${r.body.id}/place`, admin, { ...at, viewDeg: 90 });
      expect(placed.status, JSON.stringify(placed.body)).toBe(200);
      return r.body;
    };
    const nearCamAt = { lat: P.lat + 30 / M_PER_DEG_LAT, lon: P.lon };
    const farCamAt = { lat: P.lat, lon: P.lon + 2000 / M_PER_DEG_LON };
    const nearCam = await mkCam('Square north <b>N</b>', 'cam1', nearCamAt);
    const farCam = await mkCam('Harbour gate', 'cam2', farCamAt);

    for (const id of [unitA.unit.id, unitB.unit.id, nearCam.id, farCam.id])
      await until(async () => b.recording.status(id).state === 'recording', 60_000, `source ${id} recording`);

    // GPS through the real telemetry API, one point a second while both units record.
    const sent = new Map<number, TelemetryPoint[]>([
      [unitA.unit.id, []],
      [unitB.unit.id, []],
    ]);
    const post = async (u: UnitKey, p: TelemetryPoint) => {
      const r = await fetch(`${b.url}/api/v1/gps/telemetry?unit=${u.unit.id}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Unit-Key': u.streamKey },
        body: JSON.stringify({ points: [p] }),
      });
      const body = (await r.json()) as IngestResult;
      expect(r.status, JSON.stringify(body)).toBe(200);
      expect(body.stored).toBe(1);
      sent.get(u.unit.id)!.push(p);
    };
    for (let i = 0; i < TICKS; i++) {
      const tMs = Date.now();
      await post(unitA, {
        tMs,
        lat: P.lat,
        lon: P.lon + ((i - PASS_TICK) * STEP_M) / M_PER_DEG_LON,
        speedMps: STEP_M,
        headingDeg: 90,
        batteryPct: 80,
        signalDbm: -75,
      });
      await post(unitB, { tMs, lat: P.lat + 5000 / M_PER_DEG_LAT, lon: P.lon, speedMps: 0, headingDeg: 0, batteryPct: 64, signalDbm: -90 });
      await new Promise((r) => setTimeout(r, 1000));
    }
    const trackA = sent.get(unitA.unit.id)!;
    const nearA = trackA.filter((p) => distanceM(p, P) <= R_M);
    expect(nearA.length).toBe(5); // 40, 20, 0, 20, 40 m
    const firstNearMs = nearA[0]!.tMs;
    const lastNearMs = nearA.at(-1)!.tMs;
    const fromMs = trackA[0]!.tMs - 30_000;
    const toMs = trackA.at(-1)!.tMs + 1000;

    // The time it passed P is recorded video of unit A (closed segments in the index).
    await until(
      async () => {
        const tl = (await srv.api<Timeline>('GET', `/api/v1/timeline/${unitA.unit.id}?startMs=${fromMs}&endMs=${toMs + 30_000}`, admin)).body;
        return tl.ranges.some((r) => r.startMs <= firstNearMs && r.endMs >= lastNearMs);
      },
      60_000,
      'unit A recorded over its pass',
    );
    for (const cam of [nearCam, farCam])
      await until(
        async () => (await srv.api<Timeline>('GET', `/api/v1/timeline/${cam.id}?startMs=${fromMs}&endMs=${toMs}`, admin)).body.ranges.length > 0,
        60_000,
        `camera ${cam.id} recorded`,
      );

    // Search by place.
    const q = `startMs=${fromMs}&endMs=${toMs}&lat=${P.lat}&lon=${P.lon}&radiusM=${R_M}`;
    const res = await srv.api<SearchHit[]>('GET', `/api/v1/search?${q}`, admin);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const hits = res.body;
    const unitHits = hits.filter((h) => h.kind === 'place-unit');
    expect(unitHits.map((h) => h.cameraId)).toEqual([unitA.unit.id]);
    const hitA = unitHits[0]!;
    expect(hitA).toMatchObject({ label: 'Car 21', startMs: firstNearMs, endMs: lastNearMs, distanceM: 0 });
    // Playback opens at the moment the unit was first within R metres (it was recording then).
    expect(hitA.atMs).toBe(firstNearMs);
    const pb = await srv.api<PlaybackMap>('GET', `/api/v1/playback-map/${unitA.unit.id}?startMs=${hitA.atMs}&endMs=${hitA.atMs + 4000}`, admin);
    expect(pb.status).toBe(200);
    expect(pb.body.pieces.length).toBeGreaterThan(0);
    const first = pb.body.pieces[0]!;
    console.log(`[integration-place-search] hit atMs=${hitA.atMs}, first playback piece ${first.wallMs - hitA.atMs} ms from it, ${first.durationS} s long`);
    // The first piece of the playlist holds that moment (it starts on the keyframe at or before it).
    expect(first.wallMs).toBeLessThanOrEqual(hitA.atMs);
    expect(first.wallMs + first.durationS * 1000).toBeGreaterThan(hitA.atMs);
    const camHits = hits.filter((h) => h.kind === 'place-camera');
    expect(camHits.map((h) => h.cameraId)).toEqual([nearCam.id]);
    expect(camHits[0]).toMatchObject({ label: 'Square north <b>N</b>' });
    expect(Math.abs(camHits[0]!.distanceM! - 30)).toBeLessThanOrEqual(1);
    // Unit B and the far camera are found only with a radius that reaches them.
    const wide = (await srv.api<SearchHit[]>('GET', `/api/v1/search?startMs=${fromMs}&endMs=${toMs}&lat=${P.lat}&lon=${P.lon}&radiusM=6000`, admin)).body;
    expect(new Set(wide.filter((h) => h.kind === 'place-unit').map((h) => h.cameraId))).toEqual(new Set([unitA.unit.id, unitB.unit.id]));
    expect(new Set(wide.filter((h) => h.kind === 'place-camera').map((h) => h.cameraId))).toEqual(new Set([nearCam.id, farCam.id]));

    // Export unit A over its whole track: MP4, GPX and KML with every point, a manifest that verifies offline.
    const kase = await srv.api<Case>('POST', '/api/v1/cases', admin, { reference: 'CR-2026/0777', title: 'Square pass' });
    expect(kase.status).toBe(201);
    const startMs = trackA[0]!.tMs;
    const endMs = trackA.at(-1)!.tMs + 1;
    const job0 = await srv.api<ExportJob>('POST', '/api/v1/exports', admin, {
      caseId: kase.body.id,
      sources: [{ cameraId: unitA.unit.id }],
      startMs,
      endMs,
      name: 'car21-pass',
    });
    expect(job0.status, JSON.stringify(job0.body)).toBe(201);
    const job = await until(
      async () => {
        const j = (await srv.api<ExportJob>('GET', `/api/v1/exports/${job0.body.id}`, admin)).body;
        return j.state === 'done' || j.state === 'failed' ? j : null;
      },
      120_000,
      'the export',
    );
    expect(job.state, job.error ?? '').toBe('done');
    const dir = path.join(dataDir, 'data', 'exports', job.dirName);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.caseReference).toBe('CR-2026/0777');
    expect(manifest.sources.map((s) => [s.cameraId, s.kind])).toEqual([[unitA.unit.id, 'unit']]);
    const files = manifest.files.map((f) => f.path);
    const gpx = files.find((f) => f.startsWith('tracks/') && f.endsWith('.gpx'));
    const kml = files.find((f) => f.startsWith('tracks/') && f.endsWith('.kml'));
    expect(gpx, files.join(', ')).toBeDefined();
    expect(kml, files.join(', ')).toBeDefined();
    const gpxText = fs.readFileSync(path.join(dir, gpx!), 'utf8');
    const kmlText = fs.readFileSync(path.join(dir, kml!), 'utf8');
    const trkpts = [...gpxText.matchAll(/<trkpt lat="([-\d.]+)" lon="([-\d.]+)">(?:<ele>[^<]*<\/ele>)?<time>([^<]+)<\/time><\/trkpt>/g)];
    expect(trkpts).toHaveLength(TICKS);
    expect(trkpts.map((m) => Date.parse(m[3]!))).toEqual(trackA.map((p) => p.tMs));
    expect(trkpts.map((m) => Number(m[2]))).toEqual(trackA.map((p) => Number(p.lon.toFixed(7))));
    expect([...kmlText.matchAll(/<gx:coord>/g)]).toHaveLength(TICKS);
    expect([...kmlText.matchAll(/<when>/g)]).toHaveLength(TICKS);
    expect(gpxText).toContain('<name>Car 21</name>');
    // The video of that range is there too.
    const mp4 = manifest.sources[0]!.file;
    expect(mp4).toBeTruthy();
    expect(fs.statSync(path.join(dir, mp4!)).size).toBeGreaterThan(10_000);
    // The console: the Playback tab's search by place (default time range: the last 24 h up to now) lists the unit and the near
    // camera only; the unit's result opens playback of that unit at the moment it was first within R metres.
    await page.goto(b.url);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('tab', { name: 'Playback', exact: true }).click();
    const form = page.locator('form.pb-search');
    await form.locator('input[name=search-lat]').fill(String(P.lat));
    await form.locator('input[name=search-lon]').fill(String(P.lon));
    await form.locator('input[name=search-radius]').fill(String(R_M));
    await form.locator('button[type=submit]').click();
    const results = form.locator('ul.pb-hits li');
    await results.first().waitFor();
    const texts = await results.allInnerTexts();
    expect(texts.filter((x) => x.includes('Unit near the place')).map((x) => x.includes('Car 21'))).toEqual([true]);
    expect(texts.filter((x) => x.includes('Camera near the place')).map((x) => x.includes('Square north'))).toEqual([true]);
    expect(texts.join('\n')).not.toMatch(/Car 22|Harbour gate/);
    await results.filter({ hasText: 'Car 21' }).getByRole('button').click();
    await page.locator(`.pb-tile[data-camera-id="${unitA.unit.id}"]`).waitFor();
    const nowMs = Number(await page.locator('.pb-now').getAttribute('data-now-ms'));
    // At the moment of the result (playback may have started running from it).
    expect(nowMs).toBeGreaterThanOrEqual(hitA.atMs - 1000);
    expect(nowMs).toBeLessThan(hitA.atMs + 5000);
    // The Map tab shows the placed camera; its name (with markup characters) is shown as text.
    await page.getByRole('tab', { name: 'Map', exact: true }).click();
    const camMarker = page.locator(`.camera-marker [data-camera-id="${nearCam.id}"]`);
    await camMarker.waitFor();
    await camMarker.evaluate((el) => el.closest('.leaflet-marker-icon')!.dispatchEvent(new MouseEvent('mouseover', { bubbles: true })));
    const tip = page.locator('.leaflet-tooltip', { hasText: 'Square north' });
    await tip.waitFor();
    expect(await tip.innerText()).toBe('Square north <b>N</b>');
    expect(await tip.locator('b').count()).toBe(0);
    expect(pageErrors).toEqual([]);

    const verify = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/verify-export.ts'), dir], { cwd: ROOT, encoding: 'utf8' });
    expect(verify.status, `${verify.stdout}${verify.stderr}`).toBe(0);
  }, 240_000);
});
