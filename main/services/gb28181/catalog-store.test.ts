// Catalog answers and notifications applied to a real SQLite store: channels, organisation nodes, idempotence, disabling.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogXml, nvrItems, platformItems, type XmlItem } from '../../../test/gb28181/catalog-xml';
import { openTempStore, T0, type TempStore } from '../../../storage/sqlite/test-utils';
import type { GbChannelDefaults } from '../../../storage/repos/gb-catalog';
import { collectCatalog, itemsOf } from './catalog-items';
import { catalogChange, notifyChange } from './catalog-plan';
import { decodeManscdp } from './manscdp';

const NVR = '34020000001180000001';
const NVR2 = '34020000001180000002';
const PLATFORM = '34020000002000000001';
const DEFAULTS: GbChannelDefaults = { segmentSeconds: 60, retentionDays: 30, recordMode: 'continuous' };

let t: TempStore;
beforeEach(async () => {
  t = await openTempStore();
});
afterEach(async () => {
  await t.cleanup();
});

async function gbDevice(code: string, nodeId = 1): Promise<number> {
  const d = await t.store.devices.createWithChannels({ device: { nodeId, kind: 'gb28181', name: code, code }, channels: [] }, T0);
  return d.device.id;
}

async function applyCatalog(deviceId: number, deviceGb: string, items: XmlItem[], sumNum = items.length, at = T0 + 1000) {
  const r = collectCatalog([decodeManscdp(catalogXml(deviceGb, items, { sumNum }))]);
  return t.store.gbCatalog.apply(deviceId, catalogChange(r.items, deviceGb, r.complete, DEFAULTS), at);
}

async function applyNotify(deviceId: number, deviceGb: string, items: XmlItem[], at = T0 + 5000) {
  const known = new Map((await t.store.gbCatalog.list(deviceId)).map((r) => [r.gbId, r] as const));
  const msg = decodeManscdp(catalogXml(deviceGb, items, { root: 'Notify' }));
  return t.store.gbCatalog.apply(deviceId, notifyChange(itemsOf(msg), deviceGb, known, DEFAULTS), at);
}

describe('catalog applied to the device model', () => {
  it('makes the 16 channels of an NVR once, in catalog order, and a second catalog changes nothing', async () => {
    const id = await gbDevice(NVR);
    const first = await applyCatalog(id, NVR, nvrItems(NVR));
    expect(first.created).toHaveLength(16);
    const channels = await t.store.channels.listByDevice(id);
    expect(channels.map((c) => c.ordinal)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(channels.map((c) => c.name)).toEqual(nvrItems(NVR).map((i) => i.name));
    expect(channels.map((c) => c.code)).toEqual(nvrItems(NVR).map((i) => i.id));
    expect(channels.map((c) => c.ptz)).toEqual(Array.from({ length: 16 }, (_, i) => i < 2));
    expect(channels.every((c) => c.enabled && c.recordMode === 'continuous' && c.segmentSeconds === 60)).toBe(true);
    const rows = await t.store.gbCatalog.list(id);
    expect(rows.map((r) => r.channelId)).toEqual(channels.map((c) => c.id));
    expect(rows[2]!.status).toBe('OFF');

    // A re-register: the same catalog again, split differently, changes nothing and makes no duplicate.
    const items = nvrItems(NVR);
    const again = collectCatalog([
      decodeManscdp(catalogXml(NVR, items.slice(0, 10), { sumNum: 16, sn: 9 })),
      decodeManscdp(catalogXml(NVR, items.slice(10), { sumNum: 16, sn: 9, lower: true })),
    ]);
    const second = await t.store.gbCatalog.apply(id, catalogChange(again.items, NVR, again.complete, DEFAULTS), T0 + 2000);
    expect(second).toEqual({ created: [], updated: [], disabled: [], enabled: [], orgCreated: [], orgRenamed: [], statusChanged: [], skipped: [] });
    expect(await t.store.channels.listByDevice(id)).toEqual(channels);
    expect((await t.store.gbCatalog.get(id, items[0]!.id))!.updatedMs).toBe(T0 + 1000);
  });

  it('gives a second NVR with the same channel names names of its own (names are unique across Argus)', async () => {
    await applyCatalog(await gbDevice(NVR), NVR, nvrItems(NVR, 2));
    const id2 = await gbDevice(NVR2);
    await applyCatalog(id2, NVR2, nvrItems(NVR2, 2));
    const names = (await t.store.channels.listByDevice(id2)).map((c) => c.name);
    expect(names).toEqual(['通道01 (0001)', '通道02 (0002)']);
  });

  it('disables a channel that left a complete catalog, keeps it for an incomplete one, enables it when it returns', async () => {
    const id = await gbDevice(NVR);
    const items = nvrItems(NVR, 6);
    await applyCatalog(id, NVR, items);
    const fifth = (await t.store.channels.listByDevice(id))[4]!;
    const without = items.filter((_, i) => i !== 4);

    const partial = await applyCatalog(id, NVR, without, 6); // SumNum 6, 5 delivered: incomplete
    expect(partial.disabled).toEqual([]);
    expect((await t.store.channels.get(fifth.id))!.enabled).toBe(true);

    const full = await applyCatalog(id, NVR, without, 5);
    expect(full.disabled).toEqual([fifth.id]);
    expect((await t.store.channels.get(fifth.id))!.enabled).toBe(false); // disabled, not deleted
    expect((await t.store.gbCatalog.get(id, items[4]!.id))!).toMatchObject({ present: false, disabledByCatalog: true, channelId: fifth.id });

    const back = await applyCatalog(id, NVR, items);
    expect(back).toMatchObject({ created: [], enabled: [fifth.id] });
    expect((await t.store.channels.get(fifth.id))!.enabled).toBe(true);
    expect((await t.store.channels.listByDevice(id)).map((c) => c.ordinal)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("never re-enables a channel an admin disabled, and keeps an admin's choice when the item leaves and returns", async () => {
    const id = await gbDevice(NVR);
    const items = nvrItems(NVR, 2);
    await applyCatalog(id, NVR, items);
    const ch = (await t.store.channels.listByDevice(id))[1]!;
    await t.store.channels.update(ch.id, { enabled: false }, T0 + 1500);
    await applyCatalog(id, NVR, items.slice(0, 1));
    expect((await t.store.gbCatalog.get(id, items[1]!.id))!.disabledByCatalog).toBe(false);
    const back = await applyCatalog(id, NVR, items);
    expect(back.enabled).toEqual([]);
    expect((await t.store.channels.get(ch.id))!.enabled).toBe(false);
  });

  it("maps a platform's civil codes, business group and virtual organisations to nodes under the device's node", async () => {
    const branch = await t.store.org.create({ parentId: 1, name: '分局' }, T0);
    const id = await gbDevice(PLATFORM, branch.id);
    const r = await applyCatalog(id, PLATFORM, platformItems());
    expect(r.orgCreated).toHaveLength(6);
    const nodes = await t.store.org.subtree(branch.id);
    const byCode = new Map(nodes.map((n) => [n.code, n]));
    expect(byCode.get('34')).toMatchObject({ name: '安徽省', parentId: branch.id });
    expect(byCode.get('3402')!.parentId).toBe(byCode.get('34')!.id);
    expect(byCode.get('340201')!.parentId).toBe(byCode.get('3402')!.id);
    expect(byCode.get('34020000002150000001')).toMatchObject({ name: '治安业务', parentId: branch.id });
    expect(byCode.get('34020000002160000001')!.parentId).toBe(byCode.get('34020000002150000001')!.id);
    expect(byCode.get('34020000002160000002')!.parentId).toBe(byCode.get('34020000002160000001')!.id);

    const channels = await t.store.channels.listByDevice(id);
    expect(channels.map((c) => c.name)).toEqual(['广场东', '广场西', '路口']);
    expect(channels[0]).toMatchObject({ ptz: true, place: { lat: 31.33, lon: 118.38, viewDeg: null }, description: '中山路1号' });
    const rows = new Map((await t.store.gbCatalog.list(id)).map((x) => [x.gbId, x]));
    expect(rows.get('34020000001320000102')).toMatchObject({ parentGbId: '34020000002160000002', status: 'OFF' });
    expect(rows.get('34020000001340000001')).toMatchObject({ kind: 'alarm_input', channelId: null, name: '门磁', parentGbId: '34020000002160000001' });
    expect(rows.get('34020000002160000001')!.orgNodeId).toBe(byCode.get('34020000002160000001')!.id);

    // The same tree again: no new node; a renamed virtual organisation renames its node.
    const renamed = platformItems().map((i) => (i.id === '34020000002160000002' ? { ...i, name: '夜巡中队' } : i));
    const again = await applyCatalog(id, PLATFORM, renamed, undefined, T0 + 3000);
    expect(again.orgCreated).toEqual([]);
    expect(again.orgRenamed).toEqual([byCode.get('34020000002160000002')!.id]);
    expect((await t.store.org.get(byCode.get('34020000002160000002')!.id))!.name).toBe('夜巡中队');
    expect(await t.store.org.subtree(branch.id)).toHaveLength(7);
  });

  it('applies notifications: DEL disables, ADD makes a channel, OFF/VLOST set the status, UPDATE renames', async () => {
    const id = await gbDevice(NVR);
    const items = nvrItems(NVR, 3);
    await applyCatalog(id, NVR, items);
    const [c1, c2] = await t.store.channels.listByDevice(id);
    const newId = `${NVR.slice(0, 10)}1310000099`;
    const r = await applyNotify(id, NVR, [
      { id: items[0]!.id, event: 'DEL' },
      { id: items[1]!.id, event: 'VLOST' },
      { id: items[2]!.id, event: 'UPDATE', name: '后门' },
      { id: newId, event: 'ADD', name: '新通道', status: 'ON', parentId: NVR },
      { id: `${NVR.slice(0, 10)}1310000077`, event: 'OFF' }, // not in the catalog: ignored
    ]);
    expect(r.disabled).toEqual([c1!.id]);
    expect(r.created).toHaveLength(1);
    expect(r.statusChanged).toEqual([items[1]!.id]);
    const after = await t.store.channels.listByDevice(id);
    expect(after.map((c) => [c.ordinal, c.name, c.enabled])).toEqual([
      [1, '通道01', false],
      [2, '通道02', true],
      [3, '后门', true],
      [4, '新通道', true],
    ]);
    expect((await t.store.gbCatalog.get(id, items[1]!.id))!.status).toBe('VLOST');
    expect((await t.store.gbCatalog.get(id, newId))!.catalogOrder).toBe(3);
    expect(c2!.id).toBe(after[1]!.id);
    expect(await t.store.gbCatalog.byChannel(after[3]!.id)).toMatchObject({ gbId: newId, deviceId: id });
  });
});
