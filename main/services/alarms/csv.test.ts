// Tests of the alarm CSV export and the workflow transitions (pure functions).
import { describe, expect, it } from 'vitest';
import type { Alarm } from '../../../common/alarms';
import { alarmsCsv } from './csv';
import { applyTransition } from './workflow';

const alarm: Alarm = {
  id: 7,
  sourceId: 3,
  sourceName: '北门, "east"',
  type: 'manual',
  severity: 'major',
  state: 'closed',
  firstMs: Date.UTC(2026, 0, 2, 3, 4, 5),
  lastMs: Date.UTC(2026, 0, 2, 3, 4, 6),
  count: 2,
  lat: 31.5,
  lon: 121.25,
  message: '=HYPERLINK("x")\nline 2',
  reason: null,
  deviceEventId: null,
  test: false,
  ruleIds: [],
  escalatedToRole: 'admin',
  escalatedMs: 1,
  handler: 'ann',
  reporter: null,
  cause: null,
  steps: [],
  actions: [],
  occurrences: [],
};

describe('alarm CSV', () => {
  it('writes a BOM, the header, quoted cells and defused formulas', () => {
    const csv = alarmsCsv([alarm]);
    expect(csv.startsWith('\uFEFFid,type,severity,state,source,sourceId,firstTime,lastTime,count,handler,escalatedTo,lat,lon,message\r\n')).toBe(true);
    const row = csv.slice(1).split('\r\n')[1];
    expect(row).toBe(
      `7,manual,major,closed,"北门, ""east""",3,2026-01-02T03:04:05.000Z,2026-01-02T03:04:06.000Z,2,ann,admin,31.5,121.25,"'=HYPERLINK(""x"")\nline 2"`,
    );
  });
});

describe('alarm workflow', () => {
  it('allows acknowledge only from new, handle from new or acknowledged, close and notes while open', () => {
    expect(applyTransition('new', 'acknowledge')).toEqual({ ok: true, state: 'acknowledged' });
    expect(applyTransition('acknowledged', 'acknowledge').ok).toBe(false);
    expect(applyTransition('new', 'start')).toEqual({ ok: true, state: 'in_progress' });
    expect(applyTransition('acknowledged', 'start')).toEqual({ ok: true, state: 'in_progress' });
    expect(applyTransition('in_progress', 'start').ok).toBe(false);
    expect(applyTransition('in_progress', 'note')).toEqual({ ok: true, state: null });
    expect(applyTransition('acknowledged', 'close')).toEqual({ ok: true, state: 'closed' });
    for (const a of ['acknowledge', 'start', 'close', 'note'] as const)
      expect(applyTransition('closed', a)).toEqual({ ok: false, message: 'the alarm is closed', msg: { code: 'alarm.closed', params: {} } });
  });
});
