// Client for the investigation API (timeline, playback map, search, bookmarks, cases, holds, exports, snapshots) through the console's one client (renderer/api.ts).
import type {
  Bookmark, BookmarkCreate, Case, ExportCreate, ExportJob, LegalHold, PlaybackMap, SearchHit, SearchQuery, Snapshot, SnapshotCreate, Timeline,
} from '../../common/investigation';
import { api, type ApiQuery } from '../api';
import { currentToken } from '../session';

const call = api.request.bind(api);

export const invApi = {
  timeline: (cameraId: number, startMs: number, endMs: number) => call<Timeline>('GET', `/timeline/${cameraId}`, { query: { startMs, endMs } }),
  playbackMap: (cameraId: number, startMs: number, endMs: number) => call<PlaybackMap>('GET', `/playback-map/${cameraId}`, { query: { startMs, endMs } }),
  search: (q: SearchQuery) => call<SearchHit[]>('GET', '/search', { query: q as unknown as ApiQuery }),
  bookmarks: (q: { caseId?: number; cameraId?: number }) => call<Bookmark[]>('GET', '/bookmarks', { query: q }),
  addBookmark: (b: BookmarkCreate) => call<Bookmark>('POST', '/bookmarks', { body: b }),
  cases: () => call<Case[]>('GET', '/cases'),
  createCase: (reference: string, title: string) => call<Case>('POST', '/cases', { body: { reference, title } }),
  hold: (caseId: number, reason: string) => call<LegalHold>('POST', `/cases/${caseId}/hold`, { body: { reason } }),
  release: (caseId: number) => call<LegalHold>('DELETE', `/cases/${caseId}/hold`),
  exports: (caseId?: number) => call<ExportJob[]>('GET', '/exports', { query: { caseId } }),
  createExport: (e: ExportCreate) => call<ExportJob>('POST', '/exports', { body: e }),
  cancelExport: (id: number) => call<ExportJob>('DELETE', `/exports/${id}`),
  snapshots: (q: { caseId?: number; cameraId?: number }) => call<Snapshot[]>('GET', '/snapshots', { query: q }),
  snapshot: (s: SnapshotCreate) => call<Snapshot>('POST', '/snapshots', { body: s }),
};

/** A URL for players and links, carrying the token (players cannot send headers). */
export function withToken(url: string): string {
  const token = currentToken() ?? '';
  return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
}
