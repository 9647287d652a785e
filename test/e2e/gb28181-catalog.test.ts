// GB/T 28181 catalog through the real back end: the simulator process registers, its catalog becomes channels and organisation
// nodes in the device model (tree), the admin's views show channels and subscriptions, a Catalog NOTIFY applies live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userActor } from '../../main/platform/actor';
import { startServer, waitFor, type TestServer } from '../harness';
import { ensureClip } from '../helpers/clips';
import { startGbSim, type GbSim } from '../helpers/gb-sim';

const DEV = '34020000001320000021';
const SERVER = '34020000002000000001';

describe('GB/T 28181 catalog (back end)', () => {
  let srv: TestServer;
  let sim: GbSim | null = null;

  beforeAll(async () => {
    srv = await startServer({ tag: 'gb-catalog', overrides: { gbUnknownDevices: 'refuse' } });
  }, 60_000);
  afterAll(async () => {
    await sim?.stop();
    await srv?.close();
  });

  it('a registered device’s catalog becomes channels and nodes under its node; refresh, views and a NOTIFY DEL work', async () => {
    const gb = srv.backend.features.gb.control;
    const admin = userActor((await srv.backend.store.users.getByUsername('admin'))!, '127.0.0.1');
    const node = await srv.backend.devices.org.create({ parentId: 1, name: '交警大队' }, admin);
    const added = await gb.add({ gbId: DEV, name: '执法记录仪 21', nodeId: node.id, password: 'dev-pass-21' }, admin);
    const clip = await ensureClip({ name: 'h264-g711a', width: 640, height: 360, seconds: 4, bitrateKbps: 600, audio: 'alaw' });
    sim = await startGbSim({
      serverPort: (await gb.settings()).port,
      serverId: SERVER,
      domain: '3402000000',
      deviceId: DEV,
      password: 'dev-pass-21',
      channels: 3,
      alarmInputs: 1,
      org: true,
      clip,
    });

    const view = await waitFor(
      async () => {
        const v = await srv.backend.devices.read.device(added.deviceId, false);
        return v.channels.length === 3 ? v : null;
      },
      { what: 'three channels in the device model', timeoutMs: 30_000 },
    );
    expect(view).toMatchObject({ kind: 'gb28181', nodeId: node.id, vendor: expect.any(String) as string });
    expect(view.channels.every((c) => c.code?.slice(10, 13) === '131' && c.enabled)).toBe(true);
    const tree = await srv.backend.devices.read.orgTree();
    const bg = tree.nodes.find((n) => n.code?.slice(10, 13) === '215');
    const vo = tree.nodes.find((n) => n.code?.slice(10, 13) === '216');
    expect(bg).toMatchObject({ parentId: node.id });
    expect(vo).toMatchObject({ parentId: bg!.id });
    expect(srv.backend.devices.read.tree.channelsOf(added.deviceId)).toHaveLength(3);

    const channels = await gb.channelViews(DEV);
    expect(channels.map((c) => [c.ordinal, c.typeCode, c.online, c.ptz])).toEqual([
      [1, '131', true, true],
      [2, '131', true, true],
      [3, '131', true, true],
    ]);
    expect(channels.every((c) => c.parentId === vo!.code)).toBe(true);
    expect((await gb.catalogItems(DEV)).filter((i) => i.kind === 'alarm_input')).toHaveLength(1);
    await waitFor(() => gb.subscriptionViews(DEV).every((s) => s.state === 'active'), { what: 'three active subscriptions' });

    // On demand: the same catalog again makes nothing new.
    expect(await gb.refreshCatalog(DEV)).toMatchObject({ phase: 'complete', error: null });
    expect((await srv.backend.devices.read.device(added.deviceId, false)).channels.map((c) => c.id)).toEqual(view.channels.map((c) => c.id));

    // The device deletes channel 2: disabled in the device model (kept, with its recordings).
    await sim.command({ cmd: 'channel', channelId: view.channels[1]!.code, event: 'DEL' });
    await waitFor(async () => !(await srv.backend.devices.read.device(added.deviceId, false)).channels[1]!.enabled, { what: 'channel 2 disabled' });
    expect((await srv.backend.devices.read.device(added.deviceId, false)).channels).toHaveLength(3);
    expect((await gb.channelViews(DEV))[1]!.online).toBe(false);
  }, 90_000);
});
