// Device recordings against the simulator process over the real SIP endpoint: RecordInfo ranges (paged), a Download landing as segments ffprobe plays on the right wall-clock range, playback control by MANSRTSP INFO.
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { asLog } from '../../../common/log';
import { RtpReceiver } from '../../../media/rtp/receiver';
import { openTempStore, type TempStore } from '../../../storage/sqlite/test-utils';
import { waitFor } from '../../../test/harness/wait';
import { testLauncher } from '../../../test/harness/ffmpeg';
import { ensureClip } from '../../../test/helpers/clips';
import { run } from '../../../test/helpers/ffmpeg';
import { startGbSim, type GbSim } from '../../../test/helpers/gb-sim';
import { AuditLog } from '../audit-log';
import { GbCatalog } from './catalog';
import { GbEndpoint } from './endpoint';
import { GbRecordService } from './records';
import { GbSubscriptions } from './subscriptions';

const SERVER = '34020000002000000001';
const DOMAIN = '3402000000';
const DEV = '34020000001320000001';
const PASSWORD = 'records-secret';
const quiet = asLog(() => undefined, 'gb28181');
const user = { kind: 'user' as const, userId: 1, username: 'admin', role: 'admin' as const, ip: '127.0.0.1' };

let clip: string;
const open: Array<{ close(): unknown }> = [];

beforeAll(async () => {
  clip = await ensureClip({ name: 'h264-g711a', width: 640, height: 360, seconds: 4, bitrateKbps: 600, audio: 'alaw' });
}, 120_000);

afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function setup(): Promise<{ t: TempStore; sim: GbSim; records: GbRecordService; channelId: number; recordingsDir: string }> {
  const t = await openTempStore();
  open.push({ close: () => t.cleanup() });
  const device = await t.store.devices.createWithChannels({ device: { nodeId: 1, kind: 'gb28181', name: DEV, code: DEV }, channels: [] }, Date.now());
  const ep = new GbEndpoint({
    serverId: SERVER,
    domain: DOMAIN,
    bind: '127.0.0.1',
    port: 0,
    localHost: '127.0.0.1',
    log: quiet,
    now: Date.now,
    registrar: {
      device: async (id) => ((await t.store.devices.getByCode('gb28181', id)) ? { approved: true, enabled: true, password: PASSWORD, keepaliveS: 60 } : null),
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
    autoSubscribe: [],
  });
  catalog.start();
  open.push(catalog);
  const sim = await startGbSim({
    serverPort: ep.port,
    serverId: SERVER,
    domain: DOMAIN,
    deviceId: DEV,
    password: PASSWORD,
    channels: 2,
    clip,
    recordsPerMessage: 2,
  });
  open.push({ close: () => sim.stop() });
  const channels = await waitFor(
    async () => {
      const list = await t.store.channels.listByDevice(device.device.id);
      return list.length === 2 ? list : null;
    },
    { what: 'two channels from the catalog', timeoutMs: 30_000 },
  );
  const recordingsDir = path.join(t.dir, 'recordings');
  const records = new GbRecordService({
    signalling: ep,
    store: t.store,
    audit: new AuditLog(t.store, Date.now),
    ffmpeg: testLauncher(),
    // lock on the SSRC the device really sends (some answer with another y=)
    receiver: (o) => new RtpReceiver({ transport: o.transport, bindHost: o.bindHost, ssrc: null, log: quiet }),
    recordingsDir,
    mediaHost: '127.0.0.1',
    bindHost: '127.0.0.1',
    segmentSeconds: 4,
    downloadSpeed: 4,
    queryTimeoutMs: 3000,
    log: quiet,
  });
  await records.start();
  open.push(records);
  return { t, sim, records, channelId: channels[0]!.id, recordingsDir };
}

/** The start of a recent whole local hour (the simulator keeps a recording from :00 to :30 of every hour). */
function hourStart(hoursAgo: number): number {
  const d = new Date(Date.now() - hoursAgo * 3_600_000);
  d.setMinutes(0, 0, 0);
  return d.getTime();
}

describe('GB/T 28181 device recordings against the simulator', () => {
  it('lists the ranges kept on the device from RecordInfo answered over several MESSAGEs', async () => {
    const { sim, records, channelId } = await setup();
    const start = hourStart(3);
    const end = hourStart(0);
    const r = await records.deviceRecords(channelId, start, end);
    expect(r.sumNum).toBe(3);
    expect(r.complete).toBe(true);
    expect(r.ranges).toEqual([0, 1, 2].map((h) => ({ startMs: start + h * 3_600_000, endMs: start + h * 3_600_000 + 1_800_000, types: ['time'] })));
    expect(r.items.every((i) => i.filePath?.startsWith('/record/'))).toBe(true);
    const q = await sim.waitFor((e) => e.ev === 'recordinfo', { what: 'the RecordInfo query' });
    expect(q.target).not.toBe(DEV); // the XML's DeviceID is the channel's
    expect(String(q.target)).toMatch(/^\d{20}$/);
  }, 90_000);

  it('downloads a range into segments of the channel that ffprobe plays, on the range asked for, audited', async () => {
    const { t, sim, records, channelId, recordingsDir } = await setup();
    const startMs = hourStart(2) + 60_000;
    const endMs = startMs + 12_000;
    const dl = await records.download(channelId, startMs, endMs, user);
    expect(dl.state).toBe('running');
    const inv = await sim.waitFor((e) => e.ev === 'invite', { what: 'the Download INVITE' });
    expect(JSON.stringify(inv)).toMatch(/Download/);
    await records.settled(dl.id);
    const done = await records.getDownload(channelId, dl.id);
    expect(done).toMatchObject({ state: 'done', errorCode: null });
    expect(done.segmentIds.length).toBeGreaterThanOrEqual(2);
    const segs = await t.store.segments.listRange(channelId, startMs - 60_000, endMs + 60_000, 100);
    expect(segs.map((s) => s.id)).toEqual(done.segmentIds);
    expect(segs[0]!.startMs).toBe(startMs);
    const lastEnd = segs.at(-1)!.endMs;
    expect(lastEnd).toBeGreaterThan(endMs - 1500);
    expect(lastEnd).toBeLessThanOrEqual(endMs);
    for (let i = 1; i < segs.length; i++) expect(segs[i]!.startMs).toBe(segs[i - 1]!.endMs);
    expect(done.receivedMs).toBe(lastEnd - startMs);
    expect(segs.every((s) => s.state === 'closed' && s.protected && s.videoCodec === 'h264')).toBe(true);
    expect([...(await t.store.gbRecords.fromDevice(done.segmentIds))].sort()).toEqual([...done.segmentIds].sort());
    for (const s of segs) {
      const p = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nk=1:nw=1', path.join(recordingsDir, s.relPath)]);
      expect(Math.abs(Number(p.stdout.trim()) * 1000 - s.durationMs), s.relPath).toBeLessThan(600);
    }
    const audit = await t.store.audit.query({ limit: 50 });
    const entry = audit.find((a) => a.action === 'gb.records.download');
    expect(entry).toMatchObject({ username: 'admin', targetType: 'channel', targetId: String(channelId) });
    expect(entry!.detail).toMatchObject({ device: DEV, startMs, endMs });
    expect(audit.some((a) => a.action === 'gb.records.download_end')).toBe(true);
    // The same range again: Argus holds it now.
    await expect(records.download(channelId, startMs, endMs, user)).rejects.toMatchObject({ code: 'gb.records.already_recorded' });
  }, 120_000);

  it('controls a playback: PAUSE, Scale and Range npt reach the device as MANSRTSP INFO', async () => {
    const { sim, records, channelId } = await setup();
    const startMs = hourStart(1);
    const pb = await records.openPlayback(channelId, startMs, startMs + 600_000, user);
    await sim.waitFor((e) => e.ev === 'media-start', { what: 'the playback stream' });
    await waitFor(() => records.playback(channelId, pb.id).lastPacketMs() !== null, { what: 'RTP of the playback' });
    expect(await records.controlPlayback(channelId, pb.id, { kind: 'pause' })).toMatchObject({ paused: true });
    await sim.waitFor((e) => e.ev === 'info' && e.method === 'PAUSE', { what: 'PAUSE at the device' });
    expect(await records.controlPlayback(channelId, pb.id, { kind: 'scale', scale: 2 })).toMatchObject({ scale: 2 });
    await sim.waitFor((e) => e.ev === 'info' && e.method === 'PLAY' && e.scale === 2, { what: 'Scale 2 at the device' });
    expect(await records.controlPlayback(channelId, pb.id, { kind: 'seek', offsetS: 30 })).toMatchObject({ paused: false, seekOffsetMs: 30_000 });
    await sim.waitFor((e) => e.ev === 'info' && e.method === 'PLAY' && e.rangeS === 30, { what: 'Range npt=30- at the device' });
    await expect(records.controlPlayback(channelId, pb.id, { kind: 'scale', scale: 3 })).rejects.toMatchObject({ code: 'request.invalid' });
    await records.closePlayback(channelId, pb.id);
    await sim.waitFor((e) => e.ev === 'session-ended', { what: 'the BYE at the device' });
    expect(() => records.playback(channelId, pb.id)).toThrow();
  }, 90_000);
});
