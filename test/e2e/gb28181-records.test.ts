// GB/T 28181 device recordings through the real back end and its API against the simulator process: ranges on the device, a download into the channel's recordings (timeline, ffprobe), rights, playback control.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceDownload, DevicePlaybackView, DeviceRecords } from '../../common/gb28181-records';
import type { Timeline } from '../../common/investigation';
import { userActor } from '../../main/platform/actor';
import { makeChannels } from '../gb28181-sim/device-queries';
import { startServer, waitFor, type TestServer } from '../harness';
import { ensureClip } from '../helpers/clips';
import { run } from '../helpers/ffmpeg';
import { startGbSim, type GbSim } from '../helpers/gb-sim';

const DEV = '34020000001320000021';
const SERVER = '34020000002000000001';
const PASSWORD = 'own-pass-21';

/** The start of a recent whole local hour (the simulator keeps a recording from :00 to :30 of every hour). */
function hourStart(hoursAgo: number): number {
  const d = new Date(Date.now() - hoursAgo * 3_600_000);
  d.setMinutes(0, 0, 0);
  return d.getTime();
}

describe('GB/T 28181 device recordings (back end, API)', () => {
  let srv: TestServer;
  let sim: GbSim;
  let channelId: number;

  beforeAll(async () => {
    const clip = await ensureClip({ name: 'h264-g711a', width: 640, height: 360, seconds: 4, bitrateKbps: 600, audio: 'alaw' });
    srv = await startServer({ tag: 'gb-records', users: [{ username: 'patrol', role: 'officer' }] });
    const admin = userActor((await srv.backend.store.users.getByUsername('admin'))!, '127.0.0.1');
    const gb = srv.backend.features.gb.control;
    const added = await gb.add({ gbId: DEV, name: '执法记录仪 21', nodeId: 1, password: PASSWORD }, admin);
    sim = await startGbSim({
      serverPort: (await gb.settings()).port,
      serverId: SERVER,
      domain: '3402000000',
      deviceId: DEV,
      password: PASSWORD,
      channels: 1,
      clip,
    });
    // The device's camera channel as its catalog makes it (the catalog service's job; stored here directly).
    const camera = makeChannels({ deviceId: DEV, channels: 1, alarmInputs: 0, clipH265: undefined, org: false })[0]!;
    await srv.backend.store.gbCatalog.apply(
      added.deviceId,
      {
        items: [
          {
            gbId: camera.id,
            kind: 'video',
            name: camera.name,
            parentGbId: null,
            civilCode: null,
            businessGroupId: null,
            status: 'ON',
            address: null,
            longitude: null,
            latitude: null,
            ptzType: null,
            ptz: null,
            raw: {},
          },
        ],
        org: [],
        full: false,
        removed: [],
        statuses: [],
        channelDefaults: { segmentSeconds: 60, retentionDays: 30, recordMode: 'off' },
      },
      Date.now(),
    );
    channelId = (await srv.backend.store.gbCatalog.get(added.deviceId, camera.id))!.channelId!;
    await waitFor(async () => (await gb.device(added.deviceId)).registered, { what: 'the simulator registered', timeoutMs: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await sim?.stop();
    await srv?.close();
  });

  it('lists the ranges on the device; downloads one into the channel, where the timeline and ffprobe find it', async () => {
    const start = hourStart(3);
    const end = hourStart(0);
    const q = `startMs=${start}&endMs=${end}`;
    const recs = await srv.client.ok<DeviceRecords>('GET', `/api/v1/channels/${channelId}/device-records?${q}`);
    expect(recs.ranges).toEqual([0, 1, 2].map((h) => ({ startMs: start + h * 3_600_000, endMs: start + h * 3_600_000 + 1_800_000, types: ['time'] })));
    expect(recs).toMatchObject({ sumNum: 3, complete: true, downloads: [] });

    // An officer holds no recordings.view: 403 (the channel is visible through live.view), nothing asked of the device.
    const officer = await srv.client.call('GET', `/api/v1/channels/${channelId}/device-records?${q}`, undefined, { token: srv.tokens['patrol'] });
    expect(officer.status).toBe(403);
    const bad = await srv.client.call('GET', `/api/v1/channels/${channelId}/device-records?startMs=${end}&endMs=${start}`);
    expect(bad.status).toBe(400);

    const from = start + 3_600_000 + 120_000;
    const to = from + 10_000;
    const dl = await srv.client.ok<DeviceDownload>('POST', `/api/v1/channels/${channelId}/device-downloads`, { startMs: from, endMs: to }, 202);
    expect(dl).toMatchObject({ state: 'running', username: 'admin', startMs: from, endMs: to });
    const done = await waitFor(
      async () => {
        const d = await srv.client.ok<DeviceDownload>('GET', `/api/v1/channels/${channelId}/device-downloads/${dl.id}`);
        return d.state === 'running' ? null : d;
      },
      { what: 'the download to end', timeoutMs: 60_000 },
    );
    expect(done).toMatchObject({ state: 'done', errorCode: null });
    expect(done.segmentIds.length).toBeGreaterThan(0);
    const tl = await srv.client.ok<Timeline>('GET', `/api/v1/timeline/${channelId}?startMs=${from - 60_000}&endMs=${to + 60_000}`);
    expect(tl.ranges).toHaveLength(1);
    expect(tl.ranges[0]!.startMs).toBe(from);
    expect(tl.ranges[0]!.endMs).toBeGreaterThan(to - 1500);
    expect(tl.ranges[0]!.endMs).toBeLessThanOrEqual(to);
    const seg = (await srv.backend.store.segments.get(done.segmentIds[0]!))!;
    const p = await run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_name',
      '-of',
      'default=nk=1:nw=1',
      path.join(srv.backend.config.recordingsDir, seg.relPath),
    ]);
    expect(p.stdout.trim().split(/\s+/)).toContain('h264');
    // The download is listed beside the ranges, and audited with who asked for which range of which device.
    const again = await srv.client.ok<DeviceRecords>('GET', `/api/v1/channels/${channelId}/device-records?${q}`);
    expect(again.downloads.map((d) => d.id)).toEqual([dl.id]);
    const audit = await srv.backend.store.audit.query({ action: 'gb.records.download' });
    expect(audit[0]).toMatchObject({ username: 'admin', targetType: 'channel', targetId: String(channelId) });
    expect(audit[0]!.detail).toMatchObject({ device: DEV, startMs: from, endMs: to });
  }, 120_000);

  it('plays back from the device and controls it over the API (PAUSE and Scale reach the simulator)', async () => {
    const startMs = hourStart(1);
    const base = `/api/v1/channels/${channelId}/device-playback`;
    const pb = await srv.client.ok<DevicePlaybackView>('POST', base, { startMs, endMs: startMs + 600_000 }, 201);
    await sim.waitFor((e) => e.ev === 'media-start' && e.sessionName === 'Playback', { what: 'the playback stream' });
    expect(await srv.client.ok<DevicePlaybackView>('POST', `${base}/${pb.id}/control`, { action: 'pause' }, 200)).toMatchObject({ paused: true });
    await sim.waitFor((e) => e.ev === 'info' && e.method === 'PAUSE', { what: 'PAUSE at the device' });
    expect(await srv.client.ok<DevicePlaybackView>('POST', `${base}/${pb.id}/control`, { action: 'scale', scale: 4 }, 200)).toMatchObject({ scale: 4 });
    await sim.waitFor((e) => e.ev === 'info' && e.scale === 4, { what: 'Scale 4 at the device' });
    expect((await srv.client.call('POST', `${base}/${pb.id}/control`, { action: 'seek' })).status).toBe(400);
    expect((await srv.client.call('DELETE', `${base}/${pb.id}`)).status).toBe(204);
    await sim.waitFor((e) => e.ev === 'session-ended', { what: 'BYE at the device' });
    expect((await srv.client.call('POST', `${base}/${pb.id}/control`, { action: 'play' })).status).toBe(404);
    const audit = await srv.backend.store.audit.query({ action: 'gb.records.playback' });
    expect(audit[0]).toMatchObject({ username: 'admin', targetId: String(channelId) });
  }, 90_000);
});
