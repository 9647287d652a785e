// Catalog keys for alarm enums (severity, state, type, action kind) and the source name of an alarm.
import type { Alarm, AlarmActionKind, AlarmCause, AlarmSeverity, AlarmState, AlarmType } from '../../common/alarms';
import type { MessageKey } from '../i18n/index';

export const sevKey = (s: AlarmSeverity): MessageKey => `alarms.sev.${s}`;
export const stateKey = (s: AlarmState | 'open'): MessageKey => `alarms.state.${s}`;
export const typeKey = (t: AlarmType): MessageKey => `alarms.type.${t}`;
export const causeKey = (c: AlarmCause): MessageKey => `alarms.cause.${c}`;

/** Alarms "similar" to one: unacknowledged, same type and cause, not test alarms (for "acknowledge all N similar"). */
export function similarAlarms(alarm: Alarm, open: readonly Alarm[]): Alarm[] {
  if (alarm.test) return [];
  return open.filter((a) => a.state === 'new' && !a.test && a.type === alarm.type && a.cause === alarm.cause);
}
export const actionKey = (k: AlarmActionKind): MessageKey => `alarms.action.${k}`;
export const outcomeKey = (s: 'ok' | 'failed' | 'sent'): MessageKey => `alarms.outcome.${s}`;
export const dayKey = (d: number): MessageKey => `alarms.day.${d}` as MessageKey;

/** Shape per severity (colour is never the only cue). */
export const SEV_ICON: Record<AlarmSeverity, string> = { critical: '◆', major: '▲', minor: '●', info: '○' };
