// Declarations of the live endpoints (served by main/server/routes/live.ts).
import { LiveTicketRequest } from '../api';
import { endpoint } from '../endpoint';
import { LiveTicketSchema } from './schemas';

export const postLiveTickets = endpoint({
  method: 'POST',
  path: '/api/v1/live/tickets',
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
});
