// The Playback clock label: local time of the user's zone, zone named once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playbackClockLabel } from './clock-label';

describe('playback clock label', () => {
  const savedTz = process.env.TZ;
  afterAll(() => {
    process.env.TZ = savedTz;
  });

  describe('in Shanghai', () => {
    beforeAll(() => {
      process.env.TZ = 'Asia/Shanghai';
    });
    it('shows the local time with offset and zone name', () => {
      const ms = Date.UTC(2026, 11, 6, 13, 3, 7);
      expect(playbackClockLabel(ms, 'Asia/Shanghai')).toBe('2026-12-06 21:03:07 UTC+8 (Asia/Shanghai)');
    });
  });

  describe('in UTC', () => {
    beforeAll(() => {
      process.env.TZ = 'UTC';
    });
    it('names the zone once, never "UTC UTC"', () => {
      const ms = Date.UTC(2026, 11, 6, 13, 3, 7);
      expect(playbackClockLabel(ms, 'UTC')).toBe('2026-12-06 13:03:07 UTC');
      expect(playbackClockLabel(ms, 'Etc/UTC')).toBe('2026-12-06 13:03:07 UTC');
      expect(playbackClockLabel(ms, '')).toBe('2026-12-06 13:03:07 UTC');
    });
  });
});
