// Messages of GB/T 28181 device recordings in the Playback tab (issue 14 item 7) in both languages; spread into the catalogs in en.ts and zh-CN.ts.
// Keys start with 'gbRecords.'; the Chinese text must have the same placeholders (checked by zh-CN.ts and catalog.test.ts).

export const gbRecordsEn = {
  'gbRecords.title': 'On the device',
  'gbRecords.onDevice': 'Recording on the device',
  'gbRecords.ranges': '{count:one=# range;other=# ranges} on the device in view',
  'gbRecords.partial': 'the device answered only part of the list',
  'gbRecords.none': 'No recordings on the device in view',
  'gbRecords.loading': 'Asking the device…',
  'gbRecords.fetch': 'Fetch from device',
  'gbRecords.fetchHint': 'Copies the marked range (at most 4 h) from the device into the recordings here, for playback, cases and exports',
  'gbRecords.needSelection': 'Mark in and out on the timeline first',
  'gbRecords.started': 'Fetching {from} – {to} from the device',
  'gbRecords.state.running': 'fetching: {seconds} s received',
  'gbRecords.state.done': 'fetched ({seconds} s)',
  'gbRecords.state.failed': 'failed: {reason}',
  'gbRecords.state.cancelled': 'cancelled',
  'gbRecords.cancel': 'Cancel',
  'gbRecords.download': 'Fetch {from} – {to}, by {user}',
  'gbRecords.audit.download': 'Fetch recordings from a GB/T 28181 device',
  'gbRecords.audit.download_cancel': 'Cancel a fetch from a GB/T 28181 device',
  'gbRecords.audit.download_end': 'Fetch from a GB/T 28181 device ended',
  'gbRecords.audit.playback': 'Play back from a GB/T 28181 device',
} as const;

export const gbRecordsZh = {
  'gbRecords.title': '设备端录像',
  'gbRecords.onDevice': '设备上的录像',
  'gbRecords.ranges': '当前视图内设备上有 {count} 段录像',
  'gbRecords.partial': '设备只返回了部分列表',
  'gbRecords.none': '当前视图内设备上没有录像',
  'gbRecords.loading': '正在查询设备…',
  'gbRecords.fetch': '从设备下载',
  'gbRecords.fetchHint': '将标记的时间段（最多 4 小时）从设备复制到本系统录像，用于回放、案件和导出',
  'gbRecords.needSelection': '请先在时间轴上标记入点和出点',
  'gbRecords.started': '正在从设备下载 {from} – {to}',
  'gbRecords.state.running': '下载中：已接收 {seconds} 秒',
  'gbRecords.state.done': '已下载（{seconds} 秒）',
  'gbRecords.state.failed': '失败：{reason}',
  'gbRecords.state.cancelled': '已取消',
  'gbRecords.cancel': '取消',
  'gbRecords.download': '下载 {from} – {to}，操作人 {user}',
  'gbRecords.audit.download': '从 GB/T 28181 设备下载录像',
  'gbRecords.audit.download_cancel': '取消从 GB/T 28181 设备下载',
  'gbRecords.audit.download_end': '从 GB/T 28181 设备下载结束',
  'gbRecords.audit.playback': '从 GB/T 28181 设备回放',
} as const;

/** Audit actions of device recordings with their catalog keys (spread into AUDIT_ACTIONS in renderer/labels.ts). */
export const gbRecordsAuditActions = {
  'gb.records.download': 'gbRecords.audit.download',
  'gb.records.download_cancel': 'gbRecords.audit.download_cancel',
  'gb.records.download_end': 'gbRecords.audit.download_end',
  'gb.records.playback': 'gbRecords.audit.playback',
} as const;
