// Catalog answers in field shapes → items and the org/parent plan (pure mapping; bodies decoded by the real MANSCDP codec).
import { describe, expect, it } from 'vitest';
import { catalogXml, nvrItems, platformItems } from '../../../test/gb28181/catalog-xml';
import { kindOfId, ptzOfType } from './catalog-codes';
import { collectCatalog, itemsOf } from './catalog-items';
import { civilParents, planCatalog, withSelfChannel } from './catalog-plan';
import { decodeManscdp } from './manscdp';

const NVR = '34020000001180000001';
const PLATFORM = '34020000002000000001';

describe('catalog codes', () => {
  it('classifies IDs by length and type code', () => {
    expect(kindOfId('34')).toBe('civil');
    expect(kindOfId('34020100')).toBe('civil');
    expect(kindOfId('340')).toBe('other');
    expect(kindOfId('34020000001310000001')).toBe('video');
    expect(kindOfId('34020000001320000001')).toBe('video');
    expect(kindOfId('34020000001340000001')).toBe('alarm_input');
    expect(kindOfId('34020000002150000001')).toBe('business_group');
    expect(kindOfId('34020000002160000001')).toBe('virtual_org');
    expect(kindOfId(NVR)).toBe('device');
    expect(kindOfId(PLATFORM)).toBe('device');
    expect(kindOfId('3402000000135000000X')).toBe('other');
    expect([1, 2, 3, 4, 9, null].map(ptzOfType)).toEqual([true, false, false, true, null, null]);
  });
});

describe('catalog items', () => {
  it('reads a 16-channel NVR answered in GB2312 over several MESSAGEs with lower-case tags', () => {
    const items = nvrItems(NVR);
    const msgs = [0, 4, 8, 12].map((from, i) => decodeManscdp(catalogXml(NVR, items.slice(from, from + 4), { sn: 7, sumNum: 16, lower: i % 2 === 1 })));
    const r = collectCatalog(msgs);
    expect(r.complete).toBe(true);
    expect(r.sumNum).toBe(16);
    expect(r.items.map((i) => i.name)).toEqual(items.map((i) => i.name));
    expect(r.items.every((i) => i.kind === 'video')).toBe(true);
    expect(r.items[0]).toMatchObject({ name: '通道01', status: 'ON', ptzType: 1, parentIds: [NVR], civilCode: '340200' });
    expect(r.items[2]!.status).toBe('OFF');
    expect(r.items[8]!.raw['Info.PTZType']).toBe('3'); // known names come out in the standard's spelling, whatever the device's
    expect(r.items[5]!.raw['Info.PTZType']).toBe('3');
    expect(r.items[5]!.ptzType).toBe(3);
  });

  it('says a catalog is incomplete when fewer items than SumNum arrived, and counts duplicate IDs', () => {
    const items = nvrItems(NVR, 6);
    const msgs = [
      decodeManscdp(catalogXml(NVR, items.slice(0, 3), { sumNum: 10 })),
      decodeManscdp(catalogXml(NVR, [items[1]!, { ...items[3]!, name: 'first name' }, { ...items[3]!, name: 'last name' }], { sumNum: 10 })),
    ];
    const r = collectCatalog(msgs);
    expect(r).toMatchObject({ sumNum: 10, received: 6, duplicates: 2, complete: false });
    expect(r.items.map((i) => i.gbId)).toEqual(items.slice(0, 4).map((i) => i.id));
    expect(r.items[3]!.name).toBe('last name');
    expect(collectCatalog([]).complete).toBe(false);
    expect(collectCatalog([decodeManscdp(catalogXml(NVR, [], { sumNum: 0 }))]).complete).toBe(true);
  });

  it('tolerates missing fields, bad coordinates, odd status words and items without an ID', () => {
    const m = decodeManscdp(
      catalogXml(NVR, [
        { id: '34020000001310000009' },
        { id: '34020000001310000010', name: '  大门  ', status: 'ok', longitude: 0, latitude: 0 },
        { id: '34020000001310000011', status: 'Offline', longitude: 200, latitude: 31.5 },
        { id: '', name: 'no id' },
      ]),
    );
    const items = itemsOf(m);
    expect(items).toHaveLength(3);
    expect(items[0]).toMatchObject({ name: null, status: null, ptzType: null, parentIds: [], longitude: null, address: null });
    expect(items[1]).toMatchObject({ name: '大门', status: 'ON', longitude: null, latitude: null });
    expect(items[2]).toMatchObject({ status: 'OFF', longitude: null, latitude: 31.5 });
  });

  it('reads notification events (UTF-8 too)', () => {
    const m = decodeManscdp(
      catalogXml(
        NVR,
        [
          { id: '34020000001310000001', event: 'del' },
          { id: '34020000001310000002', event: 'VLOST' },
          { id: '34020000001310000003', event: 'what' },
        ],
        {
          root: 'Notify',
          charset: 'UTF-8',
        },
      ),
    );
    expect(m.root).toBe('Notify');
    expect(itemsOf(m).map((i) => i.event)).toEqual(['DEL', 'VLOST', null]);
  });
});

describe('catalog plan', () => {
  it('orders a platform tree parents first and hangs each item under its catalog parent', () => {
    const items = collectCatalog([decodeManscdp(catalogXml(PLATFORM, [...platformItems()].reverse()))]).items;
    const plan = planCatalog(items, PLATFORM);
    const order = plan.org.map((o) => o.item.gbId);
    expect(order).toHaveLength(6);
    expect(order.indexOf('34')).toBeLessThan(order.indexOf('3402'));
    expect(order.indexOf('3402')).toBeLessThan(order.indexOf('340201'));
    expect(order.indexOf('34020000002150000001')).toBeLessThan(order.indexOf('34020000002160000001'));
    expect(order.indexOf('34020000002160000001')).toBeLessThan(order.indexOf('34020000002160000002'));
    const parent = new Map(plan.items.map((p) => [p.item.gbId, p.parentGbId]));
    expect(parent.get('34')).toBeNull();
    expect(parent.get('340201')).toBe('3402');
    expect(parent.get('34020000002150000001')).toBeNull();
    expect(parent.get('34020000002160000002')).toBe('34020000002160000001');
    expect(parent.get('34020000001320000101')).toBe('34020000002160000001');
    expect(parent.get('34020000001320000102')).toBe('34020000002160000002');
    expect(parent.get('34020000001310000103')).toBe('340201'); // no ParentID: its civil code
    expect(parent.get('34020000001340000001')).toBe('34020000002160000001');
    expect(civilParents('34020100')).toEqual(['340201', '3402', '34']);
  });

  it('breaks a cycle of virtual organisations and ignores the device itself as a parent', () => {
    const a = '34020000002160000001';
    const b = '34020000002160000002';
    const items = itemsOf(
      decodeManscdp(
        catalogXml(NVR, [
          { id: a, name: 'A', parentId: b },
          { id: b, name: 'B', parentId: a },
          { id: '34020000001310000001', name: 'cam', parentId: NVR },
        ]),
      ),
    );
    const plan = planCatalog(items, NVR);
    expect(plan.org.map((o) => o.item.gbId).sort()).toEqual([a, b]);
    const first = plan.org[0]!;
    expect(first.parentCodes).toEqual([]);
    expect(plan.org[1]!.parentCodes).toEqual([first.item.gbId]);
    expect(plan.items.find((p) => p.item.gbId === '34020000001310000001')!.parentGbId).toBeNull();
  });

  it('gives a camera that registers itself and lists no video channel its own ID as its one channel', () => {
    const body = '34020000001320000001';
    const empty = collectCatalog([decodeManscdp(catalogXml(body, [], { sumNum: 0 }))]);
    expect(withSelfChannel(empty.items, body, '执法记录仪 1')).toMatchObject([{ gbId: body, kind: 'video', name: '执法记录仪 1', status: 'ON' }]);
    const alarmOnly = itemsOf(decodeManscdp(catalogXml(body, [{ id: '34020000001340000001', name: 'SOS' }])));
    expect(withSelfChannel(alarmOnly, body, 'b').map((i) => i.gbId)).toEqual([body, '34020000001340000001']);
    const withCamera = itemsOf(decodeManscdp(catalogXml(body, [{ id: '34020000001310000001', name: 'cam' }])));
    expect(withSelfChannel(withCamera, body, 'b').map((i) => i.gbId)).toEqual(['34020000001310000001']);
    expect(withSelfChannel([], NVR, 'nvr')).toEqual([]);
  });
});
