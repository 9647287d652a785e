// The GB/T 28181 device simulator process against a tiny in-test platform: digest REGISTER, keepalive, Catalog in several MESSAGEs, live INVITE over UDP/TCP decoded by ffprobe.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureClip } from '../helpers/clips';
import { run } from '../helpers/ffmpeg';
import { startGbSim, type GbSim } from '../helpers/gb-sim';
import { rtpPayloads, startRtpReceiver, startTestPlatform, type TestPlatform } from './test-platform';

const DEVICE = '34020000001320000001';
const PASSWORD = 'gb-sim-secret';
let clip: string;
let tmp: string;
const stops: Array<() => unknown> = [];

beforeAll(async () => {
  clip = await ensureClip({ name: 'h264-g711a', width: 640, height: 360, seconds: 4, bitrateKbps: 600, audio: 'alaw' });
  tmp = await mkdtemp(join(tmpdir(), 'gb-sim-test-'));
}, 120_000);

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function setup(
  opts: { transport?: 'udp' | 'tcp'; channels?: number; keepaliveS?: number; expiresS?: number; quirks?: string[] } = {},
): Promise<{ p: TestPlatform; sim: GbSim }> {
  const p = await startTestPlatform({ password: PASSWORD });
  stops.push(() => p.close());
  const sim = await startGbSim({
    serverPort: p.port,
    serverId: p.serverId,
    domain: p.domain,
    deviceId: DEVICE,
    password: PASSWORD,
    transport: opts.transport,
    channels: opts.channels ?? 3,
    keepaliveS: opts.keepaliveS ?? 60,
    expiresS: opts.expiresS,
    clip,
    quirks: opts.quirks,
  });
  stops.push(() => sim.stop());
  return { p, sim };
}

function manscdp(body: string): Buffer {
  return iconv.encode(`<?xml version="1.0" encoding="GB2312"?>\r\n${body}`, 'gb2312');
}

/** Video frames ffprobe decodes from a PS byte stream (ffmpeg reads PS as `-f mpeg`). */
async function decodePs(ps: Buffer, name: string): Promise<{ codec: string; frames: number }> {
  const file = join(tmp, `${name}.ps`);
  await writeFile(file, ps);
  const r = await run('ffprobe', [
    '-v',
    'error',
    '-f',
    'mpeg',
    '-count_frames',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=codec_name,nb_read_frames',
    '-of',
    'json',
    file,
  ]);
  const s = (JSON.parse(r.stdout || '{}') as { streams?: Array<{ codec_name: string; nb_read_frames: string }> }).streams?.[0];
  return { codec: s?.codec_name ?? '', frames: Number(s?.nb_read_frames ?? 0) };
}

function offer(port: number, opts: { tcp?: 'passive' | 'active'; ssrc: string; s?: string; t?: string; extra?: string[] }): string {
  return [
    'v=0',
    `o=34020000002000000001 0 0 IN IP4 127.0.0.1`,
    `s=${opts.s ?? 'Play'}`,
    ...(opts.s === 'Playback' || opts.s === 'Download' ? [`u=${DEVICE}:0`] : []),
    'c=IN IP4 127.0.0.1',
    `t=${opts.t ?? '0 0'}`,
    `m=video ${port} ${opts.tcp ? 'TCP/RTP/AVP' : 'RTP/AVP'} 96 97 98`,
    'a=recvonly',
    'a=rtpmap:96 PS/90000',
    'a=rtpmap:97 MPEG4/90000',
    'a=rtpmap:98 H264/90000',
    ...(opts.tcp ? [`a=setup:${opts.tcp}`, 'a=connection:new'] : []),
    ...(opts.extra ?? []),
    `y=${opts.ssrc}`,
    '',
  ].join('\r\n');
}

const until = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('GB/T 28181 device simulator', () => {
  it('registers with digest (401 then authorized), keeps alive in GB2312 and answers Catalog in several Response MESSAGEs', async () => {
    const { p, sim } = await setup({ keepaliveS: 1 });
    expect(p.registers[0]).toMatchObject({ status: 401, authorized: false });
    expect(p.registers[1]).toMatchObject({ status: 200, authorized: true });
    const via = p.registers[1].raw.headers.via[0];
    expect(via.params).toHaveProperty('rport');
    await sim.waitFor((e) => e.ev === 'keepalive', { what: 'a keepalive answered 200' });
    const ka = p.messages.find((m) => m.doc.Notify?.CmdType === 'Keepalive');
    expect(ka?.charset).toBe('gb2312');
    expect(ka?.doc.Notify.DeviceID).toBe(DEVICE);

    const status = await p.send(DEVICE, 'MESSAGE', { body: manscdp(`<Query><CmdType>Catalog</CmdType><SN>17</SN><DeviceID>${DEVICE}</DeviceID></Query>`) });
    expect(status.status).toBe(200);
    const responses = await waitMessages(p, (m) => m.doc.Response?.CmdType === 'Catalog' && m.doc.Response?.SN === '17', 2);
    const items = responses.flatMap((m) => (m.doc.Response.DeviceList as { Item: Array<Record<string, string>> }).Item);
    expect(responses.every((m) => m.doc.Response.SumNum === '3')).toBe(true);
    expect(items.map((i) => i.DeviceID)).toEqual(['34020000001310000101', '34020000001310000102', '34020000001310000103']);
    expect(items[0].Name).toBe('摄像机通道1');
    expect(items[0].Status).toBe('ON');
  });

  it('freezes its media without ending the dialog, and drops off the network until told to reconnect', async () => {
    const { p, sim } = await setup({ keepaliveS: 1 });
    const rx = await startRtpReceiver('udp');
    stops.push(() => rx.close());
    await p.invite(DEVICE, '34020000001310000101', offer(rx.port, { ssrc: '0100000004' }));
    await sim.waitFor((e) => e.ev === 'media-start', { what: 'media start' });
    expect(await sim.command({ cmd: 'freeze-media', on: true })).toBe(true);
    await until(300); // what was in flight
    const frozenAt = rx.packets().length;
    await until(1000);
    expect(rx.packets().length).toBe(frozenAt);
    expect(((await sim.state()).sessions as unknown[]).length).toBe(1);
    await sim.command({ cmd: 'freeze-media', on: false });
    await until(1000);
    expect(rx.packets().length).toBeGreaterThan(frozenAt);

    await sim.command({ cmd: 'drop' });
    await until(300);
    const heard = p.messages.length;
    await until(2500); // two keepalive periods
    expect(p.messages.length).toBe(heard);
    const registers = p.registers.length;
    await sim.command({ cmd: 'reconnect' });
    await sim.waitFor((e) => e.ev === 'registered' && e.atMs > Date.now() - 10_000 && e.first === true, { what: 'registered again', after: 2 });
    expect(p.registers.length).toBeGreaterThan(registers);
    await sim.waitFor((e) => e.ev === 'keepalive' && e.atMs > Date.now() - 3000, { what: 'keepalives again' });
  });

  it('stop() ends the simulator process itself (no process left behind) and its media', async () => {
    const { p, sim } = await setup();
    const rx = await startRtpReceiver('udp');
    stops.push(() => rx.close());
    await p.invite(DEVICE, '34020000001310000101', offer(rx.port, { ssrc: '0100000003' }));
    await sim.waitFor((e) => e.ev === 'media-start', { what: 'media start' });
    expect(existsSync(`/proc/${sim.pid}`)).toBe(true);
    await sim.stop();
    expect(existsSync(`/proc/${sim.pid}`)).toBe(false);
    const after = rx.packets().length;
    await until(500);
    expect(rx.packets().length).toBe(after);
  });

  it('re-registers before its registration expires (half to 80 % of the granted time), over TCP with compact headers', async () => {
    const { p, sim } = await setup({ expiresS: 4, transport: 'tcp', quirks: ['compact-headers', 'lower-tags'] });
    const second = await sim.waitFor((e) => e.ev === 'registered' && e.first === false, { what: 'a refresh' });
    const third = await sim.waitFor((e) => e.ev === 'registered' && e.first === false && e.atMs > second.atMs, { what: 'a second refresh' });
    expect(third.atMs - second.atMs).toBeGreaterThanOrEqual(1900);
    expect(third.atMs - second.atMs).toBeLessThan(3900);
    const ok = p.registers.filter((r) => r.authorized);
    expect(ok.length).toBeGreaterThanOrEqual(3);
    expect(new Set(ok.map((r) => r.raw.headers['call-id'])).size).toBe(1); // one Call-ID, rising CSeq (RFC 3261 10.2.4)
    expect(ok[0].remote.protocol.toUpperCase()).toBe('TCP');
  });

  it('streams H.264 + G.711A as PS over RTP/UDP with the SSRC from y= until BYE', async () => {
    const { p, sim } = await setup();
    const rx = await startRtpReceiver('udp');
    stops.push(() => rx.close());
    const call = await p.invite(DEVICE, '34020000001310000101', offer(rx.port, { ssrc: '0100000001' }));
    expect(call.status).toBe(200);
    expect(call.answer).toMatch(/^y=0100000001$/m);
    expect(call.answer).toMatch(/^f=v\/2\//m);
    await sim.waitFor((e) => e.ev === 'media-start', { what: 'media start' });
    await until(2500);
    expect(await call.bye()).toBe(200);
    await sim.waitFor((e) => e.ev === 'session-ended', { what: 'session end' });
    const { payloads, ssrcs, pts, markers } = rtpPayloads(rx.packets());
    expect([...ssrcs]).toEqual([100000001]);
    expect([...pts]).toEqual([96]);
    expect(Math.max(...rx.packets().map((x) => x.length))).toBeLessThanOrEqual(1412);
    expect(markers).toBeGreaterThan(40);
    const decoded = await decodePs(Buffer.concat(payloads), 'udp');
    expect(decoded.codec).toBe('h264');
    expect(decoded.frames).toBeGreaterThanOrEqual(40);
  });

  for (const mode of ['passive', 'active'] as const) {
    it(`streams over TCP with RFC 4571 framing, platform a=setup:${mode}`, async () => {
      const { p, sim } = await setup({ transport: 'tcp', quirks: ['compact-headers'] });
      const rx = await startRtpReceiver(mode === 'passive' ? 'tcp-listen' : 'tcp-connect');
      stops.push(() => rx.close());
      const call = await p.invite(DEVICE, '34020000001310000102', offer(rx.port, { tcp: mode, ssrc: '0100000002' }));
      expect(call.status).toBe(200);
      expect(call.answer).toMatch(new RegExp(`^a=setup:${mode === 'passive' ? 'active' : 'passive'}$`, 'm'));
      if (mode === 'active') rx.connectTo!('127.0.0.1', Number(/^m=video (\d+)/m.exec(call.answer)![1]));
      await sim.waitFor((e) => e.ev === 'media-start', { what: 'media start' });
      await until(2500);
      await call.bye();
      const { payloads, ssrcs } = rtpPayloads(rx.packets());
      expect([...ssrcs]).toEqual([100000002]);
      const decoded = await decodePs(Buffer.concat(payloads), `tcp-${mode}`);
      expect(decoded.codec).toBe('h264');
      expect(decoded.frames).toBeGreaterThanOrEqual(40);
    });
  }
});

async function waitMessages(p: TestPlatform, match: (m: TestPlatform['messages'][number]) => boolean, count: number, timeoutMs = 15_000) {
  const start = Date.now();
  for (;;) {
    const got = p.messages.filter(match);
    if (got.length >= count) return got;
    if (Date.now() - start > timeoutMs) throw new Error(`only ${got.length} of ${count} messages arrived`);
    await until(50);
  }
}
