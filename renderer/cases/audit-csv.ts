// Audit log entries as CSV in the user's language and time zone (worded actions, targets and details); used by Admin → Audit.
import type { AuditEntry } from '../../common/api';
import { auditActionLabel, auditDetailText, auditTargetLabel } from '../admin/audit-words';
import { csvFileName, csvText } from '../csv';
import { formatDateTime } from '../format';
import type { I18n } from '../i18n/index';

export { downloadCsv } from '../csv';

export function auditCsv(i18n: I18n, entries: readonly AuditEntry[]): string {
  const { t } = i18n;
  const header = [
    t('auditlog.csv.id'),
    t('auditlog.csv.time'),
    t('auditlog.csv.user'),
    t('auditlog.csv.action'),
    t('auditlog.csv.target'),
    t('auditlog.csv.address'),
    t('auditlog.csv.detail'),
  ];
  const rows = entries.map((e) => [
    e.id,
    formatDateTime(e.tsMs),
    e.username ?? t('audit.system'),
    auditActionLabel(t, e.action),
    auditTargetLabel(t, e),
    e.ip,
    auditDetailText(i18n, e),
  ]);
  return csvText([header, ...rows]);
}

/** "操作日志_2026-12-06.csv" (the local date of `nowMs`). */
export function auditCsvName(i18n: I18n, nowMs: number): string {
  return csvFileName(i18n.t('auditlog.csv.file'), nowMs);
}
