// API routes of the investigation feature (issue 6): timeline, playback map, search, bookmarks, cases and legal hold, exports, snapshots.
import * as E from '../../../common/endpoints';
import type { Requester } from '../../services/investigation/control';
import { actorOf, bind, type Principal, type Route } from '../router';
import type { DepsRef } from './deps';

function who(ctx: { principal: Principal | null; ip: string }): Requester {
  return { actor: actorOf(ctx), ip: ctx.ip };
}

export function investigationRoutes(deps: DepsRef): Route[] {
  const inv = () => deps().features.investigation;
  return [
    bind(E.getTimelineByid, ({ params, query }) => inv().timeline(params.id, query.startMs, query.endMs)),
    bind(E.getPlaybackMapByid, ({ params, query }) => inv().playbackMap(params.id, query.startMs, query.endMs)),
    bind(E.getSearch, ({ query }) => inv().search(query)),
    bind(E.getBookmarks, ({ query }) => inv().listBookmarks(query)),
    bind(E.postBookmarks, (ctx) => inv().addBookmark({ ...ctx.body, caseId: ctx.body.caseId ?? null }, who(ctx))),
    bind(E.patchBookmarksByid, (ctx) => inv().updateBookmark(ctx.params.id, ctx.body, who(ctx))),
    bind(E.deleteBookmarksByid, (ctx) => inv().deleteBookmark(ctx.params.id, who(ctx))),
    bind(E.getCases, () => inv().listCases()),
    bind(E.postCases, (ctx) => inv().createCase({ reference: ctx.body.reference, title: ctx.body.title ?? '' }, who(ctx))),
    bind(E.getCasesByid, ({ params }) => inv().getCase(params.id)),
    bind(E.postCasesByidHold, (ctx) => inv().placeHold(ctx.params.id, ctx.body.reason, who(ctx))),
    bind(E.deleteCasesByidHold, (ctx) => inv().releaseHold(ctx.params.id, who(ctx))),
    bind(E.getExports, ({ query }) => inv().listExports(query.caseId)),
    bind(E.postExports, (ctx) => inv().createExport(ctx.body, who(ctx))),
    bind(E.getExportsByid, ({ params }) => inv().getExport(params.id)),
    bind(E.deleteExportsByid, (ctx) => inv().cancelExport(ctx.params.id, who(ctx))),
    bind(E.getSnapshots, ({ query }) => inv().listSnapshots(query)),
    bind(E.postSnapshots, (ctx) =>
      inv().snapshot({ cameraId: ctx.body.cameraId, tMs: ctx.body.tMs, note: ctx.body.note ?? '', caseId: ctx.body.caseId ?? null }, who(ctx)),
    ),
  ];
}
