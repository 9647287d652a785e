// API views of stored rows (row → view mapping; the response schemas are declared in common/endpoints/schemas.ts).
import type { Camera, CameraStatus, Unit, UnitStatus, WallLayout, WallLayoutKind } from '../../common/api';
import type { CameraRow, UnitRow, WallLayoutRow } from '../../storage/repositories';

/** Camera as the API shows it: credentials stripped (only `hasPassword`), live status attached. */
export function toCamera(row: CameraRow, status: CameraStatus): Camera {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    subUrl: row.subUrl,
    username: row.username,
    hasPassword: row.password !== null && row.password !== '',
    transport: row.transport,
    enabled: row.enabled,
    segmentSeconds: row.segmentSeconds,
    retentionDays: row.retentionDays,
    groupName: row.groupName,
    description: row.description,
    createdMs: row.createdMs,
    updatedMs: row.updatedMs,
    status,
  };
}

/** Unit as the API shows it: never the key or its hash. */
export function toUnit(row: UnitRow, status: UnitStatus): Unit {
  return {
    id: row.id,
    callsign: row.callsign,
    type: row.type,
    officer: row.officer,
    enabled: row.enabled,
    groupName: row.groupName,
    segmentSeconds: row.segmentSeconds,
    retentionDays: row.retentionDays,
    keyRotatedMs: row.keyRotatedMs,
    createdMs: row.createdMs,
    updatedMs: row.updatedMs,
    status,
  };
}

/** A stored wall layout as the API shows it (the stored document is validated on the way in). */
export function toWallLayout(row: WallLayoutRow): WallLayout {
  const doc = (row.json ?? {}) as Partial<Pick<WallLayout, 'layout' | 'tiles' | 'tourGroup' | 'tourSeconds'>>;
  return {
    id: row.id,
    name: row.name,
    layout: (doc.layout ?? '4') as WallLayoutKind,
    tiles: Array.isArray(doc.tiles) ? doc.tiles : [],
    tourGroup: doc.tourGroup ?? null,
    tourSeconds: doc.tourSeconds ?? null,
    updatedMs: row.updatedMs,
  };
}

export { toApiSegment as toSegment } from '../services/segment-view';
