// Client for the investigation API (timeline, playback map, search, bookmarks, cases, holds, exports, snapshots) with the console's session token.
import { API_PREFIX } from '../../common/api';
import { ErrorKind } from '../../common/errors';
import type {
  Bookmark, BookmarkCreate, Case, ExportCreate, ExportJob, LegalHold, PlaybackMap, SearchHit, SearchQuery, Snapshot, SnapshotCreate, Timeline,
} from '../../common/investigation';
import { ApiError } from '../api';
import { currentToken } from '../session';

type Query = Record<string, string | number | boolean | undefined | null>;

async function call<T>(method: string, path: string, opts: { body?: unknown; query?: Query } = {}): Promise<T> {
  let url = `${API_PREFIX}${path}`;
  if (opts.query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
    if (qs.toString()) url += `?${qs}`;
  }
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  const token = currentToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), cache: 'no-store' });
  } catch (err) {
    throw new ApiError('network', (err as Error).message || 'network error', 0);
  }
  if (!res.ok) {
    let body: { error?: { kind?: string; message?: string; fields?: Array<{ path: string; message: string }> } } = {};
    try {
      body = await res.json();
    } catch {
      body = {};
    }
    const kind = (Object.values(ErrorKind) as string[]).includes(body.error?.kind ?? '') ? (body.error!.kind as ErrorKind) : ErrorKind.Internal;
    throw new ApiError(kind, body.error?.message ?? `HTTP ${res.status}`, res.status, body.error?.fields ?? []);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const invApi = {
  timeline: (cameraId: number, startMs: number, endMs: number) => call<Timeline>('GET', `/timeline/${cameraId}`, { query: { startMs, endMs } }),
  playbackMap: (cameraId: number, startMs: number, endMs: number) => call<PlaybackMap>('GET', `/playback-map/${cameraId}`, { query: { startMs, endMs } }),
  search: (q: SearchQuery) => call<SearchHit[]>('GET', '/search', { query: q as unknown as Query }),
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
