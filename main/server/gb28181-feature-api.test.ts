// HTTP API of Admin → GB/T 28181 against the real back end and its SIP endpoint on 127.0.0.1 (a raw SIP client registers): settings, a held
// device approved into a node, rejections, the write-only password (proved by a REGISTER), rights per node, audit rows.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AuditEntry } from '../../common/api';
import type { DeviceView, OrgNodeView } from '../../common/devices';
import type { ErrorBody } from '../../common/errors';
import type { GbDeviceView, GbSettingsView } from '../../common/gb28181';
import { RawSipClient } from '../../test/helpers/gb-raw-sip';
import { startServer, waitFor, type TestServer } from '../../test/harness';

const SITE_PASSWORD = 'site-secret-api-1';
const DEVICE_PASSWORD = 'own-secret-api-2';
const HELD = '34020000001320000101';
const REJECTED = '34020000001320000102';

describe('GB/T 28181 admin API with the feature', () => {
  let srv: TestServer;
  let settings: GbSettingsView;
  let node: OrgNodeView;
  const clients: RawSipClient[] = [];

  beforeAll(async () => {
    srv = await startServer({
      tag: 'gb-api',
      overrides: { sipBind: '127.0.0.1', sipSitePassword: SITE_PASSWORD, gbUnknownDevices: 'hold' },
      users: [{ username: 'disp', role: 'dispatcher' }],
    });
    settings = await srv.client.ok<GbSettingsView>('GET', '/api/v1/gb28181/settings');
    node = await srv.client.ok<OrgNodeView>('POST', '/api/v1/org/nodes', { parentId: 1, name: 'Body cameras' }, 201);
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) c.close();
    await srv?.close();
  });

  const register = async (deviceId: string, password: string) => {
    const c = await RawSipClient.open('udp', settings.port!);
    clients.push(c);
    return (await c.register({ deviceId, password, serverId: settings.serverId, expires: 600 })).status;
  };
  const devices = () => srv.client.ok<GbDeviceView[]>('GET', '/api/v1/gb28181/devices');
  const byGbId = async (gbId: string) => (await devices()).find((d) => d.gbId === gbId);
  const errorOf = async (method: string, path: string, body: unknown, status: number, token?: string) => {
    const r = await srv.client.call<ErrorBody>(method, path, body, token === undefined ? {} : { token });
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    return r.body.error;
  };
  const audit = (action: string) => srv.client.ok<AuditEntry[]>('GET', `/api/v1/audit?action=${action}`);

  test('settings: the bound SIP port, IDs, policy and where each is set; the site password only as "set"', async () => {
    expect(settings).toMatchObject({
      bind: '127.0.0.1',
      serverId: '34020000002000000001',
      domain: '3402000000',
      sitePasswordSet: true,
      unknownDevices: 'hold',
    });
    expect(settings.port).toBeGreaterThan(0);
    expect(settings.where).toContainEqual({ field: 'port', key: 'sipPort', env: 'ARGUS_SIP_PORT' });
    expect(settings.where).toContainEqual({ field: 'unknownDevices', key: 'gbUnknownDevices', env: 'ARGUS_GB_UNKNOWN_DEVICES' });
    expect(JSON.stringify(settings)).not.toContain(SITE_PASSWORD);
    expect((await errorOf('GET', '/api/v1/gb28181/settings', undefined, 403, srv.tokens.disp)).code).toBe('auth.forbidden');
  });

  test('an unknown device registering with the site password is held (403 to it), listed as awaiting approval, and approved into a node', async () => {
    expect(await register(HELD, SITE_PASSWORD)).toBe(403);
    const held = await waitFor(() => byGbId(HELD), { what: 'the held device listed' });
    expect(held).toMatchObject({ approved: false, state: 'awaiting_approval', nodeId: 1, hasPassword: false, peer: { transport: 'udp', host: '127.0.0.1' } });
    expect((await srv.client.ok<GbDeviceView[]>('GET', '/api/v1/gb28181/devices?state=awaiting_approval')).map((d) => d.gbId)).toEqual([HELD]);
    expect(await srv.client.ok<GbDeviceView[]>('GET', '/api/v1/gb28181/devices?state=online')).toEqual([]);

    expect((await errorOf('POST', `/api/v1/gb28181/devices/${held.deviceId}/approve`, { nodeId: 999 }, 404)).code).toBe('org.node_not_found');
    expect((await errorOf('POST', `/api/v1/gb28181/devices/${held.deviceId}/approve`, { nodeId: node.id }, 403, srv.tokens.disp)).code).toBe('auth.forbidden');
    expect((await errorOf('POST', '/api/v1/gb28181/devices/424242/approve', { nodeId: node.id }, 404)).code).toBe('gb.device_not_found');
    const approved = await srv.client.ok<GbDeviceView>(
      'POST',
      `/api/v1/gb28181/devices/${held.deviceId}/approve`,
      { nodeId: node.id, name: 'Body cam 101' },
      200,
    );
    expect(approved).toMatchObject({ deviceId: held.deviceId, approved: true, nodeId: node.id, name: 'Body cam 101', state: 'offline' });
    // The device model agrees: it moved into the node, approved.
    const device = await srv.client.ok<DeviceView>('GET', `/api/v1/devices/${held.deviceId}`);
    expect(device).toMatchObject({ kind: 'gb28181', code: HELD, nodeId: node.id, approved: true, name: 'Body cam 101' });
    expect((await errorOf('POST', `/api/v1/gb28181/devices/${held.deviceId}/approve`, { nodeId: node.id }, 409)).code).toBe('gb.not_awaiting');
    expect((await errorOf('POST', `/api/v1/gb28181/devices/${held.deviceId}/reject`, undefined, 409)).code).toBe('gb.not_awaiting');
    expect((await audit('gb.device_approve'))[0]).toMatchObject({
      username: 'admin',
      targetType: 'device',
      targetId: String(held.deviceId),
      detail: { gbId: HELD, nodeId: node.id },
    });

    // Approved, it registers with the site password and is online.
    expect(await register(HELD, SITE_PASSWORD)).toBe(200);
    const online = await waitFor(async () => (await byGbId(HELD))?.state === 'online' && byGbId(HELD), { what: 'the approved device online' });
    expect(online).toMatchObject({ peer: { transport: 'udp', host: '127.0.0.1' } });
    expect(online && online.lastRegisterMs).toBeGreaterThan(0);
  });

  test('a per-device password is write-only: never returned or audited, and it replaces the site password for that device', async () => {
    const d = (await byGbId(HELD))!;
    expect((await errorOf('PUT', `/api/v1/gb28181/devices/${d.deviceId}/password`, { password: DEVICE_PASSWORD }, 403, srv.tokens.disp)).code).toBe(
      'auth.forbidden',
    );
    const r = await srv.client.call('PUT', `/api/v1/gb28181/devices/${d.deviceId}/password`, { password: DEVICE_PASSWORD });
    expect(r.status).toBe(204);
    const after = await srv.client.call<GbDeviceView>('GET', `/api/v1/gb28181/devices/${d.deviceId}`);
    expect(after.body.hasPassword).toBe(true);
    for (const text of [
      JSON.stringify(after.body),
      JSON.stringify(await devices()),
      JSON.stringify(await srv.client.ok('GET', `/api/v1/devices/${d.deviceId}`)),
    ])
      expect(text).not.toContain(DEVICE_PASSWORD);
    const entry = (await audit('gb.device_password'))[0]!;
    expect(entry).toMatchObject({ username: 'admin', targetId: String(d.deviceId), detail: { gbId: HELD, set: true } });
    expect(JSON.stringify(entry)).not.toContain(DEVICE_PASSWORD);
    // The registrar uses it: the device's own password registers, the site password no longer does.
    expect(await register(HELD, DEVICE_PASSWORD)).toBe(200);
    expect(await register(HELD, SITE_PASSWORD)).toBe(403);
    // Cleared: the site password applies again.
    expect((await srv.client.call('PUT', `/api/v1/gb28181/devices/${d.deviceId}/password`, { password: null })).status).toBe(204);
    expect((await srv.client.ok<GbDeviceView>('GET', `/api/v1/gb28181/devices/${d.deviceId}`)).hasPassword).toBe(false);
    expect(await register(HELD, SITE_PASSWORD)).toBe(200);
    expect((await audit('gb.device_password'))[0]).toMatchObject({ detail: { set: false } });
  });

  test('a rejected device leaves the list (its registration comes back as held); the site password set here is never returned', async () => {
    expect(await register(REJECTED, SITE_PASSWORD)).toBe(403);
    const held = await waitFor(() => byGbId(REJECTED), { what: 'the second device held' });
    expect((await srv.client.call('POST', `/api/v1/gb28181/devices/${held.deviceId}/reject`)).status).toBe(204);
    expect(await byGbId(REJECTED)).toBeUndefined();
    expect((await srv.client.call('GET', `/api/v1/devices/${held.deviceId}`)).status).toBe(404);
    expect((await audit('gb.device_reject'))[0]).toMatchObject({ username: 'admin', targetId: String(held.deviceId), detail: { gbId: REJECTED } });

    const newSite = 'site-secret-api-3';
    expect((await srv.client.call('PUT', '/api/v1/gb28181/site-password', { password: newSite })).status).toBe(204);
    expect(JSON.stringify(await srv.client.ok('GET', '/api/v1/gb28181/settings'))).not.toContain(newSite);
    expect(JSON.stringify(await audit('gb.site_password'))).not.toContain(newSite);
    expect(await register(REJECTED, newSite)).toBe(403); // held again, as an unknown device
    expect((await waitFor(() => byGbId(REJECTED), { what: 'held again' })).state).toBe('awaiting_approval');
  });

  test('a device added before it registers: 201 approved in its node, 409 on a taken ID, catalog refresh 503 gb.not_registered while not registered', async () => {
    const gbId = '34020000001320000103';
    const body = { gbId, name: 'NVR 103', nodeId: node.id, password: 'nvr-secret-103' };
    expect((await errorOf('POST', '/api/v1/gb28181/devices', body, 403, srv.tokens.disp)).code).toBe('auth.forbidden');
    const added = await srv.client.ok<GbDeviceView>('POST', '/api/v1/gb28181/devices', body, 201);
    expect(added).toMatchObject({ gbId, name: 'NVR 103', nodeId: node.id, approved: true, hasPassword: true, state: 'offline', peer: null, channelCount: 0 });
    expect(added.subscriptions.map((s) => [s.kind, s.state])).toEqual([
      ['Catalog', 'off'],
      ['Alarm', 'off'],
      ['MobilePosition', 'off'],
    ]);
    expect(JSON.stringify(added)).not.toContain('nvr-secret-103');
    const taken = await errorOf('POST', '/api/v1/gb28181/devices', { ...body, name: 'Other' }, 409);
    expect(taken.fields?.[0]?.path).toBe('gbId');
    expect((await audit('gb.device_add'))[0]).toMatchObject({ username: 'admin', targetId: String(added.deviceId), detail: { gbId } });
    expect((await errorOf('POST', `/api/v1/gb28181/devices/${added.deviceId}/catalog`, undefined, 503)).code).toBe('gb.not_registered');
    expect(await srv.client.ok('GET', `/api/v1/gb28181/devices/${added.deviceId}/channels`)).toEqual([]);
    // Its own password registers it at once, without approval.
    expect(await register(gbId, 'nvr-secret-103')).toBe(200);
  });
});
