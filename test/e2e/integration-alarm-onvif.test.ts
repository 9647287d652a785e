// Cross-feature end to end: ONVIF simulator motion → alarm linkage rule → wall tile in the Chromium console, PTZ preset on the device, pre-alarm bookmark over recorded segments.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alarm, AlarmList, AlarmRule } from '../../common/alarms';
import type { Camera } from '../../common/api';
import type { Bookmark, Timeline } from '../../common/investigation';
import type { PtzPreset } from '../../common/onvif';
import { buildRenderer } from '../../scripts/build-renderer';
import { ADMIN_PASSWORD, startHarness, waitFor, type Harness } from '../onvif-sim/harness';
import type { OnvifSimulator } from '../onvif-sim/simulator';
import { openConsole, type TestBrowser } from '../harness';

/** Seconds of recording before the alarm the rule bookmarks (from continuous recording), and after it. */
const BEFORE_S = 6;
const AFTER_S = 4;
const TILE = 1;

describe('ONVIF motion drives an alarm rule: wall tile, PTZ preset, pre-alarm bookmark', () => {
  let tmp: string;
  let h: Harness;
  let browser: TestBrowser;
  let page: Page;
  let sim: OnvifSimulator;
  let camId: number;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-e2e-integ-alarm-onvif-'));
    const build = await buildRenderer(path.join(tmp, 'console'));
    // Short segments, so the pre-alarm seconds are closed, indexed segments soon after the alarm.
    h = await startHarness({ consoleDir: build.outDir, segmentSeconds: 2 });
    sim = await h.sim({ unitsPerSecond: 0.5 });
    // Added through Argus's API (recording at once); the simulator's main profile is the GStreamer RTSP test server's cam1.
    const r = await h.api<{ cameraIds: number[] }>('POST', '/api/v1/onvif/devices', {
      host: '127.0.0.1',
      port: sim.port,
      username: 'onvif',
      password: 'cam-secret-42',
      name: 'Gate PTZ',
    });
    expect(r.status).toBe(201);
    camId = r.body.cameraIds[0]!;
    ({ browser, page, pageErrors } = await openConsole(h.b.url, { context: { timezoneId: undefined, viewport: { width: 1600, height: 900 } } }));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }, 60_000);

  it('fires motion on the simulator; the rule shows the camera playing on its tile, recalls the preset, and bookmarks the recorded pre-alarm seconds', async () => {
    // The camera really records from the RTSP server.
    await waitFor('camera recording', async () => (await h.api<Camera>('GET', `/api/v1/cameras/${camId}`)).body.status.state === 'recording', 60_000, 250);
    expect((await h.api<Camera>('GET', `/api/v1/cameras/${camId}`)).body.url).toBe(h.rtsp.url('cam1'));

    // A preset saved on the device away from home, then the camera sent home and control released.
    expect((await h.api('POST', `/api/v1/cameras/${camId}/ptz/move`, { pan: 1, tilt: -0.5 })).status).toBe(204);
    await new Promise((r) => setTimeout(r, 600));
    expect((await h.api('POST', `/api/v1/cameras/${camId}/ptz/stop`)).status).toBe(204);
    const presetPos = sim.getPosition();
    expect(Math.abs(presetPos.x)).toBeGreaterThan(0.1);
    const preset = await h.api<PtzPreset>('POST', `/api/v1/cameras/${camId}/ptz/presets`, { name: 'Gate entrance' });
    expect(preset.status).toBe(201);
    expect((await h.api('POST', `/api/v1/cameras/${camId}/ptz/home`)).status).toBe(204);
    expect(sim.getPosition()).toMatchObject({ x: 0, y: 0, moving: false });
    expect((await h.api('POST', `/api/v1/cameras/${camId}/ptz/release`)).status).toBe(204);

    // The linkage rule, through the API.
    const rule = await h.api<AlarmRule>('POST', '/api/v1/alarm-rules', {
      name: 'Gate motion',
      sourceIds: [camId],
      types: ['motion'],
      actions: {
        wall: { window: 0, tile: TILE },
        ptz: { cameraId: null, presetId: preset.body.id },
        bookmark: { cameraId: null, beforeS: BEFORE_S, afterS: AFTER_S },
      },
    });
    expect(rule.status).toBe(201);

    // The console is signed in and on the Live tab.
    await page.goto(h.b.url);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.stream-indicator[data-state=open]').waitFor();
    await page.getByRole('tab', { name: 'Live', exact: true }).click();
    await page.locator('[data-testid=video-wall]').waitFor();
    expect(await page.locator(`.tile[data-tile-index="${TILE}"] video[data-source-id="${camId}"]`).count()).toBe(0);

    // Enough continuous recording before the alarm for the pre-alarm bookmark.
    const recordingSince = await waitFor(
      'recorded seconds before the alarm',
      async () => {
        const tl = (await h.api<Timeline>('GET', `/api/v1/timeline/${camId}?startMs=${Date.now() - 600_000}&endMs=${Date.now() + 60_000}`)).body;
        const first = tl.ranges[0];
        return first && Date.now() - first.startMs > (BEFORE_S + 4) * 1000 ? first.startMs : null;
      },
      60_000,
      500,
    );
    expect(recordingSince).toBeGreaterThan(0);

    // The device reports motion through its PullPoint subscription.
    await waitFor('PullPoint subscription', () => sim.activeSubscriptions() > 0, 20_000);
    await new Promise((r) => setTimeout(r, 300)); // a pull is waiting on the device
    const firedMs = Date.now();
    sim.fireEvent({ topic: 'tns1:VideoSource/MotionAlarm', source: { Source: 'vs1' }, data: { State: 'true' } });

    // The alarm, raised by the rule, with its server-side actions done.
    const alarm = await waitFor(
      'motion alarm with PTZ and bookmark outcomes',
      async () => {
        const a = (await h.api<AlarmList>('GET', `/api/v1/alarms?type=motion&sourceId=${camId}`)).body.alarms[0];
        if (!a) return null;
        const full = (await h.api<Alarm>('GET', `/api/v1/alarms/${a.id}`)).body;
        return full.actions.some((x) => x.kind === 'ptz') && full.actions.some((x) => x.kind === 'bookmark') ? full : null;
      },
      20_000,
      100,
    );
    expect(alarm.ruleIds).toEqual([rule.body.id]);
    expect(Math.abs(alarm.firstMs - firedMs)).toBeLessThan(2000);

    // The wall: the rule's tile shows this camera, and its video plays (decoded frames grow).
    const tile = page.locator(`.tile[data-tile-index="${TILE}"]`);
    await tile.locator(`video[data-source-id="${camId}"]`).waitFor({ state: 'attached', timeout: 10_000 });
    expect(await tile.locator('.tile-name').innerText()).toContain('Gate PTZ');
    await tile.and(page.locator('[data-state=playing]')).waitFor({ timeout: 30_000 });
    const frames = () =>
      page.evaluate((i) => document.querySelector<HTMLVideoElement>(`.tile[data-tile-index="${i}"] video`)!.getVideoPlaybackQuality().totalVideoFrames, TILE);
    const f0 = await frames();
    await page.waitForTimeout(2000);
    expect((await frames()) - f0, 'frames decoded in 2 s on the alarm tile').toBeGreaterThan(20);

    // PTZ: the device is at the preset's position, and the alarm says so.
    const ptz = alarm.actions.find((x) => x.kind === 'ptz')!;
    expect(ptz).toMatchObject({ status: 'ok', ruleId: rule.body.id });
    expect(ptz.message).toContain(`preset ${preset.body.id} on camera ${camId}`);
    expect(sim.callsOf('GotoPreset').at(-1)!.args.PresetToken).toBe(preset.body.token);
    const pos = sim.getPosition();
    expect(pos.moving).toBe(false);
    expect(pos.x).toBeCloseTo(presetPos.x, 6);
    expect(pos.y).toBeCloseTo(presetPos.y, 6);
    expect(pos.zoom).toBeCloseTo(presetPos.zoom, 6);

    // The bookmark covers the pre-alarm seconds, and those seconds are recorded segments.
    const bm = alarm.actions.find((x) => x.kind === 'bookmark')!;
    expect(bm.status).toBe('ok');
    const marks = (await h.api<Bookmark[]>('GET', `/api/v1/bookmarks?cameraId=${camId}`)).body;
    const mark = marks.find((m) => m.id === bm.resultId);
    expect(mark).toBeDefined();
    expect(mark!.startMs).toBeLessThanOrEqual(alarm.firstMs - BEFORE_S * 1000);
    expect(mark!.endMs).toBeGreaterThanOrEqual(alarm.firstMs + AFTER_S * 1000);
    const preStart = alarm.firstMs - BEFORE_S * 1000;
    const covered = await waitFor(
      'the pre-alarm seconds in the segment index',
      async () => {
        const tl = (await h.api<Timeline>('GET', `/api/v1/timeline/${camId}?startMs=${preStart - 60_000}&endMs=${alarm.firstMs + 60_000}`)).body;
        const ms = tl.ranges.reduce((n, r) => n + Math.max(0, Math.min(r.endMs, alarm.firstMs) - Math.max(r.startMs, preStart)), 0);
        return ms >= BEFORE_S * 1000 - 500 ? { ms, tl } : null;
      },
      30_000,
      500,
    );
    expect(covered.ms).toBeGreaterThanOrEqual(BEFORE_S * 1000 - 500);
    // The timeline shows the bookmark too.
    expect(covered.tl.bookmarks.map((b) => b.id)).toContain(mark!.id);
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
