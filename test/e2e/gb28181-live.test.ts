// GB/T 28181 live media through the real back end against the simulator process: a GB channel is recorded (segments indexed, ffprobe plays them)
// and relayed into the hub like any camera, then BYE when the channel no longer needs the stream.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cameraStreamPath } from '../../media/hub';
import { userActor } from '../../main/platform/actor';
import { makeChannels } from '../gb28181-sim/device-queries';
import { startServer, waitFor, type TestServer } from '../harness';
import { ensureClip } from '../helpers/clips';
import { ffprobe } from '../helpers/ffmpeg';
import { startGbSim, type GbSim } from '../helpers/gb-sim';

const DEV = '34020000001320000031';
const SERVER = '34020000002000000001';
const PASSWORD = 'own-pass-31';

describe('GB/T 28181 live media (back end)', () => {
  let srv: TestServer;
  let sim: GbSim;
  let channelId: number;
  let cameraGbId: string;

  beforeAll(async () => {
    const clip = await ensureClip({ name: 'h264-g711a', width: 640, height: 360, seconds: 10, bitrateKbps: 600, audio: 'alaw' });
    srv = await startServer({ tag: 'gb-live', overrides: { sipBind: '127.0.0.1', publicHost: '127.0.0.1' } });
    const admin = userActor((await srv.backend.store.users.getByUsername('admin'))!, '127.0.0.1');
    const gb = srv.backend.features.gb.control;
    const added = await gb.add({ gbId: DEV, name: '执法记录仪 31', nodeId: 1, password: PASSWORD }, admin);
    sim = await startGbSim({
      serverPort: (await gb.settings()).port,
      serverId: SERVER,
      domain: '3402000000',
      deviceId: DEV,
      password: PASSWORD,
      channels: 1,
      clip,
    });
    await waitFor(async () => (await gb.device(added.deviceId)).registered, { what: 'the simulator registered', timeoutMs: 30_000 });
    // The device's camera channel as its catalog makes it (the catalog service's job; stored here directly), recorded continuously.
    const camera = makeChannels({ deviceId: DEV, channels: 1, alarmInputs: 0, clipH265: undefined, org: false })[0]!;
    cameraGbId = camera.id;
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
        channelDefaults: { segmentSeconds: 2, retentionDays: 30, recordMode: 'continuous' },
      },
      Date.now(),
    );
    channelId = (await srv.backend.store.gbCatalog.get(added.deviceId, camera.id))!.channelId!;
  }, 180_000);

  afterAll(async () => {
    await sim?.stop();
    await srv?.close();
  });

  it('records the channel (INVITE, PS over RTP), relays it into the hub, and sends BYE once the channel is disabled', async () => {
    const row = (await srv.backend.store.cameras.get(channelId))!;
    expect(row).toMatchObject({ kind: 'gb28181', url: `gb28181:${DEV}/${cameraGbId}` });
    await srv.backend.recording.apply(row);
    await waitFor(() => srv.backend.recording.status(channelId).state === 'recording', { what: 'recording', timeoutMs: 60_000 });
    await waitFor(() => srv.backend.hub.streamTracks(cameraStreamPath(channelId, 'main'))?.video === 'h264', {
      what: 'the live relay in the hub',
      timeoutMs: 60_000,
    });
    const segs = await waitFor(
      async () => {
        const s = (await srv.backend.store.segments.listRange(channelId, 0, Date.now() + 60_000, 100)).filter((x) => x.state !== 'writing');
        return s.length >= 2 ? s : null;
      },
      { what: 'two closed segments', timeoutMs: 90_000 },
    );
    for (const s of segs) {
      const p = await ffprobe(path.join(srv.backend.config.recordingsDir, s.relPath));
      expect(p.streams.filter((x) => x.codec_type === 'video').map((x) => [x.codec_name, x.width, x.height])).toEqual([['h264', 640, 360]]);
      expect(p.streams.filter((x) => x.codec_type === 'audio').map((x) => x.codec_name)).toEqual(['aac']);
    }
    const invites = sim.events.filter((e) => e.ev === 'invite' && e.channelId === cameraGbId);
    expect(invites.length).toBeGreaterThanOrEqual(1);
    expect(invites[0]).toMatchObject({ sessionName: 'Play', tcp: false });
    // Disabled: the recorder stops, nobody holds the stream, the device gets its BYE.
    await srv.backend.recording.apply({ ...row, enabled: false });
    await sim.waitFor((e) => e.ev === 'session-ended' && e.channelId === cameraGbId && e.why === 'bye', { timeoutMs: 30_000, what: 'BYE' });
  }, 240_000);
});
