// End to end in headless Chromium: server errors and status reasons worded from the console's catalogs (issue 12 item 6) in
// zh-CN and English: a wrong password at sign-in, a validation error in the camera form, and a camera at an unreachable RTSP
// URL whose offline reason shows on the wall tile and in Admin — the catalog's text, never the server's English message.
import net from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../common/messages';
import type { Backend } from '../../main/server/backend';
import { ERROR_CATALOGS } from '../../renderer/i18n/errors';
import { launchBrowser, startServer, type TestBrowser, type TestServer } from '../harness';

const ADMIN_PASSWORD = 'lantern-harbour-grid-7';
const zh = ERROR_CATALOGS['zh-CN'];
const en = ERROR_CATALOGS.en;

/** A port on 127.0.0.1 that nothing listens on (taken, then released): a connection there is refused. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

describe('server messages in the console (built console, real back end, headless Chromium)', () => {
  let srv: TestServer;
  let backend: Backend;
  let browser: TestBrowser;
  let deadUrl: string;
  const contexts: BrowserContext[] = [];

  async function newPage(lang: 'en' | 'zh-CN'): Promise<Page> {
    const context = await browser.newContext({
      locale: lang === 'en' ? 'en-US' : 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1600, height: 900 },
    });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  }

  async function signInForm(page: Page, lang: 'en' | 'zh-CN', password: string): Promise<void> {
    await page.goto(backend.url);
    await page.getByLabel(lang === 'en' ? 'Username' : '用户名').fill('admin');
    await page.getByLabel(lang === 'en' ? 'Password' : '密码', { exact: true }).fill(password);
    await page.getByRole('button', { name: lang === 'en' ? 'Sign in' : '登录' }).click();
  }

  beforeAll(async () => {
    deadUrl = `rtsp://127.0.0.1:${await closedPort()}/none`;
    srv = await startServer({ tag: 'e2e-messages', console: true, adminPassword: ADMIN_PASSWORD, env: process.env, signIn: false });
    backend = srv.backend;
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await srv?.close();
  });

  it('zh-CN: a wrong password is refused in Chinese, not with the server message', async () => {
    const page = await newPage('zh-CN');
    await signInForm(page, 'zh-CN', 'not-the-password');
    const alert = page.locator('.login-card [role=alert]');
    await alert.waitFor();
    expect(await alert.getAttribute('data-kind')).toBe('unauthorized');
    const text = await alert.innerText();
    expect(text).toContain(zh['auth.invalid_credentials']);
    expect(text).toContain('用户名或密码错误');
    expect(text.toLowerCase()).not.toContain(MESSAGES['auth.invalid_credentials']);
    expect(await page.locator('.console').count()).toBe(0);

    // Signed in, a validation error of the camera form sits at its field in Chinese.
    await page.getByLabel('密码', { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('.console').waitFor();
    await page.getByRole('tab', { name: '系统管理' }).click();
    await page.getByRole('button', { name: '添加摄像机' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByLabel('名称', { exact: true }).fill('北门');
    await dialog.getByLabel('主码流地址').fill('http://192.0.2.1/stream');
    await dialog.getByRole('button', { name: '保存' }).click();
    const urlError = dialog.locator('[data-field=url] .field-error');
    await urlError.waitFor();
    expect(await urlError.innerText()).toBe(zh['url.scheme'].replace('{scheme}', 'http'));
    expect(await urlError.innerText()).toBe('不支持的协议“http”（请使用 rtsp 或 rtsps）');
    expect(await dialog.innerText()).not.toContain('unsupported scheme');

    // Saved with a URL where nothing listens: Admin shows why it is offline, in Chinese.
    await dialog.getByLabel('主码流地址').fill(deadUrl);
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.locator('.cameras-table tbody tr', { hasText: '北门' });
    await expect.poll(() => row.locator('.cell-error').innerText(), { timeout: 45_000, interval: 250 }).toBe(zh['status.refused']);
    expect(zh['status.refused']).toBe('摄像机拒绝连接（请检查地址和端口）');
    const detail = page.locator('.camera-detail .error-text');
    await expect.poll(() => detail.innerText(), { timeout: 15_000 }).toBe(zh['status.refused']);
    expect(await page.locator('.cameras-panel').innerText()).not.toContain(MESSAGES['status.refused']);

    // On the wall, the offline tile says why, in Chinese.
    await page.getByRole('tab', { name: '实时预览' }).click();
    const cameraId = await page.locator('.tree-camera', { hasText: '北门' }).getAttribute('data-camera-id');
    await page.dragAndDrop(`.tree-camera[data-camera-id="${cameraId}"]`, '.tile[data-tile-index="0"]');
    const status = page.locator('.tile[data-tile-index="0"] .tile-status');
    // "离线：" and the reason without its hint on the tile; the whole reason in the tooltip.
    await expect.poll(async () => (await status.innerText()).replace(/\s+/g, ''), { timeout: 45_000, interval: 250 }).toBe('离线：摄像机拒绝连接');
    expect(await status.getAttribute('title')).toBe(zh['status.refused']);
  });

  it('English: the same error and reasons come from the English catalog', async () => {
    const page = await newPage('en');
    await signInForm(page, 'en', 'still-not-the-password');
    const alert = page.locator('.login-card [role=alert]');
    await alert.waitFor();
    expect(await alert.innerText()).toContain(en['auth.invalid_credentials']);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.console').waitFor();
    await page.getByRole('tab', { name: 'Admin' }).click();
    const row = page.locator('.cameras-table tbody tr', { hasText: '北门' });
    await expect.poll(() => row.locator('.cell-error').innerText(), { timeout: 30_000, interval: 250 }).toBe(en['status.refused']);
    await page.getByRole('tab', { name: 'Live' }).click();
    const status = page.locator('.tile[data-tile-index="0"] .tile-status');
    // The wall of another user starts empty: put the camera on it.
    const cameraId = await page.locator('.tree-camera', { hasText: '北门' }).getAttribute('data-camera-id');
    if ((await status.count()) === 0 || !(await status.innerText()).startsWith('Offline'))
      await page.dragAndDrop(`.tree-camera[data-camera-id="${cameraId}"]`, '.tile[data-tile-index="0"]');
    await expect.poll(() => status.innerText(), { timeout: 45_000, interval: 250 }).toMatch(/^Offline\s*:\s*Camera refused the connection$/);
    expect(await status.getAttribute('title')).toBe(en['status.refused']);
  });
});
