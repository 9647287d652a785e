// Search of the recordings by place, event type, bookmark text or plain time range (InvestigationControl's search).
import { msg } from '../../../common/messages';
import { ErrorKind } from '../../../common/errors';
import type { SearchHit, SearchQuery } from '../../../common/investigation';
import { DomainError } from '../../platform/errors';
import type { PlaceQueries } from '../contracts';
import type { InvestigationContext } from './context';
import { checkRange, MAX_TIMELINE_MS } from './limits';

/** The hits of a search, sorted by time, at most q.limit (default 200). */
export async function searchHits(store: InvestigationContext['store'], places: PlaceQueries, q: SearchQuery): Promise<SearchHit[]> {
  checkRange(q.startMs, q.endMs, MAX_TIMELINE_MS, 'a search');
  const limit = q.limit ?? 200;
  const wanted = q.cameraIds ? new Set(q.cameraIds.split(',').map(Number)) : null;
  const inScope = (id: number | null) => id !== null && (!wanted || wanted.has(id));
  const hits: SearchHit[] = [];
  const hasPlace = q.lat !== undefined || q.lon !== undefined || q.radiusM !== undefined;
  if (hasPlace) {
    if (q.lat === undefined || q.lon === undefined || q.radiusM === undefined)
      throw DomainError.field(q.lat === undefined ? 'lat' : q.lon === undefined ? 'lon' : 'radiusM', msg('search.place_incomplete'));
    let cams, units;
    try {
      [cams, units] = await Promise.all([
        places.camerasNear({ lat: q.lat, lon: q.lon, radiusM: q.radiusM }),
        places.unitsNear({ lat: q.lat, lon: q.lon, radiusM: q.radiusM, startMs: q.startMs, endMs: q.endMs }),
      ]);
    } catch (err) {
      throw new DomainError(ErrorKind.Unavailable, msg('search.place_unavailable'), {
        message: `search by place needs the GPS/map feature: ${(err as Error).message}`,
      });
    }
    for (const c of cams) {
      if (!inScope(c.cameraId)) continue;
      const ranges = await store.investigation.recordedRanges(c.cameraId, q.startMs, q.endMs, 1500);
      if (ranges.length === 0) continue;
      const name = (await store.cameras.get(c.cameraId))?.name ?? `#${c.cameraId}`;
      hits.push({
        kind: 'place-camera',
        cameraId: c.cameraId,
        atMs: ranges[0]!.startMs,
        startMs: ranges[0]!.startMs,
        endMs: ranges[ranges.length - 1]!.endMs,
        label: name,
        distanceM: Math.round(c.distanceM),
      });
    }
    for (const u of units) {
      if (!inScope(u.unitId)) continue;
      // Near the point during its recording: the unit's recording must overlap the time it was near.
      const ranges = await store.investigation.recordedRanges(u.unitId, u.firstMs - 1000, u.lastMs + 1000, 1500);
      if (ranges.length === 0) continue;
      const name = (await store.cameras.get(u.unitId))?.name ?? `#${u.unitId}`;
      hits.push({
        kind: 'place-unit',
        cameraId: u.unitId,
        atMs: Math.max(u.firstMs, ranges[0]!.startMs),
        startMs: u.firstMs,
        endMs: u.lastMs,
        label: name,
        distanceM: Math.round(u.minDistanceM),
      });
    }
  }
  if (q.eventType) {
    const evs = await store.events.listRange({ type: q.eventType, startMs: q.startMs, endMs: q.endMs, limit });
    for (const e of evs)
      if (inScope(e.cameraId))
        hits.push({ kind: 'event', cameraId: e.cameraId!, atMs: e.startMs, startMs: e.startMs, endMs: e.endMs ?? e.startMs, label: e.type });
  }
  if (q.text) {
    for (const b of await store.investigation.listBookmarks({ text: q.text, startMs: q.startMs, endMs: q.endMs, limit }))
      if (inScope(b.cameraId)) hits.push({ kind: 'bookmark', cameraId: b.cameraId, atMs: b.startMs, startMs: b.startMs, endMs: b.endMs, label: b.note });
  }
  if (!hasPlace && !q.eventType && !q.text) {
    const ids = wanted ? [...wanted] : (await store.cameras.list()).map((c) => c.id);
    for (const id of ids)
      for (const r of await store.investigation.recordedRanges(id, q.startMs, q.endMs, 1500))
        hits.push({
          kind: 'recording',
          cameraId: id,
          atMs: r.startMs,
          startMs: r.startMs,
          endMs: r.endMs,
          label: (await store.cameras.get(id))?.name ?? `#${id}`,
        });
  }
  return hits.sort((a, b) => a.atMs - b.atMs).slice(0, limit);
}
