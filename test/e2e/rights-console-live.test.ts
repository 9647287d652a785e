// End to end in headless Chromium: the console shows only what the user may use (issue 13) — the officer's tree, no Admin tab, per-camera PTZ rights, alarms without handle buttons, a new grant appearing live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alarm } from '../../common/alarms';
import type { Camera, UnitKey, UserInfo } from '../../common/api';
import type { GrantView } from '../../common/access';
import type { DeviceView, OrgNodeView } from '../../common/devices';
import type { PtzState } from '../../common/onvif';
import { OnvifSimulator } from '../onvif-sim/simulator';
import { launchBrowser, openConsole, SEED_PASSWORD, startServer, waitFor, type TestBrowser, type TestServer } from '../harness';

/** Nothing listens on the discard port: the recorder never connects (only the rights matter here). */
const DEAD_URL = 'rtsp://127.0.0.1:9/none';

describe('the console shows only what the user may use', () => {
  let srv: TestServer;
  let browser: TestBrowser;
  let a1: number; // node A, granted to the officer
  let a2: number; // node A, denied to the officer on the channel
  let b1: number; // node B, not the officer's
  let own: UnitKey;
  let other: UnitKey;
  let nodeAId: number;
  let nodeBId: number;
  const sims: OnvifSimulator[] = [];

  const grant = (principalId: number, right: string, scopeKind: 'node' | 'channel', scopeId: number, effect: 'allow' | 'deny' = 'allow') =>
    srv.client.ok('POST', '/api/v1/access/grants', { principalKind: 'user', principalId, right, scopeKind, scopeId, effect }, 201);

  beforeAll(async () => {
    srv = await startServer({
      console: true,
      tag: 'rights-console',
      users: [
        { username: 'off', role: 'officer' },
        { username: 'steer', role: 'officer' },
      ],
    });
    const node = (name: string) => srv.client.ok<OrgNodeView>('POST', '/api/v1/org/nodes', { parentId: 1, name }, 201);
    const [nodeA, nodeB] = [await node('Node A'), await node('Node B')];
    [nodeAId, nodeBId] = [nodeA.id, nodeB.id];
    const dev = (nodeId: number, name: string, channels: string[]) =>
      srv.client.ok<DeviceView>('POST', '/api/v1/devices/rtsp', { nodeId, name, channels: channels.map((c) => ({ name: c, url: DEAD_URL })) }, 201);
    [a1, a2] = (await dev(nodeA.id, 'A box', ['Alpha gate', 'Alpha yard'])).channels.map((c) => c.id);
    b1 = (await dev(nodeB.id, 'B box', ['Bravo gate'])).channels[0]!.id;
    own = await srv.client.ok<UnitKey>('POST', '/api/v1/units', { callsign: 'Car 1', type: 'vehicle' }, 201);
    other = await srv.client.ok<UnitKey>('POST', '/api/v1/units', { callsign: 'Car 2', type: 'vehicle' }, 201);
    const users = await srv.client.ok<UserInfo[]>('GET', '/api/v1/users');
    const idOf = (name: string) => users.find((u) => u.username === name)!.id;
    // The officer: their own unit, live view and alarms on node A (one of its channels denied).
    await srv.client.ok('PUT', `/api/v1/access/devices/${own.unit.id}/users`, { userIds: [idOf('off')] }, 200);
    await grant(idOf('off'), 'live.view', 'node', nodeA.id);
    await grant(idOf('off'), 'live.view', 'channel', a2, 'deny');
    await grant(idOf('off'), 'alarms.view', 'node', nodeA.id);
    // Another user watches everything and may steer only node A's cameras.
    await grant(idOf('steer'), 'live.view', 'node', 1);
    await grant(idOf('steer'), 'ptz.control', 'node', nodeA.id);
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    for (const sim of sims) await sim.stop();
  }, 60_000);

  it('cameras and units carry the rights the user holds on them (PTZ only where granted)', async () => {
    const as = async (name: string) => {
      const token = await srv.login(name, SEED_PASSWORD);
      const r = await fetch(`${srv.url}/api/v1/cameras`, { headers: { authorization: `Bearer ${token}` } });
      return (await r.json()) as Camera[];
    };
    const officerCams = await as('off');
    expect(officerCams.map((c) => c.id)).toEqual([a1]);
    expect(officerCams[0]!.myRights).toContain('live.view');
    expect(officerCams[0]!.myRights).toContain('alarms.view');
    expect(officerCams[0]!.myRights).not.toContain('ptz.control');
    expect(officerCams[0]!.myRights).not.toContain('alarms.handle');
    const steerCams = await as('steer');
    const rightsOf = (id: number) => steerCams.find((c) => c.id === id)?.myRights ?? [];
    expect(rightsOf(a1)).toContain('ptz.control');
    expect(rightsOf(b1)).toContain('live.view');
    expect(rightsOf(b1)).not.toContain('ptz.control');
  });

  it("the officer's console: their unit and node A's other camera only, no Admin tab; an alarm they may see but not handle has no buttons; a grant shows live", async () => {
    const viewOnly = await srv.client.ok<Alarm>('POST', '/api/v1/alarms', { sourceId: a1, severity: 'major', message: 'Gate forced' }, 201);
    const ownAlarm = await srv.client.ok<Alarm>('POST', '/api/v1/alarms', { sourceId: own.unit.id, severity: 'major', message: 'Car 1 SOS' }, 201);
    const c = await openConsole(srv.url, { browser, user: { username: 'off', password: SEED_PASSWORD } });
    try {
      const { page } = c;
      const rail = page.locator('.left-rail');
      await waitFor(async () => (await rail.innerText()).includes('Alpha gate') && (await rail.innerText()).includes('Car 1'), {
        what: 'the officer tree',
      });
      const tree = await rail.innerText();
      for (const hidden of ['Alpha yard', 'Bravo gate', 'Car 2']) expect(tree, hidden).not.toContain(hidden);
      expect(await page.getByRole('tab', { name: 'Admin' }).count()).toBe(0);

      // Alarms: the camera's alarm shows without the workflow; their own unit's alarm with it.
      await page.getByRole('tab', { name: 'Alarms' }).click();
      await page.locator('.alarms-views button[data-view=live]').click();
      const row = (id: number) => page.locator(`[data-testid=live-alarms] .alarm-row[data-alarm-id="${id}"]`);
      await row(ownAlarm.id).click();
      const ownDetail = page.locator(`.alarm-detail[data-alarm-id="${ownAlarm.id}"]`);
      await ownDetail.locator('button[data-action=acknowledge]').waitFor();
      await row(viewOnly.id).click();
      const detail = page.locator(`.alarm-detail[data-alarm-id="${viewOnly.id}"]`);
      await detail.waitFor();
      expect(await detail.locator('.alarm-workflow').count()).toBe(0);
      expect(await detail.locator('button[data-action]').count()).toBe(0);

      // A grant given now reaches the open console (rights.changed): node B's camera appears without a reload.
      const users = await srv.client.ok<UserInfo[]>('GET', '/api/v1/users');
      await grant(users.find((u) => u.username === 'off')!.id, 'live.view', 'channel', b1);
      await page.getByRole('tab', { name: 'Live', exact: true }).click();
      await waitFor(async () => (await rail.innerText()).includes('Bravo gate'), { what: 'the newly granted camera in the tree' });
      expect(await rail.innerText()).not.toContain('Alpha yard');
      expect(c.pageErrors).toEqual([]);
    } finally {
      await c.close();
    }
    void other;
  });
  it("PTZ pad: a dispatcher granted ptz.control only on node A gets it on A's PTZ camera, not on B's; the officer on none", async () => {
    // Two ONVIF PTZ cameras (simulators), one under each node; not recording (only the PTZ rights matter).
    const addPtz = async (name: string, nodeId: number): Promise<number> => {
      const sim = new OnvifSimulator({
        username: 'onvif',
        password: 'cam-secret-42',
        sources: [{ token: 'vs1', mainUri: DEAD_URL, subUri: DEAD_URL }],
        discoveryPort: 0,
        pullHoldMs: 1000,
      });
      await sim.start();
      sims.push(sim);
      const r = await srv.client.ok<{ cameraIds: number[] }>(
        'POST',
        '/api/v1/onvif/devices',
        { host: '127.0.0.1', port: sim.port, username: 'onvif', password: 'cam-secret-42', name, enabled: false, nodeId },
        201,
      );
      return r.cameraIds[0]!;
    };
    const domeA = await addPtz('Dome A', nodeAId);
    const domeB = await addPtz('Dome B', nodeBId);
    // Both really have PTZ (the admin's answer): a missing pad on B is the right's doing, not the camera's.
    for (const id of [domeA, domeB]) expect((await srv.client.ok<PtzState>('GET', `/api/v1/cameras/${id}/ptz`)).ptz).toBe(true);

    // The dispatcher template holds ptz.control at the root: take it away, grant it to this dispatcher on node A only.
    await srv.addUser('disp', 'dispatcher', SEED_PASSWORD);
    const grants = await srv.client.ok<GrantView[]>('GET', '/api/v1/access/grants');
    const templ = grants.find((g) => g.principalKind === 'role' && g.role === 'dispatcher' && g.right === 'ptz.control');
    expect(templ).toBeDefined();
    await srv.client.ok('DELETE', `/api/v1/access/grants/${templ!.id}`, undefined, 204);
    const users = await srv.client.ok<UserInfo[]>('GET', '/api/v1/users');
    await grant(users.find((u) => u.username === 'disp')!.id, 'ptz.control', 'node', nodeAId);

    const c = await openConsole(srv.url, { browser, user: { username: 'disp', password: SEED_PASSWORD } });
    try {
      const { page } = c;
      const tileOf = async (id: number) => {
        await page.locator(`.left-rail [data-source-id="${id}"]`).dblclick();
        await page.locator(`.tile video[data-source-id="${id}"]`).waitFor({ state: 'attached' });
        return page.locator('.tile', { has: page.locator(`video[data-source-id="${id}"]`) });
      };
      const tileA = await tileOf(domeA);
      await tileA.locator('.tile-tool[name=ptz]').waitFor({ state: 'attached' });
      await tileA.hover();
      await tileA.locator('.tile-tool[name=ptz]').click();
      await page.locator(`.ptz-panel[data-camera-id="${domeA}"]`).waitFor();
      await page.keyboard.press('Escape'); // restore
      await page.locator('.ptz-panel').waitFor({ state: 'detached' });
      const tileB = await tileOf(domeB);
      await tileB.hover();
      await tileB.locator('.tile-tool[title^="Maximize"]').click();
      await tileB.locator('.tile-tool[title^="Restore"]').waitFor({ state: 'attached' });
      // Maximized, yet no pad and no PTZ tool: the dispatcher may watch B's dome but not steer it.
      await page.waitForTimeout(1500);
      expect(await page.locator('.ptz-panel').count()).toBe(0);
      expect(await tileB.locator('.tile-tool[name=ptz]').count()).toBe(0);
      expect(c.pageErrors).toEqual([]);
    } finally {
      await c.close();
    }

    // The officer watches node A's dome but holds no ptz.control on it: no PTZ tool.
    const o = await openConsole(srv.url, { browser, user: { username: 'off', password: SEED_PASSWORD } });
    try {
      const { page } = o;
      await page.locator(`.left-rail [data-source-id="${domeA}"]`).dblclick();
      const tile = page.locator('.tile', { has: page.locator(`video[data-source-id="${domeA}"]`) });
      await tile.waitFor();
      await page.waitForTimeout(1500);
      expect(await tile.locator('.tile-tool[name=ptz]').count()).toBe(0);
      expect(await page.locator(`.left-rail [data-source-id="${domeB}"]`).count()).toBe(0);
    } finally {
      await o.close();
    }
  }, 120_000);
});
