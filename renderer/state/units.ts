// The console's mobile unit list (移动终端): loaded over HTTP, kept current by unit.status / unit.changed / unit.deleted.
import type { Unit, UnitStatus } from '../../common/api';
import { assertNever, isCoreEvent, type ServerEvent } from '../../common/events';
import { Store } from './store';

export type UnitMap = ReadonlyMap<number, Unit>;

function newerStatus(current: UnitStatus, incoming: UnitStatus): UnitStatus {
  return incoming.sinceMs >= current.sinceMs ? incoming : current;
}

/** Inserts or replaces a unit, keeping a newer live status than the one the copy carries. */
export function upsertUnit(units: UnitMap, unit: Unit): UnitMap {
  const next = new Map(units);
  const old = units.get(unit.id);
  next.set(unit.id, old ? { ...unit, status: newerStatus(old.status, unit.status) } : unit);
  return next;
}

/** Applies one server event to the unit list; returns the same map when nothing changed. */
export function applyUnitEvent(units: UnitMap, ev: ServerEvent): UnitMap {
  if (!isCoreEvent(ev)) return units;
  switch (ev.type) {
    case 'unit.status': {
      const u = units.get(ev.status.unitId);
      if (!u) return units;
      const next = new Map(units);
      next.set(u.id, { ...u, status: ev.status });
      return next;
    }
    case 'unit.changed':
      return upsertUnit(units, ev.unit);
    case 'unit.deleted': {
      if (!units.has(ev.unitId)) return units;
      const next = new Map(units);
      next.delete(ev.unitId);
      return next;
    }
    case 'hello':
    case 'rights.changed':
    case 'camera.status':
    case 'camera.changed':
    case 'camera.deleted':
    case 'segment.closed':
    case 'retention.deleted':
    case 'device.event':
      return units;
    default:
      return assertNever(ev);
  }
}

export function sortedUnits(units: UnitMap): Unit[] {
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  return [...units.values()].sort((a, b) => collator.compare(a.callsign, b.callsign) || a.id - b.id);
}

export class UnitStore extends Store<UnitMap> {
  /** Whether the first load finished (or the server has no units API: then the list stays empty). */
  readonly loaded = new Store<boolean>(false);

  constructor() {
    super(new Map());
  }

  replaceAll(list: readonly Unit[]): void {
    const current = this.get();
    let next: UnitMap = new Map();
    for (const u of list) {
      const old = current.get(u.id);
      next = upsertUnit(next, old ? { ...u, status: newerStatus(old.status, u.status) } : u);
    }
    this.set(next);
    this.loaded.set(true);
  }

  upsert(unit: Unit): void {
    this.set(upsertUnit(this.get(), unit));
  }

  remove(id: number): void {
    this.set(applyUnitEvent(this.get(), { type: 'unit.deleted', unitId: id }));
  }

  apply(ev: ServerEvent): void {
    const next = applyUnitEvent(this.get(), ev);
    if (next !== this.get()) this.set(next);
  }
}
