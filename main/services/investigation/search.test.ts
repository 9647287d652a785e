// Search by place, time, event type and bookmark text against a real SQLite store; places from a small PlaceQueries over a real table made here.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { AuditLog } from '../audit-log';
import { openTempStore, type TempStore } from '../../../storage/sqlite/test-utils';
import type { NewSegment } from '../../../storage/repositories';
import type { PlaceQueries, TrackPoint } from '../contracts';
import type { FeatureContext } from '../features';
import { InvestigationService } from './service';
import { testLauncher } from '../../../test/harness/ffmpeg';

const P = { lat: 52.52, lon: 13.405 };
const M_PER_DEG_LAT = 111_320;

function haversineM(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const r = 6_371_000;
  const toRad = (d: number) => (d * Math.PI) / 180;
  const dLat = toRad(bLat - aLat);
  const dLon = toRad(bLon - aLon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRad(aLat)) * Math.cos(toRad(bLat)) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(h));
}

/** A PlaceQueries over two tables of the test database (the GPS feature provides the real one). */
function sqlPlaces(t: TempStore): PlaceQueries {
  const db = t.store.db;
  return {
    async unitsNear(q) {
      const rows = await db.all<{ unit_id: number; t_ms: number; lat: number; lon: number }>(
        'SELECT * FROM test_track WHERE t_ms BETWEEN ? AND ? ORDER BY t_ms',
        [q.startMs, q.endMs],
      );
      const by = new Map<number, { unitId: number; firstMs: number; lastMs: number; minDistanceM: number }>();
      for (const r of rows) {
        const d = haversineM(q.lat, q.lon, r.lat, r.lon);
        if (d > q.radiusM) continue;
        const e = by.get(r.unit_id) ?? { unitId: r.unit_id, firstMs: r.t_ms, lastMs: r.t_ms, minDistanceM: d };
        e.lastMs = r.t_ms;
        e.minDistanceM = Math.min(e.minDistanceM, d);
        by.set(r.unit_id, e);
      }
      return [...by.values()];
    },
    async camerasNear(q) {
      const rows = await db.all<{ camera_id: number; lat: number; lon: number }>('SELECT * FROM test_cam_pos');
      return rows.map((r) => ({ cameraId: r.camera_id, distanceM: haversineM(q.lat, q.lon, r.lat, r.lon) })).filter((r) => r.distanceM <= q.radiusM);
    },
    async track(unitId, startMs, endMs, limit = 10_000) {
      const rows = await db.all<{ unit_id: number; t_ms: number; lat: number; lon: number }>(
        'SELECT * FROM test_track WHERE unit_id = ? AND t_ms BETWEEN ? AND ? ORDER BY t_ms LIMIT ?',
        [unitId, startMs, endMs, limit],
      );
      return rows.map((r): TrackPoint => ({
        unitId: r.unit_id,
        tMs: r.t_ms,
        lat: r.lat,
        lon: r.lon,
        altM: null,
        speedMps: null,
        headingDeg: null,
        accuracyM: null,
      }));
    },
  };
}

const seg = (cameraId: number, i: number, startMs: number): NewSegment => ({
  cameraId,
  relPath: `${cameraId}/s-${i}.ts`,
  startMs,
  endMs: startMs + 60_000,
  durationMs: 60_000,
  sizeBytes: 1000,
  videoCodec: 'h264',
  audioCodec: null,
  width: 320,
  height: 240,
  fps: 25,
  state: 'closed',
  protected: false,
  recovered: false,
});

describe('investigation search', () => {
  let t: TempStore;
  let svc: InvestigationService;
  const t0 = 1_790_000_000_000;
  const ids: Record<string, number> = {};

  beforeEach(async () => {
    t = await openTempStore();
    const store = t.store;
    await store.db.exec(
      'CREATE TABLE test_track (unit_id INTEGER, t_ms INTEGER, lat REAL, lon REAL); CREATE TABLE test_cam_pos (camera_id INTEGER, lat REAL, lon REAL);',
    );
    const unit = (callsign: string) =>
      store.units.create(
        { callsign, type: 'vehicle', officer: null, enabled: false, groupName: null, segmentSeconds: 60, retentionDays: 30, streamKeyHash: 'a'.repeat(64) },
        t0,
      );
    const cam = (name: string) =>
      store.cameras.create(
        {
          name,
          url: 'rtsp://h/x',
          subUrl: null,
          username: null,
          password: null,
          transport: 'tcp',
          enabled: false,
          segmentSeconds: 60,
          retentionDays: 30,
          groupName: null,
          description: null,
        },
        t0,
      );
    ids.passer = (await unit('PASSER')).id; // drives through the point while recording
    ids.far = (await unit('FAR')).id; // drives 500 m north of it
    ids.dark = (await unit('DARK')).id; // passes the point but records only later
    ids.near = (await cam('Near cam')).id; // 20 m from the point
    ids.away = (await cam('Away cam')).id; // 2 km away
    for (const id of [ids.passer, ids.far, ids.near, ids.away]) await store.segments.insertMany([0, 1, 2, 3, 4].map((i) => seg(id, i, t0 + i * 60_000)));
    await store.segments.insertMany([seg(ids.dark!, 9, t0 + 600_000)]);
    // Tracks: a pass from 300 m south to 300 m north of the point over 4 minutes, one point every 10 s.
    const rows: Array<[number, number, number, number]> = [];
    for (let k = 0; k <= 24; k++) {
      const dy = (-300 + k * 25) / M_PER_DEG_LAT;
      rows.push([ids.passer!, t0 + k * 10_000, P.lat + dy, P.lon]);
      rows.push([ids.far!, t0 + k * 10_000, P.lat + 500 / M_PER_DEG_LAT + dy * 0.1, P.lon]);
      rows.push([ids.dark!, t0 + k * 10_000, P.lat + dy, P.lon]);
    }
    for (const r of rows) await store.db.run('INSERT INTO test_track VALUES (?, ?, ?, ?)', r);
    await store.db.run('INSERT INTO test_cam_pos VALUES (?, ?, ?), (?, ?, ?)', [
      ids.near!,
      P.lat + 20 / M_PER_DEG_LAT,
      P.lon,
      ids.away!,
      P.lat + 2000 / M_PER_DEG_LAT,
      P.lon,
    ]);
    const config = loadConfig({ dataDir: t.dir, env: {} });
    const ctx = {
      config,
      store,
      log: () => undefined,
      now: () => t0 + 3_600_000,
      publish: () => undefined,
      onServerEvent: () => () => undefined,
      audit: new AuditLog(store, () => t0),
      ffmpeg: testLauncher(),
    } as unknown as FeatureContext;
    svc = new InvestigationService(ctx, sqlPlaces(t), { exportsDir: `${t.dir}/exports`, snapshotsDir: `${t.dir}/snapshots` });
  });

  afterEach(async () => {
    await t.cleanup();
  });

  it('finds the unit that passed within R while recording and the camera placed within R; not the others', async () => {
    const hits = await svc.search({ startMs: t0, endMs: t0 + 300_000, ...P, radiusM: 50 }, null);
    expect(hits.map((h) => [h.kind, h.cameraId]).sort()).toEqual(
      [
        ['place-camera', ids.near],
        ['place-unit', ids.passer],
      ].sort(),
    );
    const unitHit = hits.find((h) => h.kind === 'place-unit')!;
    // Within 50 m from k = 10 (-50 m) to k = 14 (+50 m): it opens playback when the unit got near.
    expect(unitHit.startMs).toBe(t0 + 100_000);
    expect(unitHit.endMs).toBe(t0 + 140_000);
    expect(unitHit.atMs).toBe(t0 + 100_000);
    expect(unitHit.distanceM).toBe(0);
    expect(hits.find((h) => h.kind === 'place-camera')!.distanceM).toBe(20);
    // A time window when nobody was near finds only the fixed camera's recording.
    const later = await svc.search({ startMs: t0 + 200_000, endMs: t0 + 300_000, ...P, radiusM: 50 }, null);
    expect(later.map((h) => h.kind)).toEqual(['place-camera']);
    // Restricting to some cameras.
    const only = await svc.search({ startMs: t0, endMs: t0 + 300_000, ...P, radiusM: 600, cameraIds: String(ids.far) }, null);
    expect(only.map((h) => h.cameraId)).toEqual([ids.far]);
  });

  it('refuses a place without radius (field named) and reports a missing GPS feature as unavailable', async () => {
    await expect(svc.search({ startMs: t0, endMs: t0 + 1000, lat: 1, lon: 1 }, null)).rejects.toMatchObject({ fields: [{ path: 'radiusM' }] });
    const noGps = new InvestigationService(
      (svc as unknown as { ctx: FeatureContext }).ctx,
      {
        unitsNear: () => Promise.reject(new Error('not available')),
        camerasNear: () => Promise.reject(new Error('not available')),
        track: () => Promise.reject(new Error('not available')),
      },
      svc.opts,
    );
    await expect(noGps.search({ startMs: t0, endMs: t0 + 1000, ...P, radiusM: 10 }, null)).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('finds events by type and bookmarks by text, and recordings when no other filter is given', async () => {
    await t.store.events.insert({ cameraId: ids.near!, type: 'motion', state: 'start', startMs: t0 + 30_000, endMs: t0 + 35_000, detail: null });
    await t.store.events.insert({ cameraId: ids.near!, type: 'tamper', state: 'start', startMs: t0 + 40_000, endMs: null, detail: null });
    await svc.addBookmark(
      { cameraId: ids.away!, startMs: t0 + 50_000, endMs: t0 + 55_000, note: 'Red VAN leaving', caseId: null },
      { actor: { kind: 'system', reason: 'test' }, access: null },
    );
    expect((await svc.search({ startMs: t0, endMs: t0 + 300_000, eventType: 'motion' }, null)).map((h) => [h.kind, h.atMs])).toEqual([['event', t0 + 30_000]]);
    expect((await svc.search({ startMs: t0, endMs: t0 + 300_000, text: 'red van' }, null)).map((h) => [h.kind, h.cameraId, h.label])).toEqual([
      ['bookmark', ids.away, 'Red VAN leaving'],
    ]);
    const rec = await svc.search({ startMs: t0 + 30_000, endMs: t0 + 90_000, cameraIds: `${ids.near},${ids.dark}` }, null);
    expect(rec).toEqual([{ kind: 'recording', cameraId: ids.near, atMs: t0 + 30_000, startMs: t0 + 30_000, endMs: t0 + 90_000, label: 'Near cam' }]);
  });

  it('timeline merges adjacent segments into ranges and shows gaps, events and bookmarks', async () => {
    await t.store.segments.insertMany([seg(ids.near!, 20, t0 + 900_000)]);
    await t.store.events.insert({ cameraId: ids.near!, type: 'motion', state: 'start', startMs: t0 + 30_000, endMs: t0 + 35_000, detail: null });
    const tl = await svc.timeline(ids.near!, t0 - 60_000, t0 + 3_600_000, null);
    expect(tl.ranges).toEqual([
      { startMs: t0, endMs: t0 + 300_000 },
      { startMs: t0 + 900_000, endMs: t0 + 960_000 },
    ]);
    expect(tl.events.map((e) => e.type)).toEqual(['motion']);
  });
});
