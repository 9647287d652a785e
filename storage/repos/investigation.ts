// Repository interface for bookmarks, cases, legal holds, exports and snapshots (issue 6); the SQLite implementation is storage/sqlite/investigation.ts.
import type { WireMessage } from '../../common/messages';
import type { Bookmark, Case, ExportCreate, ExportJob, ExportState, LegalHold, Snapshot } from '../../common/investigation';

export type CaseRow = Omit<Case, 'hold' | 'bookmarks' | 'exports'>;
export type NewBookmark = Omit<Bookmark, 'id'>;
export type NewSnapshot = Omit<Snapshot, 'id'> & { relPath: string };

export interface InvestigationRepo extends RecordedRangesQuery {
  // cases
  /** Throws StorageError 'conflict' (field 'reference') on a duplicate reference. */
  createCase(c: { reference: string; title: string; createdBy: string; nodeId: number }, nowMs: number): Promise<CaseRow>;
  getCase(id: number): Promise<CaseRow | null>;
  /** Cases newest first, with their active hold and item counts. */
  listCases(): Promise<Case[]>;
  caseView(id: number): Promise<Case | null>;

  // bookmarks
  createBookmark(b: NewBookmark): Promise<Bookmark>;
  getBookmark(id: number): Promise<Bookmark | null>;
  updateBookmark(id: number, patch: { note?: string; caseId?: number | null }): Promise<Bookmark | null>;
  deleteBookmark(id: number): Promise<boolean>;
  /** Filters combine; text matches the note (case-insensitive substring). Ordered by startMs. */
  listBookmarks(q: { cameraId?: number; caseId?: number; startMs?: number; endMs?: number; text?: string; limit: number }): Promise<Bookmark[]>;

  // legal holds
  /**
   * Places the case's hold and protects the given segments (segments.protected = 1), in one transaction.
   * Throws 'conflict' (field 'hold') when the case already has an active hold.
   */
  placeHold(caseId: number, reason: string, by: string, segmentIds: number[], nowMs: number): Promise<LegalHold>;
  activeHold(caseId: number): Promise<LegalHold | null>;
  /**
   * Releases the hold; segments no other active hold lists get protected = 0 (one transaction). Returns null when
   * there was no active hold.
   */
  releaseHold(caseId: number, by: string, nowMs: number): Promise<LegalHold | null>;
  /** Adds segments to an active hold (segments recorded later into a held range) and protects them. */
  extendHold(holdId: number, segmentIds: number[]): Promise<void>;
  listActiveHolds(): Promise<LegalHold[]>;
  /** Segment ids listed by any active hold, among `ids`. */
  heldAmong(ids: number[]): Promise<Set<number>>;

  // exports
  createExport(e: { caseId: number; dirName: string; request: ExportCreate; createdBy: string }, nowMs: number): Promise<ExportJob>;
  getExport(id: number): Promise<ExportJob | null>;
  listExports(q: { caseId?: number; limit: number }): Promise<ExportJob[]>;
  /** Jobs in state queued or running (resumed at start). */
  listUnfinishedExports(): Promise<ExportJob[]>;
  updateExport(
    id: number,
    patch: {
      state?: ExportState;
      progress?: number;
      error?: string | null;
      reason?: WireMessage | null;
      finishedMs?: number | null;
      manifestSha256?: string | null;
    },
  ): Promise<ExportJob | null>;

  // snapshots
  createSnapshot(s: NewSnapshot): Promise<Snapshot>;
  getSnapshot(id: number): Promise<(Snapshot & { relPath: string }) | null>;
  listSnapshots(q: { cameraId?: number; caseId?: number; limit: number }): Promise<Snapshot[]>;
}

/** Recorded ranges of one camera (segments merged where the gap between them is at most mergeGapMs), for the timeline. */
export interface RecordedRangesQuery {
  recordedRanges(cameraId: number, startMs: number, endMs: number, mergeGapMs: number): Promise<Array<{ startMs: number; endMs: number }>>;
}
