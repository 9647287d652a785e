// What route handlers and other features may ask of the gps feature (issue 5).
import type { CameraPlacement, Geofence, GeofenceCreate, GeofenceUpdate, MapConfig, MapUnit, NearestUnit } from '../../../common/gps';
import type { Actor, PlaceQueries, PositionIntake } from '../contracts';

export interface GpsControl extends PlaceQueries, PositionIntake {
  /** Every unit with its live position, link and SOS state. */
  units(): Promise<MapUnit[]>;
  /** Units nearest to a point now (last live positions, straight-line distance). */
  nearestNow(q: { lat: number; lon: number; limit: number }): NearestUnit[];
  mapConfig(): MapConfig;
  geofences(): Promise<Geofence[]>;
  createGeofence(body: GeofenceCreate, actor: Actor, ip: string | null): Promise<Geofence>;
  updateGeofence(id: number, body: GeofenceUpdate, actor: Actor, ip: string | null): Promise<Geofence>;
  deleteGeofence(id: number, actor: Actor, ip: string | null): Promise<void>;
  placements(): Promise<CameraPlacement[]>;
  /** Places (or with null removes) a fixed camera on the map. */
  place(cameraId: number, p: { lat: number; lon: number; viewDeg: number | null } | null, actor: Actor, ip: string | null): Promise<CameraPlacement | null>;
  /** Telemetry refusals per unit and reason (stored counters). */
  rejects(): Promise<Array<{ unitId: number; reason: string; count: number; lastMs: number }>>;
}
