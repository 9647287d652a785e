// End to end in headless Chromium: a new user finds the ONVIF simulator, adds it in one step, watches it, steers it, saves and recalls presets, runs a tour.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../main/config';
import { startBackend, type Backend } from '../../main/server/backend';
import { buildRenderer } from '../../scripts/build-renderer';
import { ensureClip } from '../helpers/clips';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';
import { OnvifSimulator } from '../onvif-sim/simulator';
import { waitFor } from '../onvif-sim/harness';
import { launchBrowser, type TestBrowser } from '../harness';

const ADMIN_PASSWORD = 'onvif-console-chief';

describe('ONVIF in the console', () => {
  let tmp: string;
  let backend: Backend;
  let rtsp: RtspServer;
  let sim: OnvifSimulator;
  let browser: TestBrowser;
  let context: BrowserContext;
  let page: Page;
  let cameraId = 0;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-e2e-onvif-console-'));
    const build = await buildRenderer(path.join(tmp, 'console'));
    const clip = await ensureClip({ width: 320, height: 240, fps: 25, seconds: 4, bitrateKbps: 300, audio: true });
    rtsp = await startRtspServer({ count: 2, clip });
    sim = new OnvifSimulator({
      username: 'onvif',
      password: 'cam-secret-42',
      manufacturer: 'Acme',
      model: 'SpeedDome',
      serial: 'SD-77',
      sources: [{ token: 'vs1', mainUri: rtsp.url('cam1'), subUri: rtsp.url('cam2') }],
      discoveryPort: 0,
      pullHoldMs: 1000,
      clockOffsetMs: -30_000, // a device clock 30 s behind: flagged in the console
    });
    await sim.start();
    const config = loadConfig({
      dataDir: path.join(tmp, 'data'),
      env: {},
      overrides: { port: 0, rtmpPort: 0, sipPort: 0, consoleDir: build.outDir, onvifTimeoutMs: 2000 },
    });
    backend = await startBackend(config, { env: { ARGUS_ADMIN_PASSWORD: ADMIN_PASSWORD }, log: () => undefined });
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.stack ?? err.message));
    page.setDefaultTimeout(15_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await backend?.close();
    await sim?.stop();
    await rtsp?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }, 60_000);

  it('finds the simulator by a directed probe and adds it in one step', async () => {
    await page.goto(backend.url);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.stream-indicator[data-state=open]').waitFor();
    await page.getByRole('tab', { name: 'Admin' }).click();
    await page.getByRole('button', { name: 'Add ONVIF device' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Addresses or ranges (optional)').fill('127.0.0.1');
    await dialog.getByLabel('Discovery port').fill(String(sim.discoveryPort));
    await dialog.getByRole('button', { name: 'Search' }).click();
    const row = dialog.locator(`tr[data-urn="${sim.urn}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('SpeedDome');
    await row.getByRole('button', { name: 'Use' }).click();
    expect(await dialog.getByLabel('Host or IP address').inputValue()).toBe('127.0.0.1');
    expect(await dialog.getByLabel('Port', { exact: true }).inputValue()).toBe(String(sim.port));

    // Wrong password first: the reason shows beside the field, nothing is added.
    await dialog.getByLabel('User name').fill('onvif');
    await dialog.getByLabel('Password', { exact: true }).fill('wrong');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.locator('[data-field=onvif-password] .field-error').waitFor();
    expect(await dialog.locator('[data-field=onvif-password] .field-error').innerText()).toContain('refused the user name or password');

    await dialog.getByLabel('Password', { exact: true }).fill('cam-secret-42');
    await dialog.getByLabel('Camera name (optional)').fill('Dome East');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.locator('.onvif-devices tr[data-device-id]').waitFor();
    expect(await dialog.locator('.onvif-devices').innerText()).toContain('SD-77');
    await page.keyboard.press('Escape');
    // The camera detail shows the ONVIF device and flags its clock.
    await page.locator('.cameras-table tbody tr', { hasText: 'Dome East' }).click();
    const clock = page.locator('.camera-detail [data-clock-skewed=true]');
    await clock.waitFor();
    expect(await clock.innerText()).toMatch(/Device clock off by -(29|30|31)\.\d s/);
    const tree = page.locator('.tree-camera', { hasText: 'Dome East' });
    await tree.waitFor();
    cameraId = Number(await tree.getAttribute('data-camera-id'));
    expect(cameraId).toBeGreaterThan(0);
    await page.locator(`.tree-camera[data-camera-id="${cameraId}"][data-state=recording]`).waitFor({ timeout: 30_000 });
  }, 60_000);

  it('watches it and steers it from the pad and the arrow keys on the maximized tile', async () => {
    await page.getByRole('tab', { name: 'Live' }).click();
    await page.locator('.tile[data-tile-index="0"]').waitFor();
    await page.dragAndDrop(`.tree-camera[data-camera-id="${cameraId}"]`, '.tile[data-tile-index="0"]');
    const tile = page.locator('.tile[data-tile-index="0"]');
    await tile.and(page.locator('[data-state=playing]')).waitFor({ timeout: 30_000 });
    // The camera's ONVIF link reports PTZ: its tile offers the PTZ tool (plain RTSP cameras get none, alarms-console.test.ts).
    await tile.locator('.tile-tool[name=ptz][title="PTZ control"]').waitFor({ state: 'attached' });
    await tile.dblclick();
    const pad = page.locator(`.ptz-panel[data-camera-id="${cameraId}"]`);
    await pad.waitFor();
    await pad.locator('.ptz-flag[data-clock-skew]').waitFor();

    // Press and hold "right": the camera pans while held and stops on release.
    const right = pad.locator('[data-dir=r]');
    await right.hover();
    await page.mouse.down();
    await waitFor('panning', () => sim.getPosition().moving && sim.getPosition().x > 0.05, 5000);
    await page.mouse.up();
    await waitFor('stopped on release', () => !sim.getPosition().moving, 3000);
    const x = sim.getPosition().x;
    expect(x).toBeGreaterThan(0);
    await pad.locator('.ptz-holder').and(page.locator('[data-holder=admin]')).waitFor();

    // Arrow key up: tilts while held.
    await tile.focus();
    await page.keyboard.down('ArrowUp');
    await waitFor('tilting', () => sim.getPosition().y > 0.05, 5000);
    await page.keyboard.up('ArrowUp');
    await waitFor('stopped on key release', () => !sim.getPosition().moving, 3000);

    // Mouse wheel over the picture zooms in, and stops by itself after the wheel rests.
    const box = (await tile.boundingBox())!;
    await page.mouse.move(box.x + box.width / 4, box.y + box.height / 2);
    await page.mouse.wheel(0, -120);
    await waitFor('zooming in', () => sim.getPosition().zoom > 0, 5000);
    await waitFor('zoom stopped', () => !sim.getPosition().moving, 3000);
  }, 60_000);

  it('saves and recalls presets and runs a tour on the server', async () => {
    const pad = page.locator(`.ptz-panel[data-camera-id="${cameraId}"]`);
    await pad.getByLabel('Preset name').fill('Gate');
    await pad.getByRole('button', { name: 'Save position' }).click();
    await pad.locator('.ptz-list li', { hasText: 'Gate' }).waitFor();
    const gate = sim.presetList().find((p) => p.name === 'Gate')!;
    expect(gate).toBeTruthy();
    await pad.getByRole('button', { name: 'Home position' }).click();
    await waitFor('home', () => sim.getPosition().x === 0 && sim.getPosition().y === 0, 3000);
    await pad.getByLabel('Preset name').fill('Home view');
    await pad.getByRole('button', { name: 'Save position' }).click();
    await pad.locator('.ptz-list li', { hasText: 'Home view' }).waitFor();
    await pad.locator('.ptz-list li', { hasText: 'Gate' }).getByRole('button', { name: 'Go' }).click();
    await waitFor('at Gate', () => sim.getPosition().x === gate.pos.x && sim.getPosition().y === gate.pos.y, 3000);

    await pad.getByRole('spinbutton').fill('1');
    await pad.getByRole('button', { name: 'New tour from all presets' }).click();
    await pad.locator('[data-tour-id]').waitFor();
    await pad.getByRole('button', { name: 'Release' }).click();
    const before = sim.callsOf('GotoPreset').length;
    await pad.locator('[data-tour-id]').getByRole('button', { name: 'Start' }).click();
    await pad.locator('.ptz-tour-status[data-tour-state=running]').waitFor();
    await waitFor('tour visits both presets', () => sim.callsOf('GotoPreset').length >= before + 3, 10_000);
    const tokens = sim
      .callsOf('GotoPreset')
      .slice(before, before + 3)
      .map((c) => c.args.PresetToken);
    expect(new Set(tokens).size).toBe(2);
    await pad.locator('.ptz-tour-status').getByRole('button', { name: 'Stop' }).click();
    await pad.locator('.ptz-tour-status').waitFor({ state: 'detached' });
    // An admin holds 'ptz.configure': the current position becomes the camera's home.
    const homes = sim.callsOf('SetHomePosition').length;
    await pad.getByRole('button', { name: 'Set current position as home' }).click();
    await page.getByText('Home position saved').waitFor();
    expect(sim.callsOf('SetHomePosition').length).toBe(homes + 1);
    await pad.getByRole('button', { name: 'Release' }).click(); // the officer below steers next
    await pad.locator('[data-holder=""]').waitFor();
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('an officer (no ptz.configure) steers, goes home and runs a tour, but is offered no home setting and no tour editing', async () => {
    const admin = await (
      await fetch(`${backend.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
      })
    ).json();
    const created = await fetch(`${backend.url}/api/v1/users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'olly', password: 'copper-river-bend-6', role: 'officer' }),
    });
    expect(created.status).toBe(201);
    // Officers hold rights only where granted (issue 13): watch and steer this camera, nothing about configuring PTZ.
    const olly = (await created.json()) as { id: number };
    for (const right of ['live.view', 'ptz.control']) {
      const g = await fetch(`${backend.url}/api/v1/access/grants`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${admin.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ principalKind: 'user', principalId: olly.id, right, scopeKind: 'channel', scopeId: cameraId, effect: 'allow' }),
      });
      expect(g.status).toBe(201);
    }
    const officerContext = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } });
    try {
      const p = await officerContext.newPage();
      p.setDefaultTimeout(15_000);
      const forbidden: string[] = [];
      p.on('response', (r) => (r.status() === 403 ? forbidden.push(`${r.request().method()} ${new URL(r.url()).pathname}`) : undefined));
      await p.goto(backend.url);
      await p.getByLabel('Username').fill('olly');
      await p.getByLabel('Password').fill('copper-river-bend-6');
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.locator('.tile[data-tile-index="0"]').waitFor();
      await p.dragAndDrop(`.tree-camera[data-camera-id="${cameraId}"]`, '.tile[data-tile-index="0"]');
      const tile = p.locator('.tile[data-tile-index="0"]');
      await tile.and(p.locator('[data-state=playing]')).waitFor({ timeout: 30_000 });
      await tile.dblclick();
      const pad = p.locator(`.ptz-panel[data-camera-id="${cameraId}"]`);
      await pad.locator('[data-tour-id]').waitFor();
      const homeCalls = sim.callsOf('GotoHomePosition').length;
      await pad.getByRole('button', { name: 'Home position' }).click();
      await waitFor('home (officer)', () => sim.callsOf('GotoHomePosition').length > homeCalls, 5000);
      expect(await pad.getByRole('button', { name: 'Set current position as home' }).count()).toBe(0);
      expect(await pad.getByRole('button', { name: 'New tour from all presets' }).count()).toBe(0);
      expect(await pad.locator('[data-tour-id]').getByRole('button', { name: 'Delete' }).count()).toBe(0);
      await pad.locator('[data-tour-id]').getByRole('button', { name: 'Start' }).click();
      await pad.locator('.ptz-tour-status[data-tour-state=running]').waitFor();
      await pad.locator('.ptz-tour-status').getByRole('button', { name: 'Stop' }).click();
      await pad.locator('.ptz-tour-status').waitFor({ state: 'detached' });
      await pad
        .getByRole('button', { name: 'Release' })
        .click()
        .catch(() => undefined);
      expect(forbidden).toEqual([]);
    } finally {
      await officerContext.close();
    }
  }, 90_000);

  it('sets a per-user PTZ priority in Admin → Users', async () => {
    await page.keyboard.press('Escape'); // leave the maximized tile
    await page.getByRole('tab', { name: 'Admin' }).click();
    await page.locator('.sub-nav-item', { hasText: 'Users' }).click();
    const row = page.locator('.ptz-priorities tr', { hasText: 'admin' });
    await row.waitFor();
    expect(await row.locator('td.num').innerText()).toBe('40');
    await row.getByLabel('Own priority (0–100)').fill('55');
    await row.getByRole('button', { name: 'Save' }).click();
    await row.locator('td.num', { hasText: '55' }).waitFor();
    const adminId = (await backend.store.users.getByUsername('admin'))!.id;
    expect(await backend.store.onvif.getPriority(adminId)).toBe(55);
    expect(pageErrors).toEqual([]);
  }, 30_000);
});
