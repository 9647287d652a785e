// SIPp against the GB/T 28181 endpoint on 127.0.0.1: digest REGISTER right and wrong, Keepalive, malformed messages, a flood of 1,000 REGISTERs with the per-address limit.
import { afterEach, describe, expect, it } from 'vitest';
import { asLog } from '../../../common/log';
import { RawSipClient } from '../../../test/helpers/gb-raw-sip';
import { runSipp } from '../../../test/helpers/sipp';
import { GbEndpoint } from './endpoint';
import type { RefusalReason } from './registrar';

const SERVER = '34020000002000000001';
const DEV = '34020000001320000001';
const keys = () => ({ server: SERVER, domain: '3402000000', device: DEV });

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function start(maxFailuresPerMinute: number) {
  const clock = { now: Date.now() };
  const refusals: RefusalReason[] = [];
  const malformed: string[] = [];
  const ep = new GbEndpoint({
    serverId: SERVER,
    domain: '3402000000',
    bind: '127.0.0.1',
    port: 0,
    localHost: '127.0.0.1',
    log: asLog(() => undefined, 'gb28181'),
    now: () => clock.now,
    maxFailuresPerMinute,
    onMalformed: (_r, why) => malformed.push(why),
    registrar: {
      device: (id) => Promise.resolve(id === DEV ? { approved: true, enabled: true, password: 'right-pass', keepaliveS: 60 } : null),
      sitePassword: () => null,
      unknownDevices: () => 'refuse',
      hold: () => Promise.resolve(),
      saveRegistration: () => Promise.resolve(),
      refused: (_id, _remote, reason) => refusals.push(reason),
    },
  });
  await ep.start();
  open.push(ep);
  return { ep, clock, refusals, malformed };
}

describe('GB/T 28181 endpoint under SIPp', () => {
  it('registers with the right password (UDP and TCP), refuses a wrong one, answers a Keepalive', async () => {
    const f = await start(20);
    const ok = await runSipp({ port: f.ep.port, scenario: 'register-ok.xml', calls: 1, keys: keys(), auth: { user: DEV, password: 'right-pass' } });
    expect(ok, ok.output).toMatchObject({ code: 0, successful: 1, failed: 0 });
    expect(f.ep.peer(DEV)?.transport).toBe('udp');
    const ka = await runSipp({ port: f.ep.port, scenario: 'keepalive.xml', calls: 1, keys: keys() });
    expect(ka, ka.output).toMatchObject({ code: 0, successful: 1 });
    const tcp = await runSipp({
      port: f.ep.port,
      scenario: 'register-ok.xml',
      calls: 1,
      transport: 'tcp',
      keys: keys(),
      auth: { user: DEV, password: 'right-pass' },
    });
    expect(tcp, tcp.output).toMatchObject({ code: 0, successful: 1 });
    expect(f.ep.peer(DEV)?.transport).toBe('tcp');
    const wrong = await runSipp({
      port: f.ep.port,
      scenario: 'register-wrong-password.xml',
      calls: 1,
      keys: keys(),
      auth: { user: DEV, password: 'wrong-pass' },
    });
    expect(wrong, wrong.output).toMatchObject({ code: 0, successful: 1, failed: 0 });
    expect(f.refusals).toEqual(['wrong_password']);
  });

  it('answers malformed messages with 400 or drops them, and keeps answering', async () => {
    const f = await start(20);
    // The MANSCDP part needs a registered device.
    const ok = await runSipp({ port: f.ep.port, scenario: 'register-ok.xml', calls: 1, keys: keys(), auth: { user: DEV, password: 'right-pass' } });
    expect(ok.code, ok.output).toBe(0);
    const bad = await runSipp({ port: f.ep.port, scenario: 'malformed.xml', calls: 3, keys: keys() });
    expect(bad, bad.output).toMatchObject({ code: 0, successful: 3, failed: 0 });
    expect(f.malformed.filter((w) => w === 'unparseable')).toHaveLength(3);
    expect(f.malformed.filter((w) => w === 'missing headers')).toHaveLength(3);
    expect(f.malformed.filter((w) => w.startsWith('MANSCDP:'))).toHaveLength(3);
    expect(f.refusals.filter((r) => r === 'bad_id')).toHaveLength(3);
  });

  it('a flood of 1,000 wrong-password REGISTERs: every one answered, the address is then refused, the server stays up', async () => {
    const f = await start(20);
    const flood = await runSipp({
      port: f.ep.port,
      scenario: 'register-flood.xml',
      calls: 1000,
      rate: 400,
      limit: 200,
      keys: keys(),
      auth: { user: DEV, password: 'guess' },
      timeoutMs: 120_000,
    });
    expect(flood, flood.output.slice(-3000)).toMatchObject({ code: 0, successful: 1000, failed: 0 });
    expect(f.refusals.filter((r) => r === 'wrong_password')).toHaveLength(20);
    expect(f.refusals.filter((r) => r === 'rate_limited').length).toBeGreaterThanOrEqual(980);
    // The right password from the same address is refused until the minute has passed.
    const c = await RawSipClient.open('udp', f.ep.port);
    open.push(c);
    expect((await c.register({ deviceId: DEV, password: 'right-pass', serverId: SERVER })).status).toBe(403);
    f.clock.now += 61_000;
    expect((await c.register({ deviceId: DEV, password: 'right-pass', serverId: SERVER })).status).toBe(200);
  }, 180_000);
});
