// Route /live/tickets: single-use, short-lived URLs bound to the session (live.view on the channel) for the HTTP-FLV / WS-FLV streams (served by main/server/live.ts).
import * as E from '../../../common/endpoints';
import { principalOf, bind, type Route } from '../router';
import type { DepsRef } from './deps';

export function liveRoutes(deps: DepsRef): Route[] {
  return [
    bind(E.postLiveTickets, async (ctx) => {
      const p = principalOf(ctx);
      return deps().live.issue(ctx.body, { userId: p.user.id, tokenHash: p.tokenHash });
    }),
  ];
}
