// MANSCDP element names of GB/T 28181-2016/2022 annex A, in the standard's case: the decoder renames a device's `sumnum`/`devicelist`/`item` to these.
const NAMES = [
  // header and lists
  'CmdType',
  'SN',
  'DeviceID',
  'SumNum',
  'DeviceList',
  'Item',
  'RecordList',
  'PresetList',
  'Num',
  'Result',
  'Reason',
  'Info',
  // catalog items
  'Name',
  'Manufacturer',
  'Model',
  'Owner',
  'CivilCode',
  'Block',
  'Address',
  'Parental',
  'ParentID',
  'SafetyWay',
  'RegisterWay',
  'CertNum',
  'Certifiable',
  'ErrCode',
  'EndTime',
  'Secrecy',
  'IPAddress',
  'Port',
  'Password',
  'Status',
  'Longitude',
  'Latitude',
  'PTZType',
  'PositionType',
  'RoomType',
  'UseType',
  'SupplyLightType',
  'DirectionType',
  'Resolution',
  'BusinessGroupID',
  'DownloadSpeed',
  'SVCSpaceSupportMode',
  'SVCTimeSupportMode',
  'Event',
  // device info / status
  'DeviceName',
  'Firmware',
  'Channel',
  'MaxCamera',
  'MaxAlarm',
  'Online',
  'Encode',
  'Record',
  'DeviceTime',
  'Alarmstatus',
  'DutyStatus',
  // records
  'StartTime',
  'FilePath',
  'Type',
  'RecorderID',
  'FileSize',
  'IndistinctQuery',
  'StreamNumber',
  // alarms and positions
  'AlarmPriority',
  'AlarmMethod',
  'AlarmTime',
  'AlarmDescription',
  'AlarmType',
  'AlarmTypeParam',
  'EventType',
  'StartAlarmPriority',
  'EndAlarmPriority',
  'Time',
  'Speed',
  'Direction',
  'Altitude',
  'Interval',
  // control and presets
  'PTZCmd',
  'TeleBoot',
  'RecordCmd',
  'GuardCmd',
  'AlarmCmd',
  'IFameCmd',
  'DragZoomIn',
  'DragZoomOut',
  'HomePosition',
  'Enabled',
  'ResetTime',
  'PresetIndex',
  'PresetID',
  'PresetName',
  'ControlPriority',
  'Length',
  'Width',
  'MidPointX',
  'MidPointY',
  'LengthX',
  'LengthY',
  'DeviceConfig',
  'ConfigType',
  'BasicParam',
  'Expiration',
  'HeartBeatInterval',
  'HeartBeatCount',
  'NotifyType',
];

const BY_LOWER = new Map(NAMES.map((n) => [n.toLowerCase(), n]));

/** The standard's spelling of a MANSCDP element (or `@_` attribute) name; unknown names stay as sent. */
export function canonicalName(key: string): string {
  if (key.startsWith('@_')) {
    const n = BY_LOWER.get(key.slice(2).toLowerCase());
    return n ? `@_${n}` : key;
  }
  return BY_LOWER.get(key.toLowerCase()) ?? key;
}

/** A parsed MANSCDP subtree with every known element name in the standard's case, recursively (a name repeated in two cases merges). */
export function canonicalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonicalise);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const name = canonicalName(k);
    const value = canonicalise(x);
    if (!(name in out)) out[name] = value;
    else out[name] = [...toList(out[name]), ...toList(value)];
  }
  return out;
}

const toList = (x: unknown): unknown[] => (Array.isArray(x) ? x : [x]);
