// NMEA 0183 for the agent: assembles each receiver cycle (GLL, VTG, ZDA, GGA, RMC, any mix) into one fix (checksums verified), and writes fixes (test logs, simulation).
import type { TelemetryPoint } from '../common/gps';

export type Fix = Pick<TelemetryPoint, 'tMs' | 'lat' | 'lon' | 'altM' | 'speedMps' | 'headingDeg' | 'accuracyM'>;

const KNOT_MPS = 0.514444;
const DAY_MS = 86_400_000;

export function checksum(body: string): string {
  let c = 0;
  for (let i = 0; i < body.length; i++) c ^= body.charCodeAt(i);
  return c.toString(16).toUpperCase().padStart(2, '0');
}

function coord(v: string | undefined, hemi: string | undefined, degDigits: number): number | null {
  if (!v || !hemi) return null;
  const deg = Number(v.slice(0, degDigits));
  const min = Number(v.slice(degDigits));
  if (!Number.isFinite(deg) || !Number.isFinite(min)) return null;
  const d = deg + min / 60;
  return hemi === 'S' || hemi === 'W' ? -d : d;
}

/** hhmmss(.ss) → ms since midnight; null when absent or invalid. */
function timeOfDay(v: string | undefined): number | null {
  if (!v || !/^\d{6}(\.\d+)?$/.test(v)) return null;
  const h = Number(v.slice(0, 2));
  const m = Number(v.slice(2, 4));
  const s = Number(v.slice(4));
  if (h > 23 || m > 59 || s >= 61) return null;
  return (h * 3600 + m * 60) * 1000 + Math.round(s * 1000);
}

const num = (v: string | undefined): number | null => (v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : null);

/** Verifies the checksum and splits a sentence into fields (without the $ and *hh); null when invalid. */
export function fields(line: string): string[] | null {
  const m = /^\$([^*]+)\*([0-9A-Fa-f]{2})\s*$/.exec(line.trim());
  if (!m || checksum(m[1]!) !== m[2]!.toUpperCase()) return null;
  return m[1]!.split(',');
}

/** What one receiver cycle (all sentences with one time of day, plus the untimed ones after them) said. */
interface Cycle {
  todMs: number;
  /** UTC midnight of the cycle's date (ZDA or RMC), when one of its sentences carried it. */
  dateMs: number | null;
  lat: number | null;
  lon: number | null;
  /** A position sentence said "no fix" (GLL/RMC status V, GGA quality 0). */
  invalid: boolean;
  speedMps: number | null;
  headingDeg: number | null;
  altM: number | null;
  accuracyM: number | null;
  types: Set<string>;
}

export interface NmeaRead {
  fixes: Fix[];
  /** Sentence types seen, e.g. ['GLL', 'VTG', 'ZDA']. */
  types: string[];
  /** Why lines or cycles gave no fix, counted. */
  dropped: Record<string, number>;
}

/**
 * Reads fixes from NMEA text, one per receiver cycle. A cycle is the sentences sharing one UTC time of day (GLL, GGA,
 * RMC, ZDA carry it) plus the untimed ones that follow (VTG, GSA). Position: the last valid GLL/GGA/RMC of the cycle;
 * date: ZDA or RMC (a cycle without one takes the date of the nearest cycle that has one, across midnight); course and
 * speed: VTG or RMC; altitude and accuracy (HDOP × 5 m): GGA. Lines with a bad checksum, cycles without a valid
 * position, and (in a log with no date at all) cycles without a date are dropped and counted.
 */
export function readNmea(text: string): NmeaRead {
  const dropped: Record<string, number> = {};
  const drop = (r: string) => (dropped[r] = (dropped[r] ?? 0) + 1);
  const types = new Set<string>();
  const cycles: Cycle[] = [];
  let cur: Cycle | null = null;
  const open = (todMs: number): Cycle => {
    if (cur && cur.todMs === todMs) return cur;
    cur = { todMs, dateMs: null, lat: null, lon: null, invalid: false, speedMps: null, headingDeg: null, altM: null, accuracyM: null, types: new Set() };
    cycles.push(cur);
    return cur;
  };
  const position = (c: Cycle, la: number | null, lo: number | null, valid: boolean) => {
    if (valid && la !== null && lo !== null) {
      c.lat = la;
      c.lon = lo;
    } else if (!valid) c.invalid = true;
  };
  const course = (c: Cycle, knots: number | null, deg: number | null) => {
    if (knots !== null) c.speedMps = knots * KNOT_MPS;
    if (deg !== null) c.headingDeg = deg;
  };
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const f = fields(line);
    if (!f) {
      drop(line.trim().startsWith('$') ? 'bad checksum or malformed sentence' : 'not an NMEA sentence');
      continue;
    }
    const type = f[0]!.slice(2);
    types.add(type);
    switch (type) {
      case 'RMC': {
        const tod = timeOfDay(f[1]);
        if (tod === null) continue;
        const c = open(tod);
        c.types.add(type);
        const date = f[9];
        if (date && /^\d{6}$/.test(date)) c.dateMs = Date.UTC(2000 + Number(date.slice(4, 6)), Number(date.slice(2, 4)) - 1, Number(date.slice(0, 2)));
        const valid = f[2] === 'A' && f[12] !== 'N';
        position(c, coord(f[3], f[4], 2), coord(f[5], f[6], 3), valid);
        if (valid) course(c, num(f[7]), num(f[8]));
        break;
      }
      case 'GGA': {
        const tod = timeOfDay(f[1]);
        if (tod === null) continue;
        const c = open(tod);
        c.types.add(type);
        const valid = (num(f[6]) ?? 0) > 0;
        position(c, coord(f[2], f[3], 2), coord(f[4], f[5], 3), valid);
        if (valid) {
          const alt = num(f[9]);
          const hdop = num(f[8]);
          if (alt !== null) c.altM = alt;
          if (hdop !== null) c.accuracyM = Math.round(hdop * 5 * 10) / 10;
        }
        break;
      }
      case 'GLL': {
        // NMEA 2.x: lat,N,lon,E,time,status[,mode]. (NMEA 1.5 GLL has no time: it cannot open a cycle; it joins the open one.)
        const tod = timeOfDay(f[5]);
        const c = tod !== null ? open(tod) : cur;
        if (!c) continue;
        c.types.add(type);
        position(c, coord(f[1], f[2], 2), coord(f[3], f[4], 3), (f[6] ?? 'A') === 'A' && f[7] !== 'N');
        break;
      }
      case 'ZDA': {
        const tod = timeOfDay(f[1]);
        const [d, m, y] = [num(f[2]), num(f[3]), num(f[4])];
        if (tod === null) continue;
        const c = open(tod);
        c.types.add(type);
        if (d !== null && m !== null && y !== null && y >= 2000 && m >= 1 && m <= 12 && d >= 1 && d <= 31) c.dateMs = Date.UTC(y, m - 1, d);
        break;
      }
      case 'VTG': {
        const c = cur as Cycle | null;
        if (!c) continue;
        c.types.add(type);
        if (f[9] === 'N') continue; // mode: not valid
        // NMEA 2.x: course,T,course,M,knots,N,kmh,K[,mode]; NMEA 1.5: course,course,knots,kmh.
        const modern = f[2] === 'T';
        const knots = num(modern ? f[5] : f[3]);
        const kmh = num(modern ? f[7] : f[4]);
        course(c, knots ?? (kmh !== null ? kmh / 3.6 / KNOT_MPS : null), num(f[1]));
        break;
      }
      default:
        if (cur) (cur as Cycle).types.add(type); // GSA, GSV, ...: part of the cycle, nothing Argus keeps
    }
  }
  // Dates: a cycle without one takes the nearest dated cycle's (after it, else before it), across midnight.
  const dated = cycles.map((c, i) => (c.dateMs !== null ? i : -1)).filter((i) => i >= 0);
  const fixes: Fix[] = [];
  let lastT = -Infinity;
  for (const [i, c] of cycles.entries()) {
    if (c.lat === null || c.lon === null) {
      drop(c.invalid ? 'receiver reports no fix (status V / quality 0)' : 'no position in the cycle');
      continue;
    }
    let dateMs = c.dateMs;
    if (dateMs === null) {
      const j = dated.find((k) => k > i) ?? dated.at(-1);
      if (j === undefined) {
        drop('no date in the log (no ZDA or RMC)');
        continue;
      }
      const ref = cycles[j]!;
      dateMs = ref.dateMs!;
      if (j > i && c.todMs > ref.todMs) dateMs -= DAY_MS; // the dated cycle is after midnight
      if (j < i && c.todMs < ref.todMs) dateMs += DAY_MS; // this cycle is after midnight
    }
    const tMs = dateMs + c.todMs;
    if (tMs <= lastT) {
      drop('time not after the previous fix');
      continue;
    }
    lastT = tMs;
    fixes.push({ tMs, lat: c.lat, lon: c.lon, altM: c.altM, speedMps: c.speedMps, headingDeg: c.headingDeg, accuracyM: c.accuracyM });
  }
  return { fixes, types: [...types].sort(), dropped };
}

/** The fixes of an NMEA text (see readNmea). */
export function parseNmea(text: string): Fix[] {
  return readNmea(text).fixes;
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
