// API routes of the gps feature (issue 5): units on the map, tracks, near queries, geofences, camera placement, map config.
import { msg } from '../../../common/messages';
import { API_PREFIX } from '../../../common/api';
import { CameraPlacementBody, GeofenceCreate, GeofenceUpdate } from '../../../common/gps';
import { s } from '../../../common/schema';
import { ApiError } from '../errors';
import { actorOf, route, type Route } from '../router';
import { IdParams, type DepsRef } from './deps';

const DAY_MS = 86_400_000;

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

function range(startMs: number, endMs: number, maxDays: number): void {
  if (endMs <= startMs) throw ApiError.field('endMs', msg('range.end_after_start'), 'invalid query: endMs must be greater than startMs');
  if (endMs - startMs > maxDays * DAY_MS) throw ApiError.field('endMs', msg('range.max_days', { days: maxDays }), `invalid query: range longer than ${maxDays} days`);
}

export function gpsRoutes(deps: DepsRef): Route[] {
  const base = `${API_PREFIX}/gps`;
  const gps = () => deps().features.gps;
  return [
    route({
      method: 'GET',
      path: `${base}/units`,
      auth: 'any',
      tag: 'gps',
      summary: 'Every mobile unit with its last live position, telemetry link, SOS and refused-telemetry counters',
      response: { description: 'units on the map', schema: list('MapUnit') },
      handler: () => gps().units(),
    }),
    route({
      method: 'GET',
      path: `${base}/units/:id/track`,
      // Where a unit has been is more sensitive than where it is: officers see live positions, not history.
      auth: 'gps.history',
      tag: 'gps',
      summary: "A unit's stored points in [startMs, endMs], in the unit's time order",
      description: 'At most 31 days; limit defaults to 100,000 points.',
      params: IdParams,
      query: TrackQuery,
      response: { description: 'track points', schema: list('TrackPoint') },
      handler: async ({ params, query }) => {
        range(query.startMs, query.endMs, 31);
        return gps().track(params.id, query.startMs, query.endMs, query.limit ?? 100_000);
      },
    }),
    route({
      method: 'GET',
      path: `${base}/near`,
      auth: 'gps.history',
      tag: 'gps',
      summary: 'Units that were within radiusM of a point between startMs and endMs (first/last time, closest distance)',
      query: NearQuery,
      response: { description: 'units, closest first', schema: list('UnitNear') },
      handler: ({ query }) => {
        range(query.startMs, query.endMs, 31);
        return gps().unitsNear(query);
      },
    }),
    route({
      method: 'GET',
      path: `${base}/nearest`,
      auth: 'any',
      tag: 'gps',
      summary: 'Units nearest to a point now (last live positions, straight-line distance)',
      query: NearestQuery,
      response: { description: 'units, nearest first', schema: list('NearestUnit') },
      handler: ({ query }) => gps().nearestNow({ lat: query.lat, lon: query.lon, limit: query.limit ?? 5 }),
    }),
    route({
      method: 'GET',
      path: `${base}/cameras/near`,
      auth: 'any',
      tag: 'gps',
      summary: 'Fixed cameras placed within radiusM of a point',
      query: CamerasNearQuery,
      response: { description: 'cameras, nearest first', schema: list('CameraNear') },
      handler: ({ query }) => gps().camerasNear(query),
    }),
    route({
      method: 'GET',
      path: `${base}/map`,
      auth: 'any',
      tag: 'gps',
      summary: 'Map settings: tile URL template, tile datum (wgs84/gcj02), local MBTiles bounds and zooms',
      response: { description: 'map configuration', schema: obj('MapConfig') },
      handler: () => gps().mapConfig(),
    }),
    route({
      method: 'GET',
      path: `${base}/geofences`,
      auth: 'any',
      tag: 'gps',
      summary: 'Every geofence',
      response: { description: 'geofences by id', schema: list('Geofence') },
      handler: () => gps().geofences(),
    }),
    route({
      method: 'POST',
      path: `${base}/geofences`,
      auth: 'geofences.edit',
      tag: 'gps',
      summary: 'Draw a geofence (polygon or circle) and choose the units (ids and/or types; none: every unit) it watches',
      body: GeofenceCreate,
      response: { status: 201, description: 'the new geofence', schema: obj('Geofence') },
      handler: (ctx) => gps().createGeofence(ctx.body, actorOf(ctx), ctx.ip),
    }),
    route({
      method: 'PATCH',
      path: `${base}/geofences/:id`,
      auth: 'geofences.edit',
      tag: 'gps',
      summary: 'Change a geofence (a new shape restarts its crossing state)',
      params: IdParams,
      body: GeofenceUpdate,
      response: { description: 'the geofence', schema: obj('Geofence') },
      handler: (ctx) => gps().updateGeofence(ctx.params.id, ctx.body, actorOf(ctx), ctx.ip),
    }),
    route({
      method: 'DELETE',
      path: `${base}/geofences/:id`,
      auth: 'geofences.edit',
      tag: 'gps',
      summary: 'Delete a geofence',
      params: IdParams,
      response: { status: 204, description: 'deleted' },
      handler: async (ctx) => {
        await gps().deleteGeofence(ctx.params.id, actorOf(ctx), ctx.ip);
        return undefined;
      },
    }),
    route({
      method: 'GET',
      path: `${base}/cameras`,
      auth: 'any',
      tag: 'gps',
      summary: 'Fixed cameras placed on the map, with view direction',
      response: { description: 'placements', schema: list('CameraPlacement') },
      handler: () => gps().placements(),
    }),
    route({
      method: 'PUT',
      path: `${base}/cameras/:id/place`,
      auth: 'cameras.manage',
      tag: 'gps',
      summary: "Set a fixed camera's position (WGS-84) and view direction on the map",
      params: IdParams,
      body: CameraPlacementBody,
      response: { description: 'the placement', schema: obj('CameraPlacement') },
      handler: (ctx) => gps().place(ctx.params.id, ctx.body, actorOf(ctx), ctx.ip),
    }),
    route({
      method: 'DELETE',
      path: `${base}/cameras/:id/place`,
      auth: 'cameras.manage',
      tag: 'gps',
      summary: 'Remove a fixed camera from the map',
      params: IdParams,
      response: { status: 204, description: 'removed' },
      handler: async (ctx) => {
        await gps().place(ctx.params.id, null, actorOf(ctx), ctx.ip);
        return undefined;
      },
    }),
    route({
      method: 'GET',
      path: `${base}/rejects`,
      auth: 'geofences.edit',
      tag: 'gps',
      summary: 'Refused telemetry counted per unit and reason (bad coordinates, future times, malformed JSON, bad keys)',
      response: { description: 'counters', schema: list('RejectCounter') },
      handler: () => gps().rejects(),
    }),
  ];
}
