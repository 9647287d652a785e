// The rule editor's draft: a rule's sources and groups survive the round trip rule → draft → API body unchanged (groups are a list, not typed text).
import { describe, expect, it } from 'vitest';
import type { AlarmRule } from '../../common/alarms';
import { bodyOf, draftOf, toggle } from './rule-draft';

const rule: AlarmRule = {
  id: 4,
  name: 'Depot, night',
  enabled: true,
  sourceIds: [12, 7],
  groups: ['District 3', 'Harbour, east'],
  nodeIds: [],
  types: ['motion'],
  minSeverity: 'minor',
  schedule: { days: [1, 2], startMinute: 22 * 60, endMinute: 6 * 60 },
  actions: { wall: { window: 0, tile: null }, sound: true },
  createdMs: 0,
  updatedMs: 0,
};

describe('rule draft', () => {
  it('keeps sources and groups (even a group name with a comma) through draft and body', () => {
    const body = bodyOf(draftOf(rule));
    expect(body).toMatchObject({ name: 'Depot, night', sourceIds: [12, 7], groups: ['District 3', 'Harbour, east'], types: ['motion'], minSeverity: 'minor' });
    expect(body.schedule).toEqual({ days: [1, 2], startMinute: 1320, endMinute: 360 });
    expect(body.actions.wall).toEqual({ window: 0, tile: null });
  });

  it('a new rule has no sources and no groups (every source)', () => {
    expect(bodyOf(draftOf(null))).toMatchObject({ sourceIds: [], groups: [] });
  });

  it('toggles a value in a list once', () => {
    expect(toggle([1, 2], 3, true)).toEqual([1, 2, 3]);
    expect(toggle([1, 2], 2, true)).toEqual([1, 2]);
    expect(toggle([1, 2], 1, false)).toEqual([2]);
  });
});
