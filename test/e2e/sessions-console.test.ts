// End to end in headless Chromium: the user menu lists your sessions (this one marked); Admin → Users lists a user's and signs one out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zhCN } from '../../renderer/i18n/zh-CN';
import { openConsole, startServer, type TestServer } from '../harness';

describe('session list in the console', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer({ tag: 'sessions-console', console: true, users: [{ username: 'disp', role: 'dispatcher' }] });
  }, 180_000);
  afterAll(async () => {
    await srv?.close();
  });

  it("shows the own sessions from the user menu, and an admin signs out a dispatcher's session (its token stops working)", async () => {
    const c = await openConsole(srv.url, { user: { username: 'admin', password: srv.adminPassword }, lang: 'zh-CN' });
    try {
      const { page } = c;
      // Own sessions (in Chinese): the console's session is marked as the current one.
      await page.locator('.user-button').click();
      await page.getByRole('menuitem', { name: '会话' }).click();
      const own = page.locator('.sessions-table tbody tr');
      await own.first().waitFor();
      expect(await own.count()).toBeGreaterThanOrEqual(2); // the harness's sign-in and the console's
      expect(await page.locator('.sessions-table .badge', { hasText: '当前会话' }).count()).toBe(1);
      expect(await page.locator('.sessions-table').innerText()).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
      await page.keyboard.press('Escape');

      // Admin → Users → disp → Sessions → sign the one session out.
      expect((await srv.client.as(srv.tokens.disp).call('GET', '/api/v1/auth/me')).status).toBe(200);
      await page.getByRole('tab', { name: '系统管理' }).click();
      await page.locator('.sub-nav-item', { hasText: zhCN['admin.nav.users'] }).click();
      const row = page.locator('tbody tr', { hasText: 'disp' });
      await row.getByRole('button', { name: '会话' }).click();
      const theirs = page.locator('.sessions-table tbody tr');
      await theirs.first().waitFor();
      expect(await theirs.count()).toBe(1);
      await theirs.first().getByRole('button', { name: '退出登录' }).click();
      await page.getByText('没有会话。').waitFor();
      expect((await srv.client.as(srv.tokens.disp).call('GET', '/api/v1/auth/me')).status).toBe(401);
      expect(c.pageErrors).toEqual([]);
    } finally {
      await c.close();
    }
  }, 180_000);
});
