// Subscriptions against the real SIP endpoint and a raw SIP device: refused kinds, retries with backoff, a shorter granted Expires, unsubscribe.
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { asLog } from '../../../common/log';
import { waitFor } from '../../../test/harness/wait';
import { header, RawSipClient, type RawMsg } from '../../../test/helpers/gb-raw-sip';
import { GbEndpoint } from './endpoint';
import { decodeManscdp } from './manscdp';
import { GbSubscriptions } from './subscriptions';

const SERVER = '34020000002000000001';
const DEV = '34020000001320000001';
const quiet = asLog(() => undefined, 'gb28181');

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

/** Answers a server request with extra headers (the raw client's own answer() has none). */
function answer(c: RawSipClient, req: RawMsg, status: number, extra: string[] = []): void {
  const to = header(req, 'to');
  const lines = [
    `SIP/2.0 ${status} ${status === 200 ? 'OK' : 'Bad Event'}`,
    ...(req.headers.get('via') ?? []).map((v) => `Via: ${v}`),
    `From: ${header(req, 'from')}`,
    `To: ${to}${/;tag=/.test(to) ? '' : `;tag=${crypto.randomBytes(4).toString('hex')}`}`,
    `Call-ID: ${header(req, 'call-id')}`,
    `CSeq: ${header(req, 'cseq')}`,
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ];
  c.sendRaw(lines.join('\r\n'));
}

async function setup() {
  const ep = new GbEndpoint({
    serverId: SERVER,
    domain: '3402000000',
    bind: '127.0.0.1',
    port: 0,
    localHost: '127.0.0.1',
    log: quiet,
    now: Date.now,
    registrar: {
      device: () => Promise.resolve({ approved: true, enabled: true, password: 'dev-secret', keepaliveS: 60 }),
      sitePassword: () => null,
      unknownDevices: () => 'refuse',
      hold: () => Promise.resolve(),
      saveRegistration: () => Promise.resolve(),
      refused: () => undefined,
    },
  });
  await ep.start();
  open.push(ep);
  const c = await RawSipClient.open('tcp', ep.port);
  open.push(c);
  expect((await c.register({ deviceId: DEV, password: 'dev-secret', serverId: SERVER })).status).toBe(200);
  c.autoAnswer = false;
  const subs = new GbSubscriptions({ sip: ep, log: quiet, retryMs: 300, timeoutMs: 600 });
  open.push(subs);
  const nextSubscribe = (cmdType: string, timeoutMs = 10_000) =>
    c.next((m) => m.method === 'SUBSCRIBE' && decodeManscdp(m.body).cmdType === cmdType, timeoutMs);
  return { ep, c, subs, nextSubscribe };
}

describe('GB/T 28181 subscriptions', () => {
  it('marks a kind the device refuses (489) as refused and does not retry it', async () => {
    const { c, subs, nextSubscribe } = await setup();
    const pending = subs.subscribe(DEV, 'Alarm');
    const req = await nextSubscribe('Alarm');
    expect(header(req, 'event')).toMatch(/^presence;id=\d+$/);
    const body = decodeManscdp(req.body);
    expect(body).toMatchObject({ root: 'Query', cmdType: 'Alarm', deviceId: DEV });
    expect(body.fields).toMatchObject({ StartAlarmPriority: '1', EndAlarmPriority: '4', AlarmMethod: '0' });
    answer(c, req, 489);
    const s = await pending;
    expect(s).toMatchObject({ phase: 'refused', nextAttemptMs: null, failures: 1, lastError: { code: 'gb.refused', params: { status: 489 } } });
  });

  it('retries with backoff while the device does not answer, then keeps the shorter Expires it grants', async () => {
    const { c, subs, nextSubscribe } = await setup();
    const states: string[] = [];
    subs.onChange((s) => states.push(`${s.phase}:${s.failures}`));
    const first = subs.subscribe(DEV, 'MobilePosition', { expiresS: 600, intervalS: 7 });
    const unanswered = await nextSubscribe('MobilePosition');
    expect(decodeManscdp(unanswered.body).fields).toMatchObject({ Interval: '7' });
    expect(header(unanswered, 'expires')).toBe('600');
    expect(await first).toMatchObject({ phase: 'retrying', failures: 1, lastError: { code: 'gb.no_answer' } });

    // The retry (after 300 ms): answered with Expires 2 → active; renewed at 80 % of the granted 2 s.
    const retry = await nextSubscribe('MobilePosition');
    answer(c, retry, 200, ['Expires: 2']);
    const active = await waitFor(() => subs.states(DEV).find((s) => s.phase === 'active'), { what: 'active after the retry' });
    expect(active.expiresAtMs! - Date.now()).toBeLessThanOrEqual(2000);
    const renewal = await nextSubscribe('MobilePosition', 5000);
    // In the subscription's dialog (RFC 6665): same Call-ID and From tag, the To tag the device gave.
    expect(header(renewal, 'call-id')).toBe(header(retry, 'call-id'));
    expect(/tag=(\w+)/.exec(header(renewal, 'from'))![1]).toBe(/tag=(\w+)/.exec(header(retry, 'from'))![1]);
    expect(header(renewal, 'to')).toMatch(/;tag=\w+/);
    expect(Number(header(renewal, 'cseq').split(' ')[0])).toBeGreaterThan(Number(header(retry, 'cseq').split(' ')[0]));
    answer(c, renewal, 200, ['Expires: 2']);
    await waitFor(() => subs.states(DEV)[0]!.renewals === 1, { what: 'one renewal' });
    expect(states).toEqual(expect.arrayContaining(['subscribing:0', 'retrying:1', 'active:0']));

    // Unsubscribe: SUBSCRIBE with Expires 0, state stopped, no more renewals planned.
    const done = subs.unsubscribe(DEV, 'MobilePosition');
    const bye = await nextSubscribe('MobilePosition');
    expect(header(bye, 'expires')).toBe('0');
    expect(header(bye, 'call-id')).toBe(header(retry, 'call-id'));
    answer(c, bye, 200);
    await done;
    expect(subs.states(DEV)[0]).toMatchObject({ phase: 'stopped', nextAttemptMs: null });
  });

  it('subscribing twice with the same options sends one SUBSCRIBE; a device that is not registered is retried', async () => {
    const { c, subs, nextSubscribe } = await setup();
    const a = subs.subscribe(DEV, 'Catalog');
    const b = subs.subscribe(DEV, 'Catalog');
    const req = await nextSubscribe('Catalog');
    answer(c, req, 200);
    expect((await a).phase).toBe('active');
    expect((await b).phase).toBe('active'); // joined the first, sent nothing of its own
    expect((await subs.subscribe(DEV, 'Catalog')).phase).toBe('active');
    await expect(nextSubscribe('Catalog', 300)).rejects.toThrow(/no matching SIP message/);
    const other = await subs.subscribe('34020000001320000099', 'Catalog');
    expect(other).toMatchObject({ phase: 'retrying', lastError: { code: 'gb.not_registered' } });
    subs.stopDevice('34020000001320000099');
    expect(subs.states('34020000001320000099')[0]!.phase).toBe('stopped');
  });
});
