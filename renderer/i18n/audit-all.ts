// The audit/CSV/alarm-outcome catalog modules in one import for en.ts and zh-CN.ts.
import { auditEn as auditBaseEn, auditZh as auditBaseZh } from './audit';
import { devicesAuditEn, devicesAuditZh } from './devices-audit';
export const auditEn = { ...auditBaseEn, ...devicesAuditEn };
export const auditZh = { ...auditBaseZh, ...devicesAuditZh };
export { auditFieldsEn, auditFieldsZh } from './audit-fields';
export { alarmOutcomesEn, alarmOutcomesZh } from './alarm-outcomes';
