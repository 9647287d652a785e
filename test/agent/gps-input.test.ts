// Tests of the agent's GPS input: the NMEA reader on committed field-shaped logs (GLL/VTG/ZDA only; six sentences a second in a varying order), and the gpsd client against a gpsd-protocol peer that reports a cycle several times, the first report still holding the previous position, sometimes without time.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GpsdClient } from '../../agent/gpsd';
import { checksum, readNmea, type Fix } from '../../agent/nmea';
import { waitFor } from '../harness';

const sentence = (body: string) => `$${body}*${checksum(body)}`;
const FIX_DIR = path.resolve(import.meta.dirname, '..', 'fixtures', 'nmea');
interface Expected {
  tMs: number;
  lat: number;
  lon: number;
  speedMps: number;
  headingDeg: number;
}
const expected = JSON.parse(fs.readFileSync(path.join(FIX_DIR, 'drive.expected.json'), 'utf8')) as Expected[];

function expectSame(got: Fix[], want: Expected[]): void {
  expect(got.map((f) => f.tMs)).toEqual(want.map((e) => e.tMs));
  for (const [i, f] of got.entries()) {
    expect(f.lat, `lat at ${i}`).toBeCloseTo(want[i]!.lat, 8);
    expect(f.lon, `lon at ${i}`).toBeCloseTo(want[i]!.lon, 8);
    expect(f.speedMps!, `speed at ${i}`).toBeCloseTo(want[i]!.speedMps, 2);
    expect(f.headingDeg, `heading at ${i}`).toBe(want[i]!.headingDeg);
  }
}

describe('NMEA reader', () => {
  it('reads a GLL/VTG/ZDA-only log (no RMC, no GGA): position, time and date, course and speed of every second', () => {
    const r = readNmea(fs.readFileSync(path.join(FIX_DIR, 'drive-gll-vtg-zda.nmea'), 'utf8'));
    expect(r.types).toEqual(['GLL', 'VTG', 'ZDA']);
    expect(r.dropped).toEqual({});
    expect(r.fixes).toHaveLength(150);
    expectSame(r.fixes, expected);
  });

  it('reads a log with six sentences a second in a varying order as one fix a second, each with its own position', () => {
    const r = readNmea(fs.readFileSync(path.join(FIX_DIR, 'drive-multi.nmea'), 'utf8'));
    expect(r.types).toEqual(['GGA', 'GLL', 'GSA', 'RMC', 'VTG', 'ZDA']);
    expectSame(r.fixes, expected);
    expect(r.fixes.every((f) => f.altM === 12 && f.accuracyM === 4.5)).toBe(true);
  });

  it('takes the date from a later ZDA for the cycles before it (across midnight), and counts what it cannot use', () => {
    const text = fs.readFileSync(path.join(FIX_DIR, 'drive-gll-vtg-zda.nmea'), 'utf8').split('\r\n');
    // Drop the first 3 ZDA sentences: the first 3 seconds have no date of their own.
    let cut = 0;
    const lines = text.filter((l) => !(l.startsWith('$GPZDA') && cut++ < 3));
    lines.splice(6, 0, sentence('GPGLL,3113.82400,N,12128.42200,E,092602.50,V,N'), '$GPGLL,3113.82400,N,12128.42200,E,092602.70,A,A*00');
    const r = readNmea(lines.join('\r\n'));
    expectSame(r.fixes, expected);
    expect(r.dropped).toEqual({ 'bad checksum or malformed sentence': 1, 'receiver reports no fix (status V / quality 0)': 1 });
    const midnight = readNmea([sentence('GPGLL,3113.82400,N,12128.42200,E,235959.00,A,A'), sentence('GPZDA,000000.00,15,03,2026,00,00')].join('\n'));
    expect(midnight.fixes.map((f) => new Date(f.tMs).toISOString())).toEqual(['2026-03-14T23:59:59.000Z']);
    const undated = readNmea(sentence('GPGLL,3113.82400,N,12128.42200,E,235959.00,A,A'));
    expect(undated.fixes).toHaveLength(0);
    expect(undated.dropped).toEqual({ 'no date in the log (no ZDA or RMC)': 1 });
  });
});

// A gpsd-protocol peer: answers ?WATCH with VERSION/DEVICES/WATCH, then plays the given reports with their delays.
const servers: net.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function fakeGpsd(reports: Array<{ delayMs: number; obj: Record<string, unknown>; then?: () => void }>): Promise<number> {
  const server = net.createServer((sock) => {
    sock.on('error', () => undefined);
    sock.once(
      'data',
      () =>
        void (async () => {
          sock.write('{"class":"VERSION","release":"3.22","rev":"3.22","proto_major":3,"proto_minor":14}\n');
          sock.write('{"class":"WATCH","enable":true,"json":true}\n');
          for (const r of reports) {
            if (r.delayMs) await new Promise((res) => setTimeout(res, r.delayMs));
            if (sock.destroyed) return;
            const then = r.then;
            if (!then) sock.write(JSON.stringify(r.obj) + '\n');
            // Written and then held up in one callback of the loop's check phase: the reader's next turn starts with its timers.
            else
              await new Promise<void>((res) =>
                setImmediate(() => {
                  sock.write(JSON.stringify(r.obj) + '\n');
                  then();
                  res();
                }),
              );
          }
        })(),
    );
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as net.AddressInfo).port;
}

const tpv = (e: Expected | null, time: number | null, extra: Record<string, unknown> = {}) => ({
  class: 'TPV',
  device: '/dev/pts/1',
  mode: 2,
  ...(time !== null ? { time: new Date(time).toISOString() } : {}),
  ...(e ? { lat: e.lat, lon: e.lon } : {}),
  ...extra,
});

describe('gpsd client', () => {
  it('merges the reports of one cycle (the first may hold the previous position or no time) into one fix with the latest position', async () => {
    const drive = expected.slice(10, 40); // moving: each second is metres from the last
    const reports: Array<{ delayMs: number; obj: Record<string, unknown> }> = [];
    for (const [i, e] of drive.entries()) {
      const prev = i > 0 ? drive[i - 1]! : e;
      // As the field gpsd did: a first report with the new time but the previous position, then the cycle's own.
      reports.push({ delayMs: 100, obj: tpv(prev, e.tMs) });
      if (i % 5 === 0) reports.push({ delayMs: 20, obj: tpv(e, null) }); // no time in this report: the cycle has it
      reports.push({ delayMs: 20, obj: tpv(e, e.tMs, { speed: e.speedMps, track: e.headingDeg }) });
      if (i % 7 === 0) reports.push({ delayMs: 10, obj: { class: 'SKY', device: '/dev/pts/1' } });
    }
    const port = await fakeGpsd(reports);
    const got: Fix[] = [];
    const log: string[] = [];
    const c = new GpsdClient(
      '127.0.0.1',
      port,
      (f) => got.push(f),
      (m) => log.push(m),
    );
    c.start();
    await waitFor(() => got.length >= drive.length, { timeoutMs: 15_000, intervalMs: 50, what: 'a fix per second of the drive' });
    await new Promise((r) => setTimeout(r, 600));
    c.close();
    // One fix per second, none stale: each has the position of its own time.
    expect(got.map((f) => f.tMs)).toEqual(drive.map((e) => e.tMs));
    for (const [i, f] of got.entries()) expect([f.lat, f.lon], `fix ${i}`).toEqual([drive[i]!.lat, drive[i]!.lon]);
    expect(got.every((f, i) => f.speedMps === drive[i]!.speedMps)).toBe(true);
    expect(log.filter((l) => /dropping/.test(l))).toEqual([]);
  }, 30_000);

  it('does not cut a cycle in two when the event loop was held up: the report waiting on the socket joins its cycle', async () => {
    const [prev, e] = [expected[20]!, expected[21]!];
    const holdUp = () => {
      // The report was just written to the socket and not read yet; hold the loop past the quiet time (400 ms): Node
      // then runs the expired quiet timer before it reads the socket.
      const until = Date.now() + 700;
      while (Date.now() < until) {
        /* busy: a loaded machine */
      }
    };
    const port = await fakeGpsd([
      { delayMs: 100, obj: tpv(prev, e.tMs) }, // gpsd's first report of the cycle: the new time, the previous position
      { delayMs: 50, obj: tpv(e, e.tMs), then: holdUp }, // the cycle's own position, waiting on the socket
    ]);
    const got: Fix[] = [];
    const c = new GpsdClient(
      '127.0.0.1',
      port,
      (f) => got.push(f),
      () => undefined,
    );
    c.start();
    await waitFor(() => got.length >= 1, { timeoutMs: 10_000, intervalMs: 20, what: 'the fix of the cycle' });
    await new Promise((r) => setTimeout(r, 600));
    c.close();
    expect(got.map((f) => [f.tMs, f.lat, f.lon])).toEqual([[e.tMs, e.lat, e.lon]]);
  }, 20_000);

  it('times a cycle without any time against the receiver clock: back-dated before the first timed cycle, extrapolated after it (marked)', async () => {
    const [a, bb, c] = [expected[60]!, expected[61]!, expected[62]!];
    const port = await fakeGpsd([
      { delayMs: 0, obj: tpv(a, null) }, // gpsd's first report of a log often has no time yet
      { delayMs: 1000, obj: tpv(bb, bb.tMs) },
      { delayMs: 1000, obj: tpv(c, null) }, // a cycle whose reports lost their time
    ]);
    const got: Array<{ f: Fix; clock: boolean }> = [];
    const cl = new GpsdClient(
      '127.0.0.1',
      port,
      (f, note) => got.push({ f, clock: note.timeFromAgentClock }),
      () => undefined,
    );
    cl.start();
    await waitFor(() => got.length >= 3, { timeoutMs: 10_000, intervalMs: 50, what: 'three fixes' });
    cl.close();
    expect(got.map((g) => [g.f.tMs, g.f.lat, g.clock])).toEqual([
      [a.tMs, a.lat, true],
      [bb.tMs, bb.lat, false],
      [c.tMs, c.lat, true],
    ]);
  }, 20_000);

  it('times a cycle without any time by the agent clock (marked), and says why reports are dropped once per reason with counts', async () => {
    const e = expected[50]!;
    const reports: Array<{ delayMs: number; obj: Record<string, unknown> }> = [];
    for (let i = 0; i < 6; i++) reports.push({ delayMs: i === 0 ? 0 : 100, obj: { class: 'TPV', device: '/dev/pts/1', mode: 1 } });
    for (let i = 0; i < 4; i++) reports.push({ delayMs: 100, obj: { class: 'TPV', device: '/dev/pts/1', mode: 3, time: new Date(e.tMs + i).toISOString() } });
    reports.push({ delayMs: 600, obj: tpv(e, null) }); // a cycle with a position but no time at all
    reports.push({ delayMs: 20, obj: tpv(e, null, { speed: 3 }) });
    const port = await fakeGpsd(reports);
    const got: Array<{ f: Fix; note: { timeFromAgentClock: boolean } }> = [];
    const log: string[] = [];
    const c = new GpsdClient(
      '127.0.0.1',
      port,
      (f, note) => got.push({ f, note }),
      (m) => log.push(m),
    );
    const t0 = Date.now();
    c.start();
    await waitFor(() => got.length >= 1, { timeoutMs: 10_000, intervalMs: 50, what: 'a fix' });
    const t1 = Date.now();
    c.close();
    expect(got).toHaveLength(1);
    expect(got[0]!.note.timeFromAgentClock).toBe(true);
    expect(got[0]!.f.tMs).toBeGreaterThanOrEqual(t0);
    expect(got[0]!.f.tMs).toBeLessThanOrEqual(t1);
    expect(got[0]!.f).toMatchObject({ lat: e.lat, lon: e.lon, speedMps: 3 });
    // Each reason once in the log, however many reports it dropped; the counts are in the status line.
    expect(log.filter((l) => /dropping reports: mode < 2/.test(l))).toHaveLength(1);
    expect(log.filter((l) => /dropping reports: no position/.test(l))).toHaveLength(1);
    expect(log.filter((l) => /timed by the agent clock/.test(l))).toHaveLength(1);
    expect(c.status()).toBe('12 gpsd reports → 1 fixes (1 timed by the agent clock); dropped: mode < 2 (no fix) ×6, no position ×4');
  }, 20_000);

  it('says when gpsd talks but sends no position report at all', async () => {
    const port = await fakeGpsd([1, 2, 3].map((i) => ({ delayMs: 50, obj: { class: 'SKY', device: '/dev/pts/1', nSat: i } })));
    const c = new GpsdClient(
      '127.0.0.1',
      port,
      () => undefined,
      () => undefined,
    );
    c.start();
    await waitFor(() => c.status().includes('SKY ×3'), { timeoutMs: 5000, intervalMs: 50, what: 'three SKY reports counted' });
    c.close();
    expect(c.status()).toBe('0 gpsd reports → 0 fixes; dropped: none; no TPV from gpsd yet (other messages: VERSION ×1, WATCH ×1, SKY ×3)');
  });
});
