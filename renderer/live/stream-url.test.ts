// Stream URLs from tickets: ws:/wss: or http:/https: on the page's origin; absolute URLs kept.
import { describe, expect, it } from 'vitest';
import type { LiveTicket } from '../../common/api';
import { streamUrl } from './stream-url';

const ticket: LiveTicket = {
  flvUrl: '/live/7.flv?exp=1&sig=ab',
  wsFlvUrl: '/live/ws/7.flv?exp=1&sig=ab',
  expiresMs: 1,
  stream: 'sub',
  videoCodec: 'h264',
  audioCodec: 'aac',
  relayable: true,
};

describe('streamUrl', () => {
  it('puts the relative URL on the page origin with the matching scheme', () => {
    expect(streamUrl(ticket, 'ws', { protocol: 'http:', host: '10.0.0.5:8640' })).toBe('ws://10.0.0.5:8640/live/ws/7.flv?exp=1&sig=ab');
    expect(streamUrl(ticket, 'ws', { protocol: 'https:', host: 'argus.local' })).toBe('wss://argus.local/live/ws/7.flv?exp=1&sig=ab');
    expect(streamUrl(ticket, 'http', { protocol: 'https:', host: 'argus.local' })).toBe('https://argus.local/live/7.flv?exp=1&sig=ab');
  });

  it('keeps absolute URLs and adds a missing leading slash', () => {
    expect(streamUrl({ ...ticket, wsFlvUrl: 'ws://hub:8000/live/7.flv?x' }, 'ws', { protocol: 'http:', host: 'a' })).toBe('ws://hub:8000/live/7.flv?x');
    expect(streamUrl({ ...ticket, flvUrl: 'live/7.flv' }, 'http', { protocol: 'http:', host: 'a' })).toBe('http://a/live/7.flv');
  });
});
