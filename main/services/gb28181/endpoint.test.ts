// Tests of the GB/T 28181 SIP endpoint over real UDP and TCP on 127.0.0.1 with a raw SIP client: digest REGISTER, refusals, rate limit, keepalive, expiry, queries, dialogs.
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { asLog } from '../../../common/log';
import { header, RawSipClient, type RawMsg } from '../../../test/helpers/gb-raw-sip';
import { GbEndpoint } from './endpoint';
import type { RefusalReason, RegistrarDevice } from './registrar';
import type { GbPeer, GbRegistrationEvent } from './signalling';

const SERVER = '34020000002000000001';
const DEV = '34020000001320000001';
const DEV2 = '34020000001320000002';

interface Fixture {
  ep: GbEndpoint;
  clock: { now: number };
  devices: Map<string, RegistrarDevice>;
  refusals: Array<{ deviceId: string; reason: RefusalReason }>;
  held: GbPeer[];
  events: GbRegistrationEvent[];
  malformed: string[];
  mode: { unknown: 'refuse' | 'hold' };
}

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function start(maxFailuresPerMinute = 20): Promise<Fixture> {
  const clock = { now: Date.UTC(2026, 11, 7, 8, 0, 0) };
  const devices = new Map<string, RegistrarDevice>([[DEV, { approved: true, enabled: true, password: 'dev-secret', keepaliveS: 60 }]]);
  const f: Omit<Fixture, 'ep'> = { clock, devices, refusals: [], held: [], events: [], malformed: [], mode: { unknown: 'refuse' } };
  const ep = new GbEndpoint({
    serverId: SERVER,
    domain: '3402000000',
    bind: '127.0.0.1',
    port: 0,
    localHost: '127.0.0.1',
    log: asLog(() => undefined, 'gb28181'),
    now: () => clock.now,
    maxFailuresPerMinute,
    onMalformed: (_r, why) => f.malformed.push(why),
    registrar: {
      device: (id) => Promise.resolve(devices.get(id) ?? null),
      sitePassword: () => 'site-secret',
      unknownDevices: () => f.mode.unknown,
      hold: (_id, peer) => {
        f.held.push(peer);
        return Promise.resolve();
      },
      saveRegistration: () => Promise.resolve(),
      refused: (deviceId, _remote, reason) => f.refusals.push({ deviceId, reason }),
    },
  });
  await ep.start();
  open.push(ep);
  ep.onRegistration((ev) => f.events.push(ev));
  return { ...f, ep };
}

async function client(f: Fixture, proto: 'udp' | 'tcp' = 'udp'): Promise<RawSipClient> {
  const c = await RawSipClient.open(proto, f.ep.port);
  open.push(c);
  return c;
}

const keepalive = (sn: number, id = DEV) =>
  iconv.encode(
    `<?xml version="1.0" encoding="GB2312"?>\r\n<Notify>\r\n<CmdType>Keepalive</CmdType>\r\n<SN>${sn}</SN>\r\n<DeviceID>${id}</DeviceID>\r\n<Status>OK</Status>\r\n</Notify>\r\n`,
    'gb2312',
  );

describe('GbEndpoint registrar', () => {
  it('challenges a REGISTER, accepts the digest answer (UDP, rport), and knows the peer', async () => {
    const f = await start();
    const c = await client(f);
    const first = await c.request({ method: 'REGISTER', uri: `sip:${SERVER}@3402000000`, fromId: DEV, extra: ['Expires: 3600'] });
    expect(first.status).toBe(401);
    expect(header(first, 'www-authenticate')).toMatch(/^Digest .*realm="3402000000".*qop="auth"/);
    expect(header(first, 'via')).toMatch(new RegExp(`received=127\\.0\\.0\\.1.*rport=${c.localPort}|rport=${c.localPort}.*received=127\\.0\\.0\\.1`));
    const ok = await c.answerChallenge(first, DEV, 'dev-secret', `sip:${SERVER}@3402000000`, ['Expires: 3600']);
    expect(ok.status).toBe(200);
    expect(header(ok, 'expires')).toBe('3600');
    expect(header(ok, 'date')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    expect(header(ok, 'to')).toMatch(/;tag=/);
    expect(f.ep.peer(DEV)).toEqual({ id: DEV, transport: 'udp', host: '127.0.0.1', port: c.localPort });
    expect(f.events.map((e) => e.type)).toEqual(['registered', 'online']);
    // Re-register: not the first any more; RFC 2069 digest (no qop) is accepted too.
    expect((await c.register({ deviceId: DEV, password: 'dev-secret', serverId: SERVER, qop: false })).status).toBe(200);
    expect(f.events[2]).toMatchObject({ type: 'registered', first: false });
  });

  it('answers a wrong password, an unknown device and a bad ID without telling which', async () => {
    const f = await start();
    const c = await client(f);
    const wrong = await c.register({ deviceId: DEV, password: 'nope', serverId: SERVER });
    const unknown = await c.register({ deviceId: DEV2, password: 'site-secret', serverId: SERVER });
    expect(wrong.status).toBe(403);
    expect(unknown.status).toBe(403);
    expect(wrong.startLine).toBe(unknown.startLine);
    expect(header(wrong, 'www-authenticate')).toBe('');
    const bad = await c.register({ deviceId: '1234', password: 'x', serverId: SERVER });
    expect(bad.status).toBe(400);
    expect(f.refusals.map((r) => r.reason)).toEqual(['wrong_password', 'unknown_device', 'bad_id']);
    expect(f.ep.peer(DEV)).toBeNull();
  });

  it('holds an unknown device that knows the site password when so configured', async () => {
    const f = await start();
    f.mode.unknown = 'hold';
    const c = await client(f);
    expect((await c.register({ deviceId: DEV2, password: 'site-secret', serverId: SERVER })).status).toBe(403);
    expect(f.held).toEqual([{ id: DEV2, transport: 'udp', host: '127.0.0.1', port: c.localPort }]);
    expect(f.refusals.at(-1)).toEqual({ deviceId: DEV2, reason: 'awaiting_approval' });
    // Held with a wrong site password: not held.
    const c2 = await client(f);
    expect((await c2.register({ deviceId: '34020000001320000003', password: 'guess', serverId: SERVER })).status).toBe(403);
    expect(f.held).toHaveLength(1);
    // Approved (here: by the fixture) it registers with the site password.
    f.devices.set(DEV2, { approved: true, enabled: true, password: null, keepaliveS: 60 });
    expect((await c.register({ deviceId: DEV2, password: 'site-secret', serverId: SERVER })).status).toBe(200);
  });

  it('refuses a source address after too many failures, for a minute', async () => {
    const f = await start(3);
    const c = await client(f);
    for (let i = 0; i < 3; i++) expect((await c.register({ deviceId: DEV, password: `bad${i}`, serverId: SERVER })).status).toBe(403);
    const limited = await c.register({ deviceId: DEV, password: 'dev-secret', serverId: SERVER });
    expect(limited.status).toBe(403);
    expect(f.refusals.at(-1)?.reason).toBe('rate_limited');
    f.clock.now += 61_000;
    expect((await c.register({ deviceId: DEV, password: 'dev-secret', serverId: SERVER })).status).toBe(200);
  });

  it('gives a fresh challenge with stale=TRUE for an expired nonce', async () => {
    const f = await start();
    const c = await client(f);
    const uri = `sip:${SERVER}@3402000000`;
    const first = await c.request({ method: 'REGISTER', uri, fromId: DEV });
    f.clock.now += 6 * 60_000;
    const stale = await c.answerChallenge(first, DEV, 'dev-secret', uri, []);
    expect(stale.status).toBe(401);
    expect(header(stale, 'www-authenticate')).toMatch(/stale=TRUE/);
    expect((await c.answerChallenge(stale, DEV, 'dev-secret', uri, [])).status).toBe(200);
  });

  it('keepalives keep a device online; 3 missed intervals make it offline; expiry and Expires: 0 end the registration', async () => {
    const f = await start();
    const c = await client(f);
    expect((await c.register({ deviceId: DEV, password: 'dev-secret', serverId: SERVER, expires: 600 })).status).toBe(200);
    f.clock.now += 170_000;
    expect((await c.message(DEV, SERVER, keepalive(1))).status).toBe(200);
    f.clock.now += 170_000;
    f.ep.registrar.sweep();
    expect(f.events.map((e) => e.type)).toEqual(['registered', 'online']);
    f.clock.now += 11_000; // 181 s since the keepalive
    f.ep.registrar.sweep();
    expect(f.events.at(-1)).toEqual({ type: 'offline', deviceId: DEV, missedKeepalives: 3 });
    expect((await c.message(DEV, SERVER, keepalive(2))).status).toBe(200);
    expect(f.events.at(-1)).toEqual({ type: 'online', deviceId: DEV });
    f.clock.now += 300_000;
    f.ep.registrar.sweep();
    expect(f.events.at(-1)).toEqual({ type: 'expired', deviceId: DEV });
    expect(f.ep.peer(DEV)).toBeNull();
    // Not registered: its keepalive is refused.
    expect((await c.message(DEV, SERVER, keepalive(3))).status).toBe(403);
    expect((await c.register({ deviceId: DEV, password: 'dev-secret', serverId: SERVER })).status).toBe(200);
    expect((await c.register({ deviceId: DEV, password: 'dev-secret', serverId: SERVER, expires: 0 })).status).toBe(200);
    expect(f.events.at(-1)).toEqual({ type: 'unregistered', deviceId: DEV });
  });

  it('stays up and answers after garbage, a request without Call-ID and malformed MANSCDP', async () => {
    const f = await start();
    const c = await client(f);
    c.sendRaw('\x00\x01garbage that is not SIP\r\n\r\n');
    c.sendRaw(
      `REGISTER sip:${SERVER}@3402000000 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${c.localPort};branch=z9hG4bKx1\r\nFrom: <sip:${DEV}@x>;tag=1\r\nTo: <sip:${DEV}@x>\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n`,
    );
    expect((await c.register({ deviceId: DEV, password: 'dev-secret', serverId: SERVER })).status).toBe(200);
    const bad = await c.message(DEV, SERVER, Buffer.from('<Notify><CmdType>Keepalive</CmdType><SN>1'));
    expect(bad.status).toBe(400);
    expect(f.malformed).toEqual(['unparseable', 'missing headers', expect.stringMatching(/^MANSCDP: malformed XML/)]);
  });
});

describe('GbEndpoint requests', () => {
  it('query() collects a Catalog answered in two MESSAGEs (SumNum), over TCP, lower-case tags', async () => {
    const f = await start();
    const c = await client(f, 'tcp');
    expect((await c.register({ deviceId: DEV, password: 'dev-secret', serverId: SERVER })).status).toBe(200);
    expect(f.ep.peer(DEV)?.transport).toBe('tcp');
    const pending = f.ep.query(DEV, 'Query', 'Catalog', {});
    const q = await c.next((m) => m.method === 'MESSAGE');
    const xml = iconv.decode(q.body, 'gb2312');
    expect(xml).toMatch(/encoding="GB2312"/);
    expect(xml).toContain(`<DeviceID>${DEV}</DeviceID>`);
    const sn = /<SN>(\d+)<\/SN>/.exec(xml)?.[1];
    const part = (items: string[]) =>
      iconv.encode(
        `<?xml version="1.0" encoding="GB2312"?>\n<response>\n<cmdtype>Catalog</cmdtype>\n<sn>${sn}</sn>\n<deviceid>${DEV}</deviceid>\n<SumNum>3</SumNum>\n<DeviceList Num="${items.length}">${items.map((i) => `<Item><DeviceID>${i}</DeviceID><Name>通道</Name></Item>`).join('')}</DeviceList>\n</response>`,
        'gb2312',
      );
    expect((await c.message(DEV, SERVER, part(['34020000001310000001', '34020000001310000002']))).status).toBe(200);
    expect((await c.message(DEV, SERVER, part(['34020000001310000003']))).status).toBe(200);
    const got = await pending;
    expect(got).toHaveLength(2);
    expect(got.map((m) => m.sn)).toEqual([Number(sn), Number(sn)]);
  });

  it('query() rejects when the device never answers, and onManscdp gets device-initiated messages', async () => {
    const f = await start();
    const c = await client(f);
    expect((await c.register({ deviceId: DEV, password: 'dev-secret', serverId: SERVER })).status).toBe(200);
    await expect(f.ep.query(DEV, 'Query', 'DeviceInfo', {}, { timeoutMs: 500 })).rejects.toMatchObject({ code: 'gb.no_answer' });
    await expect(f.ep.query(DEV2, 'Query', 'DeviceInfo', {})).rejects.toMatchObject({ code: 'gb.not_registered' });
    const seen: string[] = [];
    f.ep.onManscdp('Alarm', (from, m) => void seen.push(`${from.id}:${m.cmdType}:${String(m.fields.AlarmPriority)}`));
    const alarm = iconv.encode(
      `<?xml version="1.0" encoding="GB2312"?><Notify><CmdType>Alarm</CmdType><SN>7</SN><DeviceID>${DEV}</DeviceID><AlarmPriority>1</AlarmPriority></Notify>`,
      'gb2312',
    );
    expect((await c.message(DEV, SERVER, alarm)).status).toBe(200);
    expect(seen).toEqual([`${DEV}:Alarm:1`]);
  });

  it('INVITE: 200 with SDP, ACK, then BYE from the device ends the dialog; bye() sends a BYE', async () => {
    const f = await start();
    const c = await client(f);
    expect((await c.register({ deviceId: DEV, password: 'dev-secret', serverId: SERVER })).status).toBe(200);
    c.autoAnswer = false;
    const ch = '34020000001310000001';
    const answered = (async () => {
      const inv: RawMsg = await c.next((m) => m.method === 'INVITE');
      expect(header(inv, 'subject')).toBe(`${ch}:0200000001,${SERVER}:0`);
      c.answer(inv, 200, Buffer.from('v=0\r\ns=Play\r\ny=0200000001\r\n'), 'APPLICATION/SDP');
      return inv;
    })();
    const d = await f.ep.invite(DEV, ch, 'v=0\r\ns=Play\r\n', `${ch}:0200000001,${SERVER}:0`);
    const inv = await answered;
    expect(d.answerSdp).toContain('y=0200000001');
    await c.next((m) => m.method === 'ACK');
    const ended: string[] = [];
    d.onEnded((why) => ended.push(why));
    c.autoAnswer = true;
    const bye = await c.request({ method: 'BYE', uri: `sip:${SERVER}@127.0.0.1`, fromId: DEV, callId: header(inv, 'call-id') });
    expect(bye.status).toBe(200);
    expect(ended).toEqual(['bye']);
    // A second dialog ended by Argus.
    c.autoAnswer = false;
    const again = (async () => c.answer(await c.next((m) => m.method === 'INVITE'), 200, Buffer.from('v=0\r\n'), 'APPLICATION/SDP'))();
    const d2 = await f.ep.invite(DEV, ch, 'v=0\r\ns=Play\r\n', 'x');
    await again;
    const byeSeen = c.next((m) => m.method === 'BYE');
    const done = d2.bye();
    const b = await byeSeen;
    c.answer(b, 200);
    await done;
    expect(header(b, 'call-id')).toBe(d2.callId);
  });

  it('a MediaStatus 121 in lower-case tags ends the download dialog of its channel', async () => {
    const f = await start();
    const c = await client(f);
    expect((await c.register({ deviceId: DEV, password: 'dev-secret', serverId: SERVER })).status).toBe(200);
    c.autoAnswer = false;
    const ch = '34020000001310000001';
    const answered = (async () => c.answer(await c.next((m) => m.method === 'INVITE'), 200, Buffer.from('v=0\r\ns=Download\r\n'), 'APPLICATION/SDP'))();
    const d = await f.ep.invite(DEV, ch, 'v=0\r\ns=Download\r\n', `${ch}:1200000001,${SERVER}:0`);
    await answered;
    await c.next((m) => m.method === 'ACK');
    const ended: string[] = [];
    d.onEnded((why) => ended.push(why));
    c.autoAnswer = true;
    const status = Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><notify><cmdtype>MediaStatus</cmdtype><sn>8</sn><deviceid>${ch}</deviceid><notifytype>121</notifytype></notify>`,
    );
    expect((await c.message(DEV, SERVER, status)).status).toBe(200);
    expect(ended).toEqual(['media-end']);
  });
});
