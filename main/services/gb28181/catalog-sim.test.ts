// The catalog service against the GB/T 28181 device simulator process: register → channels, alarm input and org nodes in SQLite;
// the simulator's Catalog NOTIFYs (DEL, ADD, OFF) apply live; subscriptions are renewed in the simulator's dialogs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asLog } from '../../../common/log';
import { openTempStore, T0, type TempStore } from '../../../storage/sqlite/test-utils';
import { ensureClip } from '../../../test/helpers/clips';
import { startGbSim, type GbSim } from '../../../test/helpers/gb-sim';
import { waitFor } from '../../../test/harness/wait';
import { GbCatalog } from './catalog';
import { GbEndpoint } from './endpoint';
import { GbSubscriptions } from './subscriptions';

const SERVER = '34020000002000000001';
const DOMAIN = '3402000000';
const DEV = '34020000001320000001';
const quiet = asLog(() => undefined, 'gb28181');

let t: TempStore;
let ep: GbEndpoint;
let subs: GbSubscriptions;
let catalog: GbCatalog;
let sim: GbSim | null = null;
let deviceId: number;
let nodeId: number;

beforeAll(async () => {
  t = await openTempStore();
  nodeId = (await t.store.org.create({ parentId: 1, name: '一大队' }, T0)).id;
  deviceId = (await t.store.devices.createWithChannels({ device: { nodeId, kind: 'gb28181', name: DEV, code: DEV }, channels: [] }, T0)).device.id;
  ep = new GbEndpoint({
    serverId: SERVER,
    domain: DOMAIN,
    bind: '127.0.0.1',
    port: 0,
    localHost: '127.0.0.1',
    log: quiet,
    now: Date.now,
    registrar: {
      device: async (id) =>
        (await t.store.devices.getByCode('gb28181', id)) ? { approved: true, enabled: true, password: 'sim-secret', keepaliveS: 60 } : null,
      sitePassword: () => null,
      unknownDevices: () => 'refuse',
      hold: () => Promise.resolve(),
      saveRegistration: () => Promise.resolve(),
      refused: () => undefined,
    },
  });
  await ep.start();
  subs = new GbSubscriptions({ sip: ep, log: quiet });
  catalog = new GbCatalog({
    sip: ep,
    store: t.store,
    subscriptions: subs,
    channelDefaults: () => ({ segmentSeconds: 60, retentionDays: 30, recordMode: 'continuous' }),
    log: quiet,
    queryTimeoutMs: 5000,
    subscribeExpiresS: 3,
  });
  catalog.start();
  const clip = await ensureClip({ name: 'h264-g711a', width: 640, height: 360, seconds: 4, bitrateKbps: 600, audio: 'alaw' });
  sim = await startGbSim({
    serverPort: ep.port,
    serverId: SERVER,
    domain: DOMAIN,
    deviceId: DEV,
    password: 'sim-secret',
    transport: 'tcp',
    channels: 4,
    alarmInputs: 1,
    org: true,
    catalogPerMessage: 2,
    clip,
  });
}, 60_000);

afterAll(async () => {
  await sim?.stop();
  catalog.close();
  subs.close();
  await ep.close();
  await t.cleanup();
});

describe('catalog against the simulator', () => {
  it('maps the registered device: cameras → channels, alarm input kept, business group and virtual organisation → nodes under its node', async () => {
    const channels = await waitFor(
      async () => {
        const list = await t.store.channels.listByDevice(deviceId);
        return list.length === 4 ? list : null;
      },
      { what: 'four channels from the simulator catalog', timeoutMs: 30_000 },
    );
    expect(channels.map((c) => c.code!.slice(10, 13))).toEqual(['131', '131', '131', '131']);
    expect(channels.every((c) => c.enabled && c.name.length > 0)).toBe(true);
    const rows = await t.store.gbCatalog.list(deviceId);
    expect(rows.filter((r) => r.kind === 'alarm_input')).toHaveLength(1);
    const org = rows.filter((r) => r.kind === 'business_group' || r.kind === 'virtual_org');
    expect(org).toHaveLength(2);
    const bg = (await t.store.org.get(org.find((r) => r.kind === 'business_group')!.orgNodeId!))!;
    const vo = (await t.store.org.get(org.find((r) => r.kind === 'virtual_org')!.orgNodeId!))!;
    expect(bg).toMatchObject({ parentId: nodeId, name: '治安监控业务分组' });
    expect(vo).toMatchObject({ parentId: bg.id, name: '一号执法小组' });
    expect(catalog.catalogState(DEV)).toMatchObject({ phase: 'complete', error: null });
  });

  it('applies the simulator’s Catalog NOTIFYs (DEL disables, ADD adds, OFF sets the status) without a restart', async () => {
    const before = await t.store.channels.listByDevice(deviceId);
    await waitFor(() => catalog.subscriptionStates(DEV).find((s) => s.kind === 'Catalog' && s.phase === 'active'), { what: 'Catalog subscription active' });
    await sim!.command({ cmd: 'channel', channelId: before[1]!.code, event: 'DEL' });
    await waitFor(async () => !(await t.store.channels.get(before[1]!.id))!.enabled, { what: 'channel 2 disabled' });
    await sim!.command({ cmd: 'channel', channelId: before[2]!.code, event: 'OFF' });
    await waitFor(async () => (await t.store.gbCatalog.byChannel(before[2]!.id))?.status === 'OFF', { what: 'channel 3 OFF' });
    await sim!.command({ cmd: 'channel', event: 'ADD' });
    const after = await waitFor(
      async () => {
        const list = await t.store.channels.listByDevice(deviceId);
        return list.length === 5 ? list : null;
      },
      { what: 'a fifth channel' },
    );
    expect(after.slice(0, 4).map((c) => c.id)).toEqual(before.map((c) => c.id));
    expect(after[4]!.ordinal).toBe(5);
  });

  it('renews the subscriptions inside the simulator before they expire (Expires 3 s)', async () => {
    const mark = sim!.events.length;
    for (const kind of ['Catalog', 'Alarm', 'MobilePosition']) {
      await sim!.waitFor((e) => e.ev === 'subscribe' && e.cmdType === kind && e.renewed === true, { after: mark, what: `${kind} renewed`, timeoutMs: 15_000 });
    }
    expect(catalog.subscriptionStates(DEV).map((s) => s.phase)).toEqual(['active', 'active', 'active']);
  });
});
