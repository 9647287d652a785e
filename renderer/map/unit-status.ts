// A unit's status colour on the map: SOS, offline, stale (no fix for 60 s) or online; pure, unit-tested.
import { STALE_AFTER_MS, type MapUnit } from '../../common/gps';

export type UnitMapStatus = 'online' | 'offline' | 'stale' | 'sos';

/** `online` (video publishing, from the unit list) counts as a live link too. */
export function unitMapStatus(u: Pick<MapUnit, 'sos' | 'linkUp' | 'position' | 'lastSeenMs'>, nowMs: number, videoOnline = false): UnitMapStatus {
  if (u.sos) return 'sos';
  if (!u.linkUp && !videoOnline) return u.position && nowMs - (u.lastSeenMs ?? 0) < STALE_AFTER_MS ? 'stale' : 'offline';
  if (!u.position || nowMs - u.position.tMs > STALE_AFTER_MS) return 'stale';
  return 'online';
}
