// End to end: the remembered wall (issue 12 item 10) in headless Chromium: a wall built, reloaded and signed into again from
// another desk plays the same sources in the same tiles, in English and Chinese, as two roles; a carousel of saved layouts
// switches after each dwell, survives a reload and stops on a manual change.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Camera, LoginResponse, WallLayout } from '../../common/api';
import type { WallStateView } from '../../common/wall';
import { ensureClip } from '../helpers/clips';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';
import { launchBrowser, startServer, type TestBrowser, type TestServer } from '../harness';

const ADMIN_PASSWORD = 'e2e-chief-password';
type Lang = 'en' | 'zh-CN';
const USERS = { disp: { role: 'dispatcher', password: 'orbit-lantern-walk-9' }, off: { role: 'officer', password: 'copper-river-bend-6' } } as const;

describe('remembered wall and carousel (built console, real back end, RTSP cameras, headless Chromium)', () => {
  let rtsp: RtspServer;
  let backend: TestServer;
  let browser: TestBrowser;
  let gate: Camera;
  let yard: Camera;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  async function api<T>(method: string, p: string, token: string | null, body?: unknown): Promise<{ status: number; body: T }> {
    return backend.client.call<T>(method, `/api/v1${p}`, body, { token: token ?? '' });
  }
  const login = async (username: string, password: string): Promise<string> => {
    const r = await api<LoginResponse>('POST', '/auth/login', null, { username, password });
    expect(r.status, `login ${username}`).toBe(200);
    return r.body.token;
  };

  async function newPage(lang: Lang): Promise<Page> {
    const context = await browser.newContext({
      locale: lang === 'en' ? 'en-US' : 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1600, height: 900 },
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.stack ?? err.message));
    page.setDefaultTimeout(20_000);
    return page;
  }

  async function signIn(page: Page, username: string, password: string, lang: Lang): Promise<void> {
    await page.goto(backend.url);
    await page.getByLabel(lang === 'en' ? 'Username' : '用户名').fill(username);
    await page.getByLabel(lang === 'en' ? 'Password' : '密码', { exact: true }).fill(password);
    await page.getByRole('button', { name: lang === 'en' ? 'Sign in' : '登录' }).click();
    await page.locator('.console').waitFor();
  }

  const openLive = (page: Page, lang: Lang) => page.getByRole('tab', { name: lang === 'en' ? 'Live' : '实时预览' }).click();
  const tile = (p: Page, i: number) => p.locator(`.tile[data-tile-index="${i}"]`);
  const sourceIn = (p: Page, i: number) => tile(p, i).locator('video').getAttribute('data-source-id');
  const frames = (p: Page, i: number) =>
    p.evaluate((idx) => document.querySelector<HTMLVideoElement>(`.tile[data-tile-index="${idx}"] video`)?.getVideoPlaybackQuality().totalVideoFrames ?? 0, i);

  /** The tile plays and its decoded frame count grows over 2 s (about 50 frames at 25 fps). */
  async function expectDecoding(p: Page, i: number): Promise<void> {
    await tile(p, i).and(p.locator('[data-state=playing]')).waitFor({ timeout: 45_000 });
    const before = await frames(p, i);
    await p.waitForTimeout(2000);
    expect((await frames(p, i)) - before, `frames decoded in 2 s on tile ${i}`).toBeGreaterThan(20);
  }

  /** Elements matching `selector` wider than their box (text or children clipped), as "tag.class: scroll > client". */
  const overflowing = (p: Page, selector: string) =>
    p.evaluate(
      (sel) =>
        [...document.querySelectorAll<HTMLElement>(sel)]
          .filter((el) => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'auto')
          .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${el.scrollWidth} > ${el.clientWidth}`),
      selector,
    );

  async function wallOf(token: string): Promise<WallStateView> {
    const r = await api<WallStateView>('GET', '/wall-state/0', token);
    expect(r.status).toBe(200);
    return r.body;
  }

  beforeAll(async () => {
    const clip = await ensureClip({ width: 640, height: 360, fps: 25, seconds: 4, bitrateKbps: 800, audio: false });
    rtsp = await startRtspServer({ mounts: { gate: clip, yard: clip } });
    backend = await startServer({
      tag: 'e2e-wall-memory',
      console: true,
      adminPassword: ADMIN_PASSWORD,
      signIn: false,
      users: Object.entries(USERS).map(([username, u]) => ({ username, role: u.role, password: u.password })),
    });
    browser = await launchBrowser();
    // Officers watch only their own unit by default (issue 13): this one may watch every camera live.
    const off = (await backend.backend.store.users.getByUsername('off'))!;
    await backend.backend.access.createGrant(
      { principalKind: 'user', principalId: off.id, right: 'live.view', scopeKind: 'node', scopeId: 1, effect: 'allow' },
      { kind: 'system', reason: 'test setup' },
    );
    const admin = await login('admin', ADMIN_PASSWORD);
    const add = async (name: string, mount: string) => {
      const r = await api<Camera>('POST', '/cameras', admin, { name, url: rtsp.url(mount), groupName: 'Depot', segmentSeconds: 10 });
      expect(r.status).toBe(201);
      return r.body;
    };
    gate = await add('Gate North', 'gate');
    yard = await add('Yard South', 'yard');
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await backend?.close();
    await rtsp?.stop();
  });

  it.each([
    ['disp', 'en'],
    ['off', 'zh-CN'],
  ] as const)(
    '%s (%s): a wall built, reloaded and signed into from another desk plays the same sources in the same tiles',
    async (username, lang) => {
      const { password } = USERS[username];
      const token = await login(username, password);
      const page = await newPage(lang);
      await signIn(page, username, password, lang);
      await openLive(page, lang);
      // Nobody else's wall: a user who never built one starts from the empty 4-wall.
      await page.locator('[data-testid=video-wall][data-layout="4"]').waitFor();
      expect(await page.locator('.tile[data-state=idle]').count()).toBe(4);
      // The carousel is offered to the roles that hold wall.carousel only.
      expect(
        await page
          .locator('.wall-toolbar')
          .getByRole('button', { name: lang === 'en' ? 'Carousel…' : '画面分割轮巡…' })
          .count(),
      ).toBe(username === 'disp' ? 1 : 0);

      await page.locator('.layout-buttons button[data-layout="9"]').click();
      await page.locator(`.tree-camera[data-camera-id="${gate.id}"][data-state=recording]`).waitFor({ timeout: 45_000 });
      await page.locator(`.tree-camera[data-camera-id="${yard.id}"][data-state=recording]`).waitFor({ timeout: 45_000 });
      await page.dragAndDrop(`.tree-camera[data-camera-id="${gate.id}"]`, '.tile[data-tile-index="0"]');
      await page.dragAndDrop(`.tree-camera[data-camera-id="${yard.id}"]`, '.tile[data-tile-index="4"]');
      await expectDecoding(page, 0);
      await expectDecoding(page, 4);
      // Remembered on the server shortly after the change.
      await expect
        .poll(async () => (await wallOf(token)).state, { timeout: 15_000 })
        .toMatchObject({
          layout: '9',
          selected: 4,
          tiles: [{ kind: 'camera', id: gate.id, stream: 'sub' }, null, null, null, { kind: 'camera', id: yard.id, stream: 'sub' }],
        });

      const expectSameWall = async (p: Page) => {
        await p.locator('[data-testid=video-wall][data-layout="9"]').waitFor();
        await expect.poll(() => sourceIn(p, 0), { timeout: 15_000 }).toBe(String(gate.id));
        expect(await sourceIn(p, 4)).toBe(String(yard.id));
        expect(await tile(p, 4).getAttribute('aria-selected')).toBe('true');
        for (const i of [1, 2, 3, 5, 6, 7, 8]) expect(await tile(p, i).getAttribute('data-state')).toBe('idle');
        await expectDecoding(p, 0);
        await expectDecoding(p, 4);
        expect(await tile(p, 0).locator('.tile-name').innerText()).toContain('Gate North');
      };
      await page.reload();
      await page.locator('.console').waitFor();
      await openLive(page, lang);
      await expectSameWall(page);

      // The next sign-in at another desk (a fresh browser profile) brings the same wall.
      const elsewhere = await newPage(lang);
      await signIn(elsewhere, username, password, lang);
      await openLive(elsewhere, lang);
      await expectSameWall(elsewhere);
      await page.context().close();
      await elsewhere.context().close();
    },
    300_000,
  );

  it('the other user never sees this wall (per-user isolation, as the server holds it)', async () => {
    const disp = await wallOf(await login('disp', USERS.disp.password));
    const off = await wallOf(await login('off', USERS.off.password));
    expect(disp.state?.layout).toBe('9');
    expect(off.state?.layout).toBe('9');
    // Each built their own; changing one leaves the other as it was.
    const offToken = await login('off', USERS.off.password);
    expect((await api('PUT', '/wall-state/0', offToken, { layout: '1', tiles: [], selected: null, maximized: null, tour: null })).status).toBe(200);
    expect((await wallOf(await login('disp', USERS.disp.password))).state).toEqual(disp.state);
  });

  it('a carousel of two saved layouts switches after each dwell (zh-CN), survives a reload and stops on a manual change', async () => {
    const { password } = USERS.disp;
    const token = await login('disp', password);
    const one = await api<WallLayout>('PUT', '/layouts/Gate', token, { name: 'Gate', layout: '1', tiles: [gate.id] });
    const four = await api<WallLayout>('PUT', '/layouts/Yard', token, { name: 'Yard', layout: '4', tiles: [yard.id, gate.id] });
    expect([one.status, four.status]).toEqual([200, 200]);
    const page = await newPage('zh-CN');
    await signIn(page, 'disp', password, 'zh-CN');
    await openLive(page, 'zh-CN');
    await page.locator('[data-testid=video-wall][data-layout="9"]').waitFor();

    await page.locator('.wall-toolbar').getByRole('button', { name: '画面分割轮巡…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('第 1 步的画面分割').selectOption({ label: 'Gate' });
    await dialog.getByLabel('第 2 步的画面分割').selectOption({ label: 'Yard' });
    await dialog.getByLabel('第 1 步的停留时间（秒）').fill('6');
    await dialog.getByLabel('第 2 步的停留时间（秒）').fill('2'); // refused: below 5 s
    await dialog.getByRole('button', { name: '开始轮巡' }).click();
    await dialog.getByText('请输入 5 到 3600 之间的整数秒。').waitFor();
    await dialog.getByLabel('第 2 步的停留时间（秒）').fill('6');
    expect(await dialog.locator('.carousel-preview').innerText()).toBe('顺序：Gate 6 秒 → Yard 6 秒');
    await dialog.getByRole('button', { name: '添加步骤' }).click();
    expect(await dialog.locator('.carousel-step').count()).toBe(3);
    await dialog.getByRole('button', { name: '删除第 3 步' }).click();
    expect(await overflowing(page, '.modal, .modal *')).toEqual([]);
    await page.screenshot({ path: '/tmp/argus-wall-carousel-dialog-zh-CN.png' });
    await dialog.getByRole('button', { name: '开始轮巡' }).click();

    const chip = page.getByTestId('carousel-running');
    await page.locator('[data-testid=video-wall][data-layout="1"]').waitFor();
    expect(await chip.locator('.carousel-chip-text').textContent()).toBe('Gate · 1/2 · 6 秒');
    expect(await chip.getAttribute('title')).toBe('画面分割轮巡：Gate，第 1/2 步，6 秒');
    expect(await chip.getByRole('button', { name: '停止轮巡' }).innerText()).toBe('停止');
    expect(await overflowing(page, '.wall-toolbar, .wall-toolbar *')).toEqual([]);
    await page.screenshot({ path: '/tmp/argus-wall-carousel-running-zh-CN.png' });
    expect(await sourceIn(page, 0)).toBe(String(gate.id));
    await page.locator('[data-testid=video-wall][data-layout="4"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => chip.locator('.carousel-chip-text').textContent(), { timeout: 5_000 }).toBe('Yard · 2/2 · 6 秒');
    expect(await page.locator('.wall-toolbar').evaluate((el) => el.getBoundingClientRect().height)).toBeLessThan(60); // one row: the chip does not push the toolbar onto two
    expect([await sourceIn(page, 0), await sourceIn(page, 1)]).toEqual([String(yard.id), String(gate.id)]);
    await page.locator('[data-testid=video-wall][data-layout="1"]').waitFor({ timeout: 20_000 });
    await expect
      .poll(async () => (await wallOf(token)).carousel, { timeout: 15_000 })
      .toMatchObject({
        running: true,
        steps: [
          { layoutId: one.body.id, seconds: 6 },
          { layoutId: four.body.id, seconds: 6 },
        ],
      });

    // A reload resumes the carousel; it keeps switching.
    await page.reload();
    await page.locator('.console').waitFor();
    await openLive(page, 'zh-CN');
    await chip.waitFor();
    const before = await page.locator('[data-testid=video-wall]').getAttribute('data-layout');
    await expect.poll(() => page.locator('[data-testid=video-wall]').getAttribute('data-layout'), { timeout: 20_000 }).not.toBe(before);

    // A manual change (another grid) stops it: the chip goes, the wall stays as the operator left it.
    await page.locator('.layout-buttons button[data-layout="9"]').click();
    await chip.waitFor({ state: 'detached' });
    await page.locator('.wall-toolbar').getByRole('button', { name: '画面分割轮巡…' }).waitFor();
    await page.waitForTimeout(14_000); // more than two dwells
    expect(await page.locator('[data-testid=video-wall]').getAttribute('data-layout')).toBe('9');
    await expect.poll(async () => (await wallOf(token)).carousel?.running, { timeout: 15_000 }).toBe(false);
    expect((await wallOf(token)).state?.layout).toBe('9');
    expect(pageErrors).toEqual([]);
  }, 300_000);
});
