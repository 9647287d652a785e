// API views of stored rows (row → view mapping; the response schemas are declared in common/endpoints/schemas.ts).
import type { WallLayout, WallLayoutKind } from '../../common/api';
import type { WallLayoutRow } from '../../storage/repositories';

/**
 * Camera and unit as the API shows them (credentials stripped, only `hasPassword`; never a unit's key or its hash):
 * one mapping, shared with the device service's deprecated camera/unit events.
 */
export { legacyCamera as toCamera, legacyUnit as toUnit } from '../services/devices/views';

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
