// The recorded segments a case covers (its bookmarks, exports and snapshots), which its legal hold protects.
import type { InvestigationContext } from './context';

/** The segments a case's bookmarks, exports and snapshots cover. */
export async function caseSegments(store: InvestigationContext['store'], caseId: number): Promise<number[]> {
  const ranges: Array<{ cameraId: number; startMs: number; endMs: number }> = [];
  for (const b of await store.investigation.listBookmarks({ caseId, limit: 100_000 }))
    ranges.push({ cameraId: b.cameraId, startMs: b.startMs, endMs: Math.max(b.endMs, b.startMs + 1) });
  for (const e of await store.investigation.listExports({ caseId, limit: 10_000 }))
    for (const s of e.request.sources) ranges.push({ cameraId: s.cameraId, startMs: e.request.startMs, endMs: e.request.endMs });
  for (const s of await store.investigation.listSnapshots({ caseId, limit: 100_000 })) ranges.push({ cameraId: s.cameraId, startMs: s.tMs, endMs: s.tMs + 1 });
  const ids = new Set<number>();
  for (const r of ranges) for (const seg of await store.segments.listRange(r.cameraId, r.startMs, r.endMs, 100_000)) ids.add(seg.id);
  return [...ids];
}

/** A held case that gains items protects their segments too. */
export async function extendHeld(store: InvestigationContext['store'], caseId: number): Promise<void> {
  const hold = await store.investigation.activeHold(caseId);
  if (hold) await store.investigation.extendHold(hold.id, await caseSegments(store, caseId));
}
