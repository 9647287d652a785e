// The case timeline: bookmarks, snapshots and exports merged into one list ordered by the recorded time each refers to.
import type { Bookmark, ExportJob, Snapshot } from '../../common/investigation';

export type TimelineItem =
  | { kind: 'bookmark'; atMs: number; key: string; bookmark: Bookmark }
  | { kind: 'snapshot'; atMs: number; key: string; snapshot: Snapshot }
  | { kind: 'export'; atMs: number; key: string; job: ExportJob };

/**
 * Oldest first by the moment in the recordings (a bookmark's start, a snapshot's frame, an export's range start), so the
 * list reads as what happened; ties by kind then id, so the order never jumps when an item is updated.
 */
export function timelineItems(bookmarks: Bookmark[], snapshots: Snapshot[], exports: ExportJob[]): TimelineItem[] {
  const items: TimelineItem[] = [
    ...bookmarks.map((b) => ({ kind: 'bookmark' as const, atMs: b.startMs, key: `b${b.id}`, bookmark: b })),
    ...snapshots.map((s) => ({ kind: 'snapshot' as const, atMs: s.tMs, key: `s${s.id}`, snapshot: s })),
    ...exports.map((j) => ({ kind: 'export' as const, atMs: j.request.startMs, key: `e${j.id}`, job: j })),
  ];
  return items.sort((a, b) => a.atMs - b.atMs || a.key.localeCompare(b.key, 'en', { numeric: true }));
}
