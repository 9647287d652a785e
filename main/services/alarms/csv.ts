// Alarm history as CSV (RFC 4180, UTF-8 with BOM so spreadsheet programs read Chinese text; cells that look like formulas are defused).
import { ALARM_CSV_COLUMNS, type Alarm } from '../../../common/alarms';

function cell(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  // A leading = + - @ would run as a formula in a spreadsheet.
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function alarmsCsv(alarms: readonly Alarm[]): string {
  const lines = [ALARM_CSV_COLUMNS.join(',')];
  for (const a of alarms) {
    const row: Record<(typeof ALARM_CSV_COLUMNS)[number], string | number | null> = {
      id: a.id,
      type: a.type,
      severity: a.severity,
      state: a.state,
      source: a.sourceName,
      sourceId: a.sourceId,
      firstTime: iso(a.firstMs),
      lastTime: iso(a.lastMs),
      count: a.count,
      handler: a.handler,
      escalatedTo: a.escalatedToRole,
      lat: a.lat,
      lon: a.lon,
      message: a.message,
    };
    lines.push(ALARM_CSV_COLUMNS.map((c) => cell(row[c])).join(','));
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
