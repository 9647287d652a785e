// "Units within R metres of a point between t1 and t2": R*Tree box query, then exact great-circle distance per point.
import { boundingBox, distanceM } from '../../../common/geo';
import type { GpsRepo } from '../../../storage/repos/gps';

/** Most points one near query looks at (a busier area/time window should be narrowed). */
export const NEAR_SCAN_LIMIT = 500_000;

export async function unitsNear(
  repo: Pick<GpsRepo, 'inBox'>,
  q: { lat: number; lon: number; radiusM: number; startMs: number; endMs: number },
): Promise<Array<{ unitId: number; firstMs: number; lastMs: number; minDistanceM: number }>> {
  const pts = await repo.inBox(boundingBox(q.lat, q.lon, q.radiusM), q.startMs, q.endMs, NEAR_SCAN_LIMIT);
  const per = new Map<number, { unitId: number; firstMs: number; lastMs: number; minDistanceM: number }>();
  for (const p of pts) {
    const d = distanceM(q.lat, q.lon, p.lat, p.lon);
    if (d > q.radiusM) continue;
    const cur = per.get(p.unitId);
    if (!cur) per.set(p.unitId, { unitId: p.unitId, firstMs: p.tMs, lastMs: p.tMs, minDistanceM: d });
    else {
      cur.firstMs = Math.min(cur.firstMs, p.tMs);
      cur.lastMs = Math.max(cur.lastMs, p.tMs);
      cur.minDistanceM = Math.min(cur.minDistanceM, d);
    }
  }
  return [...per.values()].sort((a, b) => a.minDistanceM - b.minDistanceM || a.unitId - b.unitId);
}
