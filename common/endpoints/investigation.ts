// Declarations of the investigation endpoints (served by main/server/routes/investigation.ts).
import {
  BookmarkCreate,
  BookmarkQuery,
  BookmarkUpdate,
  CaseCreate,
  ExportCreate,
  HoldBody,
  SearchQuery,
  SnapshotCreate,
  TimelineQuery,
} from '../investigation';
import { endpoint, typed } from '../endpoint';
import type { Bookmark, Case, ExportJob, LegalHold, PlaybackMap, SearchHit, Snapshot, Timeline } from '../investigation';
import { s, type JsonSchema } from '../schema';
import { IdParams } from './params';

const obj = (description: string): JsonSchema => ({ type: 'object', description });
const arr = (description: string): JsonSchema => ({ type: 'array', items: { type: 'object' }, description });

const CaseQuery = s.object({ caseId: s.optional(s.int({ min: 1 })) });
const SnapshotQuery = s.object({ cameraId: s.optional(s.int({ min: 1 })), caseId: s.optional(s.int({ min: 1 })) });

export const getTimelineByid = endpoint({
  method: 'GET',
  path: '/api/v1/timeline/:id',
  auth: 'recordings.view',
  tag: 'investigation',
  summary: 'Timeline of one camera or unit: recorded ranges (gaps between), events and bookmarks',
  params: IdParams,
  query: TimelineQuery,
  response: { description: 'the timeline', schema: typed<Timeline>(obj('Timeline')) },
});

export const getPlaybackMapByid = endpoint({
  method: 'GET',
  path: '/api/v1/playback-map/:id',
  auth: 'recordings.view',
  tag: 'investigation',
  summary: 'The VOD pieces of a playback window (at most 15 min) on wall-clock time, and the HLS playlist URL',
  description:
    'Pieces start on keyframes about 2 s apart; each is a byte range of one MPEG-TS segment. The playlist URL carries a signed link (sig) for this channel, window and session: it expires after minutes and ends with the session; the session token is never put in a playback URL.',
  params: IdParams,
  query: TimelineQuery,
  response: { description: 'the playback map', schema: typed<PlaybackMap>(obj('PlaybackMap')) },
});

export const getSearch = endpoint({
  method: 'GET',
  path: '/api/v1/search',
  auth: 'recordings.view',
  tag: 'investigation',
  summary: 'Search recordings by camera/unit, time range, event type, bookmark text and place (lat, lon, radiusM)',
  description: 'Place: fixed cameras within radiusM that recorded in the range, and units whose GPS track came within radiusM while recording.',
  query: SearchQuery,
  response: { description: 'hits in time order; atMs is where playback should open', schema: typed<SearchHit[]>(arr('SearchHit')) },
});

export const getBookmarks = endpoint({
  method: 'GET',
  path: '/api/v1/bookmarks',
  auth: 'recordings.view',
  tag: 'investigation',
  summary: 'Bookmarks by camera, case, time range or note text',
  description:
    'Only bookmarks on channels whose recordings the user may see, and in cases of nodes where they hold cases.manage; each bookmark route checks the same (403).',
  query: BookmarkQuery,
  response: { description: 'bookmarks by start time', schema: typed<Bookmark[]>(arr('Bookmark')) },
});

export const postBookmarks = endpoint({
  method: 'POST',
  path: '/api/v1/bookmarks',
  auth: 'recordings.view',
  tag: 'investigation',
  summary: 'Mark a range of a recording with a note (optionally in a case)',
  body: BookmarkCreate,
  response: { status: 201, description: 'the bookmark', schema: typed<Bookmark>(obj('Bookmark')) },
});

export const patchBookmarksByid = endpoint({
  method: 'PATCH',
  path: '/api/v1/bookmarks/:id',
  auth: 'recordings.view',
  tag: 'investigation',
  summary: 'Change the note or the case of a bookmark',
  params: IdParams,
  body: BookmarkUpdate,
  response: { description: 'the bookmark', schema: typed<Bookmark>(obj('Bookmark')) },
});

export const deleteBookmarksByid = endpoint({
  method: 'DELETE',
  path: '/api/v1/bookmarks/:id',
  auth: 'recordings.view',
  tag: 'investigation',
  summary: 'Delete a bookmark (not while its case is on legal hold)',
  params: IdParams,
  response: { status: 204, description: 'deleted' },
});

export const getCases = endpoint({
  method: 'GET',
  path: '/api/v1/cases',
  auth: 'cases.manage',
  tag: 'investigation',
  summary: 'Cases, newest first, with their legal hold and item counts',
  description: 'Only the cases of organisation nodes where the user holds cases.manage (granted on the node or above it).',
  response: { description: 'cases', schema: typed<Case[]>(arr('Case')) },
});

export const postCases = endpoint({
  method: 'POST',
  path: '/api/v1/cases',
  auth: 'cases.manage',
  tag: 'investigation',
  summary: 'Open a case under a reference number',
  description:
    'A reference that could name a path outside the export directory ("..", ".", leading "/", backslash) is refused with 400. The case belongs to nodeId (403 case.node_forbidden without cases.manage there) or to the creator\'s home node.',
  body: CaseCreate,
  response: { status: 201, description: 'the case', schema: typed<Case>(obj('Case')) },
});

export const getCasesByid = endpoint({
  method: 'GET',
  path: '/api/v1/cases/:id',
  auth: 'cases.manage',
  tag: 'investigation',
  summary: 'One case',
  params: IdParams,
  response: { description: 'the case', schema: typed<Case>(obj('Case')) },
});

export const postCasesByidHold = endpoint({
  method: 'POST',
  path: '/api/v1/cases/:id/hold',
  auth: 'cases.manage',
  tag: 'investigation',
  summary: 'Put a case on legal hold: its segments (bookmarks, exports, snapshots) are protected from retention until released',
  params: IdParams,
  body: HoldBody,
  response: { status: 201, description: 'the hold', schema: typed<LegalHold>(obj('LegalHold')) },
});

export const deleteCasesByidHold = endpoint({
  method: 'DELETE',
  path: '/api/v1/cases/:id/hold',
  auth: 'cases.releaseHold',
  tag: 'investigation',
  summary: 'Release the legal hold of a case (admin; audited)',
  params: IdParams,
  response: { description: 'the released hold', schema: typed<LegalHold>(obj('LegalHold')) },
});

export const getExports = endpoint({
  method: 'GET',
  path: '/api/v1/exports',
  auth: 'cases.manage',
  tag: 'investigation',
  summary: 'Export jobs, newest first (optionally of one case)',
  query: CaseQuery,
  response: { description: 'exports', schema: typed<ExportJob[]>(arr('ExportJob')) },
});

export const postExports = endpoint({
  method: 'POST',
  path: '/api/v1/exports',
  auth: 'cases.manage',
  tag: 'investigation',
  summary: 'Start an evidence export (background; progress as investigation.export events)',
  description:
    'MP4 per source by stream copy (cut at the keyframe at or before startMs) or re-encoded (frame-exact; implied by watermark), GPX/KML of units, manifest.json with SHA-256 of every file. Files: GET /api/v1/export-files/<id>/<path>.',
  body: ExportCreate,
  response: { status: 201, description: 'the queued job', schema: typed<ExportJob>(obj('ExportJob')) },
});

export const getExportsByid = endpoint({
  method: 'GET',
  path: '/api/v1/exports/:id',
  auth: 'cases.manage',
  tag: 'investigation',
  summary: 'One export job',
  params: IdParams,
  response: { description: 'the job', schema: typed<ExportJob>(obj('ExportJob')) },
});

export const deleteExportsByid = endpoint({
  method: 'DELETE',
  path: '/api/v1/exports/:id',
  auth: 'cases.manage',
  tag: 'investigation',
  summary: 'Cancel a queued or running export (its partial package is removed)',
  params: IdParams,
  response: { description: 'the cancelled job', schema: typed<ExportJob>(obj('ExportJob')) },
});

export const getSnapshots = endpoint({
  method: 'GET',
  path: '/api/v1/snapshots',
  auth: 'recordings.view',
  tag: 'investigation',
  summary: 'Snapshots (newest first) by camera or case; JPEG at /api/v1/snapshot-files/<id>.jpg',
  query: SnapshotQuery,
  response: { description: 'snapshots', schema: typed<Snapshot[]>(arr('Snapshot')) },
});

export const postSnapshots = endpoint({
  method: 'POST',
  path: '/api/v1/snapshots',
  auth: 'recordings.view',
  tag: 'investigation',
  summary: 'Take a JPEG from a recording at tMs (frame-exact) or from the live picture (no tMs), with a manifest',
  body: SnapshotCreate,
  response: { status: 201, description: 'the snapshot', schema: typed<Snapshot>(obj('Snapshot')) },
});
