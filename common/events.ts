// WebSocket event stream contract (server → console): one discriminated union, switch over `type` exhaustively.
import type { AlarmServerEvent } from './alarms';
import type { Camera, CameraStatus, Segment, Unit, UnitStatus } from './api';
import type { DeviceEvent } from './device-events';
import type { DevicesServerEvent } from './devices';
import type { GpsServerEvent } from './gps';
import type { InvestigationServerEvent } from './investigation';
import type { OnvifServerEvent } from './onvif';

/** Events of the foundation, live wall and units (the reducers for cameras and units switch over these). */
export type CoreServerEvent =
  | { type: 'hello'; serverTimeMs: number }
  | { type: 'camera.status'; status: CameraStatus }
  | { type: 'camera.changed'; camera: Camera }
  | { type: 'camera.deleted'; cameraId: number }
  | { type: 'segment.closed'; segment: Segment }
  | { type: 'retention.deleted'; cameraId: number; segments: number; bytes: number }
  | { type: 'unit.status'; status: UnitStatus }
  | { type: 'unit.changed'; unit: Unit }
  | { type: 'unit.deleted'; unitId: number }
  /** A device event was stored (motion, SOS, geofence crossing, ...). */
  | { type: 'device.event'; event: DeviceEvent }
  /** The user's rights changed (a grant, group, role template or the tree): reload what the console lists. */
  | { type: 'rights.changed' };

export type ServerEvent = CoreServerEvent | OnvifServerEvent | GpsServerEvent | InvestigationServerEvent | AlarmServerEvent | DevicesServerEvent;

export type ServerEventType = ServerEvent['type'];

export const CORE_EVENT_TYPES: Record<CoreServerEvent['type'], true> = {
  hello: true,
  'camera.status': true,
  'camera.changed': true,
  'camera.deleted': true,
  'segment.closed': true,
  'retention.deleted': true,
  'unit.status': true,
  'unit.changed': true,
  'unit.deleted': true,
  'device.event': true,
  'rights.changed': true,
};

export function isCoreEvent(ev: ServerEvent): ev is CoreServerEvent {
  return Object.prototype.hasOwnProperty.call(CORE_EVENT_TYPES, ev.type);
}

/** Path of the event stream; authenticate with `?token=` or the `Authorization: Bearer` header. */
export const EVENTS_PATH = '/api/v1/events';

export function assertNever(x: never): never {
  throw new Error(`unexpected variant: ${JSON.stringify(x)}`);
}
