// The GB/T 28181 endpoint against the device simulator process (test/gb28181-sim): field quirks, Catalog in several MESSAGEs, DeviceInfo, keepalive, unregister, a live INVITE and BYE, over UDP and TCP.
import dgram from 'node:dgram';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { asLog } from '../../../common/log';
import { ensureClip } from '../../../test/helpers/clips';
import { startGbSim } from '../../../test/helpers/gb-sim';
import { waitFor } from '../../../test/harness';
import { GbEndpoint } from './endpoint';
import { fieldOf, itemsOf, textOf } from './manscdp';
import type { GbRegistrationEvent } from './signalling';

const SERVER = '34020000002000000001';
const DEV = '34020000001320000001';
const stops: Array<() => unknown> = [];
let clip: string;

beforeAll(async () => {
  clip = await ensureClip({ name: 'h264-g711a', width: 640, height: 360, seconds: 4, bitrateKbps: 600, audio: 'alaw' });
}, 120_000);
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

async function endpoint() {
  const events: GbRegistrationEvent[] = [];
  const ep = new GbEndpoint({
    serverId: SERVER,
    domain: '3402000000',
    bind: '127.0.0.1',
    port: 0,
    localHost: '127.0.0.1',
    log: asLog(() => undefined, 'gb28181'),
    now: Date.now,
    registrar: {
      device: (id) => Promise.resolve(id === DEV ? { approved: true, enabled: true, password: null, keepaliveS: 60 } : null),
      sitePassword: () => 'site-secret',
      unknownDevices: () => 'refuse',
      hold: () => Promise.resolve(),
      saveRegistration: () => Promise.resolve(),
      refused: () => undefined,
    },
  });
  await ep.start();
  stops.push(() => ep.close());
  ep.onRegistration((e) => events.push(e));
  return { ep, events };
}

describe.each(['udp', 'tcp'] as const)('GbEndpoint with the simulator over %s', (transport) => {
  it('registers it, collects its Catalog from several MESSAGEs, reads DeviceInfo, keeps it alive, invites a channel, and sees it unregister', async () => {
    const { ep, events } = await endpoint();
    const sim = await startGbSim({
      serverPort: ep.port,
      serverId: SERVER,
      domain: '3402000000',
      deviceId: DEV,
      password: 'site-secret',
      transport,
      channels: 5,
      catalogPerMessage: 2,
      keepaliveS: 2,
      clip,
      quirks: transport === 'udp' ? ['compact-headers', 'no-rport', 'lower-tags'] : ['lower-content-type'],
    });
    stops.push(() => sim.stop());
    expect(ep.peer(DEV)).toMatchObject({ id: DEV, transport, host: '127.0.0.1' });

    const catalog = await ep.query(DEV, 'Query', 'Catalog', {});
    expect(catalog).toHaveLength(3);
    const items = catalog.flatMap((m) => itemsOf(fieldOf(m.fields, 'DeviceList')));
    expect(items).toHaveLength(5);
    expect(new Set(items.map((i) => textOf(fieldOf(i, 'DeviceID')))).size).toBe(5);
    const [info] = await ep.query(DEV, 'Query', 'DeviceInfo', {});
    expect(info).toMatchObject({ root: 'Response', cmdType: 'DeviceInfo', deviceId: DEV });
    await sim.waitFor((e) => e.ev === 'keepalive', { what: 'a keepalive answered' });

    // A live INVITE (the media is gb-media's; here: 200 with SDP, ACK, then BYE from Argus ends the device's session).
    const sink = dgram.createSocket('udp4');
    await new Promise<void>((r) => sink.bind(0, '127.0.0.1', () => r()));
    stops.push(() => new Promise<void>((r) => sink.close(() => r())));
    const channel = textOf(fieldOf(items[0], 'DeviceID'));
    const offer = `v=0\r\no=${SERVER} 0 0 IN IP4 127.0.0.1\r\ns=Play\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=video ${sink.address().port} RTP/AVP 96\r\na=recvonly\r\na=rtpmap:96 PS/90000\r\ny=0100000001\r\n`;
    const dialog = await ep.invite(DEV, channel, offer, `${channel}:0100000001,${SERVER}:0`);
    expect(dialog.answerSdp).toMatch(/^m=video \d+ RTP\/AVP 96/m);
    await sim.waitFor((e) => e.ev === 'media-start', { what: 'the device streaming after our ACK' });
    await dialog.bye();
    await sim.waitFor((e) => e.ev === 'session-ended', { what: 'the device ended its session on BYE' });

    await sim.command({ cmd: 'unregister' });
    await waitFor(() => events.some((e) => e.type === 'unregistered'), { what: 'the unregistration' });
    expect(ep.peer(DEV)).toBeNull();
  }, 90_000);
});
