// The audit/CSV/alarm-outcome catalog modules in one import for en.ts and zh-CN.ts.
import { auditEn as auditBaseEn, auditZh as auditBaseZh } from './audit';
import { devicesAuditEn, devicesAuditZh } from './devices-audit';
import { auditSecurityEn, auditSecurityZh } from './audit-security';
export const auditEn = { ...auditBaseEn, ...devicesAuditEn, ...auditSecurityEn };
export const auditZh = { ...auditBaseZh, ...devicesAuditZh, ...auditSecurityZh };
export { auditFieldsEn, auditFieldsZh } from './audit-fields';
export { alarmOutcomesEn, alarmOutcomesZh } from './alarm-outcomes';
