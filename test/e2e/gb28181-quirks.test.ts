// A GB/T 28181 device with field quirks (lower-case MANSCDP tags, UTF-8 XML, subscription notifications as MESSAGE) through the real back end: catalog → channels, Alarm → alarm, MobilePosition → unit, RecordInfo → ranges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmList } from '../../common/alarms';
import type { DeviceRecords } from '../../common/gb28181-records';
import type { MapUnit } from '../../common/gps';
import { userActor } from '../../main/platform/actor';
import { startServer, waitFor, type TestServer } from '../harness';
import { ensureClip } from '../helpers/clips';
import { startGbSim, type GbSim } from '../helpers/gb-sim';

const DEV = '34020000001320000031';
const SERVER = '34020000002000000001';
const PASSWORD = 'quirky-pass-31';

/** The start of a recent whole local hour (the simulator keeps a recording from :00 to :30 of every hour). */
function hourStart(hoursAgo: number): number {
  const d = new Date(Date.now() - hoursAgo * 3_600_000);
  d.setMinutes(0, 0, 0);
  return d.getTime();
}

describe('GB/T 28181 device with lower-case tags, UTF-8 and notifications as MESSAGE (back end, API)', () => {
  let srv: TestServer;
  let sim: GbSim;
  let deviceId: number;
  let channelIds: number[];
  let channelCode: string;

  beforeAll(async () => {
    const clip = await ensureClip({ name: 'h264-g711a', width: 640, height: 360, seconds: 4, bitrateKbps: 600, audio: 'alaw' });
    srv = await startServer({ tag: 'gb-quirks' });
    const admin = userActor((await srv.backend.store.users.getByUsername('admin'))!, '127.0.0.1');
    const gb = srv.backend.features.gb.control;
    deviceId = (await gb.add({ gbId: DEV, name: '执法记录仪 31', nodeId: 1, password: PASSWORD }, admin)).deviceId;
    sim = await startGbSim({
      serverPort: (await gb.settings()).port,
      serverId: SERVER,
      domain: '3402000000',
      deviceId: DEV,
      password: PASSWORD,
      channels: 2,
      catalogPerMessage: 1,
      recordsPerMessage: 1,
      clip,
      latitude: 31.83,
      longitude: 117.25,
      quirks: ['lower-tags', 'utf8', 'notify-as-message'],
    });
  }, 120_000);

  afterAll(async () => {
    await sim?.stop();
    await srv?.close();
  });

  it('makes the channels of a catalog sent in lower-case tags, one item per MESSAGE', async () => {
    const view = await waitFor(
      async () => {
        const v = await srv.backend.devices.read.device(deviceId, false);
        return v.channels.length === 2 ? v : null;
      },
      { what: 'two channels from the lower-case catalog', timeoutMs: 30_000 },
    );
    expect(view.channels.every((c) => c.code?.slice(10, 13) === '131' && c.enabled && c.name.length > 0)).toBe(true);
    const items = await srv.backend.features.gb.control.catalogItems(DEV);
    expect(items.filter((i) => i.kind === 'video')).toHaveLength(2);
    channelIds = view.channels.map((c) => c.id);
    channelCode = view.channels[0]!.code!;
  }, 60_000);

  it('turns a lower-case Alarm into an alarm of the channel at its place', async () => {
    await sim.command({ cmd: 'alarm', channelId: channelCode, priority: 2, method: 5, type: 2, description: '移动侦测' });
    const alarm = await waitFor(
      async () => (await srv.client.ok<AlarmList>('GET', '/api/v1/alarms?state=open')).alarms.find((a) => a.sourceId === channelIds[0] && a.type === 'motion'),
      { what: 'the alarm in the alarm center', timeoutMs: 20_000 },
    );
    expect(alarm).toMatchObject({ severity: 'major', lat: 31.83, lon: 117.25, message: '移动侦测' });
  }, 60_000);

  it('puts the device on the map from a lower-case MobilePosition sent as MESSAGE', async () => {
    await waitFor(() => srv.backend.features.gb.control.subscriptionViews(DEV).every((s) => s.state === 'active'), {
      what: 'subscriptions active',
      timeoutMs: 20_000,
    });
    await sim.command({ cmd: 'position', latitude: 31.8301, longitude: 117.2512, speed: 18, direction: 45 });
    const unit = await waitFor(
      async () => (await srv.client.ok<MapUnit[]>('GET', '/api/v1/gps/units')).find((u) => u.unitId === deviceId && u.position?.lat === 31.8301),
      { timeoutMs: 20_000, what: 'the unit at the reported position on the map' },
    );
    expect(unit).toMatchObject({ type: 'body', position: { lat: 31.8301, lon: 117.2512, headingDeg: 45 } });
  }, 60_000);

  it('lists the device’s ranges from lower-case RecordInfo answers, one item per MESSAGE', async () => {
    const start = hourStart(3);
    const end = hourStart(0);
    const recs = await srv.client.ok<DeviceRecords>('GET', `/api/v1/channels/${channelIds[0]}/device-records?startMs=${start}&endMs=${end}`);
    expect(recs.ranges).toEqual([0, 1, 2].map((h) => ({ startMs: start + h * 3_600_000, endMs: start + h * 3_600_000 + 1_800_000, types: ['time'] })));
    expect(recs).toMatchObject({ sumNum: 3, complete: true });
  }, 60_000);
});
