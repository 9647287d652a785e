// Audit log entries as CSV in the user's language and time zone (worded actions, targets and details); used by Admin → Audit.
import type { AuditEntry } from '../../common/api';
import type { AuditCheckpointView, SitePublicKey } from '../../common/audit-chain';
import { auditActionLabel, auditDetailText, auditTargetLabel } from '../admin/audit-words';
import { csvFileName, csvText } from '../csv';
import { formatDateTime } from '../format';
import type { I18n } from '../i18n/index';

export { downloadCsv } from '../csv';

/** The signed checkpoints (and the key) that go with the entries: a second section after a blank row. */
export interface AuditCsvSignatures {
  checkpoints: readonly AuditCheckpointView[];
  key: SitePublicKey;
}

/** The PEM's base64 body (the SPKI DER): a PEM line starts with '-', which CSV formula escaping would change. */
const pemBody = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

export function auditCsv(i18n: I18n, entries: readonly AuditEntry[], signatures?: AuditCsvSignatures): string {
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
  if (!signatures) return csvText([header, ...rows]);
  const section = [
    [],
    [t('auditchain.csv.checkpoints', { format: 'argus-audit-checkpoint/1' })],
    [
      t('auditchain.csv.id'),
      t('auditchain.csv.lastId'),
      t('auditchain.csv.hash'),
      t('auditchain.csv.time'),
      t('auditchain.csv.reason'),
      t('auditchain.csv.keyFingerprint'),
      t('auditchain.csv.signature'),
    ],
    ...signatures.checkpoints.map((c) => [c.id, c.lastId, c.hash, new Date(c.tsMs).toISOString(), c.reason, c.keyFingerprint, c.signature]),
    [],
    [t('auditchain.csv.publicKey'), pemBody(signatures.key.pem)],
    [t('auditchain.csv.fingerprint'), signatures.key.fingerprint],
  ];
  return csvText([header, ...rows, ...section]);
}

/** "操作日志_2026-12-06.csv" (the local date of `nowMs`). */
export function auditCsvName(i18n: I18n, nowMs: number): string {
  return csvFileName(i18n.t('auditlog.csv.file'), nowMs);
}
