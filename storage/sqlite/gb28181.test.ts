// Tests of SqliteGbRepo against a real SQLite file: GB devices held and approved, sealed passwords, registrations, the site password.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempStore, T0, type TempStore } from './test-utils';

const GB = '34020000001320000001';

describe('SqliteGbRepo', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('holds an unknown device awaiting approval, approves it into a node, and seals its password', async () => {
    const held = await t.store.gb.create({ gbId: GB, name: GB, nodeId: 1, approved: false, peer: { transport: 'udp', host: '127.0.0.1', port: 5070 } }, T0);
    expect(held).toMatchObject({
      gbId: GB,
      approved: false,
      enabled: true,
      password: null,
      transport: 'udp',
      lastHost: '127.0.0.1',
      lastPort: 5070,
      keepaliveS: 60,
      charset: 'GB2312',
    });
    expect(await t.store.devices.get(held.deviceId)).toMatchObject({ kind: 'gb28181', code: GB, approved: false, nodeId: 1 });
    const node = await t.store.org.create({ parentId: 1, name: 'Station 1' }, T0);
    const ok = await t.store.gb.approve(held.deviceId, node.id, 'Body camera 1', T0 + 1);
    expect(ok).toMatchObject({ approved: true, nodeId: node.id, name: 'Body camera 1' });
    expect(await t.store.gb.setPassword(held.deviceId, 'dev-secret')).toBe(true);
    const raw = await t.store.db.get<{ password_enc: string }>('SELECT password_enc FROM gb_devices WHERE device_id = ?', [held.deviceId]);
    expect(raw?.password_enc).toMatch(/^s1:test:/);
    expect((await t.store.gb.getByGbId(GB))?.password).toBe('dev-secret');
    await expect(t.store.gb.create({ gbId: GB, name: 'again', nodeId: 1, approved: true }, T0)).rejects.toMatchObject({ code: 'conflict' });
    expect(await t.store.gb.approve(99999, 1, null, T0)).toBeNull();
  });

  it('stores and clears registrations; keeps the site password sealed; the row goes with its device', async () => {
    const d = await t.store.gb.create({ gbId: GB, name: 'NVR', nodeId: 1, approved: true, password: 'p' }, T0);
    expect(await t.store.gb.setRegistration(d.deviceId, { transport: 'tcp', host: '10.0.0.9', port: 40000, registeredMs: T0, expiresMs: T0 + 3600_000 })).toBe(
      true,
    );
    expect(await t.store.gb.get(d.deviceId)).toMatchObject({ transport: 'tcp', registeredMs: T0, expiresMs: T0 + 3600_000 });
    await t.store.gb.setRegistration(d.deviceId, null);
    expect(await t.store.gb.get(d.deviceId)).toMatchObject({ registeredMs: null, expiresMs: null, lastHost: '10.0.0.9' });
    expect(await t.store.gb.sitePassword()).toBeNull();
    await t.store.gb.setSitePassword('site', T0);
    expect(await t.store.gb.sitePassword()).toBe('site');
    await expect(t.store.db.run('INSERT INTO gb_devices (device_id, first_seen_ms) VALUES (?, ?)', [(await t.store.org.get(1))!.id, T0])).rejects.toThrow();
    expect(await t.store.devices.delete(d.deviceId)).toBe(true);
    expect(await t.store.gb.list()).toEqual([]);
  });
});
