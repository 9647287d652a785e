// The Playback clock's text: the master time in the station's time zone, the zone named once ("… UTC+8 Asia/Shanghai", never "UTC UTC").
import { formatDate, formatTime, zoneName, zoneOffsetLabel } from '../format';

/** Zone names that say no more than the offset label. */
const PLAIN_UTC = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Universal', 'Etc/Zulu', 'Zulu']);

/** The label in two parts: "2026-12-06 21:03:07 UTC+8" and the zone's name ("Asia/Shanghai", null when it says no more). */
export function playbackClockParts(ms: number, zone: string = zoneName()): { base: string; zone: string | null } {
  return { base: `${formatDate(ms)} ${formatTime(ms)} ${zoneOffsetLabel(ms)}`, zone: zone && !PLAIN_UTC.has(zone) ? zone : null };
}

/** "2026-12-06 21:03:07 UTC+8 (Asia/Shanghai)", or "2026-12-06 13:03:07 UTC" in a UTC zone. */
export function playbackClockLabel(ms: number, zone: string = zoneName()): string {
  const p = playbackClockParts(ms, zone);
  return p.zone ? `${p.base} (${p.zone})` : p.base;
}
