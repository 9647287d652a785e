// The catalog service with the real SIP endpoint and SQLite against a raw SIP device: register → channels; NOTIFY DEL; refresh; renewals.
import { afterEach, describe, expect, it } from 'vitest';
import { asLog } from '../../../common/log';
import { openTempStore, T0, type TempStore } from '../../../storage/sqlite/test-utils';
import { scriptDevice } from '../../../test/gb28181/catalog-device';
import { catalogXml, nvrItems } from '../../../test/gb28181/catalog-xml';
import { waitFor } from '../../../test/harness/wait';
import { RawSipClient } from '../../../test/helpers/gb-raw-sip';
import { GbCatalog, type GbCatalogChanged } from './catalog';
import { GbEndpoint } from './endpoint';
import { GbSubscriptions } from './subscriptions';

const SERVER = '34020000002000000001';
const DEV = '34020000001180000001';
const quiet = asLog(() => undefined, 'gb28181');

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function setup(subscribeExpiresS = 3600, maxConcurrentSyncs?: number) {
  const t: TempStore = await openTempStore();
  open.push({ close: () => t.cleanup() });
  const device = await t.store.devices.createWithChannels({ device: { nodeId: 1, kind: 'gb28181', name: DEV, code: DEV }, channels: [] }, T0);
  const ep = new GbEndpoint({
    serverId: SERVER,
    domain: '3402000000',
    bind: '127.0.0.1',
    port: 0,
    localHost: '127.0.0.1',
    log: quiet,
    now: Date.now,
    registrar: {
      device: async (id) =>
        (await t.store.devices.getByCode('gb28181', id)) ? { approved: true, enabled: true, password: 'dev-secret', keepaliveS: 60 } : null,
      sitePassword: () => null,
      unknownDevices: () => 'refuse',
      hold: () => Promise.resolve(),
      saveRegistration: () => Promise.resolve(),
      refused: () => undefined,
    },
  });
  await ep.start();
  open.push(ep);
  const subs = new GbSubscriptions({ sip: ep, log: quiet, retryMs: 500 });
  open.push(subs);
  const catalog = new GbCatalog({
    sip: ep,
    store: t.store,
    subscriptions: subs,
    channelDefaults: () => ({ segmentSeconds: 60, retentionDays: 30, recordMode: 'continuous' }),
    log: quiet,
    queryTimeoutMs: 3000,
    autoSubscribe: ['Catalog', 'Alarm', 'MobilePosition'],
    subscribeExpiresS,
    mobilePositionIntervalS: 10,
    maxConcurrentSyncs,
  });
  catalog.start();
  open.push(catalog);
  const changes: GbCatalogChanged[] = [];
  catalog.onChanged((c) => void changes.push(c));
  const c = await RawSipClient.open('udp', ep.port);
  open.push(c);
  const dev = scriptDevice(c, DEV, SERVER, nvrItems(DEV));
  open.push({ close: () => dev.stop() });
  return { t, ep, subs, catalog, c, dev, deviceId: device.device.id, changes };
}

describe('GB/T 28181 catalog over SIP', () => {
  it('a registering NVR gets its 16 channels, device facts and subscriptions; a NOTIFY DEL disables a channel; a refresh adds none twice', async () => {
    const { t, catalog, c, dev, deviceId, changes } = await setup();
    expect((await c.register({ deviceId: DEV, password: 'dev-secret', serverId: SERVER })).status).toBe(200);

    const channels = await waitFor(
      async () => {
        const list = await t.store.channels.listByDevice(deviceId);
        return list.length === 16 ? list : null;
      },
      { what: '16 channels from the catalog', timeoutMs: 20_000 },
    );
    expect(channels.map((ch) => ch.name)).toEqual(nvrItems(DEV).map((i) => i.name));
    expect(catalog.catalogState(DEV)).toMatchObject({ phase: 'complete', sumNum: 16, received: 16, error: null });
    const device = (await t.store.devices.get(deviceId))!;
    expect(device).toMatchObject({ vendor: 'Argus-Sim', model: 'NVR-16', firmware: 'V2.1.0', name: '执法仪网关' });
    expect(changes.some((ch) => ch.deviceChanged) && changes.some((ch) => ch.applied?.created.length === 16)).toBe(true);

    await waitFor(() => catalog.subscriptionStates(DEV).every((s) => s.phase === 'active') && catalog.subscriptionStates(DEV).length === 3, {
      what: 'three active subscriptions',
    });
    expect(dev.subscribes.map((s) => s.cmdType).sort()).toEqual(['Alarm', 'Catalog', 'MobilePosition']);
    expect(dev.subscribes.find((s) => s.cmdType === 'Catalog')!.event).toMatch(/^Catalog;id=\d+$/);
    expect(dev.subscribes.every((s) => s.expires === 3600)).toBe(true);
    const views = await catalog.channelViews(DEV);
    expect(views).toHaveLength(16);
    expect(views[0]).toMatchObject({
      gbId: nvrItems(DEV)[0]!.id,
      typeCode: '131',
      online: true,
      ptz: true,
      manufacturer: 'Argus-Sim',
      ordinal: 1,
      parentId: null,
    });
    expect(views.filter((v) => !v.online).map((v) => v.ordinal)).toEqual([3]);
    expect(catalog.subscriptionViews(DEV).map((v) => [v.kind, v.state, v.reason])).toEqual([
      ['Catalog', 'active', null],
      ['Alarm', 'active', null],
      ['MobilePosition', 'active', null],
    ]);
    expect(catalog.subscriptionViews(DEV).every((v) => v.renewedMs !== null && v.expiresMs! > v.renewedMs)).toBe(true);
    await waitFor(() => catalog.deviceStatus(DEV), { what: 'DeviceStatus answer' });
    expect(catalog.deviceStatus(DEV)).toMatchObject({ online: true, ok: true, encoding: true, recording: false });

    // The device deletes channel 5 by a Catalog NOTIFY (SIP NOTIFY of the subscription).
    const fifth = channels[4]!;
    const del = await c.request({
      method: 'NOTIFY',
      uri: `sip:${SERVER}@3402000000`,
      fromId: DEV,
      toId: SERVER,
      body: catalogXml(DEV, [{ id: fifth.code!, event: 'DEL' }], { root: 'Notify', sn: 77 }),
      contentType: 'Application/MANSCDP+xml',
      extra: ['Event: Catalog', 'Subscription-State: active;expires=3600'],
      callId: 'notify-1@127.0.0.1',
    });
    expect(del.status).toBe(200);
    expect((await t.store.channels.get(fifth.id))!.enabled).toBe(false);
    expect((await t.store.channels.listByDevice(deviceId)).length).toBe(16);

    // On demand: the catalog again (still listing channel 5) enables it again and makes no duplicate.
    const state = await catalog.refreshCatalog(DEV);
    expect(state).toMatchObject({ phase: 'complete', received: 16 });
    const after = await t.store.channels.listByDevice(deviceId);
    expect(after.map((ch) => ch.id)).toEqual(channels.map((ch) => ch.id));
    expect(after.every((ch) => ch.enabled)).toBe(true);
    expect(dev.queries.filter((q) => q === 'Catalog')).toHaveLength(2);
  }, 60_000);

  it('renews subscriptions before they expire, keeps a catalog short of its SumNum as partial, stops subscriptions on unregister', async () => {
    const { t, catalog, c, dev, deviceId } = await setup(2);
    expect((await c.register({ deviceId: DEV, password: 'dev-secret', serverId: SERVER })).status).toBe(200);
    await waitFor(async () => (await t.store.channels.listByDevice(deviceId)).length === 16, { what: '16 channels', timeoutMs: 20_000 });

    // Renewal at 80 % of Expires 2 s: each kind is subscribed again within a few seconds, state stays active.
    await waitFor(() => catalog.subscriptionStates(DEV).every((s) => s.renewals >= 2), { what: 'two renewals of every subscription', timeoutMs: 20_000 });
    expect(catalog.subscriptionStates(DEV).every((s) => s.phase === 'active' && s.expiresAtMs! > Date.now())).toBe(true);
    expect(dev.subscribes.filter((s) => s.cmdType === 'Catalog').length).toBeGreaterThanOrEqual(3);

    // The device now answers 10 of its 16 items but announces SumNum 16 (the rest lost): partial, nothing disabled.
    dev.items = nvrItems(DEV).slice(0, 10);
    dev.sumNum = 16;
    dev.perMessage = 5;
    expect(await catalog.refreshCatalog(DEV)).toMatchObject({ phase: 'partial', sumNum: 16, received: 10 });
    expect((await t.store.channels.listByDevice(deviceId)).every((ch) => ch.enabled)).toBe(true);
    // The same 10 with SumNum 10: complete, channels 11–16 disabled (kept, with their recordings).
    dev.sumNum = null;
    expect(await catalog.refreshCatalog(DEV)).toMatchObject({ phase: 'complete', sumNum: 10, received: 10 });
    const now = await t.store.channels.listByDevice(deviceId);
    expect(now).toHaveLength(16);
    expect(now.filter((ch) => !ch.enabled).map((ch) => ch.ordinal)).toEqual([11, 12, 13, 14, 15, 16]);

    // Unregister: subscriptions stop.
    const bye = await c.register({ deviceId: DEV, password: 'dev-secret', serverId: SERVER, expires: 0 });
    expect(bye.status).toBe(200);
    await waitFor(() => catalog.subscriptionStates(DEV).every((s) => s.phase === 'stopped'), { what: 'subscriptions stopped' });
  }, 60_000);

  it('serves devices registering at once one after the other when told to (maxConcurrentSyncs 1), every one complete', async () => {
    const { t, ep, catalog, c, dev, deviceId } = await setup(3600, 1);
    const others = ['34020000001180000002', '34020000001180000003'];
    const ids = [deviceId];
    const devs = [dev];
    const clients = [c];
    for (const gbId of others) {
      ids.push((await t.store.devices.createWithChannels({ device: { nodeId: 1, kind: 'gb28181', name: gbId, code: gbId }, channels: [] }, T0)).device.id);
      const cl = await RawSipClient.open('tcp', ep.port);
      open.push(cl);
      clients.push(cl);
      const d = scriptDevice(cl, gbId, SERVER, nvrItems(gbId, 4));
      open.push({ close: () => d.stop() });
      devs.push(d);
    }
    const gbIds = [DEV, ...others];
    await Promise.all(clients.map((cl, i) => cl.register({ deviceId: gbIds[i]!, password: 'dev-secret', serverId: SERVER })));
    for (const [i, id] of ids.entries()) {
      await waitFor(async () => (await t.store.channels.listByDevice(id)).length === (i === 0 ? 16 : 4), {
        what: `channels of device ${i + 1}`,
        timeoutMs: 30_000,
      });
      await waitFor(() => catalog.subscriptionStates(gbIds[i]).filter((s) => s.phase === 'active').length === 3, { what: `subscriptions of device ${i + 1}` });
    }
    // One at a time: each device's first query came after the previous device's last SUBSCRIBE (its work had ended).
    expect(devs.every((d) => d.queries[0] === 'DeviceInfo' && d.subscribes.length === 3)).toBe(true);
    const spans = devs.map((d) => ({ first: d.log[0]!.atMs, last: d.log.at(-1)!.atMs })).sort((a, b) => a.first - b.first);
    for (let i = 1; i < spans.length; i++) expect(spans[i]!.first).toBeGreaterThanOrEqual(spans[i - 1]!.last);
  }, 60_000);
});
