// API routes of the investigation feature (issue 6): timeline, playback map, search, bookmarks, cases and legal hold, exports, snapshots.
import { API_PREFIX } from '../../../common/api';
import {
  BookmarkCreate, BookmarkQuery, BookmarkUpdate, CaseCreate, ExportCreate, HoldBody, SearchQuery, SnapshotCreate, TimelineQuery,
} from '../../../common/investigation';
import { s, type JsonSchema } from '../../../common/schema';
import type { Requester } from '../../services/investigation/control';
import { actorOf, route, type Principal, type Route } from '../router';
import { IdParams, type DepsRef } from './deps';

const obj = (description: string): JsonSchema => ({ type: 'object', description });
const arr = (description: string): JsonSchema => ({ type: 'array', items: { type: 'object' }, description });

function who(ctx: { principal: Principal | null; ip: string }): Requester {
  return { actor: actorOf(ctx), ip: ctx.ip };
}

const CaseQuery = s.object({ caseId: s.optional(s.int({ min: 1 })) });
const SnapshotQuery = s.object({ cameraId: s.optional(s.int({ min: 1 })), caseId: s.optional(s.int({ min: 1 })) });

export function investigationRoutes(deps: DepsRef): Route[] {
  const inv = () => deps().features.investigation;
  const P = API_PREFIX;
  return [
    route({
      method: 'GET', path: `${P}/timeline/:id`, auth: 'recordings.view', tag: 'investigation',
      summary: 'Timeline of one camera or unit: recorded ranges (gaps between), events and bookmarks',
      params: IdParams, query: TimelineQuery, response: { description: 'the timeline', schema: obj('Timeline') },
      handler: ({ params, query }) => inv().timeline(params.id, query.startMs, query.endMs),
    }),
    route({
      method: 'GET', path: `${P}/playback-map/:id`, auth: 'recordings.view', tag: 'investigation',
      summary: 'The VOD pieces of a playback window (at most 15 min) on wall-clock time, and the HLS playlist URL',
      description: 'Pieces start on keyframes about 2 s apart; each is a byte range of one MPEG-TS segment. Add ?token= to the playlist URL for players.',
      params: IdParams, query: TimelineQuery, response: { description: 'the playback map', schema: obj('PlaybackMap') },
      handler: ({ params, query }) => inv().playbackMap(params.id, query.startMs, query.endMs),
    }),
    route({
      method: 'GET', path: `${P}/search`, auth: 'recordings.view', tag: 'investigation',
      summary: 'Search recordings by camera/unit, time range, event type, bookmark text and place (lat, lon, radiusM)',
      description: 'Place: fixed cameras within radiusM that recorded in the range, and units whose GPS track came within radiusM while recording.',
      query: SearchQuery, response: { description: 'hits in time order; atMs is where playback should open', schema: arr('SearchHit') },
      handler: ({ query }) => inv().search(query),
    }),
    route({
      method: 'GET', path: `${P}/bookmarks`, auth: 'recordings.view', tag: 'investigation', summary: 'Bookmarks by camera, case, time range or note text',
      query: BookmarkQuery, response: { description: 'bookmarks by start time', schema: arr('Bookmark') },
      handler: ({ query }) => inv().listBookmarks(query),
    }),
    route({
      method: 'POST', path: `${P}/bookmarks`, auth: 'recordings.view', tag: 'investigation', summary: 'Mark a range of a recording with a note (optionally in a case)',
      body: BookmarkCreate, response: { status: 201, description: 'the bookmark', schema: obj('Bookmark') },
      handler: (ctx) => inv().addBookmark({ ...ctx.body, caseId: ctx.body.caseId ?? null }, who(ctx)),
    }),
    route({
      method: 'PATCH', path: `${P}/bookmarks/:id`, auth: 'recordings.view', tag: 'investigation', summary: 'Change the note or the case of a bookmark',
      params: IdParams, body: BookmarkUpdate, response: { description: 'the bookmark', schema: obj('Bookmark') },
      handler: (ctx) => inv().updateBookmark(ctx.params.id, ctx.body, who(ctx)),
    }),
    route({
      method: 'DELETE', path: `${P}/bookmarks/:id`, auth: 'recordings.view', tag: 'investigation', summary: 'Delete a bookmark (not while its case is on legal hold)',
      params: IdParams, response: { status: 204, description: 'deleted' },
      handler: (ctx) => inv().deleteBookmark(ctx.params.id, who(ctx)),
    }),
    route({
      method: 'GET', path: `${P}/cases`, auth: 'cases.manage', tag: 'investigation', summary: 'Cases, newest first, with their legal hold and item counts',
      response: { description: 'cases', schema: arr('Case') },
      handler: () => inv().listCases(),
    }),
    route({
      method: 'POST', path: `${P}/cases`, auth: 'cases.manage', tag: 'investigation', summary: 'Open a case under a reference number',
      description: 'A reference that could name a path outside the export directory ("..", ".", leading "/", backslash) is refused with 400.',
      body: CaseCreate, response: { status: 201, description: 'the case', schema: obj('Case') },
      handler: (ctx) => inv().createCase({ reference: ctx.body.reference, title: ctx.body.title ?? '' }, who(ctx)),
    }),
    route({
      method: 'GET', path: `${P}/cases/:id`, auth: 'cases.manage', tag: 'investigation', summary: 'One case',
      params: IdParams, response: { description: 'the case', schema: obj('Case') },
      handler: ({ params }) => inv().getCase(params.id),
    }),
    route({
      method: 'POST', path: `${P}/cases/:id/hold`, auth: 'cases.manage', tag: 'investigation',
      summary: 'Put a case on legal hold: its segments (bookmarks, exports, snapshots) are protected from retention until released',
      params: IdParams, body: HoldBody, response: { status: 201, description: 'the hold', schema: obj('LegalHold') },
      handler: (ctx) => inv().placeHold(ctx.params.id, ctx.body.reason, who(ctx)),
    }),
    route({
      method: 'DELETE', path: `${P}/cases/:id/hold`, auth: 'cases.releaseHold', tag: 'investigation', summary: 'Release the legal hold of a case (admin; audited)',
      params: IdParams, response: { description: 'the released hold', schema: obj('LegalHold') },
      handler: (ctx) => inv().releaseHold(ctx.params.id, who(ctx)),
    }),
    route({
      method: 'GET', path: `${P}/exports`, auth: 'cases.manage', tag: 'investigation', summary: 'Export jobs, newest first (optionally of one case)',
      query: CaseQuery, response: { description: 'exports', schema: arr('ExportJob') },
      handler: ({ query }) => inv().listExports(query.caseId),
    }),
    route({
      method: 'POST', path: `${P}/exports`, auth: 'cases.manage', tag: 'investigation',
      summary: 'Start an evidence export (background; progress as investigation.export events)',
      description: 'MP4 per source by stream copy (cut at the keyframe at or before startMs) or re-encoded (frame-exact; implied by watermark), GPX/KML of units, manifest.json with SHA-256 of every file. Files: GET /api/v1/export-files/<id>/<path>.',
      body: ExportCreate, response: { status: 201, description: 'the queued job', schema: obj('ExportJob') },
      handler: (ctx) => inv().createExport(ctx.body, who(ctx)),
    }),
    route({
      method: 'GET', path: `${P}/exports/:id`, auth: 'cases.manage', tag: 'investigation', summary: 'One export job',
      params: IdParams, response: { description: 'the job', schema: obj('ExportJob') },
      handler: ({ params }) => inv().getExport(params.id),
    }),
    route({
      method: 'DELETE', path: `${P}/exports/:id`, auth: 'cases.manage', tag: 'investigation', summary: 'Cancel a queued or running export (its partial package is removed)',
      params: IdParams, response: { description: 'the cancelled job', schema: obj('ExportJob') },
      handler: (ctx) => inv().cancelExport(ctx.params.id, who(ctx)),
    }),
    route({
      method: 'GET', path: `${P}/snapshots`, auth: 'recordings.view', tag: 'investigation', summary: 'Snapshots (newest first) by camera or case; JPEG at /api/v1/snapshot-files/<id>.jpg',
      query: SnapshotQuery, response: { description: 'snapshots', schema: arr('Snapshot') },
      handler: ({ query }) => inv().listSnapshots(query),
    }),
    route({
      method: 'POST', path: `${P}/snapshots`, auth: 'recordings.view', tag: 'investigation',
      summary: 'Take a JPEG from a recording at tMs (frame-exact) or from the live picture (no tMs), with a manifest',
      body: SnapshotCreate, response: { status: 201, description: 'the snapshot', schema: obj('Snapshot') },
      handler: (ctx) => inv().snapshot({ cameraId: ctx.body.cameraId, tMs: ctx.body.tMs, note: ctx.body.note ?? '', caseId: ctx.body.caseId ?? null }, who(ctx)),
    }),
  ];
}
