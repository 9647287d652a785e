// Route /live/tickets: signed, short-lived URLs for the HTTP-FLV / WS-FLV streams (served by main/server/live.ts).
import { API_PREFIX, LiveTicketRequest } from '../../../common/api';
import { principalOf, route, type Route } from '../router';
import { LiveTicketSchema } from '../views';
import type { DepsRef } from './deps';

export function liveRoutes(deps: DepsRef): Route[] {
  return [
    route({
      method: 'POST',
      path: `${API_PREFIX}/live/tickets`,
      auth: 'any',
      tag: 'live',
      summary: 'A signed URL for the live stream of a camera or unit (video elements cannot send the bearer header)',
      description:
        'stream "sub" is answered with "main" when the camera has no sub stream. The URLs start a stream until expiresMs ' +
        '(60 s); a stream already running continues. GET the flvUrl (HTTP-FLV, chunked) or open wsFlvUrl as a WebSocket ' +
        '(binary FLV): 401/403 without a valid signature, 404 for an unknown source, 503 when it is not live; the ' +
        'X-Argus-Stream response header names the stream served (a missing sub stream falls back to main).',
      body: LiveTicketRequest,
      response: { description: 'the signed URLs', schema: LiveTicketSchema },
      handler: async (ctx) => deps().live.issue(ctx.body, principalOf(ctx).user.id),
    }),
  ];
}
