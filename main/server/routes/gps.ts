// API routes of the gps feature (issue 5): units on the map (map.positions per unit), tracks and near queries (gps.history per unit), geofences, camera placement, map config.
import * as E from '../../../common/endpoints';
import { msg } from '../../../common/messages';
import { accessOf, needChannel, needDevice, seesChannel } from '../access-guard';
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
    bind(E.getGpsUnits, async (ctx) => {
      const a = accessOf(deps(), ctx);
      return (await gps().units()).filter((u) => a.device('map.positions', u.unitId));
    }),
    bind(E.getGpsUnitsByidTrack, async ({ params, query, principal }) => {
      needDevice(accessOf(deps(), { principal }), 'gps.history', params.id, () => ApiError.notFound(msg('unit.not_found', { id: params.id })));
      range(query.startMs, query.endMs, 31);
      return gps().track(params.id, query.startMs, query.endMs, query.limit ?? 100_000);
    }),
    bind(E.getGpsNear, async ({ query, principal }) => {
      const a = accessOf(deps(), { principal });
      range(query.startMs, query.endMs, 31);
      return (await gps().unitsNear(query)).filter((u) => a.device('gps.history', u.unitId));
    }),
    bind(E.getGpsNearest, (ctx) => {
      const a = accessOf(deps(), ctx);
      // Asked for `limit` of the units this user may see: filtered from all, then cut.
      const limit = ctx.query.limit ?? 5;
      const all = gps().nearestNow({ lat: ctx.query.lat, lon: ctx.query.lon, limit: a.devices('map.positions').all ? limit : 100_000 });
      return all.filter((u) => a.device('map.positions', u.unitId)).slice(0, limit);
    }),
    bind(E.getGpsCamerasNear, async (ctx) => {
      const a = accessOf(deps(), ctx);
      return (await gps().camerasNear(ctx.query)).filter((c) => seesChannel(a, c.cameraId));
    }),
    bind(E.getGpsMap, () => gps().mapConfig()),
    bind(E.getGpsGeofences, () => gps().geofences()),
    bind(E.postGpsGeofences, (ctx) => gps().createGeofence(ctx.body, actorOf(ctx), ctx.ip)),
    bind(E.patchGpsGeofencesByid, (ctx) => gps().updateGeofence(ctx.params.id, ctx.body, actorOf(ctx), ctx.ip)),
    bind(E.deleteGpsGeofencesByid, async (ctx) => {
      await gps().deleteGeofence(ctx.params.id, actorOf(ctx), ctx.ip);
      return undefined;
    }),
    bind(E.getGpsCameras, async (ctx) => {
      const a = accessOf(deps(), ctx);
      return (await gps().placements()).filter((c) => seesChannel(a, c.cameraId));
    }),
    bind(E.putGpsCamerasByidPlace, (ctx) => {
      needChannel(accessOf(deps(), ctx), 'cameras.manage', ctx.params.id, () => ApiError.notFound(msg('camera.not_found', { id: ctx.params.id })));
      return gps().place(ctx.params.id, ctx.body, actorOf(ctx), ctx.ip);
    }),
    bind(E.deleteGpsCamerasByidPlace, async (ctx) => {
      needChannel(accessOf(deps(), ctx), 'cameras.manage', ctx.params.id, () => ApiError.notFound(msg('camera.not_found', { id: ctx.params.id })));
      await gps().place(ctx.params.id, null, actorOf(ctx), ctx.ip);
      return undefined;
    }),
    bind(E.getGpsRejects, () => gps().rejects()),
  ];
}
