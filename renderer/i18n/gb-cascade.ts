// Messages of the cascade to superior GB/T 28181 platforms (issue 14 item 8) in both languages; spread into the catalogs in en.ts and zh-CN.ts.
// Keys start with 'gbCascade.'; the Chinese text must have the same placeholders (checked by zh-CN.ts and catalog.test.ts).

export const gbCascadeEn = {
  'gbCascade.audit.upper_created': 'Upper GB/T 28181 platform added',
  'gbCascade.audit.upper_updated': 'Upper GB/T 28181 platform changed',
  'gbCascade.audit.upper_removed': 'Upper GB/T 28181 platform removed',
  'gbCascade.audit.upper_shared': 'Channels shared with an upper GB/T 28181 platform changed',
} as const;

export const gbCascadeZh = {
  'gbCascade.audit.upper_created': '添加上级 GB/T 28181 平台',
  'gbCascade.audit.upper_updated': '修改上级 GB/T 28181 平台',
  'gbCascade.audit.upper_removed': '删除上级 GB/T 28181 平台',
  'gbCascade.audit.upper_shared': '修改向上级 GB/T 28181 平台共享的通道',
} as const satisfies { readonly [K in keyof typeof gbCascadeEn]: string };

/** Audit actions of the cascade with their catalog keys (the audit panel's labels and action filter). */
export const gbCascadeAuditActions = {
  'gb.upper_created': 'gbCascade.audit.upper_created',
  'gb.upper_updated': 'gbCascade.audit.upper_updated',
  'gb.upper_removed': 'gbCascade.audit.upper_removed',
  'gb.upper_shared': 'gbCascade.audit.upper_shared',
} as const;
