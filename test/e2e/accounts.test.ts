// End to end in headless Chromium: passwords (forced change of the generated first password, own change, admin reset) in
// both languages and several roles, and every tab walked as each role without a single control answering 403.
import type { BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, LoginResponse, Role } from '../../common/api';
import { en, type MessageKey } from '../../renderer/i18n/en';
import { zhCN } from '../../renderer/i18n/zh-CN';
import { launchBrowser, startServer, type TestBrowser, type TestServer } from '../harness';

const ADMIN_NEW = 'harbour-beacon-2026';
const PW: Record<Exclude<Role, 'admin'>, string> = {
  dispatcher: 'orbit-lantern-walk-9',
  investigator: 'quartz-meadow-run-4',
  officer: 'copper-river-bend-6',
};
/** Controls whose click changes or removes something, or takes the screen (fullscreen, tours): never clicked by the tab walk. */
const DESTRUCTIVE =
  /delete|remove|disable|reset|sign out|rotate|release|close|acknowledge|raise|stop|cancel|hold|export|window|fire|test alarm|fullscreen|maximi|tour|删除|禁用|重置|退出|关闭|确认|停止|取消|导出|窗口|全屏|最大化|轮巡/i;
/**
 * The same controls worded in Chinese: every zh-CN message whose English text is destructive, as its literal pieces
 * (placeholders cut out). A Chinese label that contains all pieces of one of them is not clicked.
 */
const DESTRUCTIVE_ZH: string[][] = (Object.keys(en) as MessageKey[])
  .filter((k) => DESTRUCTIVE.test(en[k]))
  .map((k) =>
    zhCN[k]
      .split(/\{[^{}]*\}/)
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  )
  .filter((pieces) => pieces.length > 0);
const destructive = (label: string) => DESTRUCTIVE.test(label) || DESTRUCTIVE_ZH.some((pieces) => pieces.every((p) => label.includes(p)));

describe('accounts and role-aware screens (built console, real back end, headless Chromium)', () => {
  let srv: TestServer;
  let browser: TestBrowser;
  const contexts: BrowserContext[] = [];

  async function api<T>(method: string, p: string, token: string | null, body?: unknown): Promise<{ status: number; body: T }> {
    return srv.client.call<T>(method, `/api/v1${p}`, body, { token: token ?? '' });
  }
  const login = async (username: string, password: string) => {
    const r = await api<LoginResponse>('POST', '/auth/login', null, { username, password });
    expect(r.status, `login ${username}`).toBe(200);
    return r.body;
  };
  const audit = async (action: string): Promise<AuditEntry[]> =>
    (await api<AuditEntry[]>('GET', `/audit?action=${action}&limit=100`, (await login('admin', ADMIN_NEW)).token)).body;

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

  async function signInForm(page: Page, username: string, password: string, lang: 'en' | 'zh-CN'): Promise<void> {
    await page.goto(srv.url);
    await page.getByLabel(lang === 'en' ? 'Username' : '用户名').fill(username);
    await page.getByLabel(lang === 'en' ? 'Password' : '密码', { exact: true }).fill(password);
    await page.getByRole('button', { name: lang === 'en' ? 'Sign in' : '登录' }).click();
  }

  async function fillChange(page: Page, current: string, next: string, repeat = next): Promise<void> {
    await page.locator('#f-currentPassword').fill(current);
    await page.locator('#f-newPassword').fill(next);
    await page.locator('#f-repeatPassword').fill(repeat);
    await page.locator('.password-form button[type=submit]').click();
  }

  beforeAll(async () => {
    // No ARGUS_ADMIN_PASSWORD: the first start generates the admin password and prints it once in a box.
    srv = await startServer({ tag: 'e2e-accounts', console: true, adminPassword: '', signIn: false });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await srv?.close();
  });

  it('the generated first admin password must be changed at the first sign-in (zh-CN): policy refusals worded in Chinese', async () => {
    const generated = /password: (\S+)/.exec(srv.logs.join('\n'))?.[1];
    expect(generated).toMatch(/^[A-Za-z0-9]{16}$/);
    // Before the change, the API serves nothing but the change itself.
    const temp = await login('admin', generated!);
    expect(temp.user.mustChangePassword).toBe(true);
    expect((await api('GET', '/cameras', temp.token)).status).toBe(403);

    const page = await newPage('zh-CN');
    await signInForm(page, 'admin', generated!, 'zh-CN');
    await page.getByRole('heading', { name: '请设置新密码' }).waitFor();
    expect(await page.locator('.console').count()).toBe(0);
    const fieldError = page.locator('[data-field=newPassword] .field-error');
    await fillChange(page, generated!, '12345678');
    await expect.poll(() => fieldError.innerText()).toBe('太短：至少 10 个字符。');
    await fillChange(page, generated!, '1234567890');
    await expect.poll(() => fieldError.innerText()).toBe('这是最常见的密码之一，请换一个。');
    await fillChange(page, generated!, 'my-admin-2026');
    await expect.poll(() => fieldError.innerText()).toBe('不能是用户名，也不能包含用户名。');
    await fillChange(page, generated!, ADMIN_NEW, ADMIN_NEW + 'x');
    await expect.poll(() => page.locator('[data-field=repeatPassword] .field-error').innerText()).toBe('两次输入的新密码不一致。');
    expect(await page.locator('.password-form').innerText()).not.toMatch(/[A-Za-z]{4,}/); // no English on the page's form
    await fillChange(page, generated!, ADMIN_NEW);
    await page.locator('.console').waitFor();
    expect(await page.getByRole('tab').allInnerTexts()).toEqual(['实时预览', '电子地图', '录像回放', '报警中心', '案件', '系统管理']);
    // The session that made the change goes on; the one opened with the generated password is ended.
    expect((await api('GET', '/auth/me', temp.token)).status).toBe(401);
    expect((await api('POST', '/auth/login', null, { username: 'admin', password: generated })).status).toBe(401);
    const changed = (await audit('user.password_change'))[0];
    expect(changed).toMatchObject({ username: 'admin', detail: { username: 'admin', wasForced: true } });
    const refusals = (await audit('user.password_change_failed')).map((a) => (a.detail as { reason: string }).reason);
    expect(refusals.sort()).toEqual(['password.common', 'password.contains_username', 'password.too_short']);
  });

  it('an admin resets a dispatcher in Admin → Users (en); the dispatcher must change it and sees no Cases or Admin', async () => {
    const admin = await login('admin', ADMIN_NEW);
    for (const role of ['dispatcher', 'investigator', 'officer'] as const)
      expect((await api('POST', '/users', admin.token, { username: `${role}1`, password: PW[role], role })).status).toBe(201);
    const dispatcherElsewhere = await login('dispatcher1', PW.dispatcher);

    const page = await newPage('en');
    await signInForm(page, 'admin', ADMIN_NEW, 'en');
    await page.locator('.console').waitFor();
    await page.getByRole('tab', { name: 'Admin' }).click();
    await page.locator('.sub-nav-item', { hasText: 'Users' }).click();
    const row = page.locator('.users-table tr', { hasText: 'dispatcher1' });
    await row.getByRole('button', { name: 'Reset password' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('#f-newPassword').fill('dispatcher1-temp');
    await dialog.getByRole('button', { name: 'Reset password' }).click();
    await expect.poll(() => dialog.locator('[data-field=newPassword] .field-error').innerText()).toBe('Must not be or contain the user name.');
    await dialog.locator('#f-newPassword').fill('temporary-ember-31');
    await dialog.getByRole('button', { name: 'Reset password' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.getByText('Must change password').waitFor();
    expect((await api('GET', '/auth/me', dispatcherElsewhere.token)).status).toBe(401); // every session of the user ended
    expect((await audit('user.password_reset'))[0]).toMatchObject({ username: 'admin', detail: { username: 'dispatcher1' } });

    const disp = await newPage('en');
    await signInForm(disp, 'dispatcher1', 'temporary-ember-31', 'en');
    await disp.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await fillChange(disp, 'temporary-ember-31', 'temporary-ember-31');
    await expect.poll(() => disp.locator('[data-field=newPassword] .field-error').innerText()).toBe('The new password must differ from the current one.');
    await fillChange(disp, 'temporary-ember-31', PW.dispatcher);
    await disp.locator('.console').waitFor();
    expect(await disp.getByRole('tab').allInnerTexts()).toEqual(['Live', 'Map', 'Playback', 'Alarms']);
  });

  it.each([
    ['investigator', 'en'],
    ['officer', 'zh-CN'],
  ] as const)('a %s changes their own password from the user menu (%s); their other session ends', async (role, lang) => {
    const username = `${role}1`;
    const other = await newPage(lang);
    await signInForm(other, username, PW[role], lang);
    await other.locator('.console').waitFor();

    const page = await newPage(lang);
    await signInForm(page, username, PW[role], lang);
    await page.locator('.console').waitFor();
    await page.locator('.user-button').click();
    await page.getByRole('menuitem', { name: lang === 'en' ? 'Change password' : '修改密码' }).click();
    const dialog = page.getByRole('dialog');
    await fillChange(page, 'not-the-password', 'amber-forest-trail-8');
    await expect
      .poll(() => dialog.locator('[data-field=currentPassword] .field-error').innerText())
      .toBe(lang === 'en' ? 'This is not your current password.' : '当前密码不正确。');
    await fillChange(page, PW[role], '          ');
    await expect
      .poll(() => dialog.locator('[data-field=newPassword] .field-error').innerText())
      .toBe(lang === 'en' ? 'Must not be empty or only spaces.' : '不能为空，也不能只有空格。');
    await fillChange(page, PW[role], 'amber-forest-trail-8');
    await dialog.waitFor({ state: 'detached' });
    await page.getByText(lang === 'en' ? 'Password changed. Your other sessions have been signed out.' : '密码已修改。您在其他地方的会话已退出。').waitFor();
    // The other console is signed out (its event stream is closed, its token refused) and says why.
    await other.getByText(lang === 'en' ? 'Your session has ended. Please sign in again.' : '会话已结束，请重新登录。').waitFor({ timeout: 30_000 });
    // This one goes on.
    await page.getByRole('tab').first().click();
    expect(await page.locator('.console').count()).toBe(1);
    PW[role] = 'amber-forest-trail-8';
    expect((await audit('user.password_change')).some((a) => a.username === username)).toBe(true);
  });

  const TABS: Record<Role, string[]> = {
    admin: ['Live', 'Map', 'Playback', 'Alarms', 'Cases', 'Admin'],
    dispatcher: ['Live', 'Map', 'Playback', 'Alarms'],
    investigator: ['Live', 'Map', 'Playback', 'Alarms', 'Cases'],
    officer: ['Live', 'Map', 'Alarms'],
  };
  const ZH_TAB: Record<string, string> = { Live: '实时预览', Map: '电子地图', Playback: '录像回放', Alarms: '报警中心', Cases: '案件', Admin: '系统管理' };

  it.each([
    ['admin', 'en'],
    ['dispatcher', 'en'],
    ['investigator', 'en'],
    ['officer', 'en'],
    ['admin', 'zh-CN'],
    ['dispatcher', 'zh-CN'],
    ['investigator', 'zh-CN'],
    ['officer', 'zh-CN'],
  ] as const)(
    'walks every tab as %s (%s) and clicks its listing controls: no request answers 403',
    async (role, lang) => {
      const tabs = TABS[role].map((tab) => (lang === 'en' ? tab : ZH_TAB[tab]!));
      const admin = await login('admin', ADMIN_NEW);
      if (role === 'admin' && lang === 'en')
        expect((await api('POST', '/cameras', admin.token, { name: 'Gate North', url: 'rtsp://127.0.0.1:9/none' })).status).toBe(201);
      const page = await newPage(lang);
      const forbidden: string[] = [];
      page.on('response', (r: Response) => {
        if (r.status() === 403) forbidden.push(`${r.request().method()} ${new URL(r.url()).pathname}`);
      });
      await signInForm(page, role === 'admin' ? 'admin' : `${role}1`, role === 'admin' ? ADMIN_NEW : PW[role], lang);
      await page.locator('.console').waitFor();
      expect(await page.getByRole('tab').allInnerTexts()).toEqual(tabs);
      let clicked = 0;
      const notes: string[] = [];
      for (const tab of tabs) {
        await page.getByRole('tab', { name: tab, exact: true }).click();
        const panel = page.locator('.tab-panel:not([hidden])');
        await page.waitForTimeout(400);
        // Sub-views first (admin sections, alarm views), each then walked like the tab.
        const subs = panel.locator('.sub-nav-item:visible, [role=tab]:visible');
        const nSubs = Math.max(1, await subs.count());
        for (let s = 0; s < nSubs; s++) {
          if ((await subs.count()) > s)
            await subs
              .nth(s)
              .click({ timeout: 3000 })
              .catch((e: Error) => notes.push(`${tab} sub ${s}: ${e.message.split('\n')[0]}`));
          await page.waitForTimeout(300);
          const buttons = panel.locator('button:visible');
          const n = Math.min(await buttons.count(), 40);
          for (let i = 0; i < n; i++) {
            const b = buttons.nth(i);
            if (!(await b.isVisible().catch(() => false)) || (await b.isDisabled().catch(() => true))) continue;
            const label = `${await b.innerText().catch(() => '')} ${(await b.getAttribute('aria-label').catch(() => '')) ?? ''} ${(await b.getAttribute('title').catch(() => '')) ?? ''}`;
            if (destructive(label)) continue;
            await b.click({ timeout: 2000 }).catch(() => undefined);
            clicked++;
            await page.waitForTimeout(120);
            for (let k = 0; k < 3 && (await page.getByRole('dialog').count()) > 0; k++) await page.keyboard.press('Escape');
          }
        }
        await page.keyboard.press('Escape'); // leaves a drawing tool or a maximized tile
      }
      await page.waitForTimeout(500);
      expect(clicked).toBeGreaterThan(5);
      if (forbidden.length) console.log(notes.join('\n'));
      expect(forbidden).toEqual([]);
    },
    240_000,
  );
});
