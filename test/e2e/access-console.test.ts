// End to end: Admin → Access in headless Chromium — an admin grants an officer live view on a node through the form, then
// "who can see this camera" and "what can this user see" answer it (and the server agrees); the officer's console sees the right.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAudienceView } from '../../common/access';
import type { DeviceView, OrgNodeView } from '../../common/devices';
import type { LoginResponse } from '../../common/api';
import { launchBrowser, openConsole, SEED_PASSWORD, startServer, waitFor, type TestBrowser, type TestServer } from '../harness';

/** Nothing listens on the discard port: the recorder never connects (only the rights matter here). */
const DEAD_URL = 'rtsp://127.0.0.1:9/none';

describe('Admin → Access in the console', () => {
  let srv: TestServer;
  let browser: TestBrowser;
  let north: OrgNodeView;
  let cam: DeviceView;

  beforeAll(async () => {
    srv = await startServer({ console: true, tag: 'access-console', users: [{ username: 'off', role: 'officer' }] });
    north = await srv.client.ok<OrgNodeView>('POST', '/api/v1/org/nodes', { parentId: 1, name: 'North' }, 201);
    cam = await srv.client.ok<DeviceView>('POST', '/api/v1/devices/rtsp', { nodeId: north.id, name: 'Gate', channels: [{ name: 'Gate', url: DEAD_URL }] }, 201);
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('grants live view on a node to an officer and answers who can see the camera and what the officer can see', async () => {
    const channelId = cam.channels[0]!.id;
    const officerLogin = await srv.client.ok<LoginResponse>('POST', '/api/v1/auth/login', { username: 'off', password: SEED_PASSWORD }, 200);
    expect(officerLogin.user.rights?.any).not.toContain('live.view');
    const c = await openConsole(srv.url, { browser, user: { username: 'admin', password: srv.adminPassword } });
    try {
      const { page } = c;
      await page.getByRole('tab', { name: 'Admin' }).click();
      await page.locator('.sub-nav-item', { hasText: 'Access' }).click();
      const panel = page.locator('.access-panel');
      const form = panel.locator('.access-grant-form');
      await form.locator('select[name="principalKind"]').selectOption('user');
      await form.locator('select[name="principalId"]').selectOption({ label: 'off' });
      await form.locator('select[name="right"]').selectOption('live.view');
      await form.locator('select[name="scopeKind"]').selectOption('node');
      await form.locator('select[name="scopeId"]').selectOption(String(north.id));
      await form.locator('select[name="effect"]').selectOption('allow');
      await form.locator('button[type="submit"]').click();
      const row = panel.locator('.access-grants tbody tr', { hasText: 'User: off' });
      await row.waitFor();
      expect(await row.innerText()).toContain('Node and below: North');

      // Who can see the camera: the officer now, through that grant.
      await panel.locator('select[name="whoChannel"]').selectOption(String(channelId));
      await panel.locator('.access-who button').click();
      const offRow = panel.locator('.access-who-table tr[data-user="off"]');
      await offRow.waitFor();
      expect(await offRow.getAttribute('data-allowed')).toBe('true');
      expect(await offRow.innerText()).toContain('Allow by User: off on Node and below: North');

      // What can the officer see: that one channel.
      await panel.locator('select[name="whatUser"]').selectOption({ label: 'off' });
      await panel.locator('.access-what button').click();
      await waitFor(async () => (await panel.locator('.access-what-channels').innerText()).includes('Gate'), { what: 'the officer reaches the Gate channel' });
      expect(await panel.locator('.access-what-channels').innerText()).toContain('Channels with this right: 1');
      expect(c.pageErrors).toEqual([]);
    } finally {
      await c.close();
    }
    // The server agrees, and the officer's rights now include live view.
    const who = await srv.client.ok<ChannelAudienceView>('GET', `/api/v1/access/channels/${channelId}/audience`);
    expect(who.users.find((u) => u.username === 'off')?.allowed).toBe(true);
    const again = await srv.client.ok<LoginResponse>('POST', '/api/v1/auth/login', { username: 'off', password: SEED_PASSWORD }, 200);
    expect(again.user.rights?.any).toContain('live.view');
  });

  it('words the panel in zh-CN, and officers do not see it', async () => {
    const c = await openConsole(srv.url, { browser, lang: 'zh-CN', user: { username: 'admin', password: srv.adminPassword } });
    try {
      await c.page.getByRole('tab', { name: '系统管理' }).click();
      await c.page.locator('.sub-nav-item', { hasText: '权限' }).click();
      await c.page.locator('.access-panel h2', { hasText: '按组织和通道授权' }).waitFor();
      expect(c.pageErrors).toEqual([]);
    } finally {
      await c.close();
    }
    const o = await openConsole(srv.url, { browser, user: { username: 'off', password: SEED_PASSWORD } });
    try {
      await o.page.locator('.workspace, [role="tablist"]').first().waitFor();
      expect(await o.page.locator('.sub-nav-item', { hasText: 'Access' }).count()).toBe(0);
      expect(await o.page.getByRole('tab', { name: 'Admin' }).count()).toBe(0);
    } finally {
      await o.close();
    }
  });
});
