// CSV files the console builds (audit log, alarm history): RFC 4180 cells, UTF-8 BOM for spreadsheets, local-date file names, download.
import { formatDate } from './format';

/** One cell: quoted when needed; a leading = + - @ (a formula in spreadsheets) neutralised with a quote mark. */
export function csvCell(v: string | number | null | undefined): string {
  const s = v === null || v === undefined ? '' : String(v);
  const safe = typeof v === 'string' && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The file's text: CRLF lines, starting with the UTF-8 byte order mark so that Excel reads Chinese text as UTF-8
 * (without it Excel assumes the system code page and shows mojibake).
 */
export function csvText(rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): string {
  return '\uFEFF' + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** "报警记录_2026-12-06.csv": the worded name and the local date (the user's zone). Characters a file system refuses are dropped. */
export function csvFileName(base: string, ms: number): string {
  return `${base.replace(/[\\/:*?"<>|]/g, '')}_${formatDate(ms)}.csv`;
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
