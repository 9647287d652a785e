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
import type { Viewer } from './rights';

export type { Viewer } from './rights';

/** The requester as routes know it: who (for audit) and whose rights limit the call (null: the system). */
export interface Requester {
  actor: Actor;
  ip?: string | null;
  access: Viewer;
  /** The user's home organisation node: new cases belong to it unless the request names another (root when absent). */
  homeNodeId?: number;
}

/** The session a playback link is issued to (the link works only while it lives). */
export interface PlaybackSession {
  access: Viewer;
  userId: number;
  /** SHA-256 hex of the session token (never put in the link). */
  tokenHash: string;
}

export interface InvestigationControl extends EvidenceActions {
  timeline(cameraId: number, startMs: number, endMs: number, v: Viewer): Promise<Timeline>;
  /** The pieces of a window and its playlist URL, signed for the session (short-lived; never the session token). */
  playbackMap(cameraId: number, startMs: number, endMs: number, session: PlaybackSession): Promise<PlaybackMap>;
  search(q: SearchQuery, v: Viewer): Promise<SearchHit[]>;

  listBookmarks(q: BookmarkQuery, v: Viewer): Promise<Bookmark[]>;
  addBookmark(b: { cameraId: number; startMs: number; endMs: number; note: string; caseId: number | null }, who: Requester): Promise<Bookmark>;
  updateBookmark(id: number, patch: BookmarkUpdate, who: Requester): Promise<Bookmark>;
  deleteBookmark(id: number, who: Requester): Promise<void>;

  listCases(v: Viewer): Promise<Case[]>;
  getCase(id: number, v: Viewer): Promise<Case>;
  createCase(c: { reference: string; title: string; nodeId?: number }, who: Requester): Promise<Case>;
  placeHold(caseId: number, reason: string, who: Requester): Promise<LegalHold>;
  releaseHold(caseId: number, who: Requester): Promise<LegalHold>;

  createExport(req: ExportCreate, who: Requester): Promise<ExportJob>;
  listExports(caseId: number | undefined, v: Viewer): Promise<ExportJob[]>;
  getExport(id: number, v: Viewer): Promise<ExportJob>;
  cancelExport(id: number, who: Requester): Promise<ExportJob>;
  /** Absolute directory of a finished package (for downloads). */
  exportDir(job: ExportJob): string;

  snapshot(input: { cameraId: number; tMs?: number; note: string; caseId: number | null }, who: Requester): Promise<Snapshot>;
  listSnapshots(q: { cameraId?: number; caseId?: number }, v: Viewer): Promise<Snapshot[]>;
  /** The JPEG file of a snapshot. */
  snapshotFile(id: number, v: Viewer): Promise<string>;
}
