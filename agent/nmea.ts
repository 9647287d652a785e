// NMEA 0183 for the agent: parse RMC/GGA sentences into fixes (checksums verified), and write them (test logs, simulation).
import type { TelemetryPoint } from '../common/gps';

export type Fix = Pick<TelemetryPoint, 'tMs' | 'lat' | 'lon' | 'altM' | 'speedMps' | 'headingDeg' | 'accuracyM'>;

const KNOT_MPS = 0.514444;

export function checksum(body: string): string {
  let c = 0;
  for (let i = 0; i < body.length; i++) c ^= body.charCodeAt(i);
  return c.toString(16).toUpperCase().padStart(2, '0');
}

function coord(v: string, hemi: string, degDigits: number): number | null {
  if (!v || !hemi) return null;
  const deg = Number(v.slice(0, degDigits));
  const min = Number(v.slice(degDigits));
  if (!Number.isFinite(deg) || !Number.isFinite(min)) return null;
  const d = deg + min / 60;
  return hemi === 'S' || hemi === 'W' ? -d : d;
}

/** Verifies the checksum and splits a sentence into fields (without the $ and *hh); null when invalid. */
export function fields(line: string): string[] | null {
  const m = /^\$([^*]+)\*([0-9A-Fa-f]{2})\s*$/.exec(line.trim());
  if (!m || checksum(m[1]!) !== m[2]!.toUpperCase()) return null;
  return m[1]!.split(',');
}

/**
 * Reads fixes from NMEA text: an RMC with status A gives time, date, position, speed and course; a GGA of the same
 * time adds altitude and (from HDOP) an accuracy estimate. Invalid sentences are skipped.
 */
export function parseNmea(text: string): Fix[] {
  const out: Fix[] = [];
  const byTime = new Map<string, Fix>();
  const gga = new Map<string, { altM: number | null; accuracyM: number | null }>();
  for (const line of text.split(/\r?\n/)) {
    const f = fields(line);
    if (!f) continue;
    const type = f[0]!.slice(2);
    if (type === 'RMC') {
      const [, time, status, lat, ns, lon, ew, knots, course, date] = f;
      if (status !== 'A' || !time || !date || date.length !== 6) continue;
      const la = coord(lat!, ns!, 2);
      const lo = coord(lon!, ew!, 3);
      if (la === null || lo === null) continue;
      const tMs = Date.UTC(2000 + Number(date.slice(4, 6)), Number(date.slice(2, 4)) - 1, Number(date.slice(0, 2)), Number(time.slice(0, 2)), Number(time.slice(2, 4)), 0) + Math.round(Number(time.slice(4)) * 1000);
      const fix: Fix = { tMs, lat: la, lon: lo, speedMps: knots ? Number(knots) * KNOT_MPS : null, headingDeg: course ? Number(course) : null, altM: null, accuracyM: null };
      const g = gga.get(time);
      if (g) Object.assign(fix, g);
      byTime.set(time, fix);
      out.push(fix);
    } else if (type === 'GGA') {
      const time = f[1]!;
      const quality = Number(f[6]);
      if (!quality) continue;
      const hdop = Number(f[8]);
      const alt = f[9] ? Number(f[9]) : NaN;
      const extra = { altM: Number.isFinite(alt) ? alt : null, accuracyM: Number.isFinite(hdop) ? Math.round(hdop * 5 * 10) / 10 : null };
      gga.set(time, extra);
      const fix = byTime.get(time);
      if (fix) Object.assign(fix, extra);
    }
  }
  return out;
}

function dm(v: number, degDigits: number): string {
  const a = Math.abs(v);
  const deg = Math.floor(a);
  const min = (a - deg) * 60;
  return String(deg).padStart(degDigits, '0') + min.toFixed(4).padStart(7, '0');
}

function sentence(body: string): string {
  return `$${body}*${checksum(body)}`;
}

/** RMC + GGA sentences for one fix (whole seconds or hundredths). */
export function formatFix(f: { tMs: number; lat: number; lon: number; speedMps?: number; headingDeg?: number; altM?: number }): string[] {
  const d = new Date(f.tMs);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const time = `${p2(d.getUTCHours())}${p2(d.getUTCMinutes())}${p2(d.getUTCSeconds())}.${p2(Math.floor(d.getUTCMilliseconds() / 10))}`;
  const date = `${p2(d.getUTCDate())}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCFullYear() % 100)}`;
  const lat = `${dm(f.lat, 2)},${f.lat >= 0 ? 'N' : 'S'}`;
  const lon = `${dm(f.lon, 3)},${f.lon >= 0 ? 'E' : 'W'}`;
  const knots = ((f.speedMps ?? 0) / KNOT_MPS).toFixed(1);
  const course = (f.headingDeg ?? 0).toFixed(1);
  return [
    sentence(`GPRMC,${time},A,${lat},${lon},${knots},${course},${date},,,A`),
    sentence(`GPGGA,${time},${lat},${lon},1,08,0.9,${(f.altM ?? 10).toFixed(1)},M,0.0,M,,`),
  ];
}
