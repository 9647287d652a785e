// The gps feature (issue 5): mobile units on the map: telemetry ingest, positions, tracks, geofences, map tiles.
import { msg } from '../../../common/messages';
import type { UnitType } from '../../../common/api';
import { distanceM } from '../../../common/geo';
import type { CameraPlacement, GeofenceCreate, GeofenceUpdate, MapConfig, MapUnit, NearestUnit } from '../../../common/gps';
import type { GeofenceRow, NewGeofence } from '../../../storage/repos/gps';
import { DomainError } from '../../platform/errors';
import type { Actor, TrackPoint } from '../contracts';
import type { Feature } from '../features';
import type { GpsContext } from './context';
import type { GpsControl } from './control';
import { GeofenceWatcher, toGeofenceView } from './geofences';
import { GpsIngest } from './ingest';
import { unitsNear } from './near';
import { TelemetryMount } from './telemetry-mount';
import { agentUnitMount } from './agent-unit-mount';
import { TILES_PREFIX, TilesMount } from './tiles-mount';
import { basemapMount } from './basemap-mount';

export interface GpsFeatureOptions {
  /** Live positions are pushed to consoles at most this often, ms. */
  broadcastMs?: number;
  flushMs?: number;
}

function auditActor(a: Actor): { userId: number | null; username: string | null } {
  return a.kind === 'user' ? { userId: a.userId, username: a.username } : { userId: null, username: `system: ${a.reason}` };
}

export function validateFence(b: {
  shape: 'polygon' | 'circle';
  polygon?: number[][] | undefined;
  circle?: { lat: number; lon: number; radiusM: number } | undefined;
}): NewGeofence['geometry'] {
  if (b.shape === 'circle') {
    if (!b.circle) throw DomainError.field('circle', msg('geofence.circle_required'));
    return b.circle;
  }
  if (!b.polygon) throw DomainError.field('polygon', msg('geofence.polygon_required'));
  b.polygon.forEach(([lat, lon], i) => {
    if (lat! < -90 || lat! > 90) throw DomainError.field(`polygon.${i}.0`, msg('geo.latitude_range'));
    if (lon! < -180 || lon! > 180) throw DomainError.field(`polygon.${i}.1`, msg('geo.longitude_range'));
  });
  return b.polygon.map(([lat, lon]) => [lat!, lon!] as [number, number]);
}

export function createGpsFeature(ctx: GpsContext, opts: GpsFeatureOptions = {}): Feature<GpsControl> & { ingest: GpsIngest; watcher: GeofenceWatcher } {
  const log = (m: string) => ctx.log(m);
  const repo = ctx.store.gps;
  /** channelId: the channel shown with the unit (undefined: an agent's, its own id). */
  const unitInfo = new Map<number, { callsign: string; type: UnitType; officer: string | null; enabled: boolean; channelId?: number | null }>();
  const watcher = new GeofenceWatcher((id) => unitInfo.get(id)?.type);
  let fences: GeofenceRow[] = [];
  /** Mobile devices of other kinds whose link (registration) is up: PositionIntake.positionLink. */
  const positionLinks = new Set<number>();
  let recordChain: Promise<void> = Promise.resolve();
  const recordEvent = (input: Parameters<GpsContext['deviceEvents']['record']>[0]) => {
    recordChain = recordChain
      .then(() => ctx.deviceEvents.record(input))
      .then(() => undefined)
      .catch((e: Error) => log(`[gps] device event not recorded: ${e.message}`));
  };

  const ingest = new GpsIngest({
    repo,
    now: ctx.now,
    log,
    flushMs: opts.flushMs,
    onStored: async (unitId, pts) => {
      if (!unitInfo.has(unitId)) await loadUnit(unitId);
      for (const c of watcher.evaluate(unitId, pts))
        recordEvent({
          cameraId: c.unitId,
          type: c.type,
          state: 'pulse',
          startMs: c.point.tMs,
          lat: c.point.lat,
          lon: c.point.lon,
          detail: { source: 'gps', geofenceId: c.fence.id, geofence: c.fence.name },
        });
    },
    onSos: (unitId, active, at) =>
      recordEvent({
        cameraId: unitId,
        type: 'sos',
        state: active ? 'active' : 'inactive',
        startMs: at.tMs,
        lat: at.lat,
        lon: at.lon,
        detail: { source: 'gps' },
      }),
  });
  const telemetry = new TelemetryMount({ store: ctx.store, ingest, log });
  // mapConfig is defined below (control); the event carries the new config so consoles redraw without a reload.
  const tiles = new TilesMount(ctx.config.mbtilesFile, ctx.openTiles, log, {
    onChange: () => ctx.publish({ type: 'gps.tiles.changed', config: control.mapConfig() }),
  });
  let broadcastTimer: NodeJS.Timeout | null = null;
  let retentionTimer: NodeJS.Timeout | null = null;
  let unsubscribe: (() => void) | null = null;

  /** Agent units, and the mobile devices of other kinds (GB/T 28181 body cameras ...), whose positions come through PositionIntake. */
  async function loadUnits(): Promise<void> {
    unitInfo.clear();
    for (const u of await ctx.store.units.list()) unitInfo.set(u.id, { callsign: u.callsign, type: u.type, officer: u.officer, enabled: u.enabled });
    for (const d of await ctx.store.devices.list()) if (d.mobile && d.kind !== 'agent') await loadMobileDevice(d.id);
  }
  async function loadMobileDevice(id: number): Promise<boolean> {
    const d = await ctx.store.devices.get(id);
    if (!d?.mobile || d.kind === 'agent') return false;
    const first = (await ctx.store.channels.listByDevice(d.id)).sort((a, b) => a.ordinal - b.ordinal)[0];
    unitInfo.set(d.id, { callsign: d.mobile.callsign, type: d.mobile.type, officer: d.mobile.officer, enabled: d.enabled, channelId: first?.id ?? null });
    return true;
  }
  async function loadUnit(id: number): Promise<void> {
    const u = await ctx.store.units.get(id);
    if (u) unitInfo.set(u.id, { callsign: u.callsign, type: u.type, officer: u.officer, enabled: u.enabled });
    else if (await loadMobileDevice(id)) return;
    else unitInfo.delete(id);
    if (!u || !u.enabled) telemetry.disconnect(id, u ? 'unit disabled' : 'unit deleted');
    else telemetry.disconnectOlderThan(id, u.keyRotatedMs, 'stream key rotated');
  }
  async function loadFences(): Promise<void> {
    fences = await repo.listGeofences();
    watcher.setFences(fences);
  }
  async function retention(): Promise<void> {
    if (ctx.config.gpsRetentionDays <= 0) return; // 0: keep GPS points forever
    const cutoff = ctx.now() - ctx.config.gpsRetentionDays * 86_400_000;
    const n = await repo.deleteBefore(cutoff);
    if (n > 0) log(`[gps] retention: deleted ${n} GPS points older than ${ctx.config.gpsRetentionDays} days`);
  }

  const getFence = async (id: number) => {
    const f = await repo.getGeofence(id);
    if (!f) throw DomainError.notFound(msg('geofence.not_found', { id: id }));
    return f;
  };

  const control: GpsControl = {
    unitsNear: (q) => unitsNear(repo, q),
    async camerasNear(q) {
      return (await repo.placements())
        .filter((p) => p.kind === 'rtsp')
        .map((p) => ({ cameraId: p.cameraId, distanceM: distanceM(q.lat, q.lon, p.lat, p.lon) }))
        .filter((c) => c.distanceM <= q.radiusM)
        .sort((a, b) => a.distanceM - b.distanceM);
    },
    async track(unitId, startMs, endMs, limit = 100_000): Promise<TrackPoint[]> {
      return (await repo.track(unitId, startMs, endMs, limit)).map((p) => ({
        unitId: p.unitId,
        tMs: p.tMs,
        lat: p.lat,
        lon: p.lon,
        altM: p.altM,
        speedMps: p.speedMps,
        headingDeg: p.headingDeg,
        accuracyM: p.accuracyM,
      }));
    },
    async units(): Promise<MapUnit[]> {
      await loadUnits();
      return [...unitInfo].map(([id, u]) => {
        const s = ingest.state(id);
        return {
          unitId: id,
          channelId: u.channelId === undefined ? id : u.channelId,
          callsign: u.callsign,
          type: u.type,
          officer: u.officer,
          enabled: u.enabled,
          position: s?.position ?? null,
          linkUp: (s?.links ?? 0) > 0,
          lastSeenMs: s?.lastSeenMs ?? null,
          sos: s?.sos ?? false,
          rejects: { ...(s?.rejects ?? {}) },
        };
      });
    },
    nearestNow(q): NearestUnit[] {
      const out: NearestUnit[] = [];
      for (const [id, s] of ingest.all())
        if (s.position && unitInfo.has(id)) out.push({ unitId: id, distanceM: distanceM(q.lat, q.lon, s.position.lat, s.position.lon), position: s.position });
      return out.sort((a, b) => a.distanceM - b.distanceM).slice(0, q.limit);
    },
    mapConfig(): MapConfig {
      const local = ctx.config.mapTileUrl === 'local';
      return {
        tileUrl: local ? `${TILES_PREFIX}{z}/{x}/{y}.png?v=${tiles.version}` : ctx.config.mapTileUrl,
        datum: ctx.config.mapTileDatum === 'gcj02' ? 'gcj02' : 'wgs84',
        localTiles: tiles.info !== null,
        bounds: tiles.info?.bounds ?? null,
        minZoom: tiles.info && local ? tiles.info.minZoom : 0,
        maxZoom: tiles.info && local ? tiles.info.maxZoom : 19,
        center: tiles.info?.center ?? null,
      };
    },
    async geofences() {
      return (await repo.listGeofences()).map(toGeofenceView);
    },
    async createGeofence(b: GeofenceCreate, actor, ip) {
      const geometry = validateFence(b);
      const row = await repo.createGeofence(
        { name: b.name, shape: b.shape, geometry, unitIds: b.unitIds ?? null, unitTypes: b.unitTypes ?? null, enabled: b.enabled ?? true },
        ctx.now(),
      );
      await ctx.audit.record({
        actor: auditActor(actor),
        action: 'gps.geofence.create',
        targetType: 'geofence',
        targetId: row.id,
        detail: { name: row.name, shape: row.shape },
        ip,
      });
      await loadFences();
      const view = toGeofenceView(row);
      ctx.publish({ type: 'gps.geofence.changed', geofence: view });
      return view;
    },
    async updateGeofence(id, b: GeofenceUpdate, actor, ip) {
      const before = await getFence(id);
      const patch: Partial<NewGeofence> = {};
      if (b.name !== undefined) patch.name = b.name;
      if (b.enabled !== undefined) patch.enabled = b.enabled;
      if (b.unitIds !== undefined) patch.unitIds = b.unitIds;
      if (b.unitTypes !== undefined) patch.unitTypes = b.unitTypes;
      if (b.shape !== undefined || b.polygon !== undefined || b.circle !== undefined) {
        const shape = b.shape ?? before.shape;
        patch.shape = shape;
        patch.geometry = validateFence({ shape, polygon: b.polygon, circle: b.circle });
      }
      const row = await repo.updateGeofence(id, patch, ctx.now());
      if (!row) throw DomainError.notFound(msg('geofence.not_found', { id: id }));
      await ctx.audit.record({
        actor: auditActor(actor),
        action: 'gps.geofence.update',
        targetType: 'geofence',
        targetId: id,
        detail: { fields: Object.keys(patch) },
        ip,
      });
      await loadFences();
      const view = toGeofenceView(row);
      ctx.publish({ type: 'gps.geofence.changed', geofence: view });
      return view;
    },
    async deleteGeofence(id, actor, ip) {
      const before = await getFence(id);
      await repo.deleteGeofence(id);
      await ctx.audit.record({
        actor: auditActor(actor),
        action: 'gps.geofence.delete',
        targetType: 'geofence',
        targetId: id,
        detail: { name: before.name },
        ip,
      });
      await loadFences();
      ctx.publish({ type: 'gps.geofence.changed', geofence: null, deletedId: id });
    },
    async placements(): Promise<CameraPlacement[]> {
      return (await repo.placements()).filter((p) => p.kind === 'rtsp').map(({ cameraId, name, lat, lon, viewDeg }) => ({ cameraId, name, lat, lon, viewDeg }));
    },
    async place(cameraId, p, actor, ip) {
      const cam = await ctx.store.cameras.get(cameraId);
      if (!cam || cam.kind !== 'rtsp') throw DomainError.notFound(msg('camera.not_found', { id: cameraId }));
      await repo.setPlacement(cameraId, p);
      await ctx.audit.record({
        actor: auditActor(actor),
        action: p ? 'gps.camera.place' : 'gps.camera.unplace',
        targetType: 'camera',
        targetId: cameraId,
        detail: p ?? {},
        ip,
      });
      const placement = p ? { cameraId, name: cam.name, ...p } : null;
      ctx.publish({ type: 'gps.camera.placed', placement, cameraId });
      return placement;
    },
    rejects: () => repo.rejects(),
    async submitPositions(deviceId, points) {
      if (!unitInfo.has(deviceId)) await loadMobileDevice(deviceId);
      const r = await ingest.submit(
        deviceId,
        points.map((p) => ({ ...p })),
      );
      return { stored: r.stored, rejected: r.rejected.length };
    },
    positionLink(deviceId, up) {
      // Idempotent: a device re-registering while up counts once.
      if (up === positionLinks.has(deviceId)) return;
      if (up) positionLinks.add(deviceId);
      else positionLinks.delete(deviceId);
      ingest.link(deviceId, up ? 1 : -1);
    },
  };

  return {
    control,
    ingest,
    watcher,
    mounts: [
      telemetry.mount(),
      agentUnitMount({ store: ctx.store, publishUrl: (id, key) => ctx.units.publishUrl(id, key), log }),
      tiles.mount(),
      basemapMount(),
    ],
    async start() {
      await loadUnits();
      await loadFences();
      await ingest.start();
      await tiles.start();
      unsubscribe = ctx.onServerEvent((ev) => {
        // The unit service reports every unit change (enable, disable, key rotation) with unit.status.
        if (ev.type === 'unit.status') void loadUnit(ev.status.unitId).catch((e: Error) => log(`[gps] unit ${ev.status.unitId}: ${e.message}`));
        else if (ev.type === 'unit.changed') {
          unitInfo.set(ev.unit.id, { callsign: ev.unit.callsign, type: ev.unit.type, officer: ev.unit.officer, enabled: ev.unit.enabled });
          if (!ev.unit.enabled) telemetry.disconnect(ev.unit.id, 'unit disabled');
        } else if (ev.type === 'unit.deleted') {
          unitInfo.delete(ev.unitId);
          telemetry.disconnect(ev.unitId, 'unit deleted');
          ingest.forget(ev.unitId);
        }
      });
      broadcastTimer = setInterval(() => {
        const c = ingest.takeChanges();
        if (c.positions.length > 0 || c.links.length > 0) ctx.publish({ type: 'gps.positions', positions: c.positions, links: c.links });
      }, opts.broadcastMs ?? 1000);
      void retention().catch((e: Error) => log(`[gps] retention failed: ${e.message}`));
      retentionTimer = setInterval(() => void retention().catch((e: Error) => log(`[gps] retention failed: ${e.message}`)), 3_600_000);
      retentionTimer.unref?.();
    },
    async close() {
      unsubscribe?.();
      if (broadcastTimer) clearInterval(broadcastTimer);
      if (retentionTimer) clearInterval(retentionTimer);
      telemetry.close();
      await ingest.close();
      await recordChain;
      await tiles.close();
    },
  };
}
