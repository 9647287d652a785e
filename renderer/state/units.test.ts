// The unit list reducer: status, changes and deletions from the event stream; newer statuses win.
import { describe, expect, it } from 'vitest';
import { unit, unitStatus } from './test-fixtures';
import { applyUnitEvent, sortedUnits, UnitStore, upsertUnit } from './units';

describe('applyUnitEvent', () => {
  const base = new Map([
    [5, unit(5, 'Car 12')],
    [6, unit(6, 'BWC 3', 'body')],
  ]);

  it('applies unit.status to a known unit and ignores unknown ones and camera events', () => {
    const next = applyUnitEvent(base, { type: 'unit.status', status: unitStatus(5, true, 200, { remoteAddress: '10.0.0.9', bitrateBps: 1.2e6 }) });
    expect(next.get(5)?.status.online).toBe(true);
    expect(base.get(5)?.status.online).toBe(false);
    expect(applyUnitEvent(base, { type: 'unit.status', status: unitStatus(99, true, 200) })).toBe(base);
    expect(applyUnitEvent(base, { type: 'camera.deleted', cameraId: 5 })).toBe(base);
  });

  it('adds on unit.changed and removes on unit.deleted', () => {
    const added = applyUnitEvent(base, { type: 'unit.changed', unit: unit(7, 'Kit 1', 'portable') });
    expect([...added.keys()]).toEqual([5, 6, 7]);
    expect([...applyUnitEvent(added, { type: 'unit.deleted', unitId: 6 }).keys()]).toEqual([5, 7]);
  });

  it('keeps a newer status when an older copy arrives', () => {
    const live = applyUnitEvent(base, { type: 'unit.status', status: unitStatus(5, true, 500) });
    expect(upsertUnit(live, unit(5, 'Car 12b', 'vehicle', null, unitStatus(5, false, 100))).get(5)?.status.online).toBe(true);
  });

  it('UnitStore loads, sorts by callsign and marks loaded', () => {
    const s = new UnitStore();
    s.replaceAll([unit(2, 'Car 10'), unit(1, 'Car 9')]);
    expect(s.loaded.get()).toBe(true);
    expect(sortedUnits(s.get()).map((u) => u.callsign)).toEqual(['Car 9', 'Car 10']);
  });
});
