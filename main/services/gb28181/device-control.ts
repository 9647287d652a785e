// GB/T 28181 DeviceControl and its queries (annex A.2.3, A.2.4): PTZCmd, TeleBoot, RecordCmd, GuardCmd, AlarmCmd, HomePosition, PresetQuery, PTZPosition.
import { ErrorKind } from '../../../common/errors';
import { msg } from '../../../common/messages';
import { DomainError } from '../../platform/errors';
import { fieldOf, itemsOf, textOf } from './manscdp';
import type { GbSignalling, Manscdp } from './signalling';

/** A DeviceControl command: the fields after CmdType/SN/DeviceID, in annex A order. */
export type GbControlCommand =
  | { kind: 'ptz'; hex: string }
  | { kind: 'teleBoot' }
  | { kind: 'record'; on: boolean }
  | { kind: 'guard'; on: boolean }
  | { kind: 'resetAlarm'; method: number | null; type: number | null }
  | { kind: 'homePosition'; enabled: boolean; resetTimeS: number; presetIndex: number };

/** The command's name in messages and logs. */
export function commandName(c: GbControlCommand): string {
  switch (c.kind) {
    case 'ptz':
      return 'PTZCmd';
    case 'teleBoot':
      return 'TeleBoot';
    case 'record':
      return c.on ? 'RecordCmd Record' : 'RecordCmd StopRecord';
    case 'guard':
      return c.on ? 'GuardCmd SetGuard' : 'GuardCmd ResetGuard';
    case 'resetAlarm':
      return 'AlarmCmd ResetAlarm';
    case 'homePosition':
      return 'HomePosition';
  }
}

/** The DeviceControl fields of a command (A.2.3.1). */
export function controlFields(c: GbControlCommand): Record<string, unknown> {
  switch (c.kind) {
    case 'ptz':
      return { PTZCmd: c.hex, Info: { ControlPriority: 5 } };
    case 'teleBoot':
      return { TeleBoot: 'Boot' };
    case 'record':
      return { RecordCmd: c.on ? 'Record' : 'StopRecord' };
    case 'guard':
      return { GuardCmd: c.on ? 'SetGuard' : 'ResetGuard' };
    case 'resetAlarm': {
      const info: Record<string, unknown> = {};
      if (c.method !== null) info.AlarmMethod = c.method;
      if (c.type !== null) info.AlarmType = c.type;
      return Object.keys(info).length > 0 ? { AlarmCmd: 'ResetAlarm', Info: info } : { AlarmCmd: 'ResetAlarm' };
    }
    case 'homePosition':
      return { HomePosition: { Enabled: c.enabled ? 1 : 0, ResetTime: c.resetTimeS, PresetIndex: c.presetIndex } };
  }
}

/** Whether the standard has the device answer the command with a Response (PTZCmd and TeleBoot get only the SIP 200). */
export function answered(c: GbControlCommand): boolean {
  return c.kind !== 'ptz' && c.kind !== 'teleBoot';
}

/** The Result of a DeviceControl Response ('OK' / 'ERROR', upper-cased; '' when absent). */
export function resultOf(m: Manscdp): string {
  return textOf(fieldOf(m.fields, 'Result')).trim().toUpperCase();
}

/** A preset as PresetQuery lists it (A.2.6.10: PresetList/Item with PresetID, PresetName). */
export interface GbPreset {
  index: number;
  name: string;
}

/** The presets of PresetQuery Responses (several MESSAGEs possible); ids outside 1–255 and duplicates dropped. */
export function presetsOf(responses: readonly Manscdp[]): GbPreset[] {
  const out = new Map<number, GbPreset>();
  for (const r of responses)
    for (const it of itemsOf(fieldOf(r.fields, 'PresetList'))) {
      const id = textOf(fieldOf(it, 'PresetID')).trim();
      if (!/^\d{1,3}$/.test(id)) continue;
      const index = Number(id);
      if (index < 1 || index > 255 || out.has(index)) continue;
      out.set(index, { index, name: textOf(fieldOf(it, 'PresetName')).trim() });
    }
  return [...out.values()].sort((a, b) => a.index - b.index);
}

/** PTZPosition (2022, A.2.4.13): Pan 0–360, Tilt -30–90, Zoom 1–n; null when the Response has no Pan/Tilt. */
export function positionOf(m: Manscdp): { pan: number; tilt: number; zoom: number } | null {
  const num = (name: string) => {
    const t = textOf(fieldOf(m.fields, name)).trim();
    return t !== '' && Number.isFinite(Number(t)) ? Number(t) : null;
  };
  const pan = num('Pan');
  const tilt = num('Tilt');
  if (pan === null || tilt === null) return null;
  return { pan, tilt, zoom: num('Zoom') ?? 1 };
}

/** Sends DeviceControl and the control queries to registered devices (through the SIP endpoint). */
export class GbDeviceControl {
  constructor(
    private readonly sig: GbSignalling,
    private readonly opts: { timeoutMs?: number } = {},
  ) {}

  /**
   * Sends a command to `deviceId` about `targetId` (the device or one of its channels). Commands the device answers
   * with a Response wait for it and fail unless its Result is OK; PTZCmd and TeleBoot succeed on the SIP 200.
   */
  async send(deviceId: string, targetId: string, c: GbControlCommand): Promise<void> {
    const fields = controlFields(c);
    if (!answered(c)) {
      const status = await this.sig.notify(deviceId, { root: 'Control', cmdType: 'DeviceControl', deviceId: targetId, fields });
      if (status < 200 || status >= 300)
        throw new DomainError(ErrorKind.Unavailable, msg('gb.control_failed', { id: deviceId, cmd: commandName(c), result: `SIP ${status}` }));
      return;
    }
    const [r] = await this.sig.query(deviceId, 'Control', 'DeviceControl', fields, { toId: targetId, multi: false, timeoutMs: this.opts.timeoutMs });
    const result = r ? resultOf(r) : '';
    // A Response without Result counts as done (some devices send only CmdType/SN/DeviceID); ERROR is a refusal.
    if (result !== '' && result !== 'OK') throw new DomainError(ErrorKind.Unavailable, msg('gb.control_failed', { id: deviceId, cmd: commandName(c), result }));
  }

  /** The channel's presets as the device lists them. */
  async presets(deviceId: string, channelId: string, timeoutMs?: number): Promise<GbPreset[]> {
    const rs = await this.sig.query(deviceId, 'Query', 'PresetQuery', {}, { toId: channelId, multi: true, timeoutMs: timeoutMs ?? this.opts.timeoutMs });
    return presetsOf(rs);
  }

  /** The channel's PTZ position (2022 PTZPosition); rejects when the device does not report it. */
  async position(deviceId: string, channelId: string): Promise<{ pan: number; tilt: number; zoom: number }> {
    const [r] = await this.sig.query(deviceId, 'Query', 'PTZPosition', {}, { toId: channelId, multi: false, timeoutMs: this.opts.timeoutMs });
    const p = r ? positionOf(r) : null;
    if (!p) throw new DomainError(ErrorKind.Unavailable, msg('gb.no_position', { id: deviceId }));
    return p;
  }
}
