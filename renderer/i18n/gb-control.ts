// Messages of GB/T 28181 device control (issue 14: reboot, device recording, mobile devices) in both languages; spread into the catalogs in en.ts and zh-CN.ts.
// Keys start with 'gbControl.'; the Chinese text must have the same placeholders (checked by zh-CN.ts and catalog.test.ts).

export const gbControlEn = {
  'gbControl.audit.device.mobile': 'Became a mobile device (reports GB/T 28181 positions)',
  'gbControl.audit.device.reboot': 'Remote reboot of a GB/T 28181 device',
  'gbControl.audit.record.start': 'Recording on the GB/T 28181 device started',
  'gbControl.audit.record.stop': 'Recording on the GB/T 28181 device stopped',
} as const;

export const gbControlZh = {
  'gbControl.audit.device.mobile': '设备上报 GB/T 28181 位置，成为移动终端',
  'gbControl.audit.device.reboot': '远程重启 GB/T 28181 设备',
  'gbControl.audit.record.start': '开始 GB/T 28181 设备端录像',
  'gbControl.audit.record.stop': '停止 GB/T 28181 设备端录像',
} as const satisfies { readonly [K in keyof typeof gbControlEn]: string };

/** Audit actions of GB/T 28181 device control with their catalog keys (the audit panel's labels and action filter). */
export const gbControlAuditActions = {
  'gb.device.mobile': 'gbControl.audit.device.mobile',
  'gb.device.reboot': 'gbControl.audit.device.reboot',
  'gb.record.start': 'gbControl.audit.record.start',
  'gb.record.stop': 'gbControl.audit.record.stop',
} as const;
