// SQLite GpsRepo: GPS points (+ R*Tree), geofences, telemetry reject counters and map placement (issue 5).
import type { GeofenceRow, GpsPointRow, GpsRepo, NewGeofence, PlacementRow } from '../repos/gps';
import { StorageError } from '../repositories';
import type { Db, SqlValue } from './db';

/** Rows per multi-row INSERT (13 columns each: stays under SQLite's 32766 bound variables). */
const INSERT_CHUNK = 2000;
const COLS = 'unit_id, t_ms, lat, lon, alt_m, speed_mps, heading_deg, accuracy_m, battery_pct, signal_dbm, sos, received_ms';

interface PointDbRow {
  unit_id: number;
  t_ms: number;
  lat: number;
  lon: number;
  alt_m: number | null;
  speed_mps: number | null;
  heading_deg: number | null;
  accuracy_m: number | null;
  battery_pct: number | null;
  signal_dbm: number | null;
  sos: number;
  received_ms: number;
}

function toPoint(r: PointDbRow): GpsPointRow {
  return {
    unitId: r.unit_id,
    tMs: r.t_ms,
    lat: r.lat,
    lon: r.lon,
    altM: r.alt_m,
    speedMps: r.speed_mps,
    headingDeg: r.heading_deg,
    accuracyM: r.accuracy_m,
    batteryPct: r.battery_pct,
    signalDbm: r.signal_dbm,
    sos: r.sos === 1,
    receivedMs: r.received_ms,
  };
}

/** A row of COLS as a JSON array, in COLS order. */
type PointTuple = [number, number, number, number, number | null, number | null, number | null, number | null, number | null, number | null, number, number];

function fromTuple(t: PointTuple): GpsPointRow {
  return {
    unitId: t[0],
    tMs: t[1],
    lat: t[2],
    lon: t[3],
    altM: t[4],
    speedMps: t[5],
    headingDeg: t[6],
    accuracyM: t[7],
    batteryPct: t[8],
    signalDbm: t[9],
    sos: t[10] === 1,
    receivedMs: t[11],
  };
}

interface FenceDbRow {
  id: number;
  name: string;
  shape: 'polygon' | 'circle';
  geometry: string;
  unit_ids: string | null;
  unit_types: string | null;
  enabled: number;
  created_ms: number;
  updated_ms: number;
}

function toFence(r: FenceDbRow): GeofenceRow {
  return {
    id: r.id,
    name: r.name,
    shape: r.shape,
    geometry: JSON.parse(r.geometry) as GeofenceRow['geometry'],
    unitIds: r.unit_ids === null ? null : (JSON.parse(r.unit_ids) as number[]),
    unitTypes: r.unit_types === null ? null : (JSON.parse(r.unit_types) as GeofenceRow['unitTypes']),
    enabled: r.enabled === 1,
    createdMs: r.created_ms,
    updatedMs: r.updated_ms,
  };
}

const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));

export class SqliteGpsRepo implements GpsRepo {
  constructor(private readonly db: Db) {}

  async insertPoints(points: readonly GpsPointRow[]): Promise<GpsPointRow[]> {
    if (points.length === 0) return [];
    const storedKeys = new Set<string>();
    await this.db.transaction(async (tx) => {
      for (let i = 0; i < points.length; i += INSERT_CHUNK) {
        const chunk = points.slice(i, i + INSERT_CHUNK);
        const params: SqlValue[] = [];
        for (const p of chunk)
          params.push(p.unitId, p.tMs, p.lat, p.lon, p.altM, p.speedMps, p.headingDeg, p.accuracyM, p.batteryPct, p.signalDbm, p.sos ? 1 : 0, p.receivedMs);
        const values = chunk.map(() => '(?,?,?,?,?,?,?,?,?,?,?,?)').join(',');
        const rows = await tx.all<{ unit_id: number; t_ms: number }>(
          `INSERT OR IGNORE INTO gps_points (${COLS}) VALUES ${values} RETURNING unit_id, t_ms`,
          params,
        );
        for (const r of rows) storedKeys.add(`${r.unit_id}:${r.t_ms}`);
      }
    });
    // RETURNING names each stored (unit, time) once; the first point of the batch with that key is the stored one.
    const out: GpsPointRow[] = [];
    for (const p of points) {
      const k = `${p.unitId}:${p.tMs}`;
      if (storedKeys.delete(k)) out.push(p);
    }
    return out;
  }

  async track(unitId: number, startMs: number, endMs: number, limit: number): Promise<GpsPointRow[]> {
    // One JSON text for the whole track: the sqlite3 driver's per-row object building dominated (as for segments).
    const r = await this.db.get<{ j: string }>(
      `SELECT json_group_array(json_array(${COLS})) AS j FROM
         (SELECT ${COLS} FROM gps_points WHERE unit_id = ? AND t_ms BETWEEN ? AND ? ORDER BY t_ms LIMIT ?)`,
      [unitId, startMs, endMs, limit],
    );
    return (JSON.parse(r?.j ?? '[]') as PointTuple[]).map(fromTuple);
  }

  async inBox(box: { minLat: number; maxLat: number; minLon: number; maxLon: number }, startMs: number, endMs: number, limit: number) {
    // The R*Tree answers alone (exact values in its auxiliary columns): no lookup in gps_points per hit.
    const rows = await this.db.all<{ unit_id: number; t_ms: number; lat: number; lon: number }>(
      `SELECT unit_id, t_ms, lat, lon FROM gps_points_rtree
       WHERE max_lat >= ? AND min_lat <= ? AND max_lon >= ? AND min_lon <= ? AND max_t >= ? AND min_t <= ?
         AND t_ms BETWEEN ? AND ? AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?
       LIMIT ?`,
      [box.minLat, box.maxLat, box.minLon, box.maxLon, startMs / 1000, endMs / 1000, startMs, endMs, box.minLat, box.maxLat, box.minLon, box.maxLon, limit],
    );
    return rows.map((r) => ({ unitId: r.unit_id, tMs: r.t_ms, lat: r.lat, lon: r.lon }));
  }

  async latestPerUnit(): Promise<GpsPointRow[]> {
    const units = await this.db.all<{ unit_id: number }>('SELECT DISTINCT unit_id FROM gps_points');
    const out: GpsPointRow[] = [];
    for (const u of units) {
      const r = await this.db.get<PointDbRow>(`SELECT ${COLS} FROM gps_points WHERE unit_id = ? ORDER BY t_ms DESC LIMIT 1`, [u.unit_id]);
      if (r) out.push(toPoint(r));
    }
    return out;
  }

  async deleteBefore(beforeMs: number): Promise<number> {
    const units = await this.db.all<{ unit_id: number }>('SELECT DISTINCT unit_id FROM gps_points');
    let total = 0;
    for (const u of units) {
      // In chunks of 5000 (short transactions): up to the 5000th oldest point before the cutoff, until none is left.
      for (;;) {
        const nth = await this.db.get<{ t_ms: number }>('SELECT t_ms FROM gps_points WHERE unit_id = ? AND t_ms < ? ORDER BY t_ms LIMIT 1 OFFSET 4999', [
          u.unit_id,
          beforeMs,
        ]);
        const r = await this.db.run('DELETE FROM gps_points WHERE unit_id = ? AND t_ms <= ?', [u.unit_id, nth ? nth.t_ms : beforeMs - 1]);
        total += r.changes;
        if (!nth) break;
      }
    }
    return total;
  }

  async countPoints(): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT count(*) AS n FROM gps_points'))!.n;
  }

  async listGeofences(): Promise<GeofenceRow[]> {
    return (await this.db.all<FenceDbRow>('SELECT * FROM gps_geofences ORDER BY id')).map(toFence);
  }

  async getGeofence(id: number): Promise<GeofenceRow | null> {
    const r = await this.db.get<FenceDbRow>('SELECT * FROM gps_geofences WHERE id = ?', [id]);
    return r ? toFence(r) : null;
  }

  async createGeofence(g: NewGeofence, nowMs: number): Promise<GeofenceRow> {
    try {
      const r = await this.db.get<FenceDbRow>(
        `INSERT INTO gps_geofences (name, shape, geometry, unit_ids, unit_types, enabled, created_ms, updated_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        [g.name, g.shape, JSON.stringify(g.geometry), json(g.unitIds), json(g.unitTypes), g.enabled ? 1 : 0, nowMs, nowMs],
      );
      return toFence(r!);
    } catch (err) {
      throw nameConflict(err, g.name);
    }
  }

  async updateGeofence(id: number, patch: Partial<NewGeofence>, nowMs: number): Promise<GeofenceRow | null> {
    const before = await this.getGeofence(id);
    if (!before) return null;
    const g = { ...before, ...patch };
    try {
      const r = await this.db.get<FenceDbRow>(
        `UPDATE gps_geofences SET name = ?, shape = ?, geometry = ?, unit_ids = ?, unit_types = ?, enabled = ?, updated_ms = ?
         WHERE id = ? RETURNING *`,
        [g.name, g.shape, JSON.stringify(g.geometry), json(g.unitIds), json(g.unitTypes), g.enabled ? 1 : 0, nowMs, id],
      );
      return r ? toFence(r) : null;
    } catch (err) {
      throw nameConflict(err, g.name);
    }
  }

  async deleteGeofence(id: number): Promise<boolean> {
    return (await this.db.run('DELETE FROM gps_geofences WHERE id = ?', [id])).changes > 0;
  }

  async addRejects(rows: ReadonlyArray<{ unitId: number; reason: string; count: number; lastMs: number }>): Promise<void> {
    if (rows.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const r of rows)
        await tx.run(
          `INSERT INTO gps_rejects (unit_id, reason, count, last_ms) VALUES (?, ?, ?, ?)
           ON CONFLICT (unit_id, reason) DO UPDATE SET count = count + excluded.count, last_ms = max(last_ms, excluded.last_ms)`,
          [r.unitId, r.reason, r.count, r.lastMs],
        );
    });
  }

  async rejects() {
    const rows = await this.db.all<{ unit_id: number; reason: string; count: number; last_ms: number }>('SELECT * FROM gps_rejects ORDER BY unit_id, reason');
    return rows.map((r) => ({ unitId: r.unit_id, reason: r.reason, count: r.count, lastMs: r.last_ms }));
  }

  async placements(): Promise<PlacementRow[]> {
    const rows = await this.db.all<PlacementDbRow>(`${SELECT_PLACEMENT} WHERE c.map_lat IS NOT NULL AND c.map_lon IS NOT NULL ORDER BY c.id`);
    return rows.map(toPlacement);
  }

  async placement(cameraId: number): Promise<PlacementRow | null> {
    const r = await this.db.get<PlacementDbRow>(`${SELECT_PLACEMENT} WHERE c.id = ? AND c.map_lat IS NOT NULL AND c.map_lon IS NOT NULL`, [cameraId]);
    return r ? toPlacement(r) : null;
  }

  async setPlacement(cameraId: number, p: { lat: number; lon: number; viewDeg: number | null } | null): Promise<boolean> {
    const r = await this.db.run('UPDATE channels SET map_lat = ?, map_lon = ?, map_view_deg = ? WHERE id = ?', [
      p?.lat ?? null,
      p?.lon ?? null,
      p?.viewDeg ?? null,
      cameraId,
    ]);
    return r.changes > 0;
  }
}

function nameConflict(err: unknown, name: string): unknown {
  if (err instanceof StorageError && err.code === 'conflict') {
    const e = new StorageError('conflict', `a geofence named "${name}" already exists`, 'name');
    e.cause = err;
    return e;
  }
  return err;
}

interface PlacementDbRow {
  id: number;
  name: string;
  kind: 'rtsp' | 'uplink' | 'gb28181';
  map_lat: number;
  map_lon: number;
  map_view_deg: number | null;
}

/** Placed channels (fixed map place); kind 'uplink' for a channel of an agent device, as the old cameras.kind; 'gb28181' for a GB channel. */
const SELECT_PLACEMENT = `SELECT c.id, c.name, CASE d.kind WHEN 'agent' THEN 'uplink' WHEN 'gb28181' THEN 'gb28181' ELSE 'rtsp' END AS kind, c.map_lat, c.map_lon, c.map_view_deg
  FROM channels c JOIN devices d ON d.id = c.device_id`;

function toPlacement(r: PlacementDbRow): PlacementRow {
  return { cameraId: r.id, name: r.name, kind: r.kind, lat: r.map_lat, lon: r.map_lon, viewDeg: r.map_view_deg };
}
