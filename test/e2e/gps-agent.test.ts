// End to end: gpsfake replays an NMEA log into a real gpsd, the real agent CLI reads it and sends telemetry; the server is
// stopped for 30 s meanwhile, and after it returns every fix is stored exactly once. Live fixes go over the unit's
// telemetry WebSocket, the backlog in HTTP batches. Also: the agent pushes test video.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnitKey } from '../../common/api';
import type { MapUnit } from '../../common/gps';
import { formatFix, parseNmea } from '../../agent/nmea';
import { loadConfig, type Config } from '../../main/config';
import type { Backend } from '../../main/server/backend';
import { startServer, waitFor } from '../harness';
import { freePort } from '../helpers/net';
import { spawnGroup, type Group } from '../agent/process-group';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const PASSWORD = 'gps-agent-chief';
const FIXES = 80;
let tmp: string;
let config: Config;
let b: Backend | null = null;
let token: string;
const procs: Group[] = [];
const agentLog: string[] = [];

/** The back end on the test's data dir and fixed port (so it can stop and come back where the agent looks), signed in as admin. */
async function start(): Promise<Backend> {
  const srv = await startServer({ tmp, dataDir: config.dataDir, adminPassword: PASSWORD, overrides: { port: config.port } });
  token = srv.token;
  return srv.backend;
}

/** Each command leads its own process group: stopping it stops what it started (gpsfake's gpsd). */
function run(cmd: string, args: string[], lines: string[], env?: NodeJS.ProcessEnv): Group {
  const g = spawnGroup(cmd, args, ROOT, lines, env);
  procs.push(g);
  return g;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-e2e-gps-agent-'));
  config = loadConfig({ dataDir: path.join(tmp, 'data'), env: {}, overrides: { port: await freePort(), rtmpPort: 0, sipPort: 0 } });
  b = await start();
});

afterAll(async () => {
  // gpsfake starts gpsd as its child; SIGKILL to gpsfake alone left that gpsd running after the suite (it never ran
  // gpsfake's cleanup). Now the whole group gets SIGTERM (then SIGKILL), and gpsfake ends by itself 2 s after its log.
  await Promise.all(procs.map((g) => g.stop()));
  await b?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('field uplink agent with gpsd', () => {
  it('keeps reading GPS through a 30 s server outage; afterwards no point is missing and none is duplicated', async () => {
    const unit = (await (
      await fetch(`${b!.url}/api/v1/units`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ callsign: 'Car 5', type: 'vehicle' }),
      })
    ).json()) as UnitKey;
    // An NMEA log of a drive north, one fix a second, starting now (gpsfake paces it: 2 sentences x 0.5 s).
    const t0 = Math.ceil(Date.now() / 1000) * 1000 + 2000;
    const lines: string[] = [];
    for (let i = 0; i < FIXES; i++) lines.push(...formatFix({ tMs: t0 + i * 1000, lat: 31.2 + i * 0.0001, lon: 121.45, speedMps: 11, headingDeg: 0 }));
    const log = path.join(tmp, 'drive.nmea');
    fs.writeFileSync(log, lines.join('\r\n') + '\r\n');
    const logged = parseNmea(fs.readFileSync(log, 'utf8')).map((f) => f.tMs);
    expect(logged.length).toBe(FIXES);

    const gpsdPort = await freePort();
    const gpsfakeLog: string[] = [];
    run('gpsfake', ['-q', '-1', '-W', '2', '-c', '0.5', '-P', String(gpsdPort), log], gpsfakeLog);
    const buffer = path.join(tmp, 'agent-buffer.jsonl');
    const agent = run(
      process.execPath,
      [
        '--import',
        'tsx',
        'agent/cli.ts',
        '--server',
        b!.url,
        '--unit',
        String(unit.unit.id),
        '--key',
        unit.streamKey,
        '--gpsd',
        `127.0.0.1:${gpsdPort}`,
        '--buffer',
        buffer,
        '--max-backoff-ms',
        '2000',
      ],
      agentLog,
    );
    const linkUp = async () =>
      ((await (await fetch(`${b!.url}/api/v1/gps/units`, { headers: { Authorization: `Bearer ${token}` } })).json()) as MapUnit[]).find(
        (u) => u.unitId === unit.unit.id,
      )?.linkUp;

    const stored = async () => (await b!.store.gps.track(unit.unit.id, 0, Date.now() + 3_600_000, 10_000)).map((p) => p.tMs);
    // Positions arrive and the unit is live on the map.
    await waitFor(async () => (await stored()).length >= 5, { what: 'first positions', timeoutMs: 60_000, intervalMs: 250 }).catch((err: Error) => {
      // Say where it stopped (agent start, unit settings, gpsd, uplink): seen once under a full-suite run, not alone.
      throw new Error(`${err.message}\nagent log:\n${agentLog.slice(-30).join('\n')}\ngpsfake log:\n${gpsfakeLog.slice(-15).join('\n')}`, { cause: err });
    });
    const live = (await (await fetch(`${b!.url}/api/v1/gps/units`, { headers: { Authorization: `Bearer ${token}` } })).json()) as MapUnit[];
    expect(live.find((u) => u.unitId === unit.unit.id)?.position).not.toBeNull();
    // Live fixes come over the unit's telemetry WebSocket: the server sees the socket, the agent its acks.
    await waitFor(async () => (await linkUp()) === true, { what: 'telemetry WebSocket connected (server side)', timeoutMs: 30_000, intervalMs: 250 });
    await waitFor(() => agentLog.some((l) => l.includes('telemetry: live points over the WebSocket')), {
      what: 'live points acked over the WebSocket',
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    const beforeOutage = agentLog.length;

    // The server goes away for 30 s; the agent keeps reading gpsd and keeps the points on disk.
    await b!.close();
    b = null;
    const downAt = Date.now();
    await new Promise((r) => setTimeout(r, 30_000));
    const waiting = fs.readFileSync(buffer, 'utf8').split('\n').filter(Boolean).length;
    expect(waiting).toBeGreaterThanOrEqual(20); // ~30 fixes read while nobody listened
    expect(agentLog.some((l) => /telemetry link down/.test(l))).toBe(true);
    b = await start();
    expect(Date.now() - downAt).toBeGreaterThanOrEqual(30_000);

    // gpsfake ends with the log; the agent drains its buffer into the restarted server.
    await waitFor(async () => (await stored()).at(-1) === logged.at(-1), { what: 'last fix stored', timeoutMs: 120_000, intervalMs: 500 });
    await waitFor(() => fs.readFileSync(buffer, 'utf8').trim() === '', { what: 'agent buffer empty', timeoutMs: 30_000, intervalMs: 250 });
    const got = await stored();
    expect(new Set(got).size).toBe(got.length); // none duplicated
    // gpsd may not report the very first cycle (no time yet); from the first stored fix on, every fix is there.
    expect(got[0]! - t0).toBeLessThanOrEqual(2000);
    expect(got).toEqual(logged.filter((t) => t >= got[0]!));
    expect(await b.store.gps.countPoints()).toBe(got.length); // the only unit with points so far: no hidden extra rows
    // Points read during the outage arrived late and were marked as buffered: the live position is the newest fix, not one of them.
    const after = (await (await fetch(`${b.url}/api/v1/gps/units`, { headers: { Authorization: `Bearer ${token}` } })).json()) as MapUnit[];
    const pos = after.find((u) => u.unitId === unit.unit.id)!.position;
    expect(pos).not.toBeNull();
    expect(pos!.tMs).toBeGreaterThan(downAt + 30_000 - 5_000);
    // The backlog went in HTTP batches once the server was back, then live fixes over the WebSocket again.
    const afterOutage = agentLog.slice(beforeOutage);
    const httpAt = afterOutage.findIndex((l) => l.includes('telemetry: HTTP batches'));
    expect(httpAt).toBeGreaterThanOrEqual(0);
    expect(afterOutage.slice(httpAt).some((l) => l.includes('telemetry: live points over the WebSocket'))).toBe(true);
    expect(await linkUp()).toBe(true);
    agent.proc.kill('SIGTERM');
    const totals = await waitFor(() => agentLog.map((l) => /telemetry totals: websocket=(\d+) http=(\d+)/.exec(l)).find(Boolean), {
      what: 'agent totals',
      timeoutMs: 20_000,
      intervalMs: 100,
    });
    const [ws, httpPoints] = [Number(totals![1]), Number(totals![2])];
    expect(ws).toBeGreaterThan(0);
    expect(httpPoints).toBeGreaterThanOrEqual(waiting);
    expect(ws + httpPoints).toBeGreaterThanOrEqual(got.length);
  }, 240_000);

  it('pushes its video to the hub over RTMP (the unit goes online) and raises SOS from the command line', async () => {
    const unit = (await (
      await fetch(`${b!.url}/api/v1/units`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ callsign: 'Body 9', type: 'body' }),
      })
    ).json()) as UnitKey;
    const nmea = path.join(tmp, 'walk.nmea');
    const t0 = Date.now();
    const lines: string[] = [];
    for (let i = 0; i < 30; i++) lines.push(...formatFix({ tMs: t0 + i * 1000, lat: 31.25, lon: 121.46 + i * 0.00002, speedMps: 1.4, headingDeg: 90 }));
    fs.writeFileSync(nmea, lines.join('\n'));
    const out: string[] = [];
    run(
      process.execPath,
      [
        '--import',
        'tsx',
        'agent/cli.ts',
        '--server',
        b!.url,
        '--unit',
        String(unit.unit.id),
        '--key',
        unit.streamKey,
        '--nmea',
        nmea,
        '--video',
        'testsrc',
        '--rtmp',
        unit.publishUrl,
        '--sos',
        '--buffer',
        path.join(tmp, 'b2.jsonl'),
      ],
      out,
    );
    await waitFor(
      async () => {
        const u = (await (await fetch(`${b!.url}/api/v1/units/${unit.unit.id}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as UnitKey['unit'];
        return u.status.online;
      },
      { what: 'unit online with video', timeoutMs: 60_000, intervalMs: 500 },
    );
    const sos = await waitFor(
      async () => (await b!.store.events.listRange({ cameraId: unit.unit.id, type: 'sos', startMs: 0, endMs: Date.now() + 60_000, limit: 5 }))[0],
      { what: 'sos event', timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(sos.state).toBe('active');
    const units = (await (await fetch(`${b!.url}/api/v1/gps/units`, { headers: { Authorization: `Bearer ${token}` } })).json()) as MapUnit[];
    expect(units.find((u) => u.unitId === unit.unit.id)).toMatchObject({ sos: true });
  }, 120_000);

  it('--simulate N provisions SIM units and drives them (positions move every second)', async () => {
    const out: string[] = [];
    const env = { ...process.env, ARGUS_ADMIN_PASSWORD: PASSWORD };
    const p = run(process.execPath, ['--import', 'tsx', 'agent/cli.ts', '--server', b!.url, '--simulate', '3', '--no-video'], out, env);
    const units = async () =>
      ((await (await fetch(`${b!.url}/api/v1/gps/units`, { headers: { Authorization: `Bearer ${token}` } })).json()) as MapUnit[]).filter((u) =>
        u.callsign.startsWith('SIM-'),
      );
    const first = await waitFor(
      async () => {
        const l = await units();
        return l.length === 3 && l.every((u) => u.position) ? l : null;
      },
      { what: 'three simulated units with positions', timeoutMs: 60_000, intervalMs: 500 },
    );
    const later = await waitFor(
      async () => {
        const l = await units();
        return l.every((u) => u.position!.tMs >= first.find((f) => f.unitId === u.unitId)!.position!.tMs + 2000) ? l : null;
      },
      { what: 'simulated units moving', timeoutMs: 30_000, intervalMs: 500 },
    );
    for (const u of later) {
      const before = first.find((f) => f.unitId === u.unitId)!.position!;
      expect(Math.hypot(u.position!.lat - before.lat, u.position!.lon - before.lon)).toBeGreaterThan(0);
      expect(u.position!.batteryPct).not.toBeNull();
    }
    await p.stop();
  }, 120_000);
});
