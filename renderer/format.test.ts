// Display formatting: units, absolute local times with zone, credential-free URLs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  displayUrl,
  formatBitrate,
  formatBytes,
  formatDateTime,
  formatDays,
  formatFileStamp,
  formatDuration,
  fromDateTimeLocalValue,
  toDateTimeLocalValue,
  zoneOffsetLabel,
} from './format';
import { makeI18n } from './i18n/index';

const en = makeI18n('en');
const zh = makeI18n('zh-CN');

describe('numbers with units', () => {
  it('formats bitrates', () => {
    expect(formatBitrate(en, 4_100_000)).toBe('4.1 Mbit/s');
    expect(formatBitrate(en, 4_049_999)).toBe('4.0 Mbit/s');
    expect(formatBitrate(en, 812_000)).toBe('812 kbit/s');
    expect(formatBitrate(en, 64_500)).toBe('64.5 kbit/s');
    expect(formatBitrate(en, 900)).toBe('900 bit/s');
    expect(formatBitrate(en, 1.25e9)).toBe('1.3 Gbit/s');
    expect(formatBitrate(en, null)).toBe('—');
    expect(formatBitrate(zh, 4_100_000)).toBe('4.1 Mbit/s');
  });

  it('formats sizes and durations', () => {
    expect(formatBytes(en, 0)).toBe('0 B');
    expect(formatBytes(en, 12_400_000)).toBe('12.4 MB');
    expect(formatBytes(en, 512_000_000)).toBe('512 MB');
    expect(formatBytes(en, 2_300_000_000)).toBe('2.3 GB');
    expect(formatDuration(en, 4_200)).toBe('4.2 s');
    expect(formatDuration(en, 59_600)).toBe('60 s');
    expect(formatDuration(en, 60_000)).toBe('1 min 00 s');
    expect(formatDuration(en, 125_000)).toBe('2 min 05 s');
    expect(formatDuration(en, 3 * 3600_000 + 7 * 60_000)).toBe('3 h 07 min');
    expect(formatDuration(zh, 125_000)).toBe('2 分 05 秒');
    expect(formatDays(en, 1)).toBe('1 day');
    expect(formatDays(en, 30)).toBe('30 days');
    expect(formatDays(zh, 30)).toBe('30 天');
  });
});

describe('times', () => {
  const savedTz = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'Asia/Shanghai';
  });
  afterAll(() => {
    process.env.TZ = savedTz;
  });

  it('shows absolute local date and time with the zone', () => {
    const ms = Date.UTC(2025, 10, 26, 4, 5, 6); // 12:05:06 in Shanghai
    expect(formatDateTime(ms)).toBe('2025-11-26 12:05:06 UTC+8');
    expect(zoneOffsetLabel(ms)).toBe('UTC+8');
    expect(formatDateTime(null)).toBe('—');
  });

  it('stamps file names in local time, not UTC', () => {
    expect(formatFileStamp(Date.UTC(2025, 10, 26, 20, 5, 6))).toBe('20251127-040506');
  });

  it('round-trips datetime-local input values', () => {
    const ms = Date.UTC(2025, 0, 2, 3, 4);
    expect(toDateTimeLocalValue(ms)).toBe('2025-01-02T11:04');
    expect(fromDateTimeLocalValue('2025-01-02T11:04')).toBe(ms);
    expect(fromDateTimeLocalValue('')).toBeNull();
  });
});

describe('displayUrl', () => {
  it('never shows credentials', () => {
    expect(displayUrl('rtsp://admin:secret@10.0.0.5:554/ch1')).toBe('rtsp://10.0.0.5:554/ch1');
    expect(displayUrl('rtsp://10.0.0.5/ch1')).toBe('rtsp://10.0.0.5/ch1');
    expect(displayUrl(null)).toBe('');
  });
});
