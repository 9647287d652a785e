// End to end (built console, real back end, headless Chromium): the key dialog after creating a unit shows the unit id with a
// copy button that puts it on the clipboard, in both languages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../main/server/backend';
import { launchBrowser, startServer, type TestBrowser, type TestServer } from '../harness';

const PASSWORD = 'unit-key-chief';

describe('Unit key dialog', () => {
  let srv: TestServer;
  let b: Backend;
  let browser: TestBrowser;

  beforeAll(async () => {
    srv = await startServer({ tag: 'e2e-unit-key', console: true, adminPassword: PASSWORD, signIn: false });
    b = srv.backend;
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  it.each([
    {
      locale: 'en-US',
      admin: 'Admin',
      units: 'Units',
      add: 'Add unit',
      callsign: 'Callsign',
      create: 'Create unit',
      idLabel: 'Unit id',
      copy: 'Copy',
      copied: 'Copied',
      done: 'I have copied it',
    },
    {
      locale: 'zh-CN',
      admin: '系统管理',
      units: '移动终端',
      add: '添加移动终端',
      callsign: '呼号',
      create: '创建终端',
      idLabel: '终端编号',
      copy: '复制',
      copied: '已复制',
      done: '我已复制',
    },
  ])(
    "$locale: shows the new unit's id with a copy button",
    async (l) => {
      const context = await browser.newContext({ locale: l.locale, viewport: { width: 1400, height: 900 } });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: b.url });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(b.url);
      await page.locator('input[name=username]').fill('admin');
      await page.locator('input[name=password]').fill(PASSWORD);
      await page.locator('button[type=submit]').click();
      await page.locator('.console').waitFor();
      await page.getByRole('tab', { name: l.admin, exact: true }).click();
      await page.locator('.sub-nav').getByRole('button', { name: l.units, exact: true }).click();
      await page.getByRole('button', { name: l.add }).click();
      const form = page.getByRole('dialog');
      await form.getByLabel(l.callsign).fill(`Car ${l.locale}`);
      await form.getByRole('button', { name: l.create }).click();
      const dialog = page.locator('.unit-key-dialog');
      await dialog.waitFor();
      const publishUrl = await dialog.locator('#f-publishUrl').inputValue();
      const unitId = /\/live\/(\d+)\?/.exec(publishUrl)![1]!;
      const field = dialog.locator('[data-field="unitId"]');
      expect(await field.locator('label').innerText()).toContain(l.idLabel);
      expect(await dialog.getByLabel(l.idLabel).inputValue()).toBe(unitId);
      await field.getByRole('button', { name: l.copy }).click();
      await expect.poll(() => field.getByRole('button').innerText()).toBe(l.copied);
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(unitId);
      // The agent's command line: the server and the key are all it needs (it asks the server for its unit and publish URL).
      const agentLine = await dialog.locator('.unit-key-agent').innerText();
      expect(agentLine).toMatch(/npm run agent -- --server http:\/\/\S+ --key /);
      expect(agentLine).not.toContain('--unit');
      await dialog.getByRole('button', { name: l.done }).click();
      await dialog.waitFor({ state: 'detached' });
      await context.close();
    },
    60_000,
  );
});
