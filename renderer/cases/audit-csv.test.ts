// CSV of audit entries: header, quoting, formula neutralisation, JSON detail.
import { describe, expect, it } from 'vitest';
import { auditCsv } from './audit-csv';

describe('auditCsv', () => {
  it('writes one quoted, spreadsheet-safe line per entry', () => {
    const csv = auditCsv([
      { id: 1, tsMs: Date.UTC(2026, 10, 26, 8, 0, 0), userId: 2, username: 'ines', action: 'playback.view', targetType: 'camera', targetId: '7', detail: { startMs: 1, note: 'a,"b"' }, ip: '10.0.0.1' },
      { id: 2, tsMs: 0, userId: null, username: '=cmd()', action: 'export.done', targetType: null, targetId: null, detail: null, ip: null },
    ]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('id,time_utc,ts_ms,user_id,username,action,target_type,target_id,ip,detail');
    expect(lines[1]).toBe(`1,2026-11-26T08:00:00.000Z,${Date.UTC(2026, 10, 26, 8, 0, 0)},2,ines,playback.view,camera,7,10.0.0.1,"{""startMs"":1,""note"":""a,\\""b\\""""}"`);
    expect(lines[2]).toBe(`2,1970-01-01T00:00:00.000Z,0,,"'=cmd()",export.done,,,,`);
    expect(lines[3]).toBe('');
  });
});
