// --simulate N: provisions N units on the server (admin login) and drives them along street-grid routes with telemetry and video.
import type { Fix } from './nmea';

const M_PER_DEG_LAT = 111_195;

/** A car on a Manhattan street grid: drives along a street, turns at intersections now and then. */
export class RouteWalker {
  lat: number;
  lon: number;
  headingDeg: number;
  speedMps: number;
  private toNextCrossM: number;

  constructor(
    private readonly center: [number, number],
    private readonly rand: () => number = Math.random,
    private readonly blockM = 200,
    private readonly radiusM = 3000,
  ) {
    const cols = Math.round(radiusM / blockM);
    const pick = () => (Math.floor(rand() * (2 * cols + 1)) - cols) * blockM;
    this.lat = center[0] + pick() / M_PER_DEG_LAT;
    this.lon = center[1] + pick() / (M_PER_DEG_LAT * Math.cos((center[0] * Math.PI) / 180));
    this.headingDeg = [0, 90, 180, 270][Math.floor(rand() * 4)]!;
    this.speedMps = 6 + rand() * 8;
    this.toNextCrossM = blockM;
  }

  /** Advances by dtS seconds; returns the new fix at tMs. */
  step(dtS: number, tMs: number): Fix {
    let d = this.speedMps * dtS;
    while (d > 0) {
      const m = Math.min(d, this.toNextCrossM);
      const rad = (this.headingDeg * Math.PI) / 180;
      this.lat += (m * Math.cos(rad)) / M_PER_DEG_LAT;
      this.lon += (m * Math.sin(rad)) / (M_PER_DEG_LAT * Math.cos((this.lat * Math.PI) / 180));
      d -= m;
      this.toNextCrossM -= m;
      if (this.toNextCrossM <= 1e-6) {
        this.toNextCrossM = this.blockM;
        const r = this.rand();
        if (r < 0.25) this.headingDeg = (this.headingDeg + 90) % 360;
        else if (r < 0.5) this.headingDeg = (this.headingDeg + 270) % 360;
        // Stay inside the area: head back towards the centre when too far out.
        const dy = (this.lat - this.center[0]) * M_PER_DEG_LAT;
        const dx = (this.lon - this.center[1]) * M_PER_DEG_LAT * Math.cos((this.lat * Math.PI) / 180);
        if (Math.abs(dy) > this.radiusM) this.headingDeg = dy > 0 ? 180 : 0;
        else if (Math.abs(dx) > this.radiusM) this.headingDeg = dx > 0 ? 270 : 90;
        this.speedMps = Math.max(3, Math.min(16, this.speedMps + (this.rand() - 0.5) * 4));
      }
    }
    return { tMs, lat: this.lat, lon: this.lon, altM: 12, speedMps: Math.round(this.speedMps * 10) / 10, headingDeg: this.headingDeg, accuracyM: 4 };
  }
}

export interface SimUnit {
  id: number;
  callsign: string;
  streamKey: string;
  publishUrl: string;
}

/** Logs in as an administrator and makes sure units SIM-01..SIM-N exist; returns each with a fresh stream key. */
export async function provisionUnits(server: string, user: string, password: string, n: number, log: (m: string) => void): Promise<SimUnit[]> {
  const base = server.replace(/\/$/, '');
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user, password }),
  });
  if (login.status !== 200) throw new Error(`login as ${user} failed (HTTP ${login.status}); pass --user and --password of an administrator`);
  const { token } = (await login.json()) as { token: string };
  const call = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
    const r = await fetch(base + p, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!r.ok) throw new Error(`${method} ${p}: HTTP ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
  const existing = await call<Array<{ id: number; callsign: string }>>('GET', '/api/v1/units');
  const types = ['vehicle', 'vehicle', 'body', 'handheld', 'vehicle', 'portable'];
  const out: SimUnit[] = [];
  for (let i = 1; i <= n; i++) {
    const callsign = `SIM-${String(i).padStart(2, '0')}`;
    const found = existing.find((u) => u.callsign === callsign);
    const k = found
      ? await call<{ unit: { id: number }; streamKey: string; publishUrl: string }>('POST', `/api/v1/units/${found.id}/rotate-key`)
      : await call<{ unit: { id: number }; streamKey: string; publishUrl: string }>('POST', '/api/v1/units', {
          callsign,
          type: types[(i - 1) % types.length],
          officer: `Officer ${i}`,
          segmentSeconds: 10,
        });
    out.push({ id: k.unit.id, callsign, streamKey: k.streamKey, publishUrl: k.publishUrl });
  }
  log(`${n} simulated units ready (${out.map((u) => u.callsign).join(', ')})`);
  return out;
}
