// End to end: the built console against the real back end in headless Chromium (login, cameras, live status, language, sign out).
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsole, startServer, type ConsolePage, type TestServer } from '../harness';

const ADMIN_PASSWORD = 'e2e-chief-password';
const SCREENSHOT = '/tmp/argus-console.png';
/** Nothing listens on the discard port, so the recorder can never connect. */
const DEAD_URL = 'rtsp://127.0.0.1:9/none';

describe('console (built renderer, real back end, headless Chromium)', () => {
  let backend: TestServer;
  let ui: ConsolePage;
  let page: Page;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    backend = await startServer({ tag: 'e2e-console', console: true, adminPassword: ADMIN_PASSWORD, signIn: false });
    const build = backend.consoleBuild!;
    expect(build.files).toEqual(expect.arrayContaining(['index.html', 'app.js', 'app.css', 'vendor/leaflet/leaflet.css']));
    ui = await openConsole(backend.url, {
      context: { locale: 'en-US', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } },
      defaultTimeoutMs: 15_000,
    });
    page = ui.page;
    pageErrors = ui.pageErrors;
  });

  afterAll(async () => {
    await ui?.close();
    await backend?.close();
  });

  it('shows the login page and refuses a wrong password with the reason', async () => {
    await page.goto(backend.url);
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(true);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.locator('.login-card [role=alert]');
    await alert.waitFor();
    expect(await alert.getAttribute('data-kind')).toBe('unauthorized');
    expect(await alert.innerText()).toContain('Authentication failed');
    expect(await alert.innerText()).toContain('invalid username or password');
    expect(await page.locator('.console').count()).toBe(0);
  });

  it('signs in as admin and shows the frame', async () => {
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.console').waitFor();
    expect(await page.locator('.top-bar .brand-name').innerText()).toBe('Argus');
    const tabs = await page.getByRole('tab').allInnerTexts();
    expect(tabs).toEqual(['Live', 'Map', 'Playback', 'Alarms', 'Cases', 'Admin']);
    expect(await page.getByRole('tab', { name: 'Admin' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('.user-role').innerText()).toBe('Administrator');
    // The clock shows the station's zone.
    expect(await page.locator('.clock-zone').innerText()).toContain('UTC+8');
    // The event stream connects (hello received → "Live").
    await page.locator('.stream-indicator[data-state=open]').waitFor();
    await page.getByText('No cameras are configured yet').waitFor();
    // The token lives in sessionStorage.
    const stored = await page.evaluate(() => sessionStorage.getItem('argus.session'));
    expect(JSON.parse(stored ?? '{}').user.username).toBe('admin');
  });

  it('shows the server validation error next to the URL field', async () => {
    await page.getByRole('button', { name: 'Add camera' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByLabel('Name', { exact: true }).fill('Gate North');
    await dialog.getByLabel('Main stream URL').fill('http://192.0.2.1/stream');
    await dialog.getByLabel('Group').fill('Depot');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const urlError = dialog.locator('[data-field=url] .field-error');
    await urlError.waitFor();
    expect(await urlError.innerText()).toContain('unsupported scheme "http"');
    expect(await dialog.locator('[data-field=name] .field-error').count()).toBe(0);
    expect(await dialog.locator('[role=alert][data-kind=validation]').innerText()).toContain('Some entries are invalid');
  });

  it('adds a camera that cannot connect and shows it live in the tree and the table', async () => {
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Main stream URL').fill(DEAD_URL);
    await dialog.getByLabel('Password').fill('secret-pw');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });

    const treeItem = page.locator('.tree-camera', { hasText: 'Gate North' });
    await treeItem.waitFor();
    expect(await page.locator('.tree-group[data-group=Depot] .tree-camera').count()).toBe(1);
    const row = page.locator('.cameras-table tbody tr', { hasText: 'Gate North' });
    await row.waitFor();
    expect(await row.locator('.cell-url').innerText()).toBe(DEAD_URL);
    expect(await row.innerText()).not.toContain('secret-pw');

    // Nothing listens there: the status turns to reconnecting with an error, delivered over the event stream.
    await expect
      .poll(async () => ({ state: await row.getAttribute('data-state'), error: (await row.locator('.cell-error').innerText()).trim() !== '' }), {
        timeout: 30_000,
        interval: 250,
      })
      .toEqual({ state: 'reconnecting', error: true });
    expect(await row.locator('.cell-status').innerText()).toContain('Reconnecting');
    expect(await treeItem.getAttribute('data-state')).toBe('reconnecting');
    expect(await treeItem.locator('.status-dot').getAttribute('aria-label')).toBe('Reconnecting');
    expect(await page.locator('.rail-summary').innerText()).toBe('0 of 1 recording');

    // The new camera is selected; its detail lists (no) recordings of the last 24 h.
    const detail = page.locator('.camera-detail');
    await detail.waitFor();
    await detail.getByText('No recordings in the last 24 hours.').waitFor();
    expect(await detail.locator('.facts').innerText()).toContain('password stored');
    expect((await row.locator('td').allInnerTexts()).join(' | ')).toMatch(/60 s \| 30 days/);
  });

  it('filters the device tree from the global search', async () => {
    const search = page.getByRole('searchbox', { name: 'Search' });
    await search.fill('nomatch-xyz');
    await page.getByText('No camera or unit matches.').waitFor();
    await search.fill('gate');
    await page.locator('.tree-camera', { hasText: 'Gate North' }).waitFor();
    await search.fill('');
  });

  it('switches to Chinese, keeps tab state, and takes the screenshot', async () => {
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('tab', { name: '实时预览' }).waitFor();
    const tabs = await page.getByRole('tab').allInnerTexts();
    expect(tabs).toEqual(['实时预览', '电子地图', '录像回放', '报警中心', '案件', '系统管理']);
    expect(await page.locator('.sub-nav').innerText()).toContain('摄像机');
    expect(await page.locator('.cameras-panel h2').innerText()).toBe('摄像机');
    expect(await page.locator('.cameras-table .cell-status').first().innerText()).toContain('重连中');
    expect(await page.evaluate(() => [document.documentElement.lang, localStorage.getItem('argus.lang')])).toEqual(['zh-CN', 'zh-CN']);
    // The server's free-text error stays as the server wrote it.
    expect((await page.locator('.cameras-table .cell-error').first().innerText()).trim()).not.toBe('');

    // Another tab (the map, issue 5); coming back, the admin tab still shows the open camera detail.
    await page.getByRole('tab', { name: '电子地图' }).click();
    await page.locator('.map-tab .leaflet-container').waitFor();
    await page.getByRole('tab', { name: '系统管理' }).click();
    await page.locator('.camera-detail').waitFor();

    await page.screenshot({ path: SCREENSHOT });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
  });

  it('lists users and the audit log', async () => {
    await page.locator('.sub-nav').getByRole('button', { name: '用户' }).click();
    await page.locator('.users-table tr[data-user-id]', { hasText: 'admin' }).waitFor();
    await page.locator('.sub-nav').getByRole('button', { name: '操作日志' }).click();
    const audit = page.locator('.audit-table');
    await audit.waitFor();
    expect(await audit.innerText()).toContain('添加摄像机');
    expect(await audit.innerText()).toContain('登录失败');
    await page.getByLabel('操作类型').selectOption('auth.login_failed');
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => page.locator('.audit-table tbody tr').count()).toBe(1);
  });

  it('signs out back to the login page and the token stops working', async () => {
    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('argus.session') ?? '{}').token as string);
    await page.locator('.user-button').click();
    await page.getByRole('menuitem', { name: '退出登录' }).click();
    await page.getByRole('heading', { name: '登录' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('argus.session'))).toBeNull();
    expect(await page.locator('.banner-info').count()).toBe(0); // a deliberate sign-out is not an "ended session"
    const res = await fetch(`${backend.url}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    // The language choice is remembered across a reload.
    await page.reload();
    await page.getByRole('heading', { name: '登录' }).waitFor();
  });

  it('returns to the login page when the server ends the session', async () => {
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('.stream-indicator[data-state=open]').waitFor();
    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('argus.session') ?? '{}').token as string);
    // Signed out elsewhere (e.g. an administrator revoked it): the event stream closes, the console notices.
    const res = await fetch(`${backend.url}/api/v1/auth/logout`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(204);
    await page.getByRole('heading', { name: '登录' }).waitFor();
    expect(await page.locator('.banner-info').innerText()).toBe('会话已结束，请重新登录。');
    expect(pageErrors).toEqual([]);
  });
});
