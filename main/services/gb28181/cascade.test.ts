// Cascade (级联) between two real GB/T 28181 endpoints over UDP on 127.0.0.1: the lower registers to the upper with digest, the upper's catalog of it lists the shared channels (split in several MESSAGEs), and it re-registers after the upper restarts.
import { afterEach, describe, expect, it } from 'vitest';
import { asLog } from '../../../common/log';
import { GbCascade, type CascadeState, type SharedChannel, type UpperPlatform } from './cascade';
import { GbEndpoint } from './endpoint';
import { itemsOf, textOf } from './manscdp';
import type { RefusalReason, RegistrarDevice } from './registrar';
import type { GbRegistrationEvent } from './signalling';

const UPPER = '44010000002000000001';
const LOWER = '34020000002000000001';
const log = asLog(() => undefined, 'gb28181');

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

interface Upper {
  ep: GbEndpoint;
  events: GbRegistrationEvent[];
  refusals: RefusalReason[];
}

async function upper(port = 0): Promise<Upper> {
  const events: GbRegistrationEvent[] = [];
  const refusals: RefusalReason[] = [];
  const known = new Map<string, RegistrarDevice>([[LOWER, { approved: true, enabled: true, password: 'cascade-secret', keepaliveS: 60 }]]);
  const ep = new GbEndpoint({
    serverId: UPPER,
    domain: '4401000000',
    bind: '127.0.0.1',
    port,
    localHost: '127.0.0.1',
    log,
    now: Date.now,
    registrar: {
      device: (id) => Promise.resolve(known.get(id) ?? null),
      sitePassword: () => null,
      unknownDevices: () => 'refuse',
      hold: () => Promise.resolve(),
      saveRegistration: () => Promise.resolve(),
      refused: (_id, _r, reason) => refusals.push(reason),
    },
  });
  await ep.start();
  open.push(ep);
  ep.onRegistration((ev) => events.push(ev));
  return { ep, events, refusals };
}

async function lower(): Promise<GbEndpoint> {
  const ep = new GbEndpoint({
    serverId: LOWER,
    domain: '3402000000',
    bind: '127.0.0.1',
    port: 0,
    localHost: '127.0.0.1',
    log,
    now: Date.now,
    registrar: {
      device: () => Promise.resolve(null),
      sitePassword: () => null,
      unknownDevices: () => 'refuse',
      hold: () => Promise.resolve(),
      saveRegistration: () => Promise.resolve(),
      refused: () => undefined,
    },
  });
  await ep.start();
  open.push(ep);
  return ep;
}

async function until<T>(what: string, fn: () => T | undefined | null | false, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const shared: SharedChannel[] = Array.from({ length: 23 }, (_, i) => ({
  gbId: `340200000013200000${String(i + 1).padStart(2, '0')}`,
  name: `共享通道 ${i + 1}`,
  online: i !== 4,
}));

function cascade(ep: GbEndpoint, up: GbEndpoint, password: string, states: CascadeState[], transport: 'udp' | 'tcp' = 'udp'): GbCascade {
  const cfg: UpperPlatform = {
    id: UPPER,
    domain: '4401000000',
    host: '127.0.0.1',
    port: up.port,
    transport,
    password,
    registerExpiresS: 60,
    keepaliveS: 1,
  };
  const c = new GbCascade({
    endpoint: ep,
    upper: cfg,
    sharedChannels: () => Promise.resolve(shared),
    log,
    now: Date.now,
    retryMs: { firstMs: 300, maxMs: 2000 },
    onState: (s) => states.push(s),
  });
  open.push(c);
  return c;
}

describe('GB/T 28181 cascade to an upper platform', () => {
  it('registers with digest, answers Catalog (split) / DeviceInfo / DeviceStatus, keeps alive, and re-registers after the upper restarts', async () => {
    const up = await upper();
    const ep = await lower();
    const states: CascadeState[] = [];
    const c = cascade(ep, up.ep, 'cascade-secret', states);
    c.start();
    await until('registered on the upper', () => up.events.find((e) => e.type === 'registered' && e.deviceId === LOWER));
    await until('cascade state registered', () => c.state.state === 'registered');
    expect(up.ep.peer(LOWER)?.port).toBe(ep.port);

    const catalog = await up.ep.query(LOWER, 'Query', 'Catalog', {}, { timeoutMs: 5000 });
    expect(catalog.length).toBe(3);
    const items = catalog.flatMap((m) => itemsOf(m.fields.DeviceList));
    expect(items.map((i) => textOf(i.DeviceID)).sort()).toEqual(shared.map((s) => s.gbId).sort());
    expect(textOf(catalog[0]!.fields.SumNum)).toBe('23');
    expect(textOf(items.find((i) => textOf(i.DeviceID) === shared[0]!.gbId)!.Name)).toBe('共享通道 1');
    expect(textOf(items.find((i) => textOf(i.DeviceID) === shared[4]!.gbId)!.Status)).toBe('OFF');
    expect(textOf(items[0]!.ParentID)).toBe(LOWER);

    const [info] = await up.ep.query(LOWER, 'Query', 'DeviceInfo', {}, { timeoutMs: 5000 });
    expect(textOf(info!.fields.Result)).toBe('OK');
    expect(textOf(info!.fields.Channel)).toBe('23');
    const [status] = await up.ep.query(LOWER, 'Query', 'DeviceStatus', {}, { timeoutMs: 5000 });
    expect(textOf(status!.fields.Online)).toBe('ONLINE');

    // Keepalives reach the upper's registrar: the lower stays online there (its registration's lastSeen moves on).
    const seen0 = up.ep.registrar.list().find((r) => r.deviceId === LOWER)!.lastSeenMs;
    await until('a keepalive', () => up.ep.registrar.list().find((r) => r.deviceId === LOWER)!.lastSeenMs > seen0, 5000);

    // The upper restarts (its registrations gone): the lower's keepalive is refused and it registers again.
    const port = up.ep.port;
    await up.ep.close();
    const up2 = await upper(port);
    await until('re-registered on the restarted upper', () => up2.events.find((e) => e.type === 'registered' && e.deviceId === LOWER), 20_000);
    expect(states.some((s) => s.state === 'failed')).toBe(true);
    await until('registered again', () => c.state.state === 'registered');
    const again = await up2.ep.query(LOWER, 'Query', 'Catalog', {}, { timeoutMs: 5000 });
    expect(again.flatMap((m) => itemsOf(m.fields.DeviceList)).length).toBe(23);
  }, 60_000);

  it('a wrong password leaves the cascade failed with the reason, retrying with backoff', async () => {
    const up = await upper();
    const ep = await lower();
    const states: CascadeState[] = [];
    const c = cascade(ep, up.ep, 'wrong', states);
    c.start();
    const failed = await until('failed', () => states.find((s): s is Extract<CascadeState, { state: 'failed' }> => s.state === 'failed'));
    expect(failed.reason).toBe('refused 403');
    expect(up.refusals).toContain('wrong_password');
    await until('a second, longer-delayed failure', () => states.filter((s) => s.state === 'failed').length >= 2);
    const delays = states.flatMap((s) => (s.state === 'failed' ? [s.retryInMs] : []));
    expect(delays[1]).toBeGreaterThan(delays[0]!);
    expect(up.ep.peer(LOWER)).toBeNull();
  }, 30_000);

  it('registers and answers the catalog over TCP', async () => {
    const up = await upper();
    const ep = await lower();
    const c = cascade(ep, up.ep, 'cascade-secret', [], 'tcp');
    c.start();
    const reg = await until('registered over TCP', () =>
      up.events.find((e): e is Extract<GbRegistrationEvent, { type: 'registered' }> => e.type === 'registered'),
    );
    expect(reg.peer.transport).toBe('tcp');
    const catalog = await up.ep.query(LOWER, 'Query', 'Catalog', {}, { timeoutMs: 5000 });
    expect(catalog.flatMap((m) => itemsOf(m.fields.DeviceList)).length).toBe(23);
  }, 30_000);
});
