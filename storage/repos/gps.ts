// Repository interface for GPS points, geofences, telemetry reject counters and map placement (issue 5); SQLite: storage/sqlite/gps.ts.
import type { UnitType } from '../../common/api';
import type { UnitPosition } from '../../common/gps';

/** A GPS point as stored (WGS-84; tMs is the unit's time, receivedMs the server's). */
export interface GpsPointRow extends UnitPosition {
  receivedMs: number;
}

export interface GeofenceRow {
  id: number;
  name: string;
  shape: 'polygon' | 'circle';
  /** Polygon: [[lat, lon], ...]; circle: { lat, lon, radiusM }. */
  geometry: Array<[number, number]> | { lat: number; lon: number; radiusM: number };
  unitIds: number[] | null;
  unitTypes: UnitType[] | null;
  enabled: boolean;
  createdMs: number;
  updatedMs: number;
}
export type NewGeofence = Omit<GeofenceRow, 'id' | 'createdMs' | 'updatedMs'>;

export interface PlacementRow {
  cameraId: number;
  name: string;
  kind: 'rtsp' | 'uplink' | 'gb28181';
  lat: number;
  lon: number;
  viewDeg: number | null;
}

export interface GpsRepo {
  /**
   * Stores points in one transaction; a point whose (unitId, tMs) is already stored is dropped (also within the
   * batch: the first wins). Returns the points actually stored, in input order.
   */
  insertPoints(points: readonly GpsPointRow[]): Promise<GpsPointRow[]>;
  /** One unit's points with startMs <= tMs <= endMs in time order, at most `limit`. */
  track(unitId: number, startMs: number, endMs: number, limit: number): Promise<GpsPointRow[]>;
  /** Points inside the box [minLat, maxLat] x [minLon, maxLon] with startMs <= tMs <= endMs (R*Tree), at most `limit`. */
  inBox(
    box: { minLat: number; maxLat: number; minLon: number; maxLon: number },
    startMs: number,
    endMs: number,
    limit: number,
  ): Promise<Array<Pick<GpsPointRow, 'unitId' | 'tMs' | 'lat' | 'lon'>>>;
  /** Each unit's newest stored point (unit time). */
  latestPerUnit(): Promise<GpsPointRow[]>;
  /** Deletes points with tMs < beforeMs (in chunks); returns how many. */
  deleteBefore(beforeMs: number): Promise<number>;
  countPoints(): Promise<number>;

  listGeofences(): Promise<GeofenceRow[]>;
  getGeofence(id: number): Promise<GeofenceRow | null>;
  /** Throws StorageError 'conflict' (field 'name') on a duplicate name. */
  createGeofence(g: NewGeofence, nowMs: number): Promise<GeofenceRow>;
  updateGeofence(id: number, patch: Partial<NewGeofence>, nowMs: number): Promise<GeofenceRow | null>;
  deleteGeofence(id: number): Promise<boolean>;

  /** Adds `count` refusals for (unitId, reason). */
  addRejects(rows: ReadonlyArray<{ unitId: number; reason: string; count: number; lastMs: number }>): Promise<void>;
  rejects(): Promise<Array<{ unitId: number; reason: string; count: number; lastMs: number }>>;

  /** Cameras and units with a place on the map. */
  placements(): Promise<PlacementRow[]>;
  /** One camera's place on the map, or null when it is not placed (or does not exist). */
  placement(cameraId: number): Promise<PlacementRow | null>;
  /** Sets (or clears, with null) a camera's place; false when the camera does not exist. */
  setPlacement(cameraId: number, p: { lat: number; lon: number; viewDeg: number | null } | null): Promise<boolean>;
}
