// Where a live stream is fetched from (a ticket's relative URL on the page's origin) and how many frames a <video> decoded.
import type { LiveTicket } from '../../common/api';

/** WS-FLV (default: one WebSocket per tile, no HTTP/1.1 six-connection limit) or HTTP-FLV. */
export type Transport = 'ws' | 'http';

/** Decoded video frames of the element so far (Chromium: playback quality, older engines: webkit counter). */
export function decodedFrames(video: HTMLVideoElement): number {
  const q = typeof video.getVideoPlaybackQuality === 'function' ? video.getVideoPlaybackQuality() : null;
  if (q) return q.totalVideoFrames;
  return (video as HTMLVideoElement & { webkitDecodedFrameCount?: number }).webkitDecodedFrameCount ?? 0;
}

/** Absolute ws(s):// or http(s):// URL for a ticket's relative URL on the page's origin. */
export function streamUrl(ticket: LiveTicket, transport: Transport, loc: Pick<Location, 'protocol' | 'host'> = location): string {
  const rel = transport === 'ws' ? ticket.wsFlvUrl : ticket.flvUrl;
  if (/^[a-z]+:\/\//i.test(rel)) return rel;
  const path = rel.startsWith('/') ? rel : `/${rel}`;
  if (transport === 'ws') return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}${path}`;
  return `${loc.protocol}//${loc.host}${path}`;
}
