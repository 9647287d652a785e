// API routes of the gps feature (issue 5): units on the map, tracks, near queries, geofences, camera placement, map config.
import * as E from '../../../common/endpoints';
import { msg } from '../../../common/messages';
import { ApiError } from '../errors';
import { actorOf, bind, type Route } from '../router';
import type { DepsRef } from './deps';

const DAY_MS = 86_400_000;

function range(startMs: number, endMs: number, maxDays: number): void {
  if (endMs <= startMs) throw ApiError.field('endMs', msg('range.end_after_start'), 'invalid query: endMs must be greater than startMs');
  if (endMs - startMs > maxDays * DAY_MS)
    throw ApiError.field('endMs', msg('range.max_days', { days: maxDays }), `invalid query: range longer than ${maxDays} days`);
}

export function gpsRoutes(deps: DepsRef): Route[] {
  const gps = () => deps().features.gps;
  return [
    bind(E.getGpsUnits, () => gps().units()),
    bind(E.getGpsUnitsByidTrack, async ({ params, query }) => {
      range(query.startMs, query.endMs, 31);
      return gps().track(params.id, query.startMs, query.endMs, query.limit ?? 100_000);
    }),
    bind(E.getGpsNear, ({ query }) => {
      range(query.startMs, query.endMs, 31);
      return gps().unitsNear(query);
    }),
    bind(E.getGpsNearest, ({ query }) => gps().nearestNow({ lat: query.lat, lon: query.lon, limit: query.limit ?? 5 })),
    bind(E.getGpsCamerasNear, ({ query }) => gps().camerasNear(query)),
    bind(E.getGpsMap, () => gps().mapConfig()),
    bind(E.getGpsGeofences, () => gps().geofences()),
    bind(E.postGpsGeofences, (ctx) => gps().createGeofence(ctx.body, actorOf(ctx), ctx.ip)),
    bind(E.patchGpsGeofencesByid, (ctx) => gps().updateGeofence(ctx.params.id, ctx.body, actorOf(ctx), ctx.ip)),
    bind(E.deleteGpsGeofencesByid, async (ctx) => {
      await gps().deleteGeofence(ctx.params.id, actorOf(ctx), ctx.ip);
      return undefined;
    }),
    bind(E.getGpsCameras, () => gps().placements()),
    bind(E.putGpsCamerasByidPlace, (ctx) => gps().place(ctx.params.id, ctx.body, actorOf(ctx), ctx.ip)),
    bind(E.deleteGpsCamerasByidPlace, async (ctx) => {
      await gps().place(ctx.params.id, null, actorOf(ctx), ctx.ip);
      return undefined;
    }),
    bind(E.getGpsRejects, () => gps().rejects()),
  ];
}
