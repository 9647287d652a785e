// GB/T 28181 times as devices write them: '2026-12-07T08:00:00' (no zone: the device's local time), with a space, fractions, or an explicit zone.

/** Minutes east of UTC at a UTC instant (the server's zone by default, where the devices are). */
export type OffsetMinutes = (utcMs: number) => number;

/** The server's local zone: what an unzoned device time is read in unless told otherwise. */
export const localOffsetMinutes: OffsetMinutes = (ms) => -new Date(ms).getTimezoneOffset();

const RE = /^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * UTC ms of a device time; null when it is absent or not a time. Without a zone the time is the device's local time,
 * read with `offset` (the offset in effect at that local time: the zone's offset is looked up twice around changes).
 */
export function parseGbTime(text: string | null | undefined, offset: OffsetMinutes = localOffsetMinutes): number | null {
  const m = RE.exec((text ?? '').trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), ms);
  const check = new Date(wall);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23) return null;
  if (zone) {
    if (zone.toUpperCase() === 'Z') return wall;
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    return wall - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  const first = wall - offset(wall) * 60_000;
  return wall - offset(first) * 60_000;
}
