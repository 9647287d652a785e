// End to end: the Live tab's video wall in headless Chromium against the real back end, a GStreamer RTSP camera and a unit publishing with ffmpeg.
import fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Camera, LiveTicket } from '../../common/api';
import { ensureClip } from '../helpers/clips';
import { publishRtmp, type Publisher } from '../helpers/rtmp';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';
import { openConsole, startServer, type ConsolePage, type TestServer } from '../harness';

const ADMIN_PASSWORD = 'e2e-chief-password';
const LAYOUT_NAME = 'E2E wall';

describe('live video wall (built console, real back end, RTSP camera, RTMP unit, headless Chromium)', () => {
  let clip: string;
  let rtsp: RtspServer;
  let rtspPort: number;
  let backend: TestServer;
  let ui: ConsolePage;
  let context: BrowserContext;
  let page: Page;
  let camera: Camera;
  let unitId: number;
  let publisher: Publisher | null = null;
  let pageErrors: string[] = [];
  const measured: string[] = [];

  const tile = (p: Page, i: number) => p.locator(`.tile[data-tile-index="${i}"]`);

  /** Decoded frames of the video in tile i (0 when it has none). */
  const frames = (p: Page, i: number) =>
    p.evaluate((idx) => {
      const v = document.querySelector<HTMLVideoElement>(`.tile[data-tile-index="${idx}"] video`);
      return v ? v.getVideoPlaybackQuality().totalVideoFrames : 0;
    }, i);

  /**
   * The tile plays and its decoded frame count grows over 2 s (about 50 frames at 25 fps). A count that went down means
   * the tile's player was replaced during the window (a stream switch still settling after its attribute changed): that
   * window measured two players, so it is measured again (at most three times); a player that stalls still fails.
   */
  async function expectDecoding(p: Page, i: number, timeout = 30_000): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await tile(p, i).and(p.locator('[data-state=playing]')).waitFor({ timeout });
      const before = await frames(p, i);
      await p.waitForTimeout(2000);
      const after = await frames(p, i);
      if (after < before && attempt < 3) continue;
      expect(after - before, `frames decoded in 2 s on tile ${i}`).toBeGreaterThan(20);
      return;
    }
  }

  async function token(): Promise<string> {
    return page.evaluate(() => JSON.parse(sessionStorage.getItem('argus.session') ?? '{}').token as string);
  }

  async function api<T>(method: string, p: string, body?: unknown): Promise<{ status: number; body: T }> {
    return backend.client.call<T>(method, p, body, { token: await token() });
  }

  beforeAll(async () => {
    clip = await ensureClip({ width: 640, height: 360, fps: 25, seconds: 4, bitrateKbps: 800, audio: true });
    rtsp = await startRtspServer({ mounts: { cam1: clip } });
    rtspPort = rtsp.port;
    backend = await startServer({ tag: 'e2e-live', console: true, adminPassword: ADMIN_PASSWORD, signIn: false });
    ui = await openConsole(backend.url, {
      context: { locale: 'en-US', timezoneId: 'Asia/Shanghai', viewport: { width: 1600, height: 900 }, acceptDownloads: true },
    });
    ({ context, page, pageErrors } = ui);
  });

  afterAll(async () => {
    if (measured.length) console.log(`[live-wall] ${measured.join('; ')}`);
    await publisher?.kill();
    await ui?.close();
    await backend?.close();
    await rtsp?.stop();
  });

  it('signs in and shows an empty 4-tile wall on the Live tab', async () => {
    await page.goto(backend.url);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.stream-indicator[data-state=open]').waitFor();
    const created = await api<Camera>('POST', '/api/v1/cameras', { name: 'Gate North', url: rtsp.url('cam1'), groupName: 'Depot', segmentSeconds: 10 });
    expect(created.status).toBe(201);
    camera = created.body;
    await page.getByRole('tab', { name: 'Live' }).click();
    await page.locator('[data-testid=video-wall][data-layout="4"]').waitFor();
    expect(await page.locator('.tile').count()).toBe(4);
    expect(await page.locator('.tile[data-state=idle]').count()).toBe(4);
    await page.locator(`.tree-camera[data-camera-id="${camera.id}"][data-state=recording]`).waitFor({ timeout: 30_000 });
  });

  it('plays a camera dragged from the device tree onto a tile (sub stream in the 4-grid)', async () => {
    const started = Date.now();
    await page.dragAndDrop(`.tree-camera[data-camera-id="${camera.id}"]`, '.tile[data-tile-index="0"]');
    expect(await tile(page, 0).locator('video').getAttribute('data-source-id')).toBe(String(camera.id));
    await tile(page, 0).and(page.locator('[data-state=playing]')).waitFor({ timeout: 30_000 });
    measured.push(`camera drop → first frame ${Date.now() - started} ms (player: ${await tile(page, 0).getAttribute('data-first-frame-ms')} ms)`);
    expect(await tile(page, 0).getAttribute('data-stream')).toBe('sub');
    expect(await tile(page, 0).locator('.tile-name').innerText()).toContain('Gate North');
    await expectDecoding(page, 0);
    // Live, not lagging: the play position stays within the drift guard's budget of the newest buffered frame.
    const latency = await page.evaluate(() => {
      const v = document.querySelector<HTMLVideoElement>('.tile[data-tile-index="0"] video')!;
      return v.buffered.end(v.buffered.length - 1) - v.currentTime;
    });
    measured.push(`buffer latency ${latency.toFixed(2)} s`);
    expect(latency).toBeLessThan(2);

    // Snapshot (hover tool): the current frame as a PNG download named after the camera.
    await tile(page, 0).hover();
    const [download] = await Promise.all([page.waitForEvent('download'), tile(page, 0).getByRole('button', { name: 'Snapshot (PNG)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^Gate_North-\d{8}-\d{6}\.png$/);
    const png = fs.readFileSync(await download.path());
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(5_000);
  });

  it('refuses a stream URL without a valid ticket', async () => {
    const t = await token();
    const ticket = await page.evaluate(
      async ([tok, id]) => {
        const r = await fetch('/api/v1/live/tickets', {
          method: 'POST',
          headers: { Authorization: `Bearer ${tok}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ sourceId: id, stream: 'sub' }),
        });
        return (await r.json()) as LiveTicket;
      },
      [t, camera.id] as const,
    );
    expect(ticket.flvUrl).toContain('?');
    const statuses = await page.evaluate(async (flvUrl) => {
      const bare = flvUrl.split('?')[0];
      const tampered = flvUrl.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
      const status = async (u: string) => {
        const ctrl = new AbortController();
        const r = await fetch(u, { signal: ctrl.signal });
        ctrl.abort();
        return r.status;
      };
      return [await status(bare), await status(tampered)];
    }, ticket.flvUrl);
    for (const s of statuses) expect([401, 403]).toContain(s);
  });

  it('keeps playing through 16 tiles and back, switches to the main stream when maximized', async () => {
    await page.locator('.layout-buttons button[data-layout="16"]').click();
    await page.locator('[data-testid=video-wall][data-layout="16"]').waitFor();
    expect(await page.locator('.tile').count()).toBe(16);
    await expectDecoding(page, 0);
    await page.locator('.layout-buttons button[data-layout="4"]').click();
    await page.locator('[data-testid=video-wall][data-layout="4"]').waitFor();
    await expectDecoding(page, 0);

    await tile(page, 0).dblclick();
    await tile(page, 0).and(page.locator('.maximized[data-stream=main]')).waitFor();
    await expectDecoding(page, 0);
    await page.keyboard.press('Escape');
    await tile(page, 0).and(page.locator(':not(.maximized)[data-stream=sub]')).waitFor();
    await expectDecoding(page, 0);

    // Another tab in front: the wall's players are destroyed (connections freed), and come back with the tab.
    await page.getByRole('tab', { name: 'Map' }).click();
    await expect.poll(() => page.evaluate(() => [...document.querySelectorAll('video')].filter((v) => v.src).length), { timeout: 15_000 }).toBe(0);
    await page.getByRole('tab', { name: 'Live' }).click();
    await expectDecoding(page, 0);
  });

  it('swaps two tiles by dragging one onto the other, selects on click and closes a tile', async () => {
    await page.dragAndDrop('.tile[data-tile-index="0"]', '.tile[data-tile-index="3"]');
    expect(await tile(page, 0).getAttribute('data-state')).toBe('idle');
    expect(await tile(page, 3).locator('video').getAttribute('data-source-id')).toBe(String(camera.id));
    await expectDecoding(page, 3);
    await page.dragAndDrop('.tile[data-tile-index="3"]', '.tile[data-tile-index="0"]');
    await expectDecoding(page, 0);
    await tile(page, 2).click();
    expect(await tile(page, 2).getAttribute('class')).toContain('selected');
    // Double-click in the tree fills the selected tile; the tile's close button empties it again.
    await page.locator(`.tree-camera[data-camera-id="${camera.id}"]`).dblclick();
    await expectDecoding(page, 2);
    await tile(page, 2).hover();
    await tile(page, 2).getByRole('button', { name: 'Close tile' }).click();
    await tile(page, 2).and(page.locator('[data-state=idle]')).waitFor();
    expect(await page.locator('.tile video[data-source-id]').count()).toBe(1);
  });

  it('saves the wall as a layout and restores it, decoding, after a reload', async () => {
    await page.getByRole('button', { name: 'Save as…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Layout name').fill(LAYOUT_NAME);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const saved = await api<Array<{ name: string; layout: string; tiles: Array<number | null> }>>('GET', '/api/v1/layouts');
    expect(saved.status).toBe(200);
    expect(saved.body.find((l) => l.name === LAYOUT_NAME)).toMatchObject({ layout: '4', tiles: [camera.id, null, null, null] });

    await page.reload();
    await page.locator('.console').waitFor();
    await page.getByRole('tab', { name: 'Live' }).click();
    await expect.poll(() => page.getByLabel('Saved layouts').locator('option:checked').innerText(), { timeout: 15_000 }).toBe(LAYOUT_NAME);
    expect(await tile(page, 0).locator('video').getAttribute('data-source-id')).toBe(String(camera.id));
    await expectDecoding(page, 0);
  });

  it('adds a unit in Admin → Units, shows its key once, and plays it once it publishes', async () => {
    await page.getByRole('tab', { name: 'Admin' }).click();
    await page.locator('.sub-nav').getByRole('button', { name: 'Units' }).click();
    await page.getByRole('button', { name: 'Add unit' }).click();
    const form = page.getByRole('dialog');
    await form.getByLabel('Callsign').fill('Car 12');
    await form.getByLabel('Type').selectOption('vehicle');
    await form.getByLabel('Group').fill('Patrol');
    await form.getByRole('button', { name: 'Create unit' }).click();
    const keyDialog = page.locator('.unit-key-dialog');
    await keyDialog.waitFor();
    expect(await keyDialog.innerText()).toContain('shown only this once');
    const publishUrl = await keyDialog.locator('#f-publishUrl').inputValue();
    const streamKey = await keyDialog.locator('#f-streamKey').inputValue();
    expect(publishUrl).toMatch(/^rtmp:\/\/[^/]+\/live\/\d+\?key=/);
    expect(publishUrl).toContain(streamKey);
    unitId = Number(/\/live\/(\d+)/.exec(publishUrl)![1]);
    await keyDialog.getByRole('button', { name: 'I have copied it' }).click();
    await keyDialog.waitFor({ state: 'detached' });
    // The key is not shown anywhere afterwards.
    expect(await page.locator('.units-panel').innerText()).not.toContain(streamKey);

    const row = page.locator(`.units-table tr[data-unit-id="${unitId}"]`);
    expect(await row.getAttribute('data-online')).toBe('false');
    const unitItem = page.locator(`.tree-unit[data-unit-id="${unitId}"]`);
    expect(await unitItem.getAttribute('data-state')).toBe('offline');
    expect(await unitItem.getAttribute('data-unit-type')).toBe('vehicle');

    publisher = publishRtmp(publishUrl, clip, { loop: true });
    await page.locator(`.tree-unit[data-unit-id="${unitId}"][data-state=online]`).waitFor({ timeout: 30_000 });
    await expect.poll(() => row.getAttribute('data-online'), { timeout: 10_000 }).toBe('true');
    expect(await row.locator('.cell-address').innerText()).toContain('127.0.0.1');

    await page.getByRole('tab', { name: 'Live' }).click();
    const started = Date.now();
    await page.dragAndDrop(`.tree-unit[data-unit-id="${unitId}"]`, '.tile[data-tile-index="1"]');
    await tile(page, 1).and(page.locator('[data-state=playing]')).waitFor({ timeout: 30_000 });
    measured.push(`unit drop → first frame ${Date.now() - started} ms`);
    await expectDecoding(page, 1);
    expect(await tile(page, 1).locator('.tile-name').innerText()).toContain('Car 12');
  });

  it('takes screenshots in English and Chinese', async () => {
    await tile(page, 1).hover();
    await page.waitForTimeout(300);
    await page.screenshot({ path: '/tmp/argus-wall-en.png' });
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('tab', { name: '实时预览' }).waitFor();
    expect(await page.locator('.layout-buttons').getAttribute('aria-label')).toBe('画面分割');
    await tile(page, 0).hover();
    await page.waitForTimeout(300);
    await page.screenshot({ path: '/tmp/argus-wall-zh-CN.png' });
    await page.getByRole('tab', { name: '系统管理' }).click();
    await page.locator('.units-table').waitFor();
    await page.screenshot({ path: '/tmp/argus-wall-units-zh-CN.png' });
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('tab', { name: 'Live' }).click();
    for (const f of ['/tmp/argus-wall-en.png', '/tmp/argus-wall-zh-CN.png']) expect(fs.statSync(f).size).toBeGreaterThan(20_000);
  });

  it('says "Offline" when the camera goes away and resumes by itself when it returns', async () => {
    await expectDecoding(page, 0);
    await rtsp.stop();
    await tile(page, 0).and(page.locator('[data-state=offline]')).waitFor({ timeout: 45_000 });
    // "Offline" and why, the recorder's own words (the whole text in the tooltip).
    const status = tile(page, 0).locator('.tile-status');
    await expect.poll(() => status.innerText(), { timeout: 15_000 }).toMatch(/^Offline\s*:\s*\S/);
    const shown = /^Offline\s*:\s*(\S.*)$/s.exec(await status.innerText())?.[1] ?? '';
    expect((await status.getAttribute('title')) ?? '', 'the whole reason in the tooltip').toContain(shown.replace(/…$/, '').trim());
    await page.screenshot({ path: '/tmp/argus-wall-offline-en.png' });
    // The unit on the next tile is not affected.
    await expectDecoding(page, 1);
    rtsp = await startRtspServer({ mounts: { cam1: clip } }, rtspPort);
    const back = Date.now();
    await expectDecoding(page, 0, 60_000);
    measured.push(`camera back → tile playing again ${Date.now() - back} ms`);
  });

  it('shows the unit offline when it stops publishing, and playing again once it publishes with a new key', async () => {
    await publisher?.kill();
    publisher = null;
    await tile(page, 1).and(page.locator('[data-state=offline]')).waitFor({ timeout: 30_000 });
    await page.locator(`.tree-unit[data-unit-id="${unitId}"][data-state=offline]`).waitFor();

    // Admin → Units → New key: confirmed, then shown once like at creation.
    await page.getByRole('tab', { name: 'Admin' }).click();
    const row = page.locator(`.units-table tr[data-unit-id="${unitId}"]`);
    await row.getByRole('button', { name: 'New key' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'New key' }).click();
    const keyDialog = page.locator('.unit-key-dialog');
    await keyDialog.waitFor();
    expect(await keyDialog.innerText()).toContain('The previous key no longer works');
    const url = await keyDialog.locator('#f-publishUrl').inputValue();
    await keyDialog.getByRole('button', { name: 'I have copied it' }).click();
    await page.getByRole('tab', { name: 'Live' }).click();

    publisher = publishRtmp(url, clip, { loop: true });
    await expectDecoding(page, 1, 45_000);
  });

  it('opens a wall window (#wall=<display>) that takes the session and shows only the wall, remembered per window', async () => {
    const put = await api('PUT', `/api/v1/layouts/wall-7`, { name: 'wall-7', layout: '1', tiles: [camera.id] });
    expect(put.status).toBeLessThan(300);
    const wall = await context.newPage();
    wall.on('pageerror', (err) => pageErrors.push(err.stack ?? err.message));
    // A new window has no sessionStorage of its own: it asks the signed-in console.
    await wall.goto(`${backend.url}/#wall=7`);
    await wall.locator('.wall-window[data-display-id="7"] [data-testid=video-wall][data-layout="1"]').waitFor();
    expect(await wall.locator('.left-rail').count()).toBe(0);
    expect(await wall.locator('.tab-strip').count()).toBe(0);
    expect(await tile(wall, 0).getAttribute('data-stream')).toBe('main');
    await expectDecoding(wall, 0);
    // Changes on the wall window are remembered as that window's wall (its former autosaved layout stays as it was).
    await wall.locator('.wall-window-bar').hover();
    await wall.locator('.layout-buttons button[data-layout="4"]').click();
    await expect
      .poll(async () => (await api<{ state: { layout: string } | null }>('GET', '/api/v1/wall-state/7')).body.state?.layout, { timeout: 10_000 })
      .toBe('4');
    expect((await api<Array<{ name: string; layout: string }>>('GET', '/api/v1/layouts')).body.find((l) => l.name === 'wall-7')?.layout).toBe('1');
    await wall.close();
  });

  it('plays all 16 tiles at once (one WebSocket each, no HTTP connection limit)', async () => {
    await page.locator('.layout-buttons button[data-layout="16"]').click();
    await tile(page, 2).click();
    const started = Date.now();
    for (let i = 2; i < 16; i++) await page.locator(`.tree-camera[data-camera-id="${camera.id}"]`).dblclick();
    await expect.poll(() => page.locator('.tile[data-state=playing]').count(), { timeout: 30_000 }).toBe(16);
    measured.push(`16 tiles playing ${Date.now() - started} ms after the first double-click`);
    await expectDecoding(page, 15);
    await expectDecoding(page, 1);
    await page.locator('.layout-buttons button[data-layout="4"]').click();
    await expect.poll(() => page.evaluate(() => [...document.querySelectorAll('video')].filter((v) => v.src).length), { timeout: 15_000 }).toBe(4);
  });

  it('offers "Open wall on display" when the Electron shell is present', async () => {
    const shellPage = await context.newPage();
    await shellPage.addInitScript(() => {
      const calls: number[] = [];
      (window as unknown as { argusShellCalls: number[] }).argusShellCalls = calls;
      (window as unknown as { argusShell: unknown }).argusShell = {
        listDisplays: async () => [
          { id: 1, label: 'Built-in', primary: true },
          { id: 7, label: 'Wall 55"', primary: false },
        ],
        openWall: async (id: number) => {
          calls.push(id);
          return { displayId: id, open: true };
        },
      };
    });
    await shellPage.goto(backend.url);
    await shellPage.getByLabel('Username').fill('admin');
    await shellPage.getByLabel('Password').fill(ADMIN_PASSWORD);
    await shellPage.getByRole('button', { name: 'Sign in' }).click();
    await shellPage.locator('.console').waitFor();
    await shellPage.getByRole('tab', { name: 'Live' }).click();
    await shellPage.getByRole('button', { name: 'Open wall on display' }).click();
    await shellPage.getByRole('menuitem', { name: /Wall 55/ }).click();
    expect(await shellPage.evaluate(() => (window as unknown as { argusShellCalls: number[] }).argusShellCalls)).toEqual([7]);
    await shellPage.close();
    expect(pageErrors).toEqual([]);
  });
});
