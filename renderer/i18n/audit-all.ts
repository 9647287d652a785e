// The audit/CSV/alarm-outcome catalog modules in one import for en.ts and zh-CN.ts.
export { auditEn, auditZh } from './audit';
export { auditFieldsEn, auditFieldsZh } from './audit-fields';
export { alarmOutcomesEn, alarmOutcomesZh } from './alarm-outcomes';
