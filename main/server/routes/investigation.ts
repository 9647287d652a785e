// API routes of the investigation feature (issue 6): timeline, playback map, search, bookmarks, cases and legal hold, exports, snapshots; each asks the user's rights (issue 13).
import * as E from '../../../common/endpoints';
import type { Requester, Viewer } from '../../services/investigation/control';
import { recordingsAccess } from '../../services/investigation/rights';
import { actorOf, bind, principalOf, type Principal, type Route } from '../router';
import type { DepsRef } from './deps';

export function investigationRoutes(deps: DepsRef): Route[] {
  const inv = () => deps().features.investigation;
  /** The user's effective rights (per channel and organisation node): every call below is limited by them. */
  const rights = (ctx: { principal: Principal | null; ip: string }): Viewer => recordingsAccess(deps().access.for(principalOf(ctx).user), deps().devices.read);
  const who = (ctx: { principal: Principal | null; ip: string }): Requester => ({ actor: actorOf(ctx), ip: ctx.ip, access: rights(ctx) });
  return [
    bind(E.getTimelineByid, (ctx) => inv().timeline(ctx.params.id, ctx.query.startMs, ctx.query.endMs, rights(ctx))),
    bind(E.getPlaybackMapByid, (ctx) => {
      const p = principalOf(ctx);
      return inv().playbackMap(ctx.params.id, ctx.query.startMs, ctx.query.endMs, { access: rights(ctx), userId: p.user.id, tokenHash: p.tokenHash });
    }),
    bind(E.getSearch, (ctx) => inv().search(ctx.query, rights(ctx))),
    bind(E.getBookmarks, (ctx) => inv().listBookmarks(ctx.query, rights(ctx))),
    bind(E.postBookmarks, (ctx) => inv().addBookmark({ ...ctx.body, caseId: ctx.body.caseId ?? null }, who(ctx))),
    bind(E.patchBookmarksByid, (ctx) => inv().updateBookmark(ctx.params.id, ctx.body, who(ctx))),
    bind(E.deleteBookmarksByid, (ctx) => inv().deleteBookmark(ctx.params.id, who(ctx))),
    bind(E.getCases, (ctx) => inv().listCases(rights(ctx))),
    bind(E.postCases, async (ctx) => {
      // A new case belongs to the node asked for, or to the creator's home node.
      const homeNodeId = ctx.body.nodeId ?? (await deps().access.userNode(principalOf(ctx).user.id)).nodeId;
      return inv().createCase({ reference: ctx.body.reference, title: ctx.body.title ?? '', nodeId: ctx.body.nodeId }, { ...who(ctx), homeNodeId });
    }),
    bind(E.getCasesByid, (ctx) => inv().getCase(ctx.params.id, rights(ctx))),
    bind(E.postCasesByidHold, (ctx) => inv().placeHold(ctx.params.id, ctx.body.reason, who(ctx))),
    bind(E.deleteCasesByidHold, (ctx) => inv().releaseHold(ctx.params.id, who(ctx))),
    bind(E.getExports, (ctx) => inv().listExports(ctx.query.caseId, rights(ctx))),
    bind(E.postExports, (ctx) => inv().createExport(ctx.body, who(ctx))),
    bind(E.getExportsByid, (ctx) => inv().getExport(ctx.params.id, rights(ctx))),
    bind(E.deleteExportsByid, (ctx) => inv().cancelExport(ctx.params.id, who(ctx))),
    bind(E.getSnapshots, (ctx) => inv().listSnapshots(ctx.query, rights(ctx))),
    bind(E.postSnapshots, (ctx) =>
      inv().snapshot({ cameraId: ctx.body.cameraId, tMs: ctx.body.tMs, note: ctx.body.note ?? '', caseId: ctx.body.caseId ?? null }, who(ctx)),
    ),
  ];
}
