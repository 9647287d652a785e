// Labels of the audit actions of issue 13 (directory sign-in, two-step verification, access control) in both languages.
// Spread into the catalogs in en.ts and zh-CN.ts and, through securityAuditActions, into AUDIT_ACTIONS in renderer/labels.ts.

export const auditSecurityEn = {
  'auditsec.action.auth.directory_unavailable': 'Directory unavailable at sign-in',
  'auditsec.action.user.directory_sync': 'Account updated from the directory',
  'auditsec.action.auth.password_ok': 'Password accepted, second step pending',
  'auditsec.action.auth.totp_failed': 'Wrong verification code',
  'auditsec.action.auth.recovery_code_used': 'Signed in with a recovery code',
  'auditsec.action.user.totp_enable': 'Two-step verification turned on',
  'auditsec.action.user.totp_disable': 'Two-step verification turned off',
  'auditsec.action.user.totp_reset': 'Two-step verification reset',
  'auditsec.action.access.grant.create': 'Right granted',
  'auditsec.action.access.grant.delete': 'Right withdrawn',
  'auditsec.action.access.group.create': 'User group created',
  'auditsec.action.access.group.update': 'User group changed',
  'auditsec.action.access.group.delete': 'User group deleted',
  'auditsec.action.access.group.members': 'Group members changed',
  'auditsec.action.access.user.node': "User's organisation node set",
  'auditsec.action.access.device.users': "Device's users set",
} as const;

export const auditSecurityZh = {
  'auditsec.action.auth.directory_unavailable': '登录时目录服务不可用',
  'auditsec.action.user.directory_sync': '从目录服务同步账户',
  'auditsec.action.auth.password_ok': '密码验证通过，待两步验证',
  'auditsec.action.auth.totp_failed': '两步验证码错误',
  'auditsec.action.auth.recovery_code_used': '使用恢复码登录',
  'auditsec.action.user.totp_enable': '启用两步验证',
  'auditsec.action.user.totp_disable': '停用两步验证',
  'auditsec.action.user.totp_reset': '重置两步验证',
  'auditsec.action.access.grant.create': '授予权限',
  'auditsec.action.access.grant.delete': '撤销权限',
  'auditsec.action.access.group.create': '创建用户组',
  'auditsec.action.access.group.update': '修改用户组',
  'auditsec.action.access.group.delete': '删除用户组',
  'auditsec.action.access.group.members': '调整用户组成员',
  'auditsec.action.access.user.node': '设置用户所属组织机构',
  'auditsec.action.access.device.users': '设置设备使用人',
} as const satisfies { readonly [K in keyof typeof auditSecurityEn]: string };

/** Audit actions labelled here (spread into AUDIT_ACTIONS in renderer/labels.ts). */
export const securityAuditActions = {
  'auth.directory_unavailable': 'auditsec.action.auth.directory_unavailable',
  'user.directory_sync': 'auditsec.action.user.directory_sync',
  'auth.password_ok': 'auditsec.action.auth.password_ok',
  'auth.totp_failed': 'auditsec.action.auth.totp_failed',
  'auth.recovery_code_used': 'auditsec.action.auth.recovery_code_used',
  'user.totp_enable': 'auditsec.action.user.totp_enable',
  'user.totp_disable': 'auditsec.action.user.totp_disable',
  'user.totp_reset': 'auditsec.action.user.totp_reset',
  'access.grant.create': 'auditsec.action.access.grant.create',
  'access.grant.delete': 'auditsec.action.access.grant.delete',
  'access.group.create': 'auditsec.action.access.group.create',
  'access.group.update': 'auditsec.action.access.group.update',
  'access.group.delete': 'auditsec.action.access.group.delete',
  'access.group.members': 'auditsec.action.access.group.members',
  'access.user.node': 'auditsec.action.access.user.node',
  'access.device.users': 'auditsec.action.access.device.users',
} as const;
