// WebSocket event stream contract (server → console): one discriminated union, switch over `type` exhaustively.
import type { Camera, CameraStatus, Segment, Unit, UnitStatus } from './api';

export type ServerEvent =
  | { type: 'hello'; serverTimeMs: number }
  | { type: 'camera.status'; status: CameraStatus }
  | { type: 'camera.changed'; camera: Camera }
  | { type: 'camera.deleted'; cameraId: number }
  | { type: 'segment.closed'; segment: Segment }
  | { type: 'retention.deleted'; cameraId: number; segments: number; bytes: number }
  | { type: 'unit.status'; status: UnitStatus }
  | { type: 'unit.changed'; unit: Unit }
  | { type: 'unit.deleted'; unitId: number };

export type ServerEventType = ServerEvent['type'];

/** Path of the event stream; authenticate with `?token=` or the `Authorization: Bearer` header. */
export const EVENTS_PATH = '/api/v1/events';

export function assertNever(x: never): never {
  throw new Error(`unexpected variant: ${JSON.stringify(x)}`);
}
