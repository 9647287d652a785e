// Intake of the alarm center: which alarm a stored device event raises (type, severity, place, message, cause), and stored rows read back for recovery.
import type { WireMessage } from '../../../common/messages';
import type { AlarmSeverity, AlarmType } from '../../../common/alarms';
import { ALARM_TYPES, isAlarmCause } from '../../../common/alarms';
import type { DeviceEvent } from '../../../common/device-events';
import type { EventRow } from '../../../storage/repositories';
import type { RaiseInput } from './center';

/** The parts of a device event the center reads. */
export type IntakeEvent = Pick<DeviceEvent, 'id' | 'cameraId' | 'type' | 'state' | 'startMs' | 'lat' | 'lon' | 'detail'>;

function isAlarmType(t: string): t is AlarmType {
  return (ALARM_TYPES as readonly string[]).includes(t);
}

/** The occurrence a device event raises; null for the 'inactive' end of a signal and for types that are no alarm. */
export function raiseInputOf(ev: IntakeEvent): RaiseInput | null {
  if (ev.state === 'inactive' || !isAlarmType(ev.type)) return null;
  const d = ev.detail ?? {};
  const sev = typeof d.severity === 'string' && ['critical', 'major', 'minor', 'info'].includes(d.severity) ? (d.severity as AlarmSeverity) : undefined;
  const message = typeof d.message === 'string' ? d.message : typeof d.reason === 'string' ? d.reason : null;
  // A status reason also comes as a code (sources.ts: reasonMsg) the console words; only when it is the message shown.
  const coded = d.reasonMsg as Partial<WireMessage> | null | undefined;
  const reason =
    typeof d.message !== 'string' && coded && typeof coded === 'object' && typeof coded.code === 'string'
      ? { code: coded.code, params: coded.params ?? {} }
      : null;
  return {
    sourceId: ev.cameraId,
    type: ev.type,
    severity: sev,
    atMs: ev.startMs,
    lat: ev.lat ?? (typeof d.lat === 'number' ? d.lat : null),
    lon: ev.lon ?? (typeof d.lon === 'number' ? d.lon : null),
    message,
    reason,
    deviceEventId: ev.id,
    cause: isAlarmCause(d.cause) ? d.cause : null,
  };
}

/** A stored events row (crash recovery) as the device event it was. */
export function intakeEventOfRow(r: EventRow): IntakeEvent {
  const d = (r.detail ?? null) as Record<string, unknown> | null;
  return {
    id: r.id,
    cameraId: r.cameraId,
    type: r.type as AlarmType,
    state: (r.state ?? 'pulse') as DeviceEvent['state'],
    startMs: r.startMs,
    lat: typeof d?.lat === 'number' ? d.lat : null,
    lon: typeof d?.lon === 'number' ? d.lon : null,
    detail: d,
  };
}
