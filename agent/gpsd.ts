// gpsd client: speaks gpsd's JSON protocol over TCP (?WATCH), turns TPV reports into fixes, reconnects with backoff.
import net from 'node:net';
import type { Fix } from './nmea';

export function tpvToFix(tpv: Record<string, unknown>): Fix | null {
  if (tpv.class !== 'TPV' || typeof tpv.time !== 'string' || typeof tpv.lat !== 'number' || typeof tpv.lon !== 'number') return null;
  if (typeof tpv.mode === 'number' && tpv.mode < 2) return null;
  const tMs = Date.parse(tpv.time);
  if (!Number.isFinite(tMs)) return null;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const epx = num(tpv.epx);
  const epy = num(tpv.epy);
  return {
    tMs,
    lat: tpv.lat,
    lon: tpv.lon,
    altM: num(tpv.altMSL) ?? num(tpv.alt),
    speedMps: num(tpv.speed),
    headingDeg: num(tpv.track),
    accuracyM: num(tpv.eph) ?? (epx !== null && epy !== null ? Math.max(epx, epy) : null),
  };
}

export class GpsdClient {
  private socket: net.Socket | null = null;
  private closed = false;
  private failures = 0;
  private lastT = -Infinity;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly onFix: (f: Fix) => void,
    private readonly log: (m: string) => void,
  ) {}

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
        try {
          const fix = tpvToFix(JSON.parse(line) as Record<string, unknown>);
          // gpsd reports each cycle more than once (one TPV per sentence): one fix per time.
          if (fix && fix.tMs > this.lastT) {
            this.lastT = fix.tMs;
            this.onFix(fix);
          }
        } catch {
          // not JSON: ignore
        }
      }
    });
    s.on('error', () => undefined);
    s.on('close', () => {
      if (this.closed) return;
      this.failures++;
      const delay = Math.min(10_000, 500 * 2 ** Math.min(5, this.failures - 1));
      if (this.failures === 1 || this.failures % 10 === 0) this.log(`gpsd ${this.host}:${this.port} not reachable; retrying in ${delay / 1000} s`);
      this.retry = setTimeout(() => this.connect(), delay);
    });
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.socket?.destroy();
  }
}
