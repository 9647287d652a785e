// Cases and the open case's bookmarks, snapshots and exports, loaded once and kept current from the event stream (no reload needed).
import { useEffect, useState } from 'preact/hooks';
import type { Bookmark, Case, ExportJob, Snapshot } from '../../common/investigation';
import type { ServerEvent } from '../../common/events';
import { invApi } from '../playback/inv-api';
import type { EventStream } from '../events';

export interface CaseData {
  cases: Case[];
  bookmarks: Bookmark[];
  snapshots: Snapshot[];
  exports: ExportJob[];
  error: unknown;
  setError(e: unknown): void;
  reloadCases(): Promise<void>;
  reloadCase(): void;
}

/** Replaces the item with the same id, or adds it; removes it when `remove`. */
export function upsert<T extends { id: number }>(list: T[], item: T, remove = false): T[] {
  const rest = list.filter((x) => x.id !== item.id);
  return remove ? rest : list.some((x) => x.id === item.id) ? list.map((x) => (x.id === item.id ? item : x)) : [...rest, item];
}

export function useCaseData(events: EventStream, caseId: number | null): CaseData {
  const [cases, setCases] = useState<Case[]>([]);
  const [bookmarks, setBookmarks] = useState<Bookmark[]>([]);
  const [snapshots, setSnapshots] = useState<Snapshot[]>([]);
  const [exports, setExports] = useState<ExportJob[]>([]);
  const [error, setError] = useState<unknown>(null);

  const reloadCases = () => invApi.cases().then(setCases, setError);
  const reloadCase = () => {
    if (caseId === null) return;
    invApi.bookmarks({ caseId }).then(setBookmarks, setError);
    invApi.snapshots({ caseId }).then(setSnapshots, setError);
    invApi.exports(caseId).then(setExports, setError);
  };
  useEffect(() => void reloadCases(), []);
  useEffect(() => {
    setBookmarks([]);
    setSnapshots([]);
    setExports([]);
    reloadCase();
  }, [caseId]);

  useEffect(
    () =>
      events.subscribe((ev: ServerEvent) => {
        switch (ev.type) {
          case 'hello': // (re)connected: catch up on what happened while the stream was down
            void reloadCases();
            reloadCase();
            return;
          case 'investigation.case':
            void reloadCases();
            return;
          case 'investigation.bookmark': {
            const b = ev.bookmark;
            // A bookmark moved out of the open case leaves it; one moved in (or made in it) joins it.
            setBookmarks((list) => upsert(list, b, ev.op === 'deleted' || b.caseId !== caseId));
            if (b.caseId !== null) void reloadCases(); // counts
            return;
          }
          case 'investigation.snapshot':
            if (ev.snapshot.caseId === caseId) setSnapshots((list) => upsert(list, ev.snapshot));
            return;
          case 'investigation.export':
            if (ev.export.caseId === caseId) setExports((list) => upsert(list, ev.export));
            if (ev.export.state === 'queued') void reloadCases();
            return;
          default:
            return;
        }
      }),
    [caseId],
  );
  return { cases, bookmarks, snapshots, exports, error, setError, reloadCases, reloadCase };
}
