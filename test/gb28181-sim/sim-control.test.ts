// The GB/T 28181 simulator's control side against the in-test platform: PTZCmd and presets, Alarm and MobilePosition, RecordInfo paging, Playback/Download with MANSRTSP, TeleBoot, a wrong password.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureClip } from '../helpers/clips';
import { run } from '../helpers/ffmpeg';
import { startGbSim, type GbSim, type GbSimOptions } from '../helpers/gb-sim';
import { encodePtzCmd } from './ptz';
import { rtpPayloads, startRtpReceiver, startTestPlatform, type TestPlatform } from './test-platform';

const DEVICE = '34020000001320000007';
const CH1 = '34020000001310000701';
const CH2 = '34020000001310000702';
const PASSWORD = 'gb-sim-control';
let clip: string;
let clipH265: string;
let tmp: string;
const stops: Array<() => unknown> = [];

beforeAll(async () => {
  clip = await ensureClip({ name: 'h264-g711a', width: 640, height: 360, seconds: 4, bitrateKbps: 600, audio: 'alaw' });
  clipH265 = await ensureClip({ name: 'h265-silent', codec: 'h265', width: 640, height: 360, seconds: 4, bitrateKbps: 500, audio: false });
  tmp = await mkdtemp(join(tmpdir(), 'gb-sim-control-'));
}, 180_000);

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function setup(extra: Partial<GbSimOptions> = {}, platformPassword = PASSWORD): Promise<{ p: TestPlatform; sim: GbSim }> {
  const p = await startTestPlatform({ password: platformPassword });
  stops.push(() => p.close());
  const sim = await startGbSim({
    serverPort: p.port,
    serverId: p.serverId,
    domain: p.domain,
    deviceId: DEVICE,
    password: PASSWORD,
    channels: 2,
    clip,
    ...extra,
  });
  stops.push(() => sim.stop());
  return { p, sim };
}

const xml = (body: string) => iconv.encode(`<?xml version="1.0" encoding="GB2312"?>\r\n${body}`, 'gb2312');
const until = (ms: number) => new Promise((r) => setTimeout(r, ms));
let sn = 100;

function control(p: TestPlatform, target: string, inner: string) {
  return p.send(DEVICE, 'MESSAGE', { body: xml(`<Control><CmdType>DeviceControl</CmdType><SN>${++sn}</SN><DeviceID>${target}</DeviceID>${inner}</Control>`) });
}

async function messages(p: TestPlatform, match: (m: TestPlatform['messages'][number]) => boolean, count = 1, timeoutMs = 15_000) {
  const start = Date.now();
  for (;;) {
    const got = p.messages.filter(match);
    if (got.length >= count) return got;
    if (Date.now() - start > timeoutMs) throw new Error(`only ${got.length} of ${count} messages: ${p.messages.map((m) => m.xml.slice(40, 120)).join(' | ')}`);
    await until(50);
  }
}

function offer(port: number, s: string, extra: string[] = [], t = '0 0', tcp = false): string {
  const m = `m=video ${port} ${tcp ? 'TCP/RTP/AVP' : 'RTP/AVP'} 96`;
  const setup = tcp ? ['a=setup:passive', 'a=connection:new'] : [];
  return [
    'v=0',
    'o=34020000002000000001 0 0 IN IP4 127.0.0.1',
    `s=${s}`,
    `u=${CH1}:0`,
    'c=IN IP4 127.0.0.1',
    `t=${t}`,
    m,
    'a=recvonly',
    'a=rtpmap:96 PS/90000',
    ...setup,
    ...extra,
    'y=1100000009',
    '',
  ].join('\r\n');
}

describe('GB/T 28181 simulator control', () => {
  it('turns on PTZCmd, stops, stores, recalls and lists presets', async () => {
    const { p, sim } = await setup();
    expect((await control(p, CH1, `<PTZCmd>${encodePtzCmd(0x01, 0xff, 0)}</PTZCmd>`)).status).toBe(200);
    await sim.waitFor((e) => e.ev === 'ptz' && (e.cmd as { kind: string }).kind === 'move', { what: 'pan right' });
    await until(1000);
    await control(p, CH1, `<PTZCmd>${encodePtzCmd(0x00, 0, 0)}</PTZCmd>`);
    const stopped = await sim.waitFor((e) => e.ev === 'ptz' && (e.cmd as { kind: string }).kind === 'stop', { what: 'stop' });
    const pan = (stopped.position as { pan: number }).pan;
    expect(pan).toBeGreaterThan(30); // ≥ 1 s at 60°/s, generous for a loaded machine
    await control(p, CH1, `<PTZCmd>${encodePtzCmd(0x81, 0, 4)}</PTZCmd>`);
    await control(p, CH1, `<PTZCmd>${encodePtzCmd(0x04, 0, 0x80)}</PTZCmd>`); // tilt down
    await until(300);
    await control(p, CH1, `<PTZCmd>${encodePtzCmd(0x82, 0, 4)}</PTZCmd>`);
    await sim.waitFor((e) => e.ev === 'ptz' && (e.cmd as { kind: string }).kind === 'preset-goto', { what: 'goto preset' });
    const state = await sim.state();
    expect((state.ptz as Record<string, { position: { pan: number; tilt: number } }>)[CH1].position).toEqual({ pan, tilt: 0, zoom: 1 });
    await control(p, CH1, '<PTZCmd>A50F0100000000B6</PTZCmd>'); // the stop command with its checksum off by one
    await sim.waitFor((e) => e.ev === 'ptz-rejected', { what: 'bad checksum refused' });
    await p.send(DEVICE, 'MESSAGE', { body: xml(`<Query><CmdType>PresetQuery</CmdType><SN>77</SN><DeviceID>${CH1}</DeviceID></Query>`) });
    const [res] = await messages(p, (m) => m.doc.Response?.CmdType === 'PresetQuery');
    expect(res.xml).toContain('<PresetID>4</PresetID>');
    expect(res.xml).toContain('<PresetName>预置点4</PresetName>');
    await p.send(DEVICE, 'MESSAGE', { body: xml(`<Query><CmdType>PTZPosition</CmdType><SN>78</SN><DeviceID>${CH1}</DeviceID></Query>`) });
    const [where] = await messages(p, (m) => m.doc.Response?.CmdType === 'PTZPosition');
    expect(where.doc.Response).toMatchObject({ Pan: pan.toFixed(2), Tilt: '0.00', Zoom: '1.00' });
  });

  it('sends Alarm and MobilePosition on command, and positions on subscription at its interval', async () => {
    const { p, sim } = await setup({ latitude: 30.5, longitude: 114.3 });
    expect(await sim.command({ cmd: 'alarm', channelId: CH1, priority: 1, method: 2, description: 'SOS' })).toBe(200);
    const [alarm] = await messages(p, (m) => m.doc.Notify?.CmdType === 'Alarm');
    expect(alarm.doc.Notify).toMatchObject({ DeviceID: CH1, AlarmPriority: '1', AlarmMethod: '2', AlarmDescription: 'SOS', Latitude: '30.500000' });
    await p.send(DEVICE, 'MESSAGE', {
      body: xml(`<Response><CmdType>Alarm</CmdType><SN>${String(alarm.doc.Notify.SN)}</SN><DeviceID>${CH1}</DeviceID><Result>OK</Result></Response>`),
    });
    await sim.waitFor((e) => e.ev === 'response' && e.cmdType === 'Alarm' && e.result === 'OK', { what: 'alarm response seen' });

    expect(await sim.command({ cmd: 'position', latitude: 30.6, longitude: 114.4, speed: 12, send: 'message' })).toBe(200);
    const [pos] = await messages(p, (m) => m.doc.Notify?.CmdType === 'MobilePosition');
    expect(pos.doc.Notify).toMatchObject({ DeviceID: DEVICE, Latitude: '30.600000', Longitude: '114.400000', Speed: '12.0' });

    const sub = await p.send(DEVICE, 'SUBSCRIBE', {
      body: xml(`<Query><CmdType>MobilePosition</CmdType><SN>5</SN><DeviceID>${DEVICE}</DeviceID><Interval>1</Interval></Query>`),
      headers: { event: 'presence', expires: 60 },
    });
    expect(sub.status).toBe(200);
    const notifies = await messages(p, (m) => m.method === 'NOTIFY' && m.doc.Notify?.CmdType === 'MobilePosition', 3, 20_000);
    expect(notifies[2].atMs - notifies[0].atMs).toBeGreaterThanOrEqual(1500);
    expect(String(notifies[0].raw.headers['subscription-state'])).toMatch(/^active/);
  });

  it('answers RecordInfo for a time range in pages carrying SumNum', async () => {
    const { p } = await setup({ recordsPerMessage: 2 });
    const body = `<Query><CmdType>RecordInfo</CmdType><SN>88</SN><DeviceID>${CH1}</DeviceID><StartTime>2026-12-06T08:00:00</StartTime><EndTime>2026-12-06T12:59:59</EndTime><Secrecy>0</Secrecy><Type>all</Type></Query>`;
    await p.send(DEVICE, 'MESSAGE', { body: xml(body) });
    const pages = await messages(p, (m) => m.doc.Response?.CmdType === 'RecordInfo', 3);
    expect(pages.every((m) => m.doc.Response.SumNum === '5')).toBe(true);
    const items = pages.flatMap((m) => (m.doc.Response.RecordList as { Item: Array<Record<string, string>> }).Item);
    expect(items.map((i) => i.StartTime)).toEqual([
      '2026-12-06T08:00:00',
      '2026-12-06T09:00:00',
      '2026-12-06T10:00:00',
      '2026-12-06T11:00:00',
      '2026-12-06T12:00:00',
    ]);
    expect(items[0].EndTime).toBe('2026-12-06T08:30:00');
  });

  it('plays back a range with MANSRTSP PAUSE/PLAY/Scale and downloads one fast with MediaStatus 121 at its end', async () => {
    const { p, sim } = await setup();
    const rx = await startRtpReceiver('udp');
    stops.push(() => rx.close());
    const call = await p.invite(DEVICE, CH1, offer(rx.port, 'Playback', [], '1796543200 1796543260'), `${CH1}:1100000009,${p.serverId}:0`);
    expect(call.status).toBe(200);
    expect(call.answer).toMatch(/^s=Playback$/m);
    await sim.waitFor((e) => e.ev === 'media-start', { what: 'playback start' });
    await until(1000);
    expect(await call.info('PAUSE RTSP/1.0\r\nCSeq: 1\r\nPauseTime: now\r\n\r\n')).toBe(200);
    await sim.waitFor((e) => e.ev === 'info' && e.method === 'PAUSE', { what: 'pause' });
    // Frames the device sent, by its own clock (network-independent on a loaded machine).
    const sent = async () => {
      const st = await sim.state();
      return { frames: (st.sessions as Array<{ frames: number }>)[0].frames, atMs: st.atMs };
    };
    const p0 = await sent();
    await until(800);
    expect((await sent()).frames).toBe(p0.frames);
    expect(await call.info('PLAY RTSP/1.0\r\nCSeq: 2\r\nScale: 2.0\r\nRange: npt=now-\r\n\r\n')).toBe(200);
    await sim.waitFor((e) => e.ev === 'info' && e.method === 'PLAY' && e.scale === 2, { what: 'play x2' });
    const q0 = await sent();
    const received = rx.packets().length;
    await until(1200);
    const q1 = await sent();
    const fps = (q1.frames - q0.frames) / ((q1.atMs - q0.atMs) / 1000);
    expect(fps).toBeGreaterThan(40); // Scale 2 of a 25 fps clip: 50 frames a second
    expect(fps).toBeLessThan(60);
    expect(rx.packets().length).toBeGreaterThan(received);
    await call.bye();

    // The download over TCP (lossless: every frame of the range must arrive).
    const rx2 = await startRtpReceiver('tcp-listen');
    stops.push(() => rx2.close());
    const dl = await p.invite(DEVICE, CH1, offer(rx2.port, 'Download', ['a=downloadspeed:4'], '1796543200 1796543206', true));
    expect(dl.status).toBe(200);
    const end = await sim.waitFor((e) => e.ev === 'media-end', { what: 'download end', timeoutMs: 15_000 });
    expect(end.frames).toBe(150); // 6 s at 25 fps
    const [status] = await messages(p, (m) => m.doc.Notify?.CmdType === 'MediaStatus');
    expect(status.doc.Notify).toMatchObject({ NotifyType: '121', DeviceID: CH1 });
    await dl.bye();
    const file = join(tmp, 'download.ps');
    await writeFile(file, Buffer.concat(rtpPayloads(rx2.packets()).payloads));
    const r = await run('ffprobe', [
      '-v',
      'error',
      '-f',
      'mpeg',
      '-count_frames',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=nb_read_frames',
      '-of',
      'csv=p=0',
      file,
    ]);
    expect(Number(r.stdout.trim())).toBe(150);
  });

  it('streams H.265 from the last channel when given an H.265 clip (f=v/5)', async () => {
    const { p, sim } = await setup({ clipH265 });
    const rx = await startRtpReceiver('udp');
    stops.push(() => rx.close());
    const call = await p.invite(DEVICE, CH2, offer(rx.port, 'Play'));
    expect(call.answer).toMatch(/^f=v\/5\//m);
    await sim.waitFor((e) => e.ev === 'media-start' && e.codec === 'h265', { what: 'h265 media' });
    await until(2000);
    await call.bye();
    const file = join(tmp, 'h265.ps');
    await writeFile(file, Buffer.concat(rtpPayloads(rx.packets()).payloads));
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
      'csv=p=0',
      file,
    ]);
    const [codec, frames] = r.stdout.trim().split(',');
    expect(codec).toBe('hevc');
    expect(Number(frames)).toBeGreaterThanOrEqual(30);
  });

  it('re-registers after TeleBoot, answers RecordCmd, and unregisters on command', async () => {
    const { p, sim } = await setup();
    await control(p, CH1, '<RecordCmd>Record</RecordCmd>');
    await sim.waitFor((e) => e.ev === 'record' && e.recording === true, { what: 'record on' });
    await messages(p, (m) => m.doc.Response?.CmdType === 'DeviceControl' && m.doc.Response?.Result === 'OK');
    const registersBefore = p.registers.filter((r) => r.authorized).length;
    await control(p, DEVICE, '<TeleBoot>Boot</TeleBoot>');
    await sim.waitFor((e) => e.ev === 'teleboot', { what: 'teleboot' });
    await sim.waitFor((e) => e.ev === 'registered' && e.first === true, { what: 're-registration', after: 1 });
    expect(p.registers.filter((r) => r.authorized).length).toBe(registersBefore + 1);
    expect(await sim.command({ cmd: 'unregister' })).toBe(true);
    expect(p.registers.at(-1)).toMatchObject({ expires: 0, authorized: true });
  });

  it('puts a business group and virtual organisation above the channels, and notifies OFF/ADD/DEL (MESSAGE, then NOTIFY in a Catalog subscription)', async () => {
    const { p, sim } = await setup({ org: true });
    await p.send(DEVICE, 'MESSAGE', { body: xml(`<Query><CmdType>Catalog</CmdType><SN>9</SN><DeviceID>${DEVICE}</DeviceID></Query>`) });
    const pages = await messages(p, (m) => m.doc.Response?.CmdType === 'Catalog', 2);
    const items = pages.flatMap((m) => (m.doc.Response.DeviceList as { Item: Array<Record<string, string>> }).Item);
    const [bg, vo, cam] = items;
    expect(bg).toMatchObject({ DeviceID: '34020000002150000701', Name: '治安监控业务分组' });
    expect(vo).toMatchObject({ DeviceID: '34020000002160000701', ParentID: bg.DeviceID, BusinessGroupID: bg.DeviceID });
    expect(cam).toMatchObject({ DeviceID: CH1, ParentID: vo.DeviceID, BusinessGroupID: bg.DeviceID });

    expect(await sim.command({ cmd: 'channel', index: 2, event: 'OFF' })).toBe(200);
    const [off] = await messages(p, (m) => m.method === 'MESSAGE' && m.doc.Notify?.CmdType === 'Catalog');
    expect((off.doc.Notify.DeviceList as { Item: Array<Record<string, string>> }).Item[0]).toMatchObject({ DeviceID: CH2, Event: 'OFF', Status: 'OFF' });

    const sub = await p.send(DEVICE, 'SUBSCRIBE', {
      body: xml(`<Query><CmdType>Catalog</CmdType><SN>10</SN><DeviceID>${DEVICE}</DeviceID></Query>`),
      headers: { event: 'Catalog', expires: 600 },
    });
    expect(sub.status).toBe(200);
    await sim.waitFor((e) => e.ev === 'subscribe' && e.cmdType === 'Catalog', { what: 'catalog subscription' });
    await sim.command({ cmd: 'channel', event: 'ADD' });
    await sim.command({ cmd: 'channel', channelId: CH1, event: 'DEL' });
    const notifies = await messages(p, (m) => m.method === 'NOTIFY' && m.doc.Notify?.CmdType === 'Catalog', 2).catch((e: Error) => {
      throw new Error(e.message + JSON.stringify(sim.events.slice(-8)));
    });
    const events = notifies.map((m) => (m.doc.Notify.DeviceList as { Item: Array<Record<string, string>> }).Item[0]);
    expect(events.map((e) => [e.DeviceID, e.Event])).toEqual([
      ['34020000001310000703', 'ADD'],
      [CH1, 'DEL'],
    ]);
    const state = await sim.state();
    expect((state.channels as Array<{ id: string }>).map((c) => c.id)).toEqual(['34020000002150000701', '34020000002160000701', CH2, '34020000001310000703']);
  });

  it('reports a refused registration with a wrong password and keeps running', async () => {
    const { p, sim } = await setup({ readyOn: 'bind' }, 'not-the-password');
    const failed = await sim.waitFor((e) => e.ev === 'register-failed', { what: 'refusal' });
    expect(failed.status).toBe(403);
    expect(p.contacts.has(DEVICE)).toBe(false);
    expect(await sim.command({ cmd: 'stats' })).toMatchObject({ registered: 0 });
  });
});
