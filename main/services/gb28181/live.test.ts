// GB/T 28181 live media end to end: the real SIP endpoint, the simulator process streaming PS over RTP, GbLive and the real Recorder
// (segments ffprobe plays, H.264 and H.265, relayed into the hub); one INVITE shared, BYE after the last holder, no-media timeout, re-INVITE after a reboot.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CameraStatus } from '../../../common/api';
import { asLog } from '../../../common/log';
import { cameraStreamPath, createMediaHub, type MediaHub } from '../../../media/hub';
import type { RtpTransport } from '../../../media/rtp/receiver';
import { Recorder, type ClosedSegment } from '../../../media/recorder';
import { SourceUnavailable } from '../../../media/stream-source';
import type { CameraRow } from '../../../storage/repositories';
import { testLauncher } from '../../../test/harness/ffmpeg';
import { ensureClip } from '../../../test/helpers/clips';
import { FFMPEG_BIN, ffprobe, run } from '../../../test/helpers/ffmpeg';
import { startGbSim, type GbSim } from '../../../test/helpers/gb-sim';
import { waitFor } from '../../../test/helpers/media-assert';
import { gbSource } from '../sources/gb28181';
import { GbEndpoint } from './endpoint';
import { GbLive, type GbLiveOptions } from './live';
import type { RegistrarDevice } from './registrar';

const SERVER = '34020000002000000001';
const DOMAIN = '3402000000';
const DEV = '34020000001320000001';
const PASSWORD = 'live-secret';
const ffmpeg = testLauncher();
const quiet = () => undefined;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-gb-live-'));
let clip264: string;
let clip265: string;
let hub: MediaHub;

beforeAll(async () => {
  clip264 = await ensureClip({ name: 'h264-g711a', width: 640, height: 360, seconds: 10, bitrateKbps: 600, audio: 'alaw' });
  clip265 = await ensureClip({ name: 'h265-silent', codec: 'h265', audio: false, width: 640, height: 360, seconds: 10, bitrateKbps: 500 });
  hub = createMediaHub({ port: 0, host: '127.0.0.1', log: quiet, onPrePublish: () => ({ allow: true }) });
  await hub.start();
}, 180_000);
afterAll(async () => {
  await hub?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const stops: Array<() => unknown> = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

interface Rig {
  ep: GbEndpoint;
  sim: GbSim;
  live: GbLive;
  channels: string[];
  logs: string[];
}

async function rig(opts: Partial<GbLiveOptions> & { transport?: RtpTransport } = {}): Promise<Rig> {
  const devices = new Map<string, RegistrarDevice>([[DEV, { approved: true, enabled: true, password: PASSWORD, keepaliveS: 60 }]]);
  const logs: string[] = [];
  const log = asLog((m) => logs.push(m), 'gb28181');
  const ep = new GbEndpoint({
    serverId: SERVER,
    domain: DOMAIN,
    bind: '127.0.0.1',
    port: 0,
    localHost: '127.0.0.1',
    log,
    now: Date.now,
    registrar: {
      device: (id) => Promise.resolve(devices.get(id) ?? null),
      sitePassword: () => null,
      unknownDevices: () => 'refuse',
      hold: () => Promise.resolve(),
      saveRegistration: () => Promise.resolve(),
      refused: () => undefined,
    },
  });
  await ep.start();
  stops.push(() => ep.close());
  const live = new GbLive({
    signalling: ep,
    transportOf: () => opts.transport ?? 'udp',
    mediaHost: '127.0.0.1',
    bindHost: '127.0.0.1',
    lingerMs: 500,
    backoffMs: [500, 1000],
    log,
    ...opts,
  });
  live.start();
  stops.push(() => live.close());
  const sim = await startGbSim({
    serverPort: ep.port,
    serverId: SERVER,
    domain: DOMAIN,
    deviceId: DEV,
    password: PASSWORD,
    channels: 2,
    clip: clip264,
    clipH265: clip265,
    audio: 'alaw',
  });
  stops.push(() => sim.stop());
  await waitFor(() => ep.peer(DEV), 'the simulator registered', 20_000);
  const state = await sim.state();
  const channels = (state.channels as Array<{ id: string; kind: string }>).filter((c) => c.kind === 'camera').map((c) => c.id);
  return { ep, sim, live, channels, logs };
}

function row(id: number, channelGbId: string): CameraRow {
  return { id, kind: 'gb28181', name: `gb ${id}`, url: `gb28181:${DEV}/${channelGbId}` } as CameraRow;
}

const invites = (sim: GbSim, channelId: string) => sim.events.filter((e) => e.ev === 'invite' && e.channelId === channelId);
const ended = (sim: GbSim, channelId: string) => sim.events.filter((e) => e.ev === 'session-ended' && e.channelId === channelId);

describe('GB/T 28181 live media through the simulator', () => {
  it.each([
    ['H.264 + G.711A over UDP', 'udp', 0, 'h264', 'aac'],
    ['H.265 + G.711A over TCP passive', 'tcp-passive', 1, 'hevc', 'aac'],
    ['H.264 + G.711A over TCP active', 'tcp-active', 0, 'h264', 'aac'],
  ] as const)(
    'records and relays %s',
    async (_label, transport, index, video, audio) => {
      const r = await rig({ transport });
      const id = 700 + index + (transport === 'tcp-active' ? 10 : 0);
      const closed: ClosedSegment[] = [];
      const statuses: CameraStatus[] = [];
      const dir = fs.mkdtempSync(path.join(tmp, 'rec-'));
      const rec = new Recorder(
        {
          cameraId: id,
          segmentSeconds: 2,
          recordingsDir: dir,
          source: gbSource(row(id, r.channels[index]!), 'main', { current: r.live })!,
          relayUrl: () => hub.internalUrlFor(cameraStreamPath(id, 'main')),
        },
        { onStatus: (s) => statuses.push(s), onSegmentOpened: quiet, onSegmentClosed: (s) => closed.push(s), onSegmentError: quiet },
        { log: quiet, ffmpeg },
      );
      stops.push(() => rec.close());
      rec.start();
      await waitFor(() => statuses.some((s) => s.state === 'recording'), 'recording', 40_000);
      // FLV (the hub) cannot carry H.265 in ffmpeg 5.1: only the H.264 channels are relayed.
      if (video === 'h264') await waitFor(() => hub.streamTracks(cameraStreamPath(id, 'main'))?.video === 'h264', 'the relay in the hub', 30_000);
      await waitFor(() => closed.reduce((a, s) => a + s.durationMs, 0) >= 6000, '6 s recorded', 60_000);
      const st = r.live.states();
      expect(st).toMatchObject([{ channelGbId: r.channels[index], holders: 1, state: 'streaming', transport }]);
      expect(st[0]!.counters).toMatchObject({ malformed: 0, wrongSsrc: 0 });
      await rec.close();
      expect(invites(r.sim, r.channels[index]!)[0]).toMatchObject({ sessionName: 'Play', tcp: transport !== 'udp' });
      for (const s of closed) {
        const file = path.join(dir, s.relPath);
        const p = await ffprobe(file);
        expect(p.streams.filter((x) => x.codec_type === 'video').map((x) => [x.codec_name, x.width, x.height])).toEqual([[video, 640, 360]]);
        expect(p.streams.filter((x) => x.codec_type === 'audio').map((x) => x.codec_name)).toEqual(audio ? [audio] : []);
        expect((await run(FFMPEG_BIN, ['-v', 'error', '-i', file, '-f', 'null', '-'], { timeoutMs: 60_000 })).stderr.trim()).toBe('');
      }
      // Nobody holds the stream any more: BYE after the linger.
      await r.sim.waitFor((e) => e.ev === 'session-ended' && e.channelId === r.channels[index] && e.why === 'bye', { timeoutMs: 15_000, what: 'BYE' });
      await waitFor(() => r.live.states().length === 0, 'the stream forgotten', 5_000);
    },
    240_000,
  );

  it('shares one INVITE between holders and sends BYE only after the last one released it', async () => {
    const r = await rig();
    const ch = r.channels[0]!;
    const a = await r.live.acquire(DEV, ch, new AbortController().signal);
    const b = await r.live.acquire(DEV, ch, new AbortController().signal);
    expect(invites(r.sim, ch)).toHaveLength(1);
    expect(r.live.states()[0]).toMatchObject({ holders: 2, invites: 1 });
    a.release();
    a.release(); // idempotent
    await new Promise((res) => setTimeout(res, 1500));
    expect(ended(r.sim, ch)).toHaveLength(0);
    b.release();
    await r.sim.waitFor((e) => e.ev === 'session-ended' && e.channelId === ch && e.why === 'bye', { timeoutMs: 10_000, what: 'BYE after the last holder' });
    expect(invites(r.sim, ch)).toHaveLength(1);
  }, 120_000);

  it('no media for the timeout: BYE, the reason as status text, then INVITE again and media flows', async () => {
    const r = await rig({ noMediaTimeoutMs: 3000 });
    const ch = r.channels[0]!;
    const lease = await r.live.acquire(DEV, ch, new AbortController().signal);
    const ps = lease.input.kind === 'pipe' ? lease.input.bytes : null;
    let bytes = 0;
    ps?.on('data', (d: Buffer) => (bytes += d.length));
    await waitFor(() => bytes > 10_000, 'PS bytes', 15_000);
    await r.sim.command({ cmd: 'freeze-media', on: true });
    await r.sim.waitFor((e) => e.ev === 'session-ended' && e.channelId === ch, { timeoutMs: 15_000, what: 'BYE after the no-media timeout' });
    await r.sim.command({ cmd: 'freeze-media', on: false });
    expect(r.logs.some((l) => l.includes('no media from the device'))).toBe(true);
    // The run's bytes ended with the session; a new holder inside the backoff gets the worded reason.
    await waitFor(() => ps?.readableEnded || ps?.destroyed, 'the old run ended', 5_000);
    lease.release();
    const refused = await r.live.acquire(DEV, ch, new AbortController().signal).then(
      () => null,
      (e: unknown) => e,
    );
    if (refused !== null) {
      expect(refused).toBeInstanceOf(SourceUnavailable);
      expect((refused as SourceUnavailable).reason.code).toBe('gb.media_timeout');
    }
    const again = await waitFor(() => r.live.acquire(DEV, ch, new AbortController().signal).catch(() => null), 'the stream asked for again', 20_000);
    expect(invites(r.sim, ch).length).toBeGreaterThanOrEqual(2);
    again.release();
  }, 120_000);

  it('a device that reboots and registers again gets its held stream INVITEd again at once', async () => {
    const r = await rig({ noMediaTimeoutMs: 60_000 });
    const ch = r.channels[0]!;
    const lease = await r.live.acquire(DEV, ch, new AbortController().signal);
    const before = invites(r.sim, ch).length;
    const t0 = Date.now();
    await r.sim.command({ cmd: 'reboot' });
    await r.sim.waitFor((e) => e.ev === 'invite' && e.channelId === ch, { after: r.sim.events.length, timeoutMs: 20_000, what: 're-INVITE after the reboot' });
    expect(invites(r.sim, ch).length).toBe(before + 1);
    expect(Date.now() - t0).toBeLessThan(20_000);
    await waitFor(() => r.live.states()[0]?.state === 'streaming', 'streaming again', 15_000);
    lease.release();
  }, 120_000);
});
