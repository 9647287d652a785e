// HTTP calls of the Map tab (issue 5 routes under /api/v1/gps), with the session's bearer token.
import { API_PREFIX } from '../../common/api';
import type { Camera } from '../../common/api';
import type { CameraPlacement, CameraPlacementBody, Geofence, GeofenceCreate, MapConfig, MapUnit, NearestUnit, TrackPointView } from '../../common/gps';
import { apiErrorOf } from '../api';
import { currentToken } from '../session';

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = currentToken();
  const res = await fetch(API_PREFIX + path, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) throw apiErrorOf(res.status, parsed);
  return parsed as T;
}

export const gpsApi = {
  units: () => call<MapUnit[]>('GET', '/gps/units'),
  config: () => call<MapConfig>('GET', '/gps/map'),
  track: (unitId: number, startMs: number, endMs: number) => call<TrackPointView[]>('GET', `/gps/units/${unitId}/track?startMs=${startMs}&endMs=${endMs}`),
  nearest: (lat: number, lon: number) => call<NearestUnit[]>('GET', `/gps/nearest?lat=${lat}&lon=${lon}&limit=5`),
  geofences: () => call<Geofence[]>('GET', '/gps/geofences'),
  createGeofence: (b: GeofenceCreate) => call<Geofence>('POST', '/gps/geofences', b),
  deleteGeofence: (id: number) => call<void>('DELETE', `/gps/geofences/${id}`),
  placements: () => call<CameraPlacement[]>('GET', '/gps/cameras'),
  place: (cameraId: number, b: CameraPlacementBody) => call<CameraPlacement>('PUT', `/gps/cameras/${cameraId}/place`, b),
  cameras: () => call<Camera[]>('GET', '/cameras'),
};

/** A tile URL template usable by <img>: local (relative) tiles carry the session token. */
export function tileUrlWithToken(template: string): string {
  if (/^https?:\/\//.test(template)) return template;
  const token = currentToken();
  return token ? `${template}${template.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}` : template;
}
