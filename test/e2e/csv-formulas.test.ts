// A formula in every column of every CSV Argus writes is defused (issue 13 item 6): the server's alarm export end to end, the console's audit and alarm files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alarm } from '../../common/alarms';
import type { AuditEntry } from '../../common/api';
import { ALARM_EXPORT_PATH } from '../../common/endpoints/raw';
import { alarmsCsv as consoleAlarmsCsv } from '../../renderer/alarms/alarm-csv';
import { auditCsv } from '../../renderer/cases/audit-csv';
import { makeI18n } from '../../renderer/i18n/index';
import { FORMULAS, formulaCells, parseCsv } from '../helpers/csv-safety';
import { startServer, type TestServer } from '../harness';

/** Every string-valued field of a value replaced by the payload, at any depth. */
function poison<T>(value: T, payload: string): T {
  if (typeof value === 'string') return payload as T;
  if (Array.isArray(value)) return value.map((v: unknown) => poison(v, payload)) as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v, payload)])) as T;
  return value;
}

describe('the server alarm export (CSV) with formulas in every user-writable text', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer({ tag: 'csv' });
    for (const [i, f] of FORMULAS.entries()) {
      const cam = await srv.client.ok<{ id: number }>('POST', '/api/v1/cameras', {
        name: `${f.replace(/[\t\r]/g, '')}${i}`,
        url: `rtsp://127.0.0.1:9/c${i}`,
        enabled: false,
      });
      await srv.client.ok('POST', '/api/v1/alarms', { sourceId: cam.id, message: f.replace(/[\t\r]/g, ' ').trimStart() || 'x', severity: 'major' });
      await srv.client.ok('POST', '/api/v1/alarms', { sourceId: cam.id, message: f.replace(/[\t\r]/g, ''), severity: 'minor' });
    }
  }, 120_000);
  afterAll(async () => {
    await srv?.close();
  });

  it('downloads a file where no cell would run, and every payload is still there as text', async () => {
    const r = await fetch(`${srv.url}${ALARM_EXPORT_PATH}`, { headers: { authorization: `Bearer ${srv.token}` } });
    expect(r.status).toBe(200);
    const rows = parseCsv(await r.text());
    expect(rows.length).toBe(1 + 2 * FORMULAS.length);
    expect(formulaCells(rows)).toEqual([]);
    const all = rows.flat().join('\n');
    for (const f of FORMULAS) expect(all).toContain(`'${f.replace(/[\t\r]/g, '')}`);
  });
});

describe("the console's CSV files with a formula in every field", () => {
  const entry: AuditEntry = {
    id: 1,
    tsMs: Date.UTC(2026, 11, 6),
    userId: 2,
    username: 'u',
    action: 'camera.update',
    targetType: 'camera',
    targetId: '3',
    detail: { name: 'n', note: 'x', changes: { name: { from: 'a', to: 'b' } }, reason: 'r' },
    ip: '10.0.0.1',
  };
  const alarm: Alarm = {
    id: 7,
    sourceId: 3,
    sourceName: 's',
    type: 'manual',
    severity: 'major',
    state: 'closed',
    firstMs: 1,
    lastMs: 2,
    count: 2,
    lat: 31.5,
    lon: 121.25,
    message: 'm',
    reason: null,
    deviceEventId: null,
    test: false,
    ruleIds: [],
    escalatedToRole: 'admin',
    escalatedMs: 1,
    handler: 'h',
    reporter: 'r',
    cause: null,
    steps: [],
    actions: [],
    occurrences: [],
  };

  for (const lang of ['en', 'zh-CN'] as const)
    it(`writes no runnable cell in ${lang}, whatever field carries the formula`, () => {
      const i18n = makeI18n(lang);
      for (const f of FORMULAS) {
        // The enum-like fields (action, targetType, type, severity, state) keep valid values so the row is worded; every free text is poisoned.
        const e = { ...poison(entry, f), action: entry.action, targetType: entry.targetType };
        const a = { ...poison(alarm, f), type: alarm.type, severity: alarm.severity, state: alarm.state, escalatedToRole: alarm.escalatedToRole };
        for (const text of [auditCsv(i18n, [e, { ...e, action: 'unknown.action' as AuditEntry['action'], targetType: f }]), consoleAlarmsCsv(i18n, [a])]) {
          const rows = parseCsv(text);
          expect(rows.length).toBeGreaterThan(1);
          expect(formulaCells(rows)).toEqual([]);
        }
      }
    });
});
