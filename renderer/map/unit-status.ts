// A unit's status colour on the map: SOS, offline, stale (no fix for 60 s) or online; pure, unit-tested.
import { STALE_AFTER_MS, type MapUnit } from '../../common/gps';

export type UnitMapStatus = 'online' | 'offline' | 'stale' | 'sos';

/**
 * Connected: a telemetry WebSocket is open, the unit sent anything (HTTP batch) in the last 60 s, or the server counts
 * it online (`serverOnline`: its video link or its telemetry link within the server's window, UnitStatus.online).
 * Not connected: offline. Connected without a fix in the last 60 s: stale. SOS wins over everything.
 */
export function unitMapStatus(u: Pick<MapUnit, 'sos' | 'linkUp' | 'position' | 'lastSeenMs'>, nowMs: number, serverOnline = false): UnitMapStatus {
  if (u.sos) return 'sos';
  const connected = u.linkUp || serverOnline || (u.lastSeenMs !== null && nowMs - u.lastSeenMs < STALE_AFTER_MS);
  if (!connected) return 'offline';
  if (!u.position || nowMs - u.position.tMs > STALE_AFTER_MS) return 'stale';
  return 'online';
}
