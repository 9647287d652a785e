// Tests of linkage rule matching: source or group, type, severity, weekday/hour schedules (also over midnight), combined linkage, escalation.
import { describe, expect, it } from 'vitest';
import type { AlarmRule } from '../../../common/alarms';
import { escalationOf, inSchedule, linkageOf, ruleMatches, type AlarmFacts } from './rules';

const UTC = () => 0;
/** Monday 2025-03-03 10:30 UTC. */
const MON_1030 = Date.UTC(2025, 2, 3, 10, 30);

function rule(p: Partial<AlarmRule> = {}): AlarmRule {
  return {
    id: 1,
    name: 'r',
    enabled: true,
    sourceIds: [],
    groups: [],
    nodeIds: [],
    types: [],
    minSeverity: 'info',
    schedule: null,
    actions: {},
    createdMs: 0,
    updatedMs: 0,
    ...p,
  };
}
const facts = (p: Partial<AlarmFacts> = {}): AlarmFacts => ({
  sourceId: 3,
  group: 'Gate',
  nodePath: [],
  type: 'motion',
  severity: 'minor',
  atMs: MON_1030,
  ...p,
});

describe('alarm rules', () => {
  it('match on source or group, type and minimum severity', () => {
    expect(ruleMatches(rule(), facts(), UTC)).toBe(true);
    expect(ruleMatches(rule({ sourceIds: [3] }), facts(), UTC)).toBe(true);
    expect(ruleMatches(rule({ sourceIds: [4] }), facts(), UTC)).toBe(false);
    expect(ruleMatches(rule({ sourceIds: [4], groups: ['Gate'] }), facts(), UTC)).toBe(true);
    expect(ruleMatches(rule({ groups: ['Yard'] }), facts(), UTC)).toBe(false);
    expect(ruleMatches(rule({ groups: ['Gate'] }), facts({ sourceId: null, group: null }), UTC)).toBe(false);
    expect(ruleMatches(rule({ types: ['sos', 'motion'] }), facts(), UTC)).toBe(true);
    expect(ruleMatches(rule({ types: ['sos'] }), facts(), UTC)).toBe(false);
    expect(ruleMatches(rule({ minSeverity: 'minor' }), facts(), UTC)).toBe(true);
    expect(ruleMatches(rule({ minSeverity: 'major' }), facts(), UTC)).toBe(false);
    expect(ruleMatches(rule({ minSeverity: 'major' }), facts({ severity: 'critical' }), UTC)).toBe(true);
  });

  it("match on an organisation node: any node on the source's path (its subtree), alone or with sources and groups", () => {
    const below = facts({ sourceId: 9, group: null, nodePath: [1, 4, 7] });
    expect(ruleMatches(rule({ nodeIds: [4] }), below, UTC)).toBe(true);
    expect(ruleMatches(rule({ nodeIds: [7] }), below, UTC)).toBe(true);
    expect(ruleMatches(rule({ nodeIds: [5] }), below, UTC)).toBe(false);
    expect(ruleMatches(rule({ nodeIds: [5], sourceIds: [9] }), below, UTC)).toBe(true);
    expect(ruleMatches(rule({ nodeIds: [4] }), facts({ sourceId: null, group: null, nodePath: [] }), UTC)).toBe(false);
    expect(ruleMatches(rule({ nodeIds: [4], types: ['sos'] }), below, UTC)).toBe(false);
  });

  it('apply by weekday and time of day, including windows over midnight', () => {
    const workHours = { days: [1, 2, 3, 4, 5], startMinute: 8 * 60, endMinute: 18 * 60 };
    expect(inSchedule(workHours, MON_1030, UTC)).toBe(true);
    expect(inSchedule(workHours, Date.UTC(2025, 2, 3, 18, 0), UTC)).toBe(false); // end is exclusive
    expect(inSchedule(workHours, Date.UTC(2025, 2, 3, 8, 0), UTC)).toBe(true);
    expect(inSchedule(workHours, Date.UTC(2025, 2, 2, 10, 30), UTC)).toBe(false); // Sunday
    const nights = { days: [5], startMinute: 22 * 60, endMinute: 6 * 60 }; // Friday night
    expect(inSchedule(nights, Date.UTC(2025, 2, 7, 23, 0), UTC)).toBe(true); // Fri 23:00
    expect(inSchedule(nights, Date.UTC(2025, 2, 8, 5, 59), UTC)).toBe(true); // Sat 05:59 belongs to Friday night
    expect(inSchedule(nights, Date.UTC(2025, 2, 8, 6, 0), UTC)).toBe(false);
    expect(inSchedule(nights, Date.UTC(2025, 2, 8, 23, 0), UTC)).toBe(false); // Sat night
    expect(inSchedule(nights, Date.UTC(2025, 2, 7, 5, 0), UTC)).toBe(false); // Fri early morning belongs to Thursday
    // Local time: 10:30 UTC is 18:30 in UTC+8, outside working hours.
    expect(inSchedule(workHours, MON_1030, () => 480)).toBe(false);
    expect(ruleMatches(rule({ schedule: workHours }), facts(), () => 480)).toBe(false);
    expect(ruleMatches(rule({ schedule: workHours }), facts(), UTC)).toBe(true);
  });

  it('combine the linkage of several rules and pick the earliest escalation', () => {
    const a = rule({ id: 1, actions: { wall: { window: 0, tile: null }, sound: true, notify: { roles: ['dispatcher'], userIds: [5] } } });
    const b = rule({ id: 2, actions: { wall: { window: 1, tile: 4, cameraIds: [3, 8] }, desktop: true, escalate: { afterS: 60, role: 'admin' } } });
    const c = rule({ id: 3, actions: { escalate: { afterS: 30, role: 'dispatcher' } } });
    expect(linkageOf([a, b], 3)).toEqual({
      wall: [
        { cameraId: 3, window: 0, tile: null },
        { cameraId: 8, window: 1, tile: 5 },
      ],
      sound: true,
      desktop: true,
      notifyRoles: ['dispatcher'],
      notifyUserIds: [5],
    });
    expect(linkageOf([a], null).wall).toEqual([]);
    expect(escalationOf([a, b, c], 1000)).toEqual({ role: 'dispatcher', dueMs: 31_000, ruleId: 3 });
    expect(escalationOf([a], 1000)).toBeNull();
  });
});
