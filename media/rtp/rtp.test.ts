// RTP receiver: crafted packets over real UDP/TCP sockets (reorder, loss, duplicates, CSRCs, extension, padding, wrong SSRC, garbage, TCP split across reads).
import dgram from 'node:dgram';
import net from 'node:net';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/media-assert';
import { Rfc4571Reader, frame4571 } from './framing';
import { buildRtp, parseRtp, type RtpPacket } from './packet';
import { RtpReceiver } from './receiver';
import { RtpReorder } from './reorder';

/** A payload that starts a keyframe pack: pack header (MPEG-2, no stuffing) then a system header start code, then a marker byte. */
function keyPack(tag: number): Buffer {
  const pack = Buffer.from([0, 0, 1, 0xba, 0x44, 0, 4, 0, 4, 1, 0, 0, 3, 0xf8]);
  return Buffer.concat([pack, Buffer.from([0, 0, 1, 0xbb, 0, 0, tag])]);
}
const body = (tag: number) => Buffer.from([0xaa, tag, tag, tag]);

function pkt(seq: number, payload: Buffer = body(seq & 0xff), extra: Partial<Parameters<typeof buildRtp>[1]> = {}): Buffer {
  return buildRtp(payload, { seq, timestamp: seq * 3600, ssrc: 0x1234, payloadType: 96, ...extra });
}

const receivers: RtpReceiver[] = [];
const closers: Array<() => void> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  for (const r of receivers.splice(0)) await r.close();
});

function collect(r: Readable): { bytes: () => Buffer<ArrayBufferLike> } {
  const chunks: Buffer[] = [];
  r.on('data', (d: Buffer) => chunks.push(d));
  return { bytes: () => Buffer.concat(chunks) };
}

async function udpReceiver(opts: Partial<ConstructorParameters<typeof RtpReceiver>[0]> = {}) {
  const rx = new RtpReceiver({ transport: 'udp', bindHost: '127.0.0.1', log: () => undefined, ...opts });
  receivers.push(rx);
  const port = await rx.start();
  const tx = dgram.createSocket('udp4');
  closers.push(() => tx.close());
  const send = async (b: Buffer) => new Promise<void>((res, rej) => tx.send(b, port, '127.0.0.1', (e) => (e ? rej(e) : res())));
  return { rx, send };
}

describe('parseRtp', () => {
  it('strips CSRCs, a header extension and padding, and keeps any payload type', () => {
    const payload = Buffer.from('payload');
    const b = buildRtp(payload, {
      seq: 65535,
      timestamp: 0xfffffff0,
      ssrc: 0xdeadbeef,
      payloadType: 33,
      marker: true,
      csrcs: [1, 2],
      extension: { profile: 0xbede, data: Buffer.alloc(8, 7) },
      paddingBytes: 5,
    });
    const p = parseRtp(b) as RtpPacket;
    expect([p.payloadType, p.marker, p.seq, p.timestamp, p.ssrc, p.payload.toString()]).toEqual([33, true, 65535, 0xfffffff0, 0xdeadbeef, 'payload']);
  });

  it('refuses malformed datagrams with a reason and never throws', () => {
    expect(parseRtp(Buffer.alloc(5))).toBe('short');
    expect(parseRtp(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'))).toBe('version');
    const cc = pkt(1);
    cc[0] = 0x8f; // 15 CSRCs announced, none there
    expect(parseRtp(cc)).toBe('csrc');
    const ext = buildRtp(Buffer.alloc(4), { seq: 1, timestamp: 0, ssrc: 1, extension: { profile: 1, data: Buffer.alloc(4) } });
    ext.writeUInt16BE(200, 14); // extension longer than the packet
    expect(parseRtp(ext)).toBe('extension');
    const pad = pkt(1);
    pad[0] |= 0x20;
    pad[pad.length - 1] = 200;
    expect(parseRtp(pad)).toBe('padding');
    const rtcp = Buffer.from([0x80, 200, 0, 6, ...Buffer.alloc(24)]);
    expect(parseRtp(rtcp)).toBe('rtcp');
    for (let i = 0; i < 2000; i++) {
      const junk = Buffer.from(Array.from({ length: (i % 40) + 1 }, (_, k) => (i * 31 + k * 17) & 0xff));
      expect(() => parseRtp(junk)).not.toThrow();
    }
  });
});

describe('RtpReorder', () => {
  function run(seqs: number[], window = 4) {
    const out: number[] = [];
    let t = 0;
    const r = new RtpReorder({ windowPackets: window, maxDelayMs: 100, now: () => t }, (p) => out.push(p.seq));
    for (const s of seqs) r.push(parseRtp(pkt(s)) as RtpPacket);
    return { out, r, advance: (ms: number) => (t += ms) };
  }

  it('puts swapped packets back in order across the 16-bit wrap, drops duplicates and late packets', () => {
    const { out, r } = run([65533, 65535, 65534, 0, 0, 2, 1, 3, 65534]);
    expect(out).toEqual([65533, 65534, 65535, 0, 1, 2, 3]);
    expect(r.counters).toMatchObject({ lost: 0, duplicates: 2, late: 0 });
  });

  it('gives a gap up as lost when the window fills, or when its packets waited too long', () => {
    const { out, r } = run([10, 12, 13, 14, 15, 11]);
    expect(out).toEqual([10, 12, 13, 14, 15]);
    expect(r.counters).toMatchObject({ lost: 1, late: 1, duplicates: 0 });
    const b = run([20, 22, 23]);
    expect(b.out).toEqual([20]);
    b.advance(50);
    b.r.flushDue();
    expect(b.out).toEqual([20]);
    b.advance(60);
    b.r.flushDue();
    expect(b.out).toEqual([20, 22, 23]);
    expect(b.r.counters.lost).toBe(1);
  });

  it('takes a far jump as a new sequence (the device restarted), not as 30,000 lost packets', () => {
    const { out, r } = run([100, 101, 30000, 30001]);
    expect(out).toEqual([100, 101, 30000, 30001]);
    expect(r.counters).toMatchObject({ lost: 0, resyncs: 1 });
  });
});

describe('Rfc4571Reader', () => {
  it('reassembles packets whatever the read boundaries (length split, several packets per read), skipping empty frames', () => {
    const packets = [pkt(1), pkt(2, Buffer.alloc(3000, 9)), pkt(3)];
    const stream = Buffer.concat([...packets.map(frame4571), Buffer.from([0, 0])]);
    for (const step of [1, 2, 3, 7, 1000, stream.length]) {
      const got: Buffer[] = [];
      const rd = new Rfc4571Reader((p) => got.push(Buffer.from(p)));
      for (let i = 0; i < stream.length; i += step) rd.push(stream.subarray(i, i + step));
      expect(got, `reads of ${step} bytes`).toEqual(packets);
      expect(rd.pendingBytes).toBe(0);
    }
  });
});

describe('RtpReceiver over UDP', () => {
  it('hands on the payloads in order from the first keyframe pack, counting loss, duplicates, malformed and foreign SSRCs', async () => {
    const { rx, send } = await udpReceiver({ ssrc: 0x1234, windowPackets: 4 });
    const out = collect(rx.readable());
    await send(pkt(1, body(1))); // before any keyframe pack: not handed to the reader
    await send(pkt(2, keyPack(2)));
    await send(pkt(4, body(4), { csrcs: [9], extension: { profile: 0xabac, data: Buffer.alloc(4) }, paddingBytes: 3 }));
    await send(pkt(3, body(3), { payloadType: 98 }));
    await send(pkt(3, body(3)));
    await send(Buffer.from('garbage that is not RTP'));
    await send(pkt(5, body(0xee), { ssrc: 0x9999 }));
    await send(pkt(5, body(5)));
    await send(pkt(7, body(7))); // 6 never comes
    for (const s of [8, 9, 10]) await send(pkt(s, body(s)));
    const want = Buffer.concat([keyPack(2), body(3), body(4), body(5), body(7), body(8), body(9), body(10)]);
    await waitFor(() => out.bytes().length >= want.length, 'the payloads handed on', 5000);
    expect(out.bytes()).toEqual(want);
    expect(rx.counters().packets).toBe(9);
    expect(rx.counters()).toMatchObject({ lost: 1, duplicates: 1, malformed: 1, wrongSsrc: 1, ssrc: 0x1234 });
    expect(rx.counters().lastPacketMs).not.toBeNull();
  });

  it('hands a frame on in one chunk: the payloads of one RTP timestamp up to the marker', async () => {
    const { rx, send } = await udpReceiver();
    const chunks: Buffer[] = [];
    rx.readable().on('data', (d: Buffer) => chunks.push(d));
    await send(pkt(1, keyPack(1), { timestamp: 3600 }));
    await send(pkt(2, body(2), { timestamp: 3600 }));
    await send(pkt(3, body(3), { timestamp: 3600, marker: true }));
    await send(pkt(4, body(4), { timestamp: 7200 }));
    await send(pkt(5, body(5), { timestamp: 10800 }));
    await waitFor(() => chunks.length === 3, 'three chunks', 5000);
    expect(chunks).toEqual([Buffer.concat([keyPack(1), body(2), body(3)]), body(4), body(5)]);
  });

  it('without a given SSRC, locks on the first one seen and ignores others while it keeps sending', async () => {
    const { rx, send } = await udpReceiver();
    await send(pkt(1, keyPack(1), { ssrc: 77 }));
    await send(pkt(1, keyPack(1), { ssrc: 78 }));
    await send(pkt(2, body(2), { ssrc: 77 }));
    await waitFor(() => rx.counters().packets === 2, 'two packets', 5000);
    expect(rx.counters()).toMatchObject({ ssrc: 77, wrongSsrc: 1 });
  });

  it('GOP cache: a late reader gets the PS from the last keyframe pack at once, then the live stream with no gap or repeat', async () => {
    const { rx, send } = await udpReceiver();
    const early = collect(rx.readable());
    for (const s of [1, 2, 3]) await send(pkt(s, s === 1 ? keyPack(1) : body(s)));
    await send(pkt(4, keyPack(4)));
    await send(pkt(5, body(5)));
    await waitFor(() => rx.counters().packets === 5, 'five packets', 5000);
    const late = collect(rx.readable());
    // Handed on before any further packet arrives: the cached GOP from the newest keyframe pack (4), in order.
    await waitFor(() => late.bytes().length > 0, 'the cached GOP', 5000);
    expect(late.bytes()).toEqual(Buffer.concat([keyPack(4), body(5)]));
    for (const s of [6, 7]) await send(pkt(s, body(s)));
    const want = Buffer.concat([keyPack(4), body(5), body(6), body(7)]);
    await waitFor(() => late.bytes().length >= want.length && early.bytes().length >= 7 * 4, 'the live packets', 5000);
    expect(late.bytes()).toEqual(want);
    expect(early.bytes()).toEqual(Buffer.concat([keyPack(1), body(2), body(3), keyPack(4), body(5), body(6), body(7)]));
  });

  it('GOP cache: a GOP over the byte bound is not cached (a late reader waits for the next keyframe pack); 0 turns it off', async () => {
    const big = Buffer.alloc(600, 0xaa);
    const { rx, send } = await udpReceiver({ maxGopCacheBytes: 1000 });
    await send(pkt(1, keyPack(1)));
    await send(pkt(2, big));
    await send(pkt(3, big)); // 21 + 600 + 600 bytes: over the bound
    await waitFor(() => rx.counters().packets === 3, 'three packets', 5000);
    const late = collect(rx.readable());
    await send(pkt(4, body(4)));
    await send(pkt(5, keyPack(5)));
    await send(pkt(6, body(6)));
    await waitFor(() => rx.counters().packets === 6, 'six packets', 5000);
    await waitFor(() => late.bytes().length >= 25, 'the next GOP', 5000);
    expect(late.bytes()).toEqual(Buffer.concat([keyPack(5), body(6)]));
    // The new GOP fits: a reader coming now gets it.
    const later = collect(rx.readable());
    await waitFor(() => later.bytes().length >= 25, 'the cached GOP', 5000);
    expect(later.bytes()).toEqual(Buffer.concat([keyPack(5), body(6)]));

    const off = await udpReceiver({ maxGopCacheBytes: 0 });
    await off.send(pkt(1, keyPack(1)));
    await off.send(pkt(2, body(2)));
    await waitFor(() => off.rx.counters().packets === 2, 'two packets', 5000);
    const none = collect(off.rx.readable());
    await off.send(pkt(3, body(3)));
    await off.send(pkt(4, keyPack(4)));
    await waitFor(() => none.bytes().length >= 21, 'the next keyframe pack', 5000);
    expect(none.bytes()).toEqual(keyPack(4));
  });

  it('ends every reader when it closes', async () => {
    const { rx, send } = await udpReceiver();
    const r = rx.readable();
    const ended = new Promise<void>((res) => r.once('end', () => res()));
    r.resume();
    await send(pkt(1, keyPack(1)));
    await rx.close();
    await ended;
  });
});

describe('RtpReceiver over TCP (RFC 4571)', () => {
  it('passive: the device connects and sends framed packets split across writes', async () => {
    const rx = new RtpReceiver({ transport: 'tcp-passive', bindHost: '127.0.0.1', log: () => undefined });
    receivers.push(rx);
    const port = await rx.start();
    const out = collect(rx.readable());
    const sock = net.connect({ host: '127.0.0.1', port });
    closers.push(() => sock.destroy());
    await new Promise((r) => sock.once('connect', r));
    const stream = Buffer.concat([pkt(1, keyPack(1)), pkt(2, Buffer.alloc(5000, 2)), pkt(3, body(3))].map(frame4571));
    for (let i = 0; i < stream.length; i += 333) {
      sock.write(stream.subarray(i, i + 333));
      await new Promise((r) => setTimeout(r, 2));
    }
    const want = Buffer.concat([keyPack(1), Buffer.alloc(5000, 2), body(3)]);
    await waitFor(() => out.bytes().length >= want.length, 'three payloads', 5000);
    expect(out.bytes()).toEqual(want);
    expect(rx.counters().malformed).toBe(0);
  });

  it('active: Argus connects to the device, which writes framed packets', async () => {
    const device = net.createServer((s) => {
      s.write(Buffer.concat([pkt(10, keyPack(10)), pkt(11, body(11))].map(frame4571)));
    });
    await new Promise<void>((r) => device.listen(0, '127.0.0.1', () => r()));
    closers.push(() => device.close());
    const rx = new RtpReceiver({ transport: 'tcp-active', log: () => undefined });
    receivers.push(rx);
    expect(await rx.start()).toBe(0);
    const out = collect(rx.readable());
    await rx.connect('127.0.0.1', (device.address() as net.AddressInfo).port);
    const want = Buffer.concat([keyPack(10), body(11)]);
    await waitFor(() => out.bytes().length >= want.length, 'two payloads', 5000);
    expect(out.bytes()).toEqual(want);
  });

  it('active: a refused connection rejects', async () => {
    const rx = new RtpReceiver({ transport: 'tcp-active', log: () => undefined });
    receivers.push(rx);
    await rx.start();
    const free = net.createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', () => r()));
    const port = (free.address() as net.AddressInfo).port;
    await new Promise((r) => free.close(r));
    await expect(rx.connect('127.0.0.1', port)).rejects.toThrow();
  });
});
