// Declarations of the gps endpoints (served by main/server/routes/gps.ts).
import { CameraPlacementBody, GeofenceCreate, GeofenceUpdate } from '../gps';
import { endpoint, typed } from '../endpoint';
import type { CameraPlacement, Geofence, MapConfig, MapUnit, NearestUnit, TrackPointView } from '../gps';
import { s } from '../schema';
import { IdParams } from './params';

const obj = (description: string) => ({ type: 'object', description });
const list = (description: string) => ({ type: 'array', description, items: { type: 'object' } });

const TrackQuery = s.object({
  startMs: s.int({ min: 0 }),
  endMs: s.int({ min: 0 }),
  limit: s.optional(s.int({ min: 1, max: 200_000 })),
});
const NearQuery = s.object({
  lat: s.number({ min: -90, max: 90 }),
  lon: s.number({ min: -180, max: 180 }),
  radiusM: s.number({ min: 1, max: 50_000 }),
  startMs: s.int({ min: 0 }),
  endMs: s.int({ min: 0 }),
});
const NearestQuery = s.object({
  lat: s.number({ min: -90, max: 90 }),
  lon: s.number({ min: -180, max: 180 }),
  limit: s.optional(s.int({ min: 1, max: 100 })),
});
const CamerasNearQuery = s.object({
  lat: s.number({ min: -90, max: 90 }),
  lon: s.number({ min: -180, max: 180 }),
  radiusM: s.number({ min: 1, max: 50_000 }),
});

export const getGpsUnits = endpoint({
  method: 'GET',
  path: '/api/v1/gps/units',
  auth: 'any',
  tag: 'gps',
  summary: 'Every mobile unit with its last live position, telemetry link, SOS and refused-telemetry counters',
  response: { description: 'units on the map', schema: typed<MapUnit[]>(list('MapUnit')) },
});

export const getGpsUnitsByidTrack = endpoint({
  method: 'GET',
  path: '/api/v1/gps/units/:id/track',
  auth: 'gps.history',
  tag: 'gps',
  summary: "A unit's stored points in [startMs, endMs], in the unit's time order",
  description: 'At most 31 days; limit defaults to 100,000 points.',
  params: IdParams,
  query: TrackQuery,
  response: { description: 'track points', schema: typed<TrackPointView[]>(list('TrackPoint')) },
});

export const getGpsNear = endpoint({
  method: 'GET',
  path: '/api/v1/gps/near',
  auth: 'gps.history',
  tag: 'gps',
  summary: 'Units that were within radiusM of a point between startMs and endMs (first/last time, closest distance)',
  query: NearQuery,
  response: { description: 'units, closest first', schema: list('UnitNear') },
});

export const getGpsNearest = endpoint({
  method: 'GET',
  path: '/api/v1/gps/nearest',
  auth: 'any',
  tag: 'gps',
  summary: 'Units nearest to a point now (last live positions, straight-line distance)',
  query: NearestQuery,
  response: { description: 'units, nearest first', schema: typed<NearestUnit[]>(list('NearestUnit')) },
});

export const getGpsCamerasNear = endpoint({
  method: 'GET',
  path: '/api/v1/gps/cameras/near',
  auth: 'any',
  tag: 'gps',
  summary: 'Fixed cameras placed within radiusM of a point',
  query: CamerasNearQuery,
  response: { description: 'cameras, nearest first', schema: list('CameraNear') },
});

export const getGpsMap = endpoint({
  method: 'GET',
  path: '/api/v1/gps/map',
  auth: 'any',
  tag: 'gps',
  summary: 'Map settings: tile URL template, tile datum (wgs84/gcj02), local MBTiles bounds and zooms',
  response: { description: 'map configuration', schema: typed<MapConfig>(obj('MapConfig')) },
});

export const getGpsGeofences = endpoint({
  method: 'GET',
  path: '/api/v1/gps/geofences',
  auth: 'any',
  tag: 'gps',
  summary: 'Every geofence',
  response: { description: 'geofences by id', schema: typed<Geofence[]>(list('Geofence')) },
});

export const postGpsGeofences = endpoint({
  method: 'POST',
  path: '/api/v1/gps/geofences',
  auth: 'geofences.edit',
  tag: 'gps',
  summary: 'Draw a geofence (polygon or circle) and choose the units (ids and/or types; none: every unit) it watches',
  body: GeofenceCreate,
  response: { status: 201, description: 'the new geofence', schema: typed<Geofence>(obj('Geofence')) },
});

export const patchGpsGeofencesByid = endpoint({
  method: 'PATCH',
  path: '/api/v1/gps/geofences/:id',
  auth: 'geofences.edit',
  tag: 'gps',
  summary: 'Change a geofence (a new shape restarts its crossing state)',
  params: IdParams,
  body: GeofenceUpdate,
  response: { description: 'the geofence', schema: typed<Geofence>(obj('Geofence')) },
});

export const deleteGpsGeofencesByid = endpoint({
  method: 'DELETE',
  path: '/api/v1/gps/geofences/:id',
  auth: 'geofences.edit',
  tag: 'gps',
  summary: 'Delete a geofence',
  params: IdParams,
  response: { status: 204, description: 'deleted' },
});

export const getGpsCameras = endpoint({
  method: 'GET',
  path: '/api/v1/gps/cameras',
  auth: 'any',
  tag: 'gps',
  summary: 'Fixed cameras placed on the map, with view direction',
  response: { description: 'placements', schema: typed<CameraPlacement[]>(list('CameraPlacement')) },
  deprecated: { successor: '/api/v1/channels?placed=true' },
});

export const putGpsCamerasByidPlace = endpoint({
  method: 'PUT',
  path: '/api/v1/gps/cameras/:id/place',
  auth: 'cameras.manage',
  tag: 'gps',
  summary: "Set a fixed camera's position (WGS-84) and view direction on the map",
  params: IdParams,
  body: CameraPlacementBody,
  response: { description: 'the placement', schema: typed<CameraPlacement>(obj('CameraPlacement')) },
  deprecated: { successor: '/api/v1/channels/:id/place' },
});

export const deleteGpsCamerasByidPlace = endpoint({
  method: 'DELETE',
  path: '/api/v1/gps/cameras/:id/place',
  auth: 'cameras.manage',
  tag: 'gps',
  summary: 'Remove a fixed camera from the map',
  params: IdParams,
  response: { status: 204, description: 'removed' },
  deprecated: { successor: '/api/v1/channels/:id/place' },
});

export const getGpsRejects = endpoint({
  method: 'GET',
  path: '/api/v1/gps/rejects',
  auth: 'geofences.edit',
  tag: 'gps',
  summary: 'Refused telemetry counted per unit and reason (bad coordinates, future times, malformed JSON, bad keys)',
  response: { description: 'counters', schema: list('RejectCounter') },
});
