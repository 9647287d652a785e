// Test fixtures for the console's state modules: cameras and units with a given status.
import type { Camera, CameraState, Unit, UnitStatus } from '../../common/api';

export function camera(id: number, name: string, groupName: string | null = null, state: CameraState = 'recording'): Camera {
  return {
    id,
    name,
    url: `rtsp://10.0.0.${id}/main`,
    subUrl: null,
    username: null,
    hasPassword: false,
    transport: 'tcp',
    enabled: true,
    segmentSeconds: 60,
    retentionDays: 30,
    groupName,
    description: null,
    createdMs: 1,
    updatedMs: 1,
    status: { cameraId: id, state, lastError: null, reason: null, bitrateBps: null, sinceMs: 1, failures: 0, nextRetryMs: null },
  };
}

export function unitStatus(unitId: number, online: boolean, sinceMs: number, extra: Partial<UnitStatus> = {}): UnitStatus {
  return {
    unitId,
    online,
    sinceMs,
    video: { online, sinceMs },
    telemetry: { online: false, sinceMs, lastSeenMs: null },
    remoteAddress: null,
    bitrateBps: null,
    recording: online ? 'recording' : 'stopped',
    lastError: null,
    reason: null,
    ...extra,
  };
}

export function unit(id: number, callsign: string, type: Unit['type'] = 'vehicle', groupName: string | null = null, st = unitStatus(id, false, 100)): Unit {
  return {
    id,
    callsign,
    type,
    officer: null,
    enabled: true,
    groupName,
    segmentSeconds: 60,
    retentionDays: 30,
    keyRotatedMs: 1,
    createdMs: 1,
    updatedMs: 1,
    status: st,
  };
}
