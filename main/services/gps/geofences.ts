// Geofence watcher: per (unit, geofence) inside/outside state from stored points in unit time order; crossings become device events.
import type { UnitType } from '../../../common/api';
import { distanceM, insidePolygon } from '../../../common/geo';
import type { Geofence } from '../../../common/gps';
import type { GeofenceRow, GpsPointRow } from '../../../storage/repos/gps';

export interface Crossing {
  unitId: number;
  fence: GeofenceRow;
  type: 'geofence_enter' | 'geofence_exit';
  point: GpsPointRow;
}

export function insideFence(f: GeofenceRow, lat: number, lon: number): boolean {
  if (f.shape === 'circle') {
    const c = f.geometry as { lat: number; lon: number; radiusM: number };
    return distanceM(lat, lon, c.lat, c.lon) <= c.radiusM;
  }
  return insidePolygon(lat, lon, f.geometry as Array<[number, number]>);
}

export function watches(f: GeofenceRow, unitId: number, type: UnitType | undefined): boolean {
  if (!f.enabled) return false;
  if (f.unitIds === null && f.unitTypes === null) return true;
  return (f.unitIds?.includes(unitId) ?? false) || (type !== undefined && (f.unitTypes?.includes(type) ?? false));
}

export function toGeofenceView(r: GeofenceRow): Geofence {
  return {
    id: r.id,
    name: r.name,
    shape: r.shape,
    polygon: r.shape === 'polygon' ? (r.geometry as Array<[number, number]>) : null,
    circle: r.shape === 'circle' ? (r.geometry as { lat: number; lon: number; radiusM: number }) : null,
    unitIds: r.unitIds,
    unitTypes: r.unitTypes,
    enabled: r.enabled,
    createdMs: r.createdMs,
    updatedMs: r.updatedMs,
  };
}

export class GeofenceWatcher {
  private fences: GeofenceRow[] = [];
  /** `${unitId}:${fenceId}` → inside, as of `lastT` of the unit. */
  private readonly inside = new Map<string, boolean>();
  /** Newest unit time evaluated per unit (older, late points do not move the state back in time). */
  private readonly lastT = new Map<number, number>();

  constructor(private readonly unitType: (unitId: number) => UnitType | undefined) {}

  setFences(fences: GeofenceRow[]): void {
    const before = new Map(this.fences.map((f) => [f.id, f]));
    this.fences = fences;
    // A changed or removed fence starts over: its next observation sets the state without an event.
    for (const key of [...this.inside.keys()]) {
      const fid = Number(key.split(':')[1]);
      const now = fences.find((f) => f.id === fid);
      const old = before.get(fid);
      if (!now || !old || now.updatedMs !== old.updatedMs) this.inside.delete(key);
    }
  }

  /** Points of one unit in time order → the crossings they make. */
  evaluate(unitId: number, points: readonly GpsPointRow[]): Crossing[] {
    const out: Crossing[] = [];
    const type = this.unitType(unitId);
    const fences = this.fences.filter((f) => watches(f, unitId, type));
    for (const p of points) {
      if (p.tMs <= (this.lastT.get(unitId) ?? -Infinity)) continue;
      this.lastT.set(unitId, p.tMs);
      for (const f of fences) {
        const key = `${unitId}:${f.id}`;
        const now = insideFence(f, p.lat, p.lon);
        const was = this.inside.get(key);
        this.inside.set(key, now);
        if (was === undefined || was === now) continue;
        out.push({ unitId, fence: f, type: now ? 'geofence_enter' : 'geofence_exit', point: p });
      }
    }
    return out;
  }

  /** Units inside a fence now (for the map). */
  insideOf(fenceId: number): number[] {
    const out: number[] = [];
    for (const [k, v] of this.inside) if (v && Number(k.split(':')[1]) === fenceId) out.push(Number(k.split(':')[0]));
    return out;
  }
}
