// Catalog changes reach the device service's tree and the consoles' events (real DeviceService over real SQLite).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CameraStatus, UnitStatus } from '../../../common/api';
import type { ServerEvent } from '../../../common/events';
import { openTempStore, T0, type TempStore } from '../../../storage/sqlite/test-utils';
import { catalogXml, platformItems } from '../../../test/gb28181/catalog-xml';
import { AuditLog } from '../audit-log';
import { createDevices, type DevicesControl } from '../devices/index';
import { collectCatalog } from './catalog-items';
import { catalogChange } from './catalog-plan';
import { applyToTree } from './catalog-wiring';
import { decodeManscdp } from './manscdp';

const PLATFORM = '34020000002000000001';

/** Statuses of recorders and units (none run here: the tree is what is tested). */
const recording = {
  status: (id: number): CameraStatus => ({
    cameraId: id,
    state: 'stopped',
    lastError: null,
    reason: null,
    bitrateBps: null,
    sinceMs: 0,
    failures: 0,
    nextRetryMs: null,
  }),
  apply: async () => undefined,
  remove: async () => undefined,
};
const units = {
  status: (id: number): UnitStatus => ({
    unitId: id,
    online: false,
    sinceMs: 0,
    video: { online: false, sinceMs: 0 },
    telemetry: { online: false, sinceMs: 0, lastSeenMs: null },
    remoteAddress: null,
    bitrateBps: null,
    recording: 'stopped',
    lastError: null,
    reason: null,
  }),
  changed: async () => undefined,
  removed: async () => undefined,
  publishUrl: () => '',
};

let t: TempStore;
let dev: DevicesControl;
let events: ServerEvent[];
beforeEach(async () => {
  t = await openTempStore();
  events = [];
  dev = createDevices({
    repos: t.store,
    recording,
    units,
    audit: new AuditLog(t.store, Date.now),
    publish: (ev) => void events.push(ev),
    segmentSeconds: 10,
    log: () => undefined,
  });
  await dev.read.start();
});
afterEach(async () => {
  dev.read.close();
  await t.cleanup();
});

describe('catalog changes and the device tree', () => {
  it("puts a platform's organisation nodes and channels into the tree and tells the consoles", async () => {
    const d = await t.store.devices.createWithChannels({ device: { nodeId: 1, kind: 'gb28181', name: 'Platform', code: PLATFORM }, channels: [] }, T0);
    await dev.read.deviceChanged(d.device.id, true);
    events.length = 0;
    const r = collectCatalog([decodeManscdp(catalogXml(PLATFORM, platformItems()))]);
    const applied = await t.store.gbCatalog.apply(
      d.device.id,
      catalogChange(r.items, PLATFORM, r.complete, { segmentSeconds: 10, retentionDays: 7, recordMode: 'alarm' }),
      T0,
    );
    await applyToTree({ deviceId: d.device.id, gbId: PLATFORM, applied, deviceChanged: false }, dev.read);

    const tree = await dev.read.orgTree();
    const codes = tree.nodes.map((n) => n.code).filter((c) => c !== null);
    expect(codes).toEqual(expect.arrayContaining(['34', '3402', '340201', '34020000002150000001', '34020000002160000001', '34020000002160000002']));
    expect(dev.read.tree.channelsOf(d.device.id).map((c) => c.name)).toEqual(['广场东', '广场西', '路口']);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['org.changed', 'device.changed', 'channel.changed']));
    const view = await dev.read.device(d.device.id, false);
    expect(view.channels.map((c) => [c.name, c.recordMode, c.retentionDays])).toEqual([
      ['广场东', 'alarm', 7],
      ['广场西', 'alarm', 7],
      ['路口', 'alarm', 7],
    ]);
  });
});
