// Tests of SqliteGpsRepo against a real SQLite file: dedup, time order, R*Tree box queries, retention, geofences, rejects, placement.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GpsPointRow } from '../repos/gps';
import { StorageError } from '../repositories';
import { camera, openTempStore, T0, type TempStore } from './test-utils';

function pt(unitId: number, tMs: number, lat = 31.2, lon = 121.5, over: Partial<GpsPointRow> = {}): GpsPointRow {
  return {
    unitId,
    tMs,
    lat,
    lon,
    altM: null,
    speedMps: 5,
    headingDeg: 90,
    accuracyM: 4,
    batteryPct: 80,
    signalDbm: -70,
    sos: false,
    receivedMs: tMs + 100,
    ...over,
  };
}

describe('SqliteGpsRepo', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('stores points once per (unit, time), returns those stored and keeps the R*Tree in step', async () => {
    const first = await t.store.gps.insertPoints([pt(1, T0 + 2000), pt(1, T0), pt(2, T0)]);
    expect(first.map((p) => [p.unitId, p.tMs])).toEqual([
      [1, T0 + 2000],
      [1, T0],
      [2, T0],
    ]);
    // Duplicate of a stored point, a duplicate inside the batch (the first wins) and a new one.
    const second = await t.store.gps.insertPoints([pt(1, T0), pt(1, T0 + 1000, 31.3), pt(1, T0 + 1000, 99 / 2)]);
    expect(second.map((p) => [p.tMs, p.lat])).toEqual([[T0 + 1000, 31.3]]);
    expect(await t.store.gps.countPoints()).toBe(4);
    const track = await t.store.gps.track(1, T0, T0 + 10_000, 100);
    expect(track.map((p) => p.tMs)).toEqual([T0, T0 + 1000, T0 + 2000]); // the unit's time order, whatever the arrival order
    expect(track[1]).toMatchObject({ lat: 31.3, speedMps: 5, sos: false, receivedMs: T0 + 1100 });
    const rt = await t.store.db.all<{ unit_id: number; t_ms: number; lat: number }>('SELECT unit_id, t_ms, lat FROM gps_points_rtree ORDER BY unit_id, t_ms');
    expect(rt).toEqual([
      { unit_id: 1, t_ms: T0, lat: 31.2 },
      { unit_id: 1, t_ms: T0 + 1000, lat: 31.3 },
      { unit_id: 1, t_ms: T0 + 2000, lat: 31.2 },
      { unit_id: 2, t_ms: T0, lat: 31.2 },
    ]);
  });

  it('inserts large batches (more than one multi-row chunk) in one call', async () => {
    const pts = Array.from({ length: 4500 }, (_, i) => pt(7, T0 + i * 1000, 31 + i * 1e-5, 121));
    expect((await t.store.gps.insertPoints(pts)).length).toBe(4500);
    expect((await t.store.gps.insertPoints(pts)).length).toBe(0);
    expect(await t.store.gps.countPoints()).toBe(4500);
  });

  it('finds points in a box and time window through the R*Tree, exactly', async () => {
    await t.store.gps.insertPoints([pt(1, T0, 31.2, 121.5), pt(1, T0 + 60_000, 31.21, 121.5), pt(2, T0, 31.3, 121.5), pt(3, T0 + 3_600_000, 31.2, 121.5)]);
    const box = { minLat: 31.19, maxLat: 31.205, minLon: 121.49, maxLon: 121.51 };
    const hits = await t.store.gps.inBox(box, T0 - 1000, T0 + 120_000, 100);
    expect(hits).toEqual([{ unitId: 1, tMs: T0, lat: 31.2, lon: 121.5 }]);
    // The time bound is exact although the R*Tree stores float32 seconds.
    expect(await t.store.gps.inBox(box, T0 + 1, T0 + 120_000, 100)).toEqual([]);
    const plan = await t.store.db.all<{ detail: string }>(
      'EXPLAIN QUERY PLAN SELECT unit_id FROM gps_points_rtree WHERE max_lat >= 1 AND min_lat <= 2 AND max_lon >= 1 AND min_lon <= 2',
    );
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/VIRTUAL TABLE INDEX 2:/); // an R*Tree box search, not a full scan
    const trackPlan = await t.store.db.all<{ detail: string }>(
      'EXPLAIN QUERY PLAN SELECT * FROM gps_points WHERE unit_id = 1 AND t_ms BETWEEN 1 AND 2 ORDER BY t_ms',
    );
    expect(trackPlan.map((p) => p.detail).join(' ')).toMatch(/SEARCH gps_points USING PRIMARY KEY \(unit_id=\? AND t_ms>\? AND t_ms<\?\)/);
  });

  it('gives each unit its newest point and deletes by retention cutoff, in chunks (R*Tree too)', async () => {
    await t.store.gps.insertPoints([pt(1, T0), pt(1, T0 + 5000), pt(2, T0 + 1000)]);
    expect((await t.store.gps.latestPerUnit()).map((p) => [p.unitId, p.tMs]).sort()).toEqual([
      [1, T0 + 5000],
      [2, T0 + 1000],
    ]);
    expect(await t.store.gps.deleteBefore(T0 + 2000)).toBe(2);
    expect(await t.store.gps.countPoints()).toBe(1);
    expect((await t.store.db.get<{ n: number }>('SELECT count(*) AS n FROM gps_points_rtree'))!.n).toBe(1);
    await t.store.gps.insertPoints(Array.from({ length: 12_000 }, (_, i) => pt(3, T0 + 10_000 + i)));
    expect(await t.store.gps.deleteBefore(T0 + 10_000 + 11_000)).toBe(11_000 + 1); // and unit 1's point at T0 + 5 s
    expect((await t.store.gps.track(3, 0, T0 * 2, 100_000)).map((p) => p.tMs)[0]).toBe(T0 + 21_000);
    expect((await t.store.db.get<{ n: number }>('SELECT count(*) AS n FROM gps_points_rtree'))!.n).toBe(1000);
  });

  it('stores geofences with their geometry and watched units; names are unique', async () => {
    const g = await t.store.gps.createGeofence(
      {
        name: 'Harbour',
        shape: 'polygon',
        geometry: [
          [1, 2],
          [1, 3],
          [2, 3],
        ],
        unitIds: [4],
        unitTypes: null,
        enabled: true,
      },
      T0,
    );
    expect(g).toMatchObject({
      id: 1,
      name: 'Harbour',
      geometry: [
        [1, 2],
        [1, 3],
        [2, 3],
      ],
      unitIds: [4],
      unitTypes: null,
      enabled: true,
      createdMs: T0,
    });
    await expect(t.store.gps.createGeofence({ ...g, geometry: { lat: 1, lon: 2, radiusM: 50 }, shape: 'circle' }, T0)).rejects.toMatchObject({
      code: 'conflict',
      field: 'name',
    });
    await expect(t.store.gps.createGeofence({ ...g }, T0)).rejects.toBeInstanceOf(StorageError);
    const u = await t.store.gps.updateGeofence(g.id, { unitTypes: ['body'], enabled: false }, T0 + 5);
    expect(u).toMatchObject({ unitTypes: ['body'], enabled: false, updatedMs: T0 + 5, name: 'Harbour' });
    expect(await t.store.gps.updateGeofence(99, { name: 'x' }, T0)).toBeNull();
    expect(await t.store.gps.deleteGeofence(g.id)).toBe(true);
    expect(await t.store.gps.listGeofences()).toEqual([]);
  });

  it('adds reject counts per unit and reason', async () => {
    await t.store.gps.addRejects([{ unitId: 3, reason: 'lat_out_of_range', count: 2, lastMs: T0 }]);
    await t.store.gps.addRejects([
      { unitId: 3, reason: 'lat_out_of_range', count: 1, lastMs: T0 + 9 },
      { unitId: 3, reason: 'malformed_json', count: 1, lastMs: T0 },
    ]);
    expect(await t.store.gps.rejects()).toEqual([
      { unitId: 3, reason: 'lat_out_of_range', count: 3, lastMs: T0 + 9 },
      { unitId: 3, reason: 'malformed_json', count: 1, lastMs: T0 },
    ]);
  });

  it('places cameras on the map and clears the place', async () => {
    const cam = await t.store.cameras.create(camera('Gate'), T0);
    expect(await t.store.gps.setPlacement(cam.id, { lat: 31.2, lon: 121.4, viewDeg: 270 })).toBe(true);
    expect(await t.store.gps.placements()).toEqual([{ cameraId: cam.id, name: 'Gate', kind: 'rtsp', lat: 31.2, lon: 121.4, viewDeg: 270 }]);
    expect(await t.store.gps.setPlacement(999, { lat: 1, lon: 1, viewDeg: null })).toBe(false);
    await t.store.gps.setPlacement(cam.id, null);
    expect(await t.store.gps.placements()).toEqual([]);
  });
});
