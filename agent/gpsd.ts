// gpsd client: speaks gpsd's JSON protocol over TCP (?WATCH), merges the TPV reports of one receiver cycle into one fix, counts why reports are dropped, reconnects with backoff.
import net from 'node:net';
import { DropCounter } from './drops';
import type { Fix } from './nmea';

const numOf = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** One TPV as a fix (null fields when absent); tMs null when gpsd gave no time. */
export type TpvReading = Omit<Fix, 'tMs'> & { tMs: number | null; mode: number | null };

/** Why a TPV gives nothing, or its reading. */
export function readTpv(tpv: Record<string, unknown>): { reading: TpvReading } | { drop: string } {
  if (tpv.class !== 'TPV') return { drop: 'not a TPV' };
  const mode = numOf(tpv.mode);
  if (mode !== null && mode < 2) return { drop: 'mode < 2 (no fix)' };
  const lat = numOf(tpv.lat);
  const lon = numOf(tpv.lon);
  if (lat === null || lon === null) return { drop: 'no position' };
  const t = typeof tpv.time === 'string' ? Date.parse(tpv.time) : NaN;
  const epx = numOf(tpv.epx);
  const epy = numOf(tpv.epy);
  return {
    reading: {
      tMs: Number.isFinite(t) ? t : null,
      mode,
      lat,
      lon,
      altM: numOf(tpv.altMSL) ?? numOf(tpv.alt),
      speedMps: numOf(tpv.speed),
      headingDeg: numOf(tpv.track),
      accuracyM: numOf(tpv.eph) ?? (epx !== null && epy !== null ? Math.max(epx, epy) : null),
    },
  };
}

/** A TPV as a fix on its own (time and a 2D/3D position needed), for callers that have single reports. */
export function tpvToFix(tpv: Record<string, unknown>): Fix | null {
  const r = readTpv(tpv);
  if (!('reading' in r) || r.reading.tMs === null) return null;
  const { mode: _mode, ...fix } = r.reading;
  return { ...fix, tMs: r.reading.tMs };
}

/** Merges readings: the latest position wins, each other field its latest non-null value. */
function merge(list: TpvReading[]): TpvReading {
  const out = { ...list[0]! };
  for (const r of list.slice(1)) {
    out.lat = r.lat;
    out.lon = r.lon;
    out.mode = r.mode ?? out.mode;
    out.tMs = r.tMs ?? out.tMs;
    for (const k of ['altM', 'speedMps', 'headingDeg', 'accuracyM'] as const) if (r[k] !== null && r[k] !== undefined) out[k] = r[k];
  }
  return out;
}

export interface CycleOptions {
  /** A cycle is complete when no report came for this long (ms; default 400). */
  quietMs?: number;
  /** A cycle without times never lasts longer than this (ms; default 900). */
  maxCycleMs?: number;
  /** How long time-less cycles wait for a first receiver time before the agent clock times them (ms; default 2000). */
  holdMs?: number;
  now?: () => number;
}

/**
 * Groups gpsd's TPV reports into receiver cycles and emits one fix per cycle. gpsd may report a cycle several times
 * (one TPV per sentence), and an early report may still hold the previous position: all reports with one time (and
 * the time-less ones among them) are merged, keeping the latest position. A cycle ends when a report with another time
 * arrives or after `quietMs` without reports. Time: the cycle's own (any of its reports). When none of them has one,
 * the fix is timed from the agent's clock at the cycle's first report, corrected by the receiver-minus-agent offset of
 * the last timed cycle and put on the receiver's whole-second grid (cycles before the first timed one wait up to
 * `holdMs` for it); with no receiver time at all, the agent's clock itself. Such fixes are marked `timeFromAgentClock`.
 */
export class TpvCycles {
  private cur: { tMs: number | null; readings: TpvReading[]; firstAtMs: number } | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Which quiet timer is the current one (a report that arrives before a fired timer's flush makes it stale). */
  private quietGen = 0;
  private lastT = -Infinity;
  /** Receiver time minus agent time at a cycle's arrival, from the last cycle that had a time. */
  private offsetMs: number | null = null;
  private wholeSeconds = false;
  /** Time-less cycles waiting for the first receiver time. */
  private readonly held: Array<{ m: TpvReading; atMs: number }> = [];
  private holdTimer: NodeJS.Timeout | null = null;
  readonly drops: DropCounter;
  reports = 0;
  fixes = 0;
  agentClockFixes = 0;

  constructor(
    private readonly emit: (f: Fix, note: { timeFromAgentClock: boolean }) => void,
    private readonly log: (m: string) => void,
    private readonly o: CycleOptions = {},
  ) {
    this.drops = new DropCounter('gpsd', log);
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }

  /** gpsd objects other than TPV, by class (VERSION, DEVICES, WATCH, SKY, ...): tells "gpsd talks but has no fix" apart. */
  readonly others = new Map<string, number>();

  /** One gpsd JSON object. */
  push(obj: Record<string, unknown>): void {
    if (obj.class !== 'TPV') {
      const k = typeof obj.class === 'string' ? obj.class : '?';
      this.others.set(k, (this.others.get(k) ?? 0) + 1);
      return;
    }
    this.reports++;
    const r = readTpv(obj);
    if (!('reading' in r)) {
      this.drops.add(r.drop, JSON.stringify(obj));
      return;
    }
    const reading = r.reading;
    const now = this.now();
    const c = this.cur;
    const otherTime = c && reading.tMs !== null && c.tMs !== null && reading.tMs !== c.tMs;
    const tooLong = c && c.tMs === null && reading.tMs === null && now - c.firstAtMs >= (this.o.maxCycleMs ?? 900);
    if (otherTime || tooLong) this.flush();
    if (!this.cur) this.cur = { tMs: null, readings: [], firstAtMs: now };
    this.cur.readings.push(reading);
    this.cur.tMs ??= reading.tMs;
    if (this.timer) clearTimeout(this.timer);
    const gen = ++this.quietGen;
    this.timer = setTimeout(() => this.quietFlush(gen), this.o.quietMs ?? 400);
  }

  /**
   * The quiet timer fired. Flush only after the I/O that is already waiting has been read: after the event loop was
   * held up (a loaded phone or server), Node runs expired timers before it reads the socket, so the rest of the cycle
   * (its position report) may be right behind; it resets the timer instead, and the cycle is not cut in two.
   */
  private quietFlush(gen: number): void {
    setImmediate(() => {
      if (gen === this.quietGen && this.timer) this.flush();
    });
  }

  /** Emits the open cycle (on quiet, on a new time, on close). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const c = this.cur;
    this.cur = null;
    if (!c || c.readings.length === 0) return;
    const m = merge(c.readings);
    if (m.tMs === null) {
      if (this.offsetMs !== null) this.send(m, this.derivedTime(c.firstAtMs), true);
      else this.hold(m, c.firstAtMs);
      return;
    }
    // The receiver's clock against the agent's, at this cycle's arrival: times cycles that come without one.
    this.offsetMs = m.tMs - c.firstAtMs;
    this.wholeSeconds = m.tMs % 1000 === 0;
    for (const h of this.held.splice(0)) this.send(h.m, this.derivedTime(h.atMs), true);
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    this.send(m, m.tMs, false);
  }

  /** Receiver time of a cycle that arrived at atMs (agent clock), on the receiver's whole-second grid when it has one. */
  private derivedTime(atMs: number): number {
    const t = atMs + (this.offsetMs ?? 0);
    return this.wholeSeconds ? Math.round(t / 1000) * 1000 : t;
  }

  /** No receiver time seen yet: wait up to holdMs for one (then back-date), else the agent clock itself. */
  private hold(m: TpvReading, atMs: number): void {
    this.held.push({ m, atMs });
    this.holdTimer ??= setTimeout(() => {
      this.holdTimer = null;
      for (const h of this.held.splice(0)) this.send(h.m, h.atMs, true);
    }, this.o.holdMs ?? 2000);
  }

  private send(m: TpvReading, tMs: number, fromClock: boolean): void {
    if (tMs <= this.lastT) {
      this.drops.add(
        fromClock ? 'no time in fix, and its agent-clock time is not after the last fix' : 'not newer than the last fix (late or repeated report)',
        new Date(tMs).toISOString(),
      );
      return;
    }
    this.lastT = tMs;
    this.fixes++;
    if (fromClock) {
      this.agentClockFixes++;
      if (this.agentClockFixes === 1)
        this.log(
          'gpsd: fixes without time (no report of their cycle has one): timed by the agent clock (against the receiver clock when known), marked so in the agent buffer; counted in the gps status lines',
        );
    }
    const { mode: _mode, ...rest } = m;
    this.emit({ ...rest, tMs }, { timeFromAgentClock: fromClock });
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    for (const h of this.held.splice(0)) this.send(h.m, h.atMs, true);
  }
}

export class GpsdClient {
  private socket: net.Socket | null = null;
  private closed = false;
  private failures = 0;
  private retry: NodeJS.Timeout | null = null;
  readonly cycles: TpvCycles;

  constructor(
    private readonly host: string,
    private readonly port: number,
    onFix: (f: Fix, note: { timeFromAgentClock: boolean }) => void,
    private readonly log: (m: string) => void,
    cycleOptions: CycleOptions = {},
  ) {
    this.cycles = new TpvCycles(onFix, log, cycleOptions);
  }

  start(): void {
    this.connect();
  }

  private connect(): void {
    if (this.closed) return;
    const s = net.connect(this.port, this.host);
    this.socket = s;
    let buf = '';
    s.setEncoding('utf8');
    s.on('connect', () => {
      this.failures = 0;
      this.log(`gpsd ${this.host}:${this.port} connected`);
      s.write('?WATCH={"enable":true,"json":true}\n');
    });
    s.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        let obj: Record<string, unknown>;
        try {
          obj = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue; // not JSON: ignore
        }
        this.cycles.push(obj);
      }
    });
    s.on('error', () => undefined);
    s.on('close', () => {
      if (this.closed) return;
      this.cycles.flush();
      this.failures++;
      const delay = Math.min(10_000, 500 * 2 ** Math.min(5, this.failures - 1));
      if (this.failures === 1 || this.failures % 10 === 0) this.log(`gpsd ${this.host}:${this.port} not reachable; retrying in ${delay / 1000} s`);
      this.retry = setTimeout(() => this.connect(), delay);
    });
  }

  /** 'N gpsd reports → M fixes; dropped: …' for the agent's status line. */
  status(): string {
    const c = this.cycles;
    const others = [...c.others.entries()].map(([k, n]) => `${k} ×${n}`).join(', ');
    return (
      `${c.reports} gpsd reports → ${c.fixes} fixes${c.agentClockFixes ? ` (${c.agentClockFixes} timed by the agent clock)` : ''}; dropped: ${c.drops.summary()}` +
      (c.reports === 0 ? `; no TPV from gpsd yet (other messages: ${others || 'none'})` : '')
    );
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.cycles.flush();
    this.cycles.close();
    this.socket?.destroy();
  }
}
