// What route handlers and other features may ask of the investigation feature (issue 6).
import type {
  Bookmark,
  BookmarkQuery,
  BookmarkUpdate,
  Case,
  ExportCreate,
  ExportJob,
  LegalHold,
  PlaybackMap,
  SearchHit,
  SearchQuery,
  Snapshot,
  Timeline,
} from '../../../common/investigation';
import type { Actor, EvidenceActions } from '../contracts';

/** The requester as routes know it (for audit). */
export interface Requester {
  actor: Actor;
  ip?: string | null;
}

export interface InvestigationControl extends EvidenceActions {
  timeline(cameraId: number, startMs: number, endMs: number): Promise<Timeline>;
  playbackMap(cameraId: number, startMs: number, endMs: number): Promise<PlaybackMap>;
  search(q: SearchQuery): Promise<SearchHit[]>;

  listBookmarks(q: BookmarkQuery): Promise<Bookmark[]>;
  addBookmark(b: { cameraId: number; startMs: number; endMs: number; note: string; caseId: number | null }, who: Requester): Promise<Bookmark>;
  updateBookmark(id: number, patch: BookmarkUpdate, who: Requester): Promise<Bookmark>;
  deleteBookmark(id: number, who: Requester): Promise<void>;

  listCases(): Promise<Case[]>;
  getCase(id: number): Promise<Case>;
  createCase(c: { reference: string; title: string }, who: Requester): Promise<Case>;
  placeHold(caseId: number, reason: string, who: Requester): Promise<LegalHold>;
  releaseHold(caseId: number, who: Requester): Promise<LegalHold>;

  createExport(req: ExportCreate, who: Requester): Promise<ExportJob>;
  listExports(caseId?: number): Promise<ExportJob[]>;
  getExport(id: number): Promise<ExportJob>;
  cancelExport(id: number, who: Requester): Promise<ExportJob>;
  /** Absolute directory of a finished package (for downloads). */
  exportDir(job: ExportJob): string;

  snapshot(input: { cameraId: number; tMs?: number; note: string; caseId: number | null }, who: Requester): Promise<Snapshot>;
  listSnapshots(q: { cameraId?: number; caseId?: number }): Promise<Snapshot[]>;
  /** The JPEG file of a snapshot. */
  snapshotFile(id: number): Promise<string>;
}
