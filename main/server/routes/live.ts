// Route /live/tickets: signed, short-lived URLs for the HTTP-FLV / WS-FLV streams (served by main/server/live.ts).
import * as E from '../../../common/endpoints';
import { principalOf, bind, type Route } from '../router';
import type { DepsRef } from './deps';

export function liveRoutes(deps: DepsRef): Route[] {
  return [bind(E.postLiveTickets, async (ctx) => deps().live.issue(ctx.body, principalOf(ctx).user.id))];
}
