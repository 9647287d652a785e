// End to end: a simulated GB/T 28181 body camera (test/gb28181-sim, a separate process speaking SIP over 127.0.0.1) registers with
// the site password, waits in Admin → GB/T 28181 and in the device tree as awaiting approval, an admin approves it into a node in
// headless Chromium, and it appears registered with its catalog's channels in the panel and under its node in the tree; then in zh-CN,
// a channel dragged from the tree plays on the live wall (frames decoded in Chromium), and on the map once it reports MobilePosition.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../common/api';
import type { OrgNodeView } from '../../common/devices';
import type { GbChannelView, GbDeviceView, GbSettingsView } from '../../common/gb28181';
import { ensureClip } from '../helpers/clips';
import { startGbSim, type GbSim } from '../helpers/gb-sim';
import { launchBrowser, openConsole, startServer, waitFor, type TestBrowser, type TestServer } from '../harness';

const DEVICE_ID = '34020000001320000077';
const SITE_PASSWORD = 'site-secret-e2e-1';

describe('Admin → GB/T 28181 in the console', () => {
  let srv: TestServer;
  let browser: TestBrowser;
  let sim: GbSim;
  let node: OrgNodeView;
  let settings: GbSettingsView;

  const gbDevices = async () => (await srv.client.ok<GbDeviceView[]>('GET', '/api/v1/gb28181/devices')).filter((d) => d.gbId === DEVICE_ID);

  beforeAll(async () => {
    srv = await startServer({
      console: true,
      tag: 'gb-console',
      overrides: { sipBind: '127.0.0.1', publicHost: '127.0.0.1', sipSitePassword: SITE_PASSWORD, gbUnknownDevices: 'hold' },
    });
    settings = await srv.client.ok<GbSettingsView>('GET', '/api/v1/gb28181/settings');
    node = await srv.client.ok<OrgNodeView>('POST', '/api/v1/org/nodes', { parentId: 1, name: '执法记录仪 Squad' }, 201);
    const clip = await ensureClip({ name: 'h264-g711a', width: 640, height: 360, seconds: 4, bitrateKbps: 600, audio: 'alaw' });
    // Unknown to Argus: its first REGISTER (with the site password) is held for approval, so it is ready once its port is bound.
    sim = await startGbSim({
      serverPort: settings.port!,
      serverId: settings.serverId,
      domain: settings.domain,
      deviceId: DEVICE_ID,
      password: SITE_PASSWORD,
      channels: 2,
      clip,
      keepaliveS: 5,
      readyOn: 'bind',
    });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await sim?.stop();
    await browser?.close();
    await srv?.close();
  });

  it('a registering body camera waits for approval, is approved into a node and shows its channels in the panel and the tree (en)', async () => {
    await sim.waitFor((e) => e.ev === 'register-failed' && e.status === 403, { what: 'the held REGISTER answered 403', timeoutMs: 30_000 });
    const c = await openConsole(srv.url, { browser, user: { username: 'admin', password: srv.adminPassword } });
    try {
      const { page } = c;
      // The tree shows it at the root, marked as awaiting approval.
      const pendingTree = page.locator(`.tree-device[data-kind="gb28181"][data-state="awaiting_approval"]`);
      await pendingTree.waitFor({ timeout: 20_000 });
      expect(await pendingTree.locator('.tree-awaiting').innerText()).toBe('awaiting approval');
      expect(await pendingTree.locator('.tree-device-header').getAttribute('title')).toContain('GB/T 28181 device');

      await page.getByRole('tab', { name: 'Admin' }).click();
      await page.locator('.sub-nav-item', { hasText: 'GB/T 28181' }).click();
      const panel = page.locator('.gb-panel');
      expect(await panel.locator('[data-setting="serverId"] dd').innerText()).toBe(settings.serverId);
      expect(await panel.locator('[data-setting="port"] dd').innerText()).toBe(String(settings.port));
      expect(await panel.locator('[data-setting="sitePassword"] dd').innerText()).toBe('set');
      const row = panel.locator(`.gb-pending-row[data-gb-id="${DEVICE_ID}"]`);
      await row.waitFor({ timeout: 20_000 });
      expect(await panel.locator('.gb-pending h3').innerText()).toBe('Awaiting approval (1)');
      expect(await row.innerText()).toContain('127.0.0.1');

      await row.locator('select[name="gbNode"]').selectOption(String(node.id));
      await row.locator('input[name="gbName"]').fill('Body cam 77');
      await row.locator('button.gb-approve').click();
      await page.locator('.toast', { hasText: 'Device "Body cam 77" was approved into "执法记录仪 Squad".' }).waitFor();
      await panel.locator('.gb-pending', { hasText: 'No device is awaiting approval.' }).waitFor();

      // The device registers again at once (it would retry in 30 s): now accepted, its catalog is read.
      const registeredAfter = Date.now();
      await sim.command({ cmd: 'register' });
      await sim.waitFor((e) => e.ev === 'registered' && e.atMs >= registeredAfter - 1_000, { what: 'registered after approval', timeoutMs: 30_000 });
      const dev = await waitFor(async () => (await gbDevices()).find((d) => d.state === 'online' && d.channelCount === 2), {
        what: 'the approved device online with its 2 channels',
        timeoutMs: 60_000,
        intervalMs: 500,
        retryErrors: true,
      });
      expect(dev).toMatchObject({ name: 'Body cam 77', nodeId: node.id, approved: true, hasPassword: false, peer: { transport: 'udp', host: '127.0.0.1' } });
      expect(JSON.stringify(dev)).not.toContain(SITE_PASSWORD);

      const devRow = panel.locator(`.gb-devices-table tr[data-gb-id="${DEVICE_ID}"]`);
      await panel.locator(`.gb-devices-table tr[data-gb-id="${DEVICE_ID}"][data-state="online"]`).waitFor({ timeout: 20_000 });
      expect(await devRow.locator('td').first().innerText()).toBe('Body cam 77');
      await devRow.locator('button.gb-details').click();
      const channels = await srv.client.ok<GbChannelView[]>('GET', `/api/v1/gb28181/devices/${dev.deviceId}/channels`);
      expect(channels.map((ch) => ch.gbId)).toHaveLength(2);
      for (const ch of channels) await panel.locator(`.gb-channels-table tr[data-gb-id="${ch.gbId}"]`).waitFor();
      // Subscriptions made at registration show as active; a catalog refresh reads the same two channels and is audited.
      await panel.locator('.gb-subs-table tr[data-subscription="Catalog"][data-state="active"]').waitFor({ timeout: 30_000 });
      await panel.locator('button.gb-refresh-catalog').click();
      await page.locator('.toast', { hasText: 'Catalog of "Body cam 77" read: 2 channels.' }).waitFor({ timeout: 30_000 });
      expect((await srv.client.ok<AuditEntry[]>('GET', '/api/v1/audit?action=gb.catalog_refresh'))[0]).toMatchObject({
        username: 'admin',
        targetId: String(dev.deviceId),
        detail: { gbId: DEVICE_ID, channels: 2 },
      });

      // The tree: under its node, the device with both channels.
      const treeDevice = page.locator(`.tree-node[data-node-id="${node.id}"] .tree-device[data-device-id="${dev.deviceId}"][data-state="online"]`);
      await treeDevice.waitFor({ timeout: 20_000 });
      for (const ch of channels) await treeDevice.locator(`[data-source-id="${ch.channelId}"]`).waitFor();
      expect(await page.locator('.tree-device[data-state="awaiting_approval"]').count()).toBe(0);
      expect(c.pageErrors).toEqual([]);

      const audit = await srv.client.ok<AuditEntry[]>('GET', '/api/v1/audit?action=gb.device_approve');
      expect(audit[0]).toMatchObject({ username: 'admin', targetType: 'device', targetId: String(dev.deviceId), detail: { gbId: DEVICE_ID, nodeId: node.id } });
    } finally {
      await c.close();
    }
  }, 240_000);

  it('shows the panel and the tree in zh-CN', async () => {
    const [dev] = await gbDevices();
    const c = await openConsole(srv.url, { browser, lang: 'zh-CN', user: { username: 'admin', password: srv.adminPassword } });
    try {
      const { page } = c;
      await page.locator(`.tree-node[data-node-id="${node.id}"] .tree-device[data-device-id="${dev!.deviceId}"]`).waitFor({ timeout: 20_000 });
      expect(await page.locator(`.tree-node[data-node-id="${node.id}"] > .tree-node-header .tree-group-name`).innerText()).toBe('执法记录仪 Squad');
      await page.getByRole('tab', { name: '系统管理' }).click();
      await page.locator('.sub-nav-item', { hasText: 'GB/T 28181' }).click();
      const panel = page.locator('.gb-panel');
      await panel.locator('h2', { hasText: 'GB/T 28181 设备' }).waitFor();
      expect(await panel.locator('[data-setting="serverId"] dt').innerText()).toBe('SIP 服务器编号');
      expect(await panel.locator('.gb-pending').innerText()).toContain('没有待审批的设备。');
      expect(await panel.locator('.gb-devices h3').innerText()).toBe('设备（1）');
      const row = panel.locator(`.gb-devices-table tr[data-gb-id="${DEVICE_ID}"]`);
      expect(await row.locator('.status-text').innerText()).toBe('在线');
      await row.locator('button.gb-details').click();
      await panel.locator('.gb-device-details h3', { hasText: '“Body cam 77”的通道' }).waitFor();
      await panel.locator('.gb-channels-table tbody tr').nth(1).waitFor();
      expect(await panel.locator('.gb-channels-table tbody tr').count()).toBe(2);
      expect(await panel.locator('.gb-channels-table tbody tr').first().innerText()).toContain('摄像机（13');
      expect(await panel.locator('.gb-password-form').first().innerText()).toContain('统一注册密码');
      expect(c.pageErrors).toEqual([]);
    } finally {
      await c.close();
    }
  }, 120_000);

  it('plays a channel of the approved device on the live wall: dragged from the tree, frames decoded in Chromium', async () => {
    const dev = (await gbDevices())[0]!;
    const [ch] = await srv.client.ok<GbChannelView[]>('GET', `/api/v1/gb28181/devices/${dev.deviceId}/channels`);
    const c = await openConsole(srv.url, { browser, user: { username: 'admin', password: srv.adminPassword } });
    try {
      const { page } = c;
      await page.getByRole('tab', { name: 'Live' }).click();
      const item = page.locator(`.tree-device[data-device-id="${dev.deviceId}"] [data-source-id="${ch!.channelId}"]`);
      await item.waitFor({ timeout: 20_000 });
      await page.dragAndDrop(`.tree-device[data-device-id="${dev.deviceId}"] [data-source-id="${ch!.channelId}"]`, '.tile[data-tile-index="0"]');
      const tile = page.locator('.tile[data-tile-index="0"]');
      expect(await tile.locator('video').getAttribute('data-source-id')).toBe(String(ch!.channelId));
      await tile.and(page.locator('[data-state=playing]')).waitFor({ timeout: 60_000 });
      const frames = () =>
        page.evaluate(() => document.querySelector<HTMLVideoElement>('.tile[data-tile-index="0"] video')!.getVideoPlaybackQuality().totalVideoFrames);
      const f0 = await frames();
      await page.waitForTimeout(3000);
      expect((await frames()) - f0, 'frames decoded in 3 s on the GB channel tile').toBeGreaterThan(20);
      // The device streams it: an INVITE for this channel reached the simulator.
      expect(sim.events.some((e) => e.ev === 'invite' && e.channelId === ch!.gbId)).toBe(true);
      expect(c.pageErrors).toEqual([]);
    } finally {
      await c.close();
    }
  }, 120_000);

  it('shows the body camera on the map once it reports its position', async () => {
    const dev = (await gbDevices())[0]!;
    const c = await openConsole(srv.url, { browser, user: { username: 'admin', password: srv.adminPassword } });
    try {
      const { page } = c;
      // MobilePosition → a unit on the map (the GB device control feature), drawn by the console's map tab.
      await sim.command({ cmd: 'position', latitude: 31.8301, longitude: 117.2512, speed: 18, direction: 45, send: 'message' });
      await waitFor(
        async () =>
          (await srv.client.ok<Array<{ unitId: number; position: unknown }>>('GET', '/api/v1/gps/units')).find((u) => u.unitId === dev.deviceId && u.position),
        { what: 'the body camera with a position', timeoutMs: 30_000 },
      );
      await page.getByRole('tab', { name: 'Map' }).click();
      await page.locator(`.unit-marker:has([data-unit-id="${dev.deviceId}"])`).waitFor({ timeout: 30_000 });
      expect(c.pageErrors).toEqual([]);
    } finally {
      await c.close();
    }
  }, 120_000);
});
