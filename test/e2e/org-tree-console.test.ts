// End to end: the organisation tree in the console's left rail (nodes, counts, search, drag a node to the wall, both
// languages) and Admin → Organisation (add, rename, code, move, delete a node; move a device), headless Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelRef, DeviceView, OrgNodeView, OrgTree, AgentKey } from '../../common/devices';
import { launchBrowser, openConsole, SEED_PASSWORD, startServer, waitFor, type TestBrowser, type TestServer } from '../harness';

/** Nothing listens on the discard port: the recorders never connect (frames are not needed, only tile assignments). */
const DEAD_URL = 'rtsp://127.0.0.1:9/none';

describe('organisation tree in the console', () => {
  let srv: TestServer;
  let browser: TestBrowser;
  let district: OrgNodeView;
  let station: OrgNodeView;
  let cams: DeviceView[];
  let car: DeviceView;

  const node = (id: number) => `.tree-node[data-node-id="${id}"]`;
  const count = (id: number) => `${node(id)} > .tree-node-header .tree-node-count`;
  const tileSource = (page: import('playwright-core').Page, i: number) => page.locator(`.tile[data-tile-index="${i}"] video`).getAttribute('data-source-id');

  beforeAll(async () => {
    srv = await startServer({ console: true, tag: 'org-tree', users: [{ username: 'disp', role: 'dispatcher' }] });
    district = await srv.client.ok<OrgNodeView>('POST', '/api/v1/org/nodes', { parentId: 1, name: '西湖分局', code: '330106' }, 201);
    station = await srv.client.ok<OrgNodeView>('POST', '/api/v1/org/nodes', { parentId: district.id, name: 'North Station' }, 201);
    cams = [];
    for (const name of ['Gate A', 'Gate B', 'Gate C']) {
      cams.push(await srv.client.ok<DeviceView>('POST', '/api/v1/devices/rtsp', { nodeId: station.id, name, channels: [{ name, url: DEAD_URL }] }, 201));
    }
    car = (await srv.client.ok<AgentKey>('POST', '/api/v1/devices/agent', { nodeId: district.id, callsign: 'Car 7', type: 'vehicle', officer: 'Li Wei' }, 201))
      .device;
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('shows nodes with online/total and their devices; search by callsign finds the unit (en)', async () => {
    const c = await openConsole(srv.url, { browser, user: { username: 'admin', password: srv.adminPassword } });
    try {
      const { page } = c;
      await page.locator(count(district.id)).waitFor();
      expect(await page.locator(`${node(1)} > .tree-node-header .tree-group-name`).innerText()).toBe('All devices');
      expect(await page.locator(count(district.id)).innerText()).toBe('0/4');
      expect(await page.locator(count(station.id)).innerText()).toBe('0/3');
      // The station's cameras are single-channel devices: one row each, under the station, under the district.
      for (const d of cams) await page.locator(`${node(district.id)} ${node(station.id)} .tree-camera[data-source-id="${d.channels[0].id}"]`).waitFor();
      await page.locator(`${node(district.id)} .tree-unit[data-unit-id="${car.id}"]`).waitFor();

      await page.locator('.rail-filter').fill('car 7');
      await page.locator(`${node(district.id)} .tree-unit[data-unit-id="${car.id}"]`).waitFor();
      await waitFor(async () => (await page.locator('.left-rail .tree-camera:not(.tree-unit)').count()) === 0, { what: 'only the unit left' });
      expect(await page.locator(node(station.id)).count()).toBe(0);
      // By the node's code: the district and all it holds.
      await page.locator('.rail-filter').fill('330106');
      await page.locator(`${node(station.id)} .tree-camera[data-source-id="${cams[2].channels[0].id}"]`).waitFor();
      await page.locator('.rail-filter').fill('no such thing');
      await page.locator('.left-rail .rail-note').waitFor();
      await page.locator('.rail-filter').fill('');
      expect(c.pageErrors).toEqual([]);
    } finally {
      await c.close();
    }
  });

  it('shows the tree and counts in zh-CN', async () => {
    const c = await openConsole(srv.url, { browser, lang: 'zh-CN', user: { username: 'admin', password: srv.adminPassword } });
    try {
      const { page } = c;
      await page.locator(count(district.id)).waitFor();
      expect(await page.locator(`${node(1)} > .tree-node-header .tree-group-name`).innerText()).toBe('全部设备');
      expect(await page.locator(`${node(district.id)} > .tree-node-header .tree-group-name`).innerText()).toBe('西湖分局');
      expect(await page.locator(count(district.id)).innerText()).toBe('0/4');
      expect(await page.locator(`${node(district.id)} > .tree-node-header`).getAttribute('title')).toContain('0/4 台设备在线');
      expect(await page.locator('.rail-filter').getAttribute('placeholder')).toBe('按名称、编码或呼号搜索');
    } finally {
      await c.close();
    }
  });

  it('dragging a node fills the wall with its channels in tree order, and says when they do not all fit', async () => {
    const c = await openConsole(srv.url, { browser, user: { username: 'admin', password: srv.adminPassword } });
    try {
      const { page } = c;
      await page.getByRole('tab', { name: 'Live' }).click();
      await page.locator('.wall[data-layout="4"]').waitFor();
      const stationChannels = await srv.client.ok<ChannelRef[]>('GET', `/api/v1/org/nodes/${station.id}/channels?recursive=true`);
      expect(stationChannels.map((x) => x.channelId).sort()).toEqual(cams.map((d) => d.channels[0].id).sort());
      await page.dragAndDrop(`${node(station.id)} > .tree-node-header`, '.tile[data-tile-index="0"]');
      for (let i = 0; i < 3; i++) await waitFor(async () => (await tileSource(page, i)) === String(stationChannels[i].channelId), { what: `tile ${i}` });

      // The district holds 4 channels; dropped on tile 2 of 4, two fit: a toast says so.
      const all = await srv.client.ok<ChannelRef[]>('GET', `/api/v1/org/nodes/${district.id}/channels?recursive=true`);
      expect(all).toHaveLength(4);
      await page.dragAndDrop(`${node(district.id)} > .tree-node-header`, '.tile[data-tile-index="2"]');
      for (let i = 0; i < 2; i++) await waitFor(async () => (await tileSource(page, 2 + i)) === String(all[i].channelId), { what: `tile ${2 + i}` });
      await page.locator('.toast', { hasText: 'Showing 2 of 4 channels' }).waitFor();
      expect(await tileSource(page, 0)).toBe(String(stationChannels[0].channelId));
      expect(c.pageErrors).toEqual([]);
    } finally {
      await c.close();
    }
  });

  it('an admin adds, renames, codes, moves and deletes a node and moves a device in Admin → Organisation', async () => {
    const c = await openConsole(srv.url, { browser, user: { username: 'admin', password: srv.adminPassword } });
    const tree = async () => (await srv.client.ok<OrgTree>('GET', '/api/v1/org/tree')).nodes;
    try {
      const { page } = c;
      await page.getByRole('tab', { name: 'Admin' }).click();
      await page.locator('.sub-nav-item', { hasText: 'Organisation' }).click();
      const panel = page.locator('.org-panel');
      await panel.locator(`.org-node-item[data-node-id="${station.id}"]`).click();
      await panel.locator(`.org-editor[data-node-id="${station.id}"]`).waitFor();

      await panel.locator('input[name=childName]').fill('Squad 1');
      await panel.getByRole('button', { name: 'Add child node' }).click();
      const squad = await waitFor(async () => (await tree()).find((n) => n.name === 'Squad 1'), { what: 'node created' });
      expect(squad.parentId).toBe(station.id);
      await panel.locator(`.org-node-item[data-node-id="${squad.id}"]`).click();
      const editor = panel.locator(`.org-editor[data-node-id="${squad.id}"]`);
      await editor.locator('input[name=name]').fill('Squad One');
      await editor.locator('input[name=code]').fill('33010601');
      await editor.locator('select[name=parentId]').selectOption(String(district.id));
      await editor.getByRole('button', { name: 'Save' }).click();
      await waitFor(
        async () => (await tree()).find((n) => n.id === squad.id && n.name === 'Squad One' && n.code === '33010601' && n.parentId === district.id),
        { what: 'node saved' },
      );
      await page.locator('.toast', { hasText: 'Node "Squad One" was saved.' }).waitFor();
      // The rail follows (org.changed).
      await page.locator(`${node(district.id)} > ul > ${node(squad.id)}`).waitFor();

      // Move a device of the station into the squad.
      await panel.locator(`.org-node-item[data-node-id="${station.id}"]`).click();
      await panel.locator(`.org-devices-table tr[data-device-id="${cams[0].id}"] select`).selectOption(String(squad.id));
      await waitFor(async () => (await srv.client.ok<DeviceView>('GET', `/api/v1/devices/${cams[0].id}`)).nodeId === squad.id, { what: 'device moved' });
      await page.locator(`${node(squad.id)} .tree-camera[data-source-id="${cams[0].channels[0].id}"]`).waitFor();
      await waitFor(async () => (await page.locator(count(squad.id)).innerText()) === '0/1', { what: 'squad count' });
      expect(await page.locator(count(station.id)).innerText()).toBe('0/2');

      // The station still holds devices: the server refuses, the reason shows in the user's language.
      await panel.locator(`.org-node-item[data-node-id="${station.id}"]`).click();
      await panel.locator('.org-delete').click();
      await page.locator('.confirm-dialog').getByRole('button', { name: 'Delete node' }).click();
      await page.locator('.confirm-dialog', { hasText: 'still holds child nodes or devices' }).waitFor();
      await page.locator('.confirm-dialog').getByRole('button', { name: 'Cancel' }).click();
      expect((await tree()).some((n) => n.id === station.id)).toBe(true);

      // Move the device back; the empty squad can be deleted.
      await panel.locator(`.org-node-item[data-node-id="${squad.id}"]`).click();
      await panel.locator(`.org-devices-table tr[data-device-id="${cams[0].id}"] select`).selectOption(String(station.id));
      await waitFor(async () => (await srv.client.ok<DeviceView>('GET', `/api/v1/devices/${cams[0].id}`)).nodeId === station.id, { what: 'device moved back' });
      await panel.locator('.org-delete').click();
      await page.locator('.confirm-dialog').getByRole('button', { name: 'Delete node' }).click();
      await waitFor(async () => !(await tree()).some((n) => n.id === squad.id), { what: 'node deleted' });
      await page.locator(node(squad.id)).waitFor({ state: 'detached' });
      expect(c.pageErrors).toEqual([]);
    } finally {
      await c.close();
    }
  });

  it('a dispatcher sees the tree but not the Organisation panel', async () => {
    const c = await openConsole(srv.url, { browser, user: { username: 'disp', password: SEED_PASSWORD } });
    try {
      const { page } = c;
      await page.locator(count(district.id)).waitFor();
      expect(await page.getByRole('tab', { name: 'Admin' }).count()).toBe(0);
      expect(await page.locator('.org-panel').count()).toBe(0);
      expect(await page.locator('.sub-nav-item', { hasText: 'Organisation' }).count()).toBe(0);
      // A device added meanwhile shows up with the counts, from the event stream alone.
      const extra = await srv.client.ok<DeviceView>(
        'POST',
        '/api/v1/devices/rtsp',
        { nodeId: station.id, name: 'Gate D', channels: [{ name: 'Gate D', url: DEAD_URL }] },
        201,
      );
      await page.locator(`${node(station.id)} .tree-camera[data-source-id="${extra.channels[0].id}"]`).waitFor();
      await waitFor(async () => (await page.locator(count(station.id)).innerText()) === '0/4', { what: 'station count' });
      expect(await page.locator(count(district.id)).innerText()).toBe('0/5');
    } finally {
      await c.close();
    }
  });
});
