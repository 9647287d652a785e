// HTTP calls of the Map tab (routes under /api/v1/gps), derived from the declarations (common/endpoints/gps.ts), through the console's one client.
import * as E from '../../common/endpoints';
import type { CameraPlacementBody, GeofenceCreate } from '../../common/gps';
import { api } from '../api';
import { currentToken } from '../session';

export const gpsApi = {
  units: () => api.call(E.getGpsUnits),
  config: () => api.call(E.getGpsMap),
  track: (id: number, startMs: number, endMs: number) => api.call(E.getGpsUnitsByidTrack, { params: { id }, query: { startMs, endMs } }),
  nearest: (lat: number, lon: number) => api.call(E.getGpsNearest, { query: { lat, lon, limit: 5 } }),
  geofences: () => api.call(E.getGpsGeofences),
  createGeofence: (b: GeofenceCreate) => api.call(E.postGpsGeofences, { body: b }),
  deleteGeofence: (id: number) => api.call(E.deleteGpsGeofencesByid, { params: { id } }),
  placements: () => api.call(E.getGpsCameras),
  place: (id: number, b: CameraPlacementBody) => api.call(E.putGpsCamerasByidPlace, { params: { id }, body: b }),
  cameras: () => api.call(E.getCameras),
};

/** A tile URL template usable by <img>: local (relative) tiles carry the session token. */
export function tileUrlWithToken(template: string): string {
  if (/^https?:\/\//.test(template)) return template;
  const token = currentToken();
  return token ? `${template}${template.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}` : template;
}
