// Display formatting: local date-time with zone, numbers with units (bitrate, bytes, durations), all through the catalogs.
import type { I18n } from './i18n/index';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Offset of the local zone at `ms`, as "UTC", "UTC+8", "UTC-3:30". */
export function zoneOffsetLabel(ms: number): string {
  const minutes = -new Date(ms).getTimezoneOffset();
  if (minutes === 0) return 'UTC';
  const sign = minutes > 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `UTC${sign}${Math.floor(abs / 60)}${abs % 60 ? ':' + pad(abs % 60) : ''}`;
}

/** The IANA name of the station's zone, e.g. "Asia/Shanghai" (empty when the browser does not say). */
export function zoneName(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone ?? '';
  } catch {
    return '';
  }
}

/** "2025-11-26" in local time. */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "14:03:07" in local time. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * THE date-time format of the console (tables, search results, alarms, audit, cards): absolute local date and time in the
 * user's time zone, with the zone: "2025-11-26 14:03:07 UTC+8". The same digits in every language; never relative.
 */
export function formatDateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return `${formatDate(ms)} ${formatTime(ms)} ${zoneOffsetLabel(ms)}`;
}

/** A local time stamp for a file name: "20251126-140307" (the user's zone, like everything the console shows). */
export function formatFileStamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

/** Value for an <input type="datetime-local"> from UTC ms (local time, minutes). */
export function toDateTimeLocalValue(ms: number): string {
  const d = new Date(ms);
  return `${formatDate(ms)}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** UTC ms from an <input type="datetime-local"> value, or null when empty or invalid. */
export function fromDateTimeLocalValue(v: string): number | null {
  if (!v) return null;
  const ms = new Date(v).getTime();
  return Number.isFinite(ms) ? ms : null;
}

export function formatNumber(i18n: I18n, value: number, fractionDigits = 0): string {
  return new Intl.NumberFormat(i18n.locale, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(value);
}

/** Digits after the point so a value shows about three significant digits (4.1, 41.2 → 41, 412). */
function digitsFor(value: number): number {
  return value < 100 ? 1 : 0;
}

/** "4.1 Mbit/s"; "—" when unknown. */
export function formatBitrate(i18n: I18n, bps: number | null | undefined): string {
  if (bps === null || bps === undefined || !Number.isFinite(bps)) return i18n.t('common.none');
  if (bps < 1e3) return i18n.t('unit.bps', { value: formatNumber(i18n, bps, 0) });
  if (bps < 1e6) return i18n.t('unit.kbps', { value: formatNumber(i18n, bps / 1e3, digitsFor(bps / 1e3)) });
  if (bps < 1e9) return i18n.t('unit.mbps', { value: formatNumber(i18n, bps / 1e6, digitsFor(bps / 1e6)) });
  return i18n.t('unit.gbps', { value: formatNumber(i18n, bps / 1e9, 1) });
}

/** "12.4 MB" (decimal units, like disks and network rates). */
export function formatBytes(i18n: I18n, bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return i18n.t('common.none');
  if (bytes < 1e3) return i18n.t('unit.bytes', { value: formatNumber(i18n, bytes, 0) });
  if (bytes < 1e6) return i18n.t('unit.kB', { value: formatNumber(i18n, bytes / 1e3, digitsFor(bytes / 1e3)) });
  if (bytes < 1e9) return i18n.t('unit.MB', { value: formatNumber(i18n, bytes / 1e6, digitsFor(bytes / 1e6)) });
  if (bytes < 1e12) return i18n.t('unit.GB', { value: formatNumber(i18n, bytes / 1e9, digitsFor(bytes / 1e9)) });
  return i18n.t('unit.TB', { value: formatNumber(i18n, bytes / 1e12, 1) });
}

/** "45.2 s", "2 min 05 s", "3 h 07 min". */
export function formatDuration(i18n: I18n, ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return i18n.t('common.none');
  if (ms < 60_000) return i18n.t('unit.seconds', { value: formatNumber(i18n, ms / 1000, ms < 10_000 ? 1 : 0) });
  const totalSec = Math.round(ms / 1000);
  if (totalSec < 3600) return i18n.t('unit.minSec', { min: Math.floor(totalSec / 60), sec: pad(totalSec % 60) });
  const totalMin = Math.floor(totalSec / 60);
  return i18n.t('unit.hourMin', { hour: Math.floor(totalMin / 60), min: pad(totalMin % 60) });
}

export function formatSeconds(i18n: I18n, seconds: number): string {
  return i18n.t('unit.seconds', { value: formatNumber(i18n, seconds, 0) });
}

export function formatDays(i18n: I18n, days: number): string {
  return days === 1 ? i18n.t('unit.day', { value: 1 }) : i18n.t('unit.days', { value: formatNumber(i18n, days, 0) });
}

export function formatFps(i18n: I18n, fps: number | null | undefined): string {
  if (fps === null || fps === undefined || !Number.isFinite(fps)) return i18n.t('common.none');
  return i18n.t('unit.fps', { value: formatNumber(i18n, fps, Number.isInteger(fps) ? 0 : 2) });
}

/** A stream URL safe to show: any user:password removed. */
export function displayUrl(url: string | null | undefined): string {
  if (!url) return '';
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}
