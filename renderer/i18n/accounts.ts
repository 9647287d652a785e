// Messages of passwords and accounts (issue 12) in both languages; spread into the catalogs in en.ts and zh-CN.ts.
// Keys start with 'accounts.'; the Chinese text must have the same placeholders (checked by zh-CN.ts and catalog.test.ts).

export const accountsEn = {
  'accounts.menu.changePassword': 'Change password',
  'accounts.change.title': 'Change password',
  'accounts.change.current': 'Current password',
  'accounts.change.new': 'New password',
  'accounts.change.repeat': 'Repeat the new password',
  'accounts.change.policy': 'At least {min} characters; not your user name, not a common password.',
  'accounts.change.mismatch': 'The two new passwords differ.',
  'accounts.change.submit': 'Change password',
  'accounts.change.busy': 'Changing…',
  'accounts.change.done': 'Password changed. Your other sessions have been signed out.',
  'accounts.forced.title': 'Choose a new password',
  'accounts.forced.intro': 'Your password was set by an administrator (or generated at the first start). Choose your own password before you continue.',
  'accounts.forced.signOut': 'Sign out',
  'accounts.reset.action': 'Reset password',
  'accounts.reset.title': 'Reset the password of "{name}"',
  'accounts.reset.intro': 'All sessions of "{name}" end at once. They must choose their own password when they next sign in.',
  'accounts.reset.new': 'Temporary password',
  'accounts.reset.submit': 'Reset password',
  'accounts.reset.done': 'Password of "{name}" reset; they must change it at the next sign-in.',
  'accounts.state.mustChange': 'Must change password',
  'accounts.audit.password_change': 'Password changed',
  'accounts.audit.password_change_failed': 'Password change refused',
  'accounts.audit.password_reset': 'Password reset',
} as const;

export const accountsZh = {
  'accounts.menu.changePassword': '修改密码',
  'accounts.change.title': '修改密码',
  'accounts.change.current': '当前密码',
  'accounts.change.new': '新密码',
  'accounts.change.repeat': '再次输入新密码',
  'accounts.change.policy': '至少 {min} 个字符；不能是用户名，也不能是常见密码。',
  'accounts.change.mismatch': '两次输入的新密码不一致。',
  'accounts.change.submit': '修改密码',
  'accounts.change.busy': '正在修改…',
  'accounts.change.done': '密码已修改。您在其他地方的会话已退出。',
  'accounts.forced.title': '请设置新密码',
  'accounts.forced.intro': '您的密码由管理员设置（或在首次启动时生成）。继续之前，请设置您自己的密码。',
  'accounts.forced.signOut': '退出登录',
  'accounts.reset.action': '重置密码',
  'accounts.reset.title': '重置“{name}”的密码',
  'accounts.reset.intro': '“{name}”的所有会话将立即结束。该用户下次登录时必须设置自己的密码。',
  'accounts.reset.new': '临时密码',
  'accounts.reset.submit': '重置密码',
  'accounts.reset.done': '已重置“{name}”的密码；该用户下次登录时必须修改。',
  'accounts.state.mustChange': '需修改密码',
  'accounts.audit.password_change': '修改密码',
  'accounts.audit.password_change_failed': '修改密码被拒绝',
  'accounts.audit.password_reset': '重置密码',
} as const satisfies { readonly [K in keyof typeof accountsEn]: string };

/** Audit actions of accounts and their labels (spread into AUDIT_ACTIONS in renderer/labels.ts). */
export const accountsAuditActions = {
  'user.password_change': 'accounts.audit.password_change',
  'user.password_change_failed': 'accounts.audit.password_change_failed',
  'user.password_reset': 'accounts.audit.password_reset',
} as const;
