// Tests of the agent's parts: NMEA parsing (checksums, RMC + GGA), gpsd TPV reports, the disk buffer across restarts,
// the simulated routes, and the uplink against a real HTTP server that fails and recovers.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PointBuffer } from '../../agent/buffer';
import { tpvToFix } from '../../agent/gpsd';
import { checksum, formatFix, parseNmea } from '../../agent/nmea';
import { RouteWalker } from '../../agent/simulate';
import { TelemetryUplink } from '../../agent/uplink';
import { WebSocketServer } from 'ws';
import { distanceM } from '../../common/geo';
import { waitFor } from '../harness';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-agent-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('agent parts', () => {
  it('parses RMC + GGA fixes, verifies checksums and skips invalid fixes', () => {
    const t = Date.UTC(2026, 10, 26, 8, 30, 5, 250);
    const [rmc, gga] = formatFix({ tMs: t, lat: -33.8688, lon: 151.2093, speedMps: 10, headingDeg: 42.5, altM: 58 });
    const bad = rmc!.replace(/\*[0-9A-F]{2}$/, '*00');
    const void_ = `$GPRMC,083006.00,V,3352.1280,S,15112.5580,E,0.0,0.0,261126,,,N`;
    const text = [gga, rmc, bad, `${void_}*${checksum(void_.slice(1))}`, 'garbage'].join('\r\n');
    const fixes = parseNmea(text);
    expect(fixes).toHaveLength(1);
    expect(fixes[0]!.tMs).toBe(t);
    expect(fixes[0]!.lat).toBeCloseTo(-33.8688, 4);
    expect(fixes[0]!.lon).toBeCloseTo(151.2093, 4);
    expect(fixes[0]!.speedMps).toBeCloseTo(10, 1);
    expect(fixes[0]!.headingDeg).toBe(42.5);
    expect(fixes[0]!.altM).toBe(58);
    expect(fixes[0]!.accuracyM).toBe(4.5); // HDOP 0.9 x 5 m
  });

  it('turns gpsd TPV reports into fixes (only with a time and a 2D/3D fix)', () => {
    expect(tpvToFix({ class: 'TPV', mode: 3, time: '2026-11-26T15:11:45.000Z', lat: 31.2, lon: 121.4, altMSL: 10, speed: 9.98, track: 12, eph: 17.1 })).toEqual(
      {
        tMs: Date.UTC(2026, 10, 26, 15, 11, 45),
        lat: 31.2,
        lon: 121.4,
        altM: 10,
        speedMps: 9.98,
        headingDeg: 12,
        accuracyM: 17.1,
      },
    );
    expect(tpvToFix({ class: 'TPV', mode: 3, lat: 31.2, lon: 121.4 })).toBeNull();
    expect(tpvToFix({ class: 'TPV', mode: 1, time: '2026-11-26T15:11:45.000Z', lat: 0, lon: 0 })).toBeNull();
    expect(tpvToFix({ class: 'SKY' })).toBeNull();
  });

  it('keeps queued points on disk across a restart and drops only what was acknowledged', () => {
    const file = path.join(tmp, 'buf.jsonl');
    const a = new PointBuffer(file);
    for (let i = 0; i < 5; i++) a.push({ tMs: 1000 + i, lat: 1, lon: 2, capturedMs: 5 });
    a.drop(2);
    fs.appendFileSync(file, '{"tMs": 99, "lat"'); // a line cut by a crash
    const b = new PointBuffer(file);
    expect(b.peek(10).map((p) => p.tMs)).toEqual([1002, 1003, 1004]);
  });

  it('drives simulated units along streets at plausible speeds', () => {
    let seed = 1;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const w = new RouteWalker([31.23, 121.47], rand);
    let prev = w.step(0, 0);
    for (let s = 1; s <= 600; s++) {
      const f = w.step(1, s * 1000);
      const d = distanceM(prev.lat, prev.lon, f.lat, f.lon);
      expect(d).toBeLessThanOrEqual(16.5);
      expect([0, 90, 180, 270]).toContain(f.headingDeg);
      prev = f;
    }
    expect(distanceM(31.23, 121.47, prev.lat, prev.lon)).toBeLessThan(4500);
  });

  it('the uplink keeps points while the server fails, backs off, and sends them marked buffered when it recovers', async () => {
    let failing = true;
    const got: Array<{ tMs: number; buffered?: boolean }> = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.method === 'GET') {
          res.writeHead(404).end(); // no telemetry WebSocket on this server: everything goes in HTTP batches
          return;
        }
        if (failing) {
          res.writeHead(503).end('{}');
          return;
        }
        expect(req.headers['x-unit-key']).toBe('k');
        const pts = (JSON.parse(body) as { points: Array<{ tMs: number; buffered?: boolean }> }).points;
        got.push(...pts);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ stored: pts.length, duplicates: 0, rejected: [] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const buffer = new PointBuffer(path.join(tmp, 'up.jsonl'));
    const logs: string[] = [];
    const up = new TelemetryUplink({
      server: `http://127.0.0.1:${port}`,
      unitId: 3,
      key: 'k',
      buffer,
      log: (m) => logs.push(m),
      minBackoffMs: 50,
      maxBackoffMs: 200,
    });
    up.start();
    const now = Date.now();
    buffer.push({ tMs: now - 10_000, lat: 1, lon: 1, capturedMs: now - 10_000 });
    buffer.push({ tMs: now, lat: 1, lon: 1, capturedMs: now });
    await waitFor(() => up.stats.failures >= 2, { timeoutMs: 10_000, intervalMs: 50, what: 'two failed uploads' });
    expect(up.stats.failures).toBeGreaterThanOrEqual(2);
    expect(buffer.length).toBe(2);
    failing = false;
    await waitFor(() => buffer.length === 0, { timeoutMs: 10_000, intervalMs: 50, what: 'the buffer sent' });
    await up.close();
    server.close();
    expect(got.map((p) => [p.tMs, p.buffered ?? false])).toEqual([
      [now - 10_000, true],
      [now, false],
    ]);
    expect(logs.some((l) => l.includes('telemetry link down'))).toBe(true);
    expect(logs.some((l) => l.includes('telemetry link up'))).toBe(true);
  });

  it("the uplink sends live points over the unit's WebSocket (with its key), the backlog in HTTP batches, and falls back to HTTP when the socket stops acking", async () => {
    const viaHttp: number[] = [];
    const viaWs: number[] = [];
    let ack = true;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const pts = (JSON.parse(body) as { points: Array<{ tMs: number }> }).points;
        viaHttp.push(...pts.map((p) => p.tMs));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ stored: pts.length, duplicates: 0, rejected: [] }));
      });
    });
    const wss = new WebSocketServer({ noServer: true });
    const keys: string[] = [];
    server.on('upgrade', (req, socket, head) => {
      keys.push(String(req.headers['x-unit-key']));
      wss.handleUpgrade(req, socket, head, (ws) =>
        ws.on('message', (d) => {
          const m = JSON.parse(String(d)) as { type: string; seq: number; points: Array<{ tMs: number }> };
          if (!ack) return;
          viaWs.push(...m.points.map((p) => p.tMs));
          ws.send(JSON.stringify({ type: 'ack', seq: m.seq, stored: m.points.length, duplicates: 0, rejected: [] }));
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const buffer = new PointBuffer(path.join(tmp, 'ws.jsonl'));
    const now = Date.now();
    // A backlog from an earlier run (captured a minute ago) is on disk before the agent starts.
    for (let i = 0; i < 3; i++) buffer.push({ tMs: now - 60_000 + i, lat: 1, lon: 1, capturedMs: now - 60_000 + i });
    const logs: string[] = [];
    const up = new TelemetryUplink({
      server: `http://127.0.0.1:${port}`,
      unitId: 3,
      key: 'k',
      buffer,
      log: (m) => logs.push(m),
      minBackoffMs: 50,
      maxBackoffMs: 200,
      ackTimeoutMs: 1000,
    });
    up.start();
    const wait = (cond: () => boolean, what: string) => waitFor(cond, { timeoutMs: 15_000, intervalMs: 20, what });
    await wait(() => viaHttp.length === 3 && up.webSocketUp, 'backlog by HTTP, socket open');
    expect(keys).toEqual(['k']);
    // Live points: over the socket.
    for (let i = 0; i < 3; i++) {
      buffer.push({ tMs: Date.now(), lat: 1, lon: 1, capturedMs: Date.now() });
      void up.pump();
      await wait(() => buffer.length === 0, 'live point acked');
    }
    expect(viaWs).toHaveLength(3);
    expect(viaHttp).toHaveLength(3);
    // The socket stops acking: after the ack timeout the point is kept and goes by HTTP (the socket reconnects).
    ack = false;
    const t = Date.now();
    buffer.push({ tMs: t, lat: 1, lon: 1, capturedMs: t });
    void up.pump();
    await wait(() => viaHttp.includes(t), 'unacked point resent');
    // The server has it; the agent drops it from its buffer once the HTTP answer is read (a moment later under load).
    await wait(() => buffer.length === 0, 'resent point removed from the buffer after its HTTP ack');
    expect(buffer.length).toBe(0);
    await up.close();
    wss.close();
    server.close();
    expect(up.stats.sentWs).toBe(3);
    expect(logs.some((l) => l.includes('no ack for message'))).toBe(true);
  }, 30_000);
});
