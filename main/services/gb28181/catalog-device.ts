// DeviceInfo and DeviceStatus answers (GB/T 28181 A.2.6.5/A.2.6.4) read into the devices row and a status snapshot.
import type { DevicePatch, DeviceRow } from '../../../storage/repos/devices';
import { field, list, text } from './catalog-items';
import type { Manscdp } from './signalling';

/** What DeviceInfo told about a device. */
export interface GbDeviceInfo {
  name: string | null;
  manufacturer: string | null;
  model: string | null;
  firmware: string | null;
  /** Channels the device says it has (Channel). */
  channels: number | null;
}

/** The last DeviceStatus answer of a device (kept in memory: it is current state, not configuration). */
export interface GbDeviceStatusSnapshot {
  /** Online: ONLINE/OFFLINE as the device reports itself; null when absent. */
  online: boolean | null;
  /** Status: OK / ERROR. */
  ok: boolean | null;
  reason: string | null;
  /** Encode / Record: ON / OFF. */
  encoding: boolean | null;
  recording: boolean | null;
  /** The device's clock as it sent it (DeviceTime, local time without zone). */
  deviceTime: string | null;
  /** Alarm inputs' duty status (ONDUTY, OFFDUTY, ALARM). */
  alarmInputs: Array<{ gbId: string; dutyStatus: string }>;
  /** When the answer arrived (ms since epoch). */
  atMs: number;
}

const onOff = (v: string | null, on: string[], off: string[]): boolean | null => {
  const u = v?.toUpperCase() ?? null;
  if (u === null) return null;
  if (on.includes(u)) return true;
  if (off.includes(u)) return false;
  return null;
};

export function parseDeviceInfo(m: Manscdp): GbDeviceInfo {
  const f = m.fields;
  const n = Number(text(f, 'Channel'));
  return {
    name: text(f, 'DeviceName'),
    manufacturer: text(f, 'Manufacturer'),
    model: text(f, 'Model'),
    firmware: text(f, 'Firmware'),
    channels: Number.isInteger(n) && n >= 0 && text(f, 'Channel') !== null ? n : null,
  };
}

/**
 * The devices row change DeviceInfo brings: vendor, model and firmware as reported; the name only while it is still
 * the one registration gave (the device ID), never over an admin's name. Null when nothing changes.
 */
export function deviceInfoPatch(info: GbDeviceInfo, row: DeviceRow): DevicePatch | null {
  const patch: DevicePatch = {};
  const cut = (s: string, max: number) => [...s].slice(0, max).join('');
  if (info.manufacturer !== null && cut(info.manufacturer, 128) !== row.vendor) patch.vendor = cut(info.manufacturer, 128);
  if (info.model !== null && cut(info.model, 128) !== row.model) patch.model = cut(info.model, 128);
  if (info.firmware !== null && cut(info.firmware, 128) !== row.firmware) patch.firmware = cut(info.firmware, 128);
  if (info.name !== null && row.name === row.code && cut(info.name, 128) !== row.name) patch.name = cut(info.name, 128);
  return Object.keys(patch).length > 0 ? patch : null;
}

export function parseDeviceStatus(m: Manscdp, atMs: number): GbDeviceStatusSnapshot {
  const f = m.fields;
  const alarms = list(field(f, 'Alarmstatus'), 'Item')
    .map((it) => ({ gbId: text(it, 'DeviceID') ?? '', dutyStatus: (text(it, 'DutyStatus') ?? '').toUpperCase() }))
    .filter((a) => a.gbId !== '' && a.dutyStatus !== '');
  return {
    online: onOff(text(f, 'Online'), ['ONLINE', 'ON'], ['OFFLINE', 'OFF']),
    ok: onOff(text(f, 'Status'), ['OK', 'ON'], ['ERROR']),
    reason: text(f, 'Reason'),
    encoding: onOff(text(f, 'Encode'), ['ON'], ['OFF']),
    recording: onOff(text(f, 'Record'), ['ON'], ['OFF']),
    deviceTime: text(f, 'DeviceTime'),
    alarmInputs: alarms,
    atMs,
  };
}
