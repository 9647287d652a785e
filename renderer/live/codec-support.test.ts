// Which live streams the console says it cannot show, before connecting.
import { describe, expect, it } from 'vitest';
import { codecLabel, unplayable } from './codec-support';

describe('unplayable', () => {
  const none = () => false;
  const all = () => true;
  it('lets H.264 and unknown codecs play', () => {
    expect(unplayable({ videoCodec: 'h264', relayable: true }, none)).toBeNull();
    expect(unplayable({ videoCodec: null, relayable: true }, none)).toBeNull();
  });
  it('says the server cannot relay an H.265 camera, whatever the browser decodes', () => {
    expect(unplayable({ videoCodec: 'hevc', relayable: false }, all)).toEqual({ why: 'not-relayed', codec: 'hevc' });
  });
  it('plays relayed H.265 where the browser decodes it, else says it has no decoder', () => {
    expect(unplayable({ videoCodec: 'hevc', relayable: true }, all)).toBeNull();
    expect(unplayable({ videoCodec: 'hevc', relayable: true }, none)).toEqual({ why: 'no-decoder', codec: 'hevc' });
    expect(unplayable({ videoCodec: 'fourcc-vvc1', relayable: true }, all)).toEqual({ why: 'no-decoder', codec: 'fourcc-vvc1' });
  });
  it('names codecs as operators know them', () => {
    expect(codecLabel('hevc')).toBe('H.265');
    expect(codecLabel('h264')).toBe('H.264');
  });
});
