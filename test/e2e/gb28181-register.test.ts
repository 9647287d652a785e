// GB/T 28181 registration through the real back end: an unknown device is held, approved into a node, registers, goes offline after missed keepalives (alarm), refusals are audited.
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, waitFor, type TestServer } from '../harness';
import { RawSipClient } from '../helpers/gb-raw-sip';
import { userActor } from '../../main/platform/actor';

const DEV = '34020000001320000011';
const SERVER = '34020000002000000001';

describe('GB/T 28181 registration (back end)', () => {
  let srv: TestServer;
  const clients: RawSipClient[] = [];
  const client = async () => {
    const c = await RawSipClient.open('udp', (await srv.backend.features.gb.control.settings()).port);
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    srv = await startServer({ tag: 'gb-register', overrides: { sipSitePassword: 'site-pass-1', gbUnknownDevices: 'hold' } });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await srv?.close();
  });

  it('holds an unknown device, an admin approves it into a node, it registers and goes offline after 3 missed keepalives', async () => {
    const gb = srv.backend.features.gb.control;
    const settings = await gb.settings();
    expect(settings).toMatchObject({ serverId: SERVER, domain: '3402000000', listening: true, unknownDevices: 'hold', sitePasswordSet: true });
    expect(settings.port).toBeGreaterThan(0);
    const c = await client();
    expect((await c.register({ deviceId: DEV, password: 'site-pass-1', serverId: SERVER })).status).toBe(403);
    const [held] = await gb.list('awaiting');
    expect(held).toMatchObject({ gbId: DEV, approved: false, registered: false, remote: `127.0.0.1:${c.localPort}` });
    const view = await waitFor(() => srv.backend.devices.read.device(held.deviceId, false), { what: 'the held device in the device model', retryErrors: true });
    expect(view).toMatchObject({ kind: 'gb28181', code: DEV, approved: false, status: { state: 'awaiting_approval' } });

    const admin = (await srv.backend.store.users.getByUsername('admin'))!;
    const actor = userActor(admin, '127.0.0.1');
    const node = await srv.backend.devices.org.create({ parentId: 1, name: '城关派出所' }, actor);
    const approved = await gb.approve(held.deviceId, node.id, '执法记录仪 11', actor);
    expect(approved).toMatchObject({ approved: true, nodeId: node.id, name: '执法记录仪 11' });
    await srv.backend.store.gb.setKeepalive(held.deviceId, 5);

    expect((await c.register({ deviceId: DEV, password: 'site-pass-1', serverId: SERVER })).status).toBe(200);
    const keepalive = iconv.encode(
      `<?xml version="1.0" encoding="GB2312"?>\r\n<Notify>\r\n<CmdType>Keepalive</CmdType>\r\n<SN>1</SN>\r\n<DeviceID>${DEV}</DeviceID>\r\n<Status>OK</Status>\r\n</Notify>\r\n`,
      'gb2312',
    );
    expect((await c.message(DEV, SERVER, keepalive)).status).toBe(200);
    await waitFor(async () => (await srv.backend.devices.read.device(held.deviceId, false)).status.state === 'online', { what: 'device online' });
    expect(await gb.device(held.deviceId)).toMatchObject({ registered: true, online: true, transport: 'udp' });

    // No more keepalives: offline after 3 × 5 s, with the reason and the existing offline alarm.
    const offline = await waitFor(
      async () => {
        const v = await srv.backend.devices.read.device(held.deviceId, false);
        return v.status.state === 'offline' ? v : null;
      },
      { what: 'device offline after missed keepalives', timeoutMs: 40_000 },
    );
    expect(offline.status.reason).toMatchObject({ code: 'gb.keepalive_lost' });
    const events = await waitFor(async () => {
      const e = await srv.backend.store.events.listRange({ type: 'camera_offline', startMs: 0, endMs: Date.now() + 1000, limit: 10 });
      return e.length > 0 ? e : null;
    });
    expect(events[0].detail).toMatchObject({ source: 'gb28181', cause: 'keepalive_lost', gbId: DEV });
    const audit = await srv.backend.store.audit.query({ action: 'gb.device_approve' });
    expect(audit[0]).toMatchObject({ username: 'admin', targetType: 'device', targetId: String(held.deviceId) });
  }, 90_000);

  it('refuses a wrong password and an ID that is not 20 digits, audited with the source address; the server keeps answering', async () => {
    const gb = srv.backend.features.gb.control;
    const other = '34020000001320000099';
    await gb.add({ gbId: other, name: 'NVR 99', nodeId: 1, password: 'own-pass-99' }, userActor((await srv.backend.store.users.getByUsername('admin'))!, null));
    const c = await client();
    expect((await c.register({ deviceId: other, password: 'site-pass-1', serverId: SERVER })).status).toBe(403);
    expect((await c.register({ deviceId: 'abc', password: 'x', serverId: SERVER })).status).toBe(400);
    const refused = await waitFor(async () => {
      const rows = await srv.backend.store.audit.query({ action: 'gb.register_refused' });
      return rows.length >= 3 ? rows : null;
    });
    const mine = refused.filter((r) => ['bad_id', 'wrong_password'].includes((r.detail as { reason: string }).reason));
    expect(mine.map((r) => (r.detail as { reason: string }).reason).sort()).toEqual(['bad_id', 'wrong_password']);
    expect(mine.every((r) => r.ip === '127.0.0.1')).toBe(true);
    expect((await c.register({ deviceId: other, password: 'own-pass-99', serverId: SERVER })).status).toBe(200);
    expect(JSON.stringify(await srv.backend.store.audit.query({}))).not.toContain('own-pass-99');
    // Disabled in the device editor: its registration ends at once and it cannot register again.
    const nvr = (await gb.list()).find((d) => d.gbId === other)!;
    const admin = userActor((await srv.backend.store.users.getByUsername('admin'))!, null);
    await srv.backend.devices.edit.update(nvr.deviceId, { enabled: false }, admin);
    await waitFor(() => gb.signalling.peer(other) === null, { what: 'the disabled device unregistered' });
    expect((await c.register({ deviceId: other, password: 'own-pass-99', serverId: SERVER })).status).toBe(403);
  });

  it('a rejected device goes; garbage is audited once per source; the server keeps answering', async () => {
    const gb = srv.backend.features.gb.control;
    const c = await client();
    const stranger = '34020000001320000077';
    expect((await c.register({ deviceId: stranger, password: 'site-pass-1', serverId: SERVER })).status).toBe(403);
    const held = (await gb.list('awaiting')).find((d) => d.gbId === stranger)!;
    const admin = userActor((await srv.backend.store.users.getByUsername('admin'))!, '127.0.0.1');
    await gb.reject(held.deviceId, admin);
    expect(await srv.backend.store.gb.getByGbId(stranger)).toBeNull();
    await expect(gb.approve(held.deviceId, 1, null, admin)).rejects.toMatchObject({ code: 'gb.device_not_found' });
    for (let i = 0; i < 5; i++) c.sendRaw('GARBAGE\r\n\r\n');
    const rows = await waitFor(async () => {
      const r = await srv.backend.store.audit.query({ action: 'gb.malformed' });
      return r.length > 0 ? r : null;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ip: '127.0.0.1', detail: { why: 'unparseable' } });
    expect((await c.request({ method: 'OPTIONS', uri: `sip:${SERVER}@3402000000`, fromId: stranger })).status).toBe(200);
  });
});

describe('GB/T 28181 registrations across a restart', () => {
  it('a UDP device registered before a restart is reachable at once and online with its next keepalive', async () => {
    const first = await startServer({ tag: 'gb-restart', overrides: { sipSitePassword: 'site-pass-2' } });
    const dev = '34020000001320000021';
    const admin = userActor((await first.backend.store.users.getByUsername('admin'))!, null);
    const added = await first.backend.features.gb.control.add({ gbId: dev, name: 'Encoder 21', nodeId: 1, password: null }, admin);
    const c = await RawSipClient.open('udp', (await first.backend.features.gb.control.settings()).port);
    try {
      expect((await c.register({ deviceId: dev, password: 'site-pass-2', serverId: SERVER })).status).toBe(200);
      await first.close({ keepData: true });
      // The same SIP port again (the device keeps sending there).
      const again = await startServer({ tmp: first.tmp, dataDir: first.dataDir, overrides: { sipSitePassword: 'site-pass-2', sipPort: c.serverPort } });
      try {
        const gb = again.backend.features.gb.control;
        expect(await gb.device(added.deviceId)).toMatchObject({ registered: true, online: false, remote: `127.0.0.1:${c.localPort}` });
        expect(again.backend.features.gb.control.signalling.peer(dev)).toMatchObject({ transport: 'udp', port: c.localPort });
        const keepalive = iconv.encode(
          `<?xml version="1.0" encoding="GB2312"?><Notify><CmdType>Keepalive</CmdType><SN>9</SN><DeviceID>${dev}</DeviceID><Status>OK</Status></Notify>`,
          'gb2312',
        );
        expect((await c.message(dev, SERVER, keepalive)).status).toBe(200);
        await waitFor(async () => (await again.backend.devices.read.device(added.deviceId, false)).status.state === 'online', {
          what: 'online after the restart',
        });
      } finally {
        await again.close();
      }
    } finally {
      c.close();
      await first.close();
    }
  }, 60_000);
});
