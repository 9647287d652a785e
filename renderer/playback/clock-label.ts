// The Playback clock's text: the master time in the station's time zone, the zone named once ("… UTC+8 Asia/Shanghai", never "UTC UTC").
import { formatDate, formatTime, zoneName, zoneOffsetLabel } from '../format';

/** Zone names that say no more than the offset label. */
const PLAIN_UTC = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Universal', 'Etc/Zulu', 'Zulu']);

/** "2026-12-06 21:03:07 UTC+8 (Asia/Shanghai)", or "2026-12-06 13:03:07 UTC" in a UTC zone. */
export function playbackClockLabel(ms: number, zone: string = zoneName()): string {
  const base = `${formatDate(ms)} ${formatTime(ms)} ${zoneOffsetLabel(ms)}`;
  return zone && !PLAIN_UTC.has(zone) ? `${base} (${zone})` : base;
}
