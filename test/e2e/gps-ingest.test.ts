// End to end (in-process back end, real SQLite, real WebSockets): GPS telemetry ingest, refusals, live positions, geofences, SOS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { LoginResponse, UnitKey } from '../../common/api';
import type { ServerEvent } from '../../common/events';
import type { Geofence, IngestResult, MapUnit, ServerToUnit, TelemetryPoint } from '../../common/gps';
import type { TrackPoint } from '../../main/services/contracts';
import type { Backend } from '../../main/server/backend';
import { startServer, waitFor, type TestServer } from '../harness';

const PASSWORD = 'gps-ingest-chief';
let srv: TestServer;
let b: Backend;
let token: string;
const events: ServerEvent[] = [];
let consoleWs: WebSocket;
let unit: UnitKey;
const sockets: WebSocket[] = [];

async function api<T>(method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  return srv.client.call<T>(method, p, typeof body === 'string' ? undefined : body, { headers, rawBody: typeof body === 'string' ? body : undefined });
}

async function batch(
  unitId: number,
  key: string,
  body: unknown,
): Promise<{ status: number; body: IngestResult & { error?: { reason: string; message: string } } }> {
  const r = await srv.client.call<never>('POST', `/api/v1/gps/telemetry?unit=${unitId}`, undefined, {
    token: '',
    headers: { 'X-Unit-Key': key },
    rawBody: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: r.status, body: r.body };
}

/** A unit's telemetry socket with a queue of server answers. */
async function unitSocket(unitId: number, key: string): Promise<{ ws: WebSocket; replies: ServerToUnit[]; send(m: unknown): void }> {
  const ws = new WebSocket(`${b.url.replace('http', 'ws')}/api/v1/gps/telemetry?unit=${unitId}`, { headers: { 'X-Unit-Key': key } });
  sockets.push(ws);
  const replies: ServerToUnit[] = [];
  ws.on('message', (d) => replies.push(JSON.parse(String(d)) as ServerToUnit));
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  return { ws, replies, send: (m) => ws.send(typeof m === 'string' ? m : JSON.stringify(m)) };
}

const base = { lat: 31.2304, lon: 121.4737 };
const at = (tMs: number, dLat = 0, over: Partial<TelemetryPoint> = {}): TelemetryPoint => ({
  tMs,
  lat: base.lat + dLat,
  lon: base.lon,
  speedMps: 8,
  headingDeg: 0,
  batteryPct: 77,
  signalDbm: -80,
  ...over,
});

beforeAll(async () => {
  srv = await startServer({ tag: 'e2e-gps', adminPassword: PASSWORD });
  b = srv.backend;
  token = srv.token;
  consoleWs = new WebSocket(`${b.url.replace('http', 'ws')}/api/v1/events?token=${token}`);
  consoleWs.on('message', (d) => events.push(JSON.parse(String(d)) as ServerEvent));
  await new Promise((resolve, reject) => (consoleWs.once('open', resolve), consoleWs.once('error', reject)));
  unit = (await api<UnitKey>('POST', '/api/v1/units', { callsign: 'Car 12', type: 'vehicle', officer: 'Li Wei' })).body;
});

afterAll(async () => {
  for (const s of sockets) s.close();
  consoleWs?.close();
  await srv?.close();
});

describe('GPS telemetry ingest', () => {
  it('stores WebSocket points, acks them, drops duplicates and pushes the live position to consoles', async () => {
    const id = unit.unit.id;
    const s = await unitSocket(id, unit.streamKey);
    const t0 = Date.now() - 5000;
    s.send({ type: 'points', seq: 1, points: [at(t0), at(t0 + 1000, 0.0001), at(t0 + 2000, 0.0002)] });
    const ack = await waitFor(() => s.replies.find((r) => r.type === 'ack' && r.seq === 1), { what: 'ack 1', timeoutMs: 10_000 });
    expect(ack).toMatchObject({ stored: 3, duplicates: 0, rejected: [] });
    s.send({ type: 'points', seq: 2, points: [at(t0 + 2000, 0.0002), at(t0 + 3000, 0.0003)] });
    expect(await waitFor(() => s.replies.find((r) => r.type === 'ack' && r.seq === 2), { what: 'ack 2', timeoutMs: 10_000 })).toMatchObject({
      stored: 1,
      duplicates: 1,
    });
    const track = (await api<TrackPoint[]>('GET', `/api/v1/gps/units/${id}/track?startMs=${t0 - 1}&endMs=${t0 + 10_000}`)).body;
    expect(track.map((p) => p.tMs)).toEqual([t0, t0 + 1000, t0 + 2000, t0 + 3000]);
    const ev = await waitFor(() => events.find((e) => e.type === 'gps.positions' && e.positions.some((p) => p.unitId === id && p.tMs === t0 + 3000)), {
      what: 'gps.positions',
      timeoutMs: 10_000,
    });
    expect(ev.type === 'gps.positions' && ev.links.find((l) => l.unitId === id)?.linkUp).toBe(true);
    const units = (await api<MapUnit[]>('GET', '/api/v1/gps/units')).body;
    expect(units.find((u) => u.unitId === id)).toMatchObject({
      callsign: 'Car 12',
      officer: 'Li Wei',
      linkUp: true,
      position: { tMs: t0 + 3000, batteryPct: 77, signalDbm: -80 },
    });
  });

  it('stores late (buffered) points in time order but never shows them as the live position', async () => {
    const id = unit.unit.id;
    const live = (await api<MapUnit[]>('GET', '/api/v1/gps/units')).body.find((u) => u.unitId === id)!.position!;
    const late = [at(live.tMs - 60_000, -0.01, { buffered: true }), at(live.tMs - 59_000, -0.01, { buffered: true })];
    const r = await batch(id, unit.streamKey, { points: late });
    expect(r).toMatchObject({ status: 200, body: { stored: 2, duplicates: 0 } });
    // An old point (not flagged) is not live either: it is older than the live one.
    expect((await batch(id, unit.streamKey, { points: [at(live.tMs - 30_000, -0.02)] })).body.stored).toBe(1);
    const after = (await api<MapUnit[]>('GET', '/api/v1/gps/units')).body.find((u) => u.unitId === id)!.position!;
    expect(after.tMs).toBe(live.tMs);
    const track = (await api<TrackPoint[]>('GET', `/api/v1/gps/units/${id}/track?startMs=${live.tMs - 120_000}&endMs=${live.tMs}`)).body;
    expect(track.map((p) => p.tMs)).toEqual([...track.map((p) => p.tMs)].sort((x, y) => x - y));
    expect(track.map((p) => p.tMs)).toContain(live.tMs - 60_000);
  });

  it('refuses bad points with reasons, keeps the rest of the batch, and counts refusals per unit', async () => {
    const id = unit.unit.id;
    const now = Date.now();
    const r = await batch(id, unit.streamKey, {
      points: [
        at(now - 100),
        { tMs: now, lat: 91, lon: 0 },
        { tMs: now, lat: 0, lon: -181 },
        { tMs: now + 10 * 60_000, lat: 1, lon: 1 },
        { lat: 1 },
        'x',
        at(now - 50),
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.stored).toBe(2);
    expect(r.body.rejected.map((x) => [x.index, x.reason])).toEqual([
      [1, 'lat_out_of_range'],
      [2, 'lon_out_of_range'],
      [3, 'future_timestamp'],
      [4, 'bad_point'],
      [5, 'bad_point'],
    ]);
    const bad = await batch(id, unit.streamKey, '{"points": [');
    expect(bad.status).toBe(400);
    expect(bad.body.error?.reason).toBe('malformed_json');
    expect((await batch(id, 'wrong-key', { points: [at(now)] })).status).toBe(401);
    expect((await batch(999_999, 'k', { points: [at(now)] })).status).toBe(401);
    // WebSocket: malformed JSON is answered and counted; the socket stays usable.
    const s = await unitSocket(id, unit.streamKey);
    s.send('{not json');
    await waitFor(() => s.replies.find((m) => m.type === 'error' && m.reason === 'malformed_json'), { what: 'error reply', timeoutMs: 10_000 });
    s.send({ type: 'points', seq: 9, points: [at(now - 10)] });
    expect(await waitFor(() => s.replies.find((m) => m.type === 'ack' && m.seq === 9), { what: 'ack 9', timeoutMs: 10_000 })).toMatchObject({ stored: 1 });
    const units = (await api<MapUnit[]>('GET', '/api/v1/gps/units')).body;
    expect(units.find((u) => u.unitId === id)!.rejects).toMatchObject({
      lat_out_of_range: 1,
      lon_out_of_range: 1,
      future_timestamp: 1,
      bad_point: 2,
      malformed_json: 2,
      bad_key: 1,
    });
    await waitFor(
      async () =>
        (await api<Array<{ unitId: number; reason: string; count: number }>>('GET', '/api/v1/gps/rejects')).body.find(
          (x) => x.unitId === id && x.reason === 'malformed_json',
        )?.count === 2,
      { what: 'stored reject counters', timeoutMs: 10_000 },
    );
    // A wrong key on the WebSocket is refused at the handshake.
    const refused = new WebSocket(`${b.url.replace('http', 'ws')}/api/v1/gps/telemetry?unit=${id}`, { headers: { 'X-Unit-Key': 'nope' } });
    const status = await new Promise<number>((resolve) => refused.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(401);
  });

  it('refuses telemetry of a disabled unit (403) and closes its socket', async () => {
    const other = (await api<UnitKey>('POST', '/api/v1/units', { callsign: 'Body 3', type: 'body' })).body;
    const s = await unitSocket(other.unit.id, other.streamKey);
    const closed = new Promise<number>((resolve) => s.ws.on('close', (code) => resolve(code)));
    expect((await api('PATCH', `/api/v1/units/${other.unit.id}`, { enabled: false })).status).toBe(200);
    expect(await closed).toBe(4403);
    expect((await batch(other.unit.id, other.streamKey, { points: [at(Date.now())] })).status).toBe(403);
  });

  it("closes the telemetry socket when the unit's key is rotated; the old key is refused, the new one works", async () => {
    const u = (await api<UnitKey>('POST', '/api/v1/units', { callsign: 'Hand 4', type: 'handheld' })).body;
    const s = await unitSocket(u.unit.id, u.streamKey);
    const closed = new Promise<number>((resolve) => s.ws.on('close', (code) => resolve(code)));
    const rotated = (await api<UnitKey>('POST', `/api/v1/units/${u.unit.id}/rotate-key`)).body;
    expect(await closed).toBe(4403);
    expect((await batch(u.unit.id, u.streamKey, { points: [at(Date.now())] })).status).toBe(401);
    expect((await batch(u.unit.id, rotated.streamKey, { points: [at(Date.now())] })).body.stored).toBe(1);
  });

  it('a geofence crossing yields exactly one enter and one exit device event (stored and pushed)', async () => {
    const car = (await api<UnitKey>('POST', '/api/v1/units', { callsign: 'Car 30', type: 'vehicle' })).body;
    const fence = await api<Geofence>('POST', '/api/v1/gps/geofences', {
      name: 'Station square',
      shape: 'circle',
      circle: { lat: 31.3, lon: 121.5, radiusM: 200 },
      unitTypes: ['vehicle'],
    });
    expect(fence.status).toBe(201);
    const bad = await api<{ error: { fields: Array<{ path: string }> } }>('POST', '/api/v1/gps/geofences', { name: 'x', shape: 'circle' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0]!.path).toBe('circle');
    const s = await unitSocket(car.unit.id, car.streamKey);
    const t0 = Date.now() - 20_000;
    // Outside → inside (several points) → outside → further outside: one enter, one exit.
    const lats = [31.29, 31.295, 31.299, 31.3, 31.3005, 31.301, 31.305, 31.31];
    lats.forEach((lat, i) => s.send({ type: 'points', seq: 100 + i, points: [{ tMs: t0 + i * 1000, lat, lon: 121.5 }] }));
    await waitFor(() => s.replies.find((r) => r.type === 'ack' && r.seq === 107), { what: 'last ack', timeoutMs: 10_000 });
    // The same crossing sent again (duplicates) makes no new events.
    s.send({ type: 'points', seq: 200, points: lats.map((lat, i) => ({ tMs: t0 + i * 1000, lat, lon: 121.5 })) });
    await waitFor(() => s.replies.find((r) => r.type === 'ack' && r.seq === 200), { what: 'dup ack', timeoutMs: 10_000 });
    const pushed = await waitFor(
      () => {
        const list = events.flatMap((e) => (e.type === 'device.event' && e.event.cameraId === car.unit.id ? [e.event] : []));
        return list.length >= 2 ? list : null;
      },
      { what: 'device events', timeoutMs: 10_000 },
    );
    await new Promise((r) => setTimeout(r, 500));
    const all = events.flatMap((e) => (e.type === 'device.event' && e.event.cameraId === car.unit.id ? [e.event] : []));
    expect(all.map((e) => [e.type, e.startMs])).toEqual([
      ['geofence_enter', t0 + 2000], // 31.299 is 111 m from the centre
      ['geofence_exit', t0 + 6000],
    ]);
    expect(pushed[0]!.detail).toMatchObject({ geofenceId: fence.body.id, geofence: 'Station square' });
    const stored = await b.store.events.listRange({ cameraId: car.unit.id, startMs: 0, endMs: Date.now() + 1, limit: 10 });
    expect(stored.map((e) => e.type).sort()).toEqual(['geofence_enter', 'geofence_exit']);
  });

  it('SOS on a point records an active then inactive sos event', async () => {
    const id = unit.unit.id;
    const now = Date.now();
    await batch(id, unit.streamKey, { points: [at(now - 2000, 0, { sos: true }), at(now - 1000, 0, { sos: false })] });
    const sos = await waitFor(
      () => {
        const l = events.flatMap((e) => (e.type === 'device.event' && e.event.type === 'sos' && e.event.cameraId === id ? [e.event] : []));
        return l.length >= 2 ? l : null;
      },
      { what: 'sos events', timeoutMs: 10_000 },
    );
    expect(sos.map((e) => [e.state, e.startMs])).toEqual([
      ['active', now - 2000],
      ['inactive', now - 1000],
    ]);
    expect(sos[0]!.lat).toBeCloseTo(base.lat, 6);
  });

  it('places cameras on the map (admin only, audited) and answers near queries for cameras and units', async () => {
    const cam = (await api<{ id: number }>('POST', '/api/v1/cameras', { name: 'Gate East', url: 'rtsp://127.0.0.1:9/none', enabled: false })).body;
    const bad = await api<{ error: { fields: Array<{ path: string }> } }>('PUT', `/api/v1/gps/cameras/${cam.id}/place`, { lat: 95, lon: 121.5, viewDeg: 90 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0]!.path).toBe('lat');
    expect((await api('PUT', `/api/v1/gps/cameras/${cam.id}/place`, { lat: 31.2305, lon: 121.474, viewDeg: 135 })).status).toBe(200);
    expect((await api('PUT', `/api/v1/gps/cameras/${unit.unit.id}/place`, { lat: 31.2305, lon: 121.474, viewDeg: 135 })).status).toBe(404); // a unit is not a fixed camera
    expect((await api<Array<{ cameraId: number; viewDeg: number }>>('GET', '/api/v1/gps/cameras')).body).toEqual([
      { cameraId: cam.id, name: 'Gate East', lat: 31.2305, lon: 121.474, viewDeg: 135 },
    ]);
    const near = (await api<Array<{ cameraId: number; distanceM: number }>>('GET', `/api/v1/gps/cameras/near?lat=${base.lat}&lon=${base.lon}&radiusM=100`))
      .body;
    expect(near.map((c) => c.cameraId)).toEqual([cam.id]);
    expect(near[0]!.distanceM).toBeGreaterThan(20);
    expect(near[0]!.distanceM).toBeLessThan(50);
    const audit = await b.store.audit.query({ action: 'gps.camera.place', limit: 5 });
    expect(audit[0]).toMatchObject({ targetId: String(cam.id), username: 'admin' });
    // Units that passed within 200 m of the start of Car 12's drive in the last 10 minutes.
    const now = Date.now();
    const units = (
      await api<Array<{ unitId: number; minDistanceM: number }>>(
        'GET',
        `/api/v1/gps/near?lat=${base.lat}&lon=${base.lon}&radiusM=200&startMs=${now - 600_000}&endMs=${now + 60_000}`,
      )
    ).body;
    expect(units.map((u) => u.unitId)).toContain(unit.unit.id);
    expect((await api('GET', `/api/v1/gps/near?lat=${base.lat}&lon=${base.lon}&radiusM=200&startMs=${now}&endMs=${now - 1}`)).status).toBe(400);
    const nearest = (await api<Array<{ unitId: number }>>('GET', `/api/v1/gps/nearest?lat=${base.lat}&lon=${base.lon}`)).body;
    expect(nearest[0]!.unitId).toBe(unit.unit.id);
    // An officer may look but not draw geofences or place cameras.
    expect((await api('POST', '/api/v1/users', { username: 'officer1', password: 'officer-password-1', role: 'officer' })).status).toBe(201);
    const login = await fetch(`${b.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'officer1', password: 'officer-password-1' }),
    });
    const officer = ((await login.json()) as LoginResponse).token;
    const asOfficer = (method: string, p: string, body?: unknown) =>
      fetch(b.url + p, {
        method,
        headers: { Authorization: `Bearer ${officer}`, 'Content-Type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      });
    expect((await asOfficer('GET', '/api/v1/gps/units')).status).toBe(200);
    // Live positions yes, history no: where units have been is for dispatchers and investigators.
    const nowMs = Date.now();
    expect((await asOfficer('GET', `/api/v1/gps/units/${unit.unit.id}/track?startMs=${nowMs - 3_600_000}&endMs=${nowMs}`)).status).toBe(403);
    expect((await asOfficer('GET', `/api/v1/gps/near?lat=1&lon=1&radiusM=100&startMs=${nowMs - 3_600_000}&endMs=${nowMs}`)).status).toBe(403);
    expect((await api('GET', `/api/v1/gps/units/${unit.unit.id}/track?startMs=${nowMs - 3_600_000}&endMs=${nowMs}`)).status).toBe(200);
    expect((await asOfficer('POST', '/api/v1/gps/geofences', { name: 'x', shape: 'circle', circle: { lat: 1, lon: 1, radiusM: 10 } })).status).toBe(403);
    expect((await asOfficer('PUT', `/api/v1/gps/cameras/${cam.id}/place`, { lat: 1, lon: 1, viewDeg: null })).status).toBe(403);
    expect((await fetch(`${b.url}/api/v1/gps/units`)).status).toBe(401);
  });
});
