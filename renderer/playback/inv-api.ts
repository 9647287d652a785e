// Client for the investigation API (timeline, playback map, search, bookmarks, cases, holds, exports, snapshots), derived from the declarations (common/endpoints/investigation.ts).
import * as E from '../../common/endpoints';
import type { BookmarkCreate, ExportCreate, SearchQuery, SnapshotCreate } from '../../common/investigation';
import { api } from '../api';
import { currentToken } from '../session';

export const invApi = {
  timeline: (id: number, startMs: number, endMs: number) => api.call(E.getTimelineByid, { params: { id }, query: { startMs, endMs } }),
  playbackMap: (id: number, startMs: number, endMs: number) => api.call(E.getPlaybackMapByid, { params: { id }, query: { startMs, endMs } }),
  search: (q: SearchQuery) => api.call(E.getSearch, { query: q }),
  bookmarks: (q: { caseId?: number; cameraId?: number }) => api.call(E.getBookmarks, { query: q }),
  addBookmark: (b: BookmarkCreate) => api.call(E.postBookmarks, { body: b }),
  cases: () => api.call(E.getCases),
  createCase: (reference: string, title: string) => api.call(E.postCases, { body: { reference, title } }),
  hold: (id: number, reason: string) => api.call(E.postCasesByidHold, { params: { id }, body: { reason } }),
  release: (id: number) => api.call(E.deleteCasesByidHold, { params: { id } }),
  exports: (caseId?: number) => api.call(E.getExports, { query: { caseId } }),
  createExport: (e: ExportCreate) => api.call(E.postExports, { body: e }),
  cancelExport: (id: number) => api.call(E.deleteExportsByid, { params: { id } }),
  snapshots: (q: { caseId?: number; cameraId?: number }) => api.call(E.getSnapshots, { query: q }),
  snapshot: (s: SnapshotCreate) => api.call(E.postSnapshots, { body: s }),
};

/** A URL for players and links, carrying the token (players cannot send headers). */
export function withToken(url: string): string {
  const token = currentToken() ?? '';
  return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
}
