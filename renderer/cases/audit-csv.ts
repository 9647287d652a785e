// Audit log entries as CSV (RFC 4180: quoted fields, CRLF) and a browser download of it; used by the admin audit panel.
import type { AuditEntry } from '../../common/api';

function cell(v: string | number | null | undefined): string {
  const s = v === null || v === undefined ? '' : String(v);
  // A leading = + - @ would be a formula in spreadsheets: neutralised with a quote mark.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function auditCsv(entries: readonly AuditEntry[]): string {
  const rows = [['id', 'time_utc', 'ts_ms', 'user_id', 'username', 'action', 'target_type', 'target_id', 'ip', 'detail'].join(',')];
  for (const e of entries)
    rows.push([e.id, new Date(e.tsMs).toISOString(), e.tsMs, e.userId, e.username, e.action, e.targetType, e.targetId, e.ip, e.detail === null ? '' : JSON.stringify(e.detail)].map(cell).join(','));
  return rows.join('\r\n') + '\r\n';
}

export function downloadCsv(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
