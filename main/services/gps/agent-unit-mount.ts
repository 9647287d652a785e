// GET /api/v1/gps/agent/unit (RawMount): the field agent presents its stream key alone and learns its unit id, callsign and publish URL.
import { createHash, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { AGENT_UNIT_PATH, type AgentUnitConfig } from '../../../common/gps';
import type { Store } from '../../../storage/repositories';
import type { RawMount } from '../features';
import type { GpsContext } from './context';

/** Refused attempts allowed per client address within FAIL_WINDOW_MS; beyond that 429 until the window ends. */
export const MAX_FAILURES = 10;
export const FAIL_WINDOW_MS = 60_000;
/** Addresses remembered at most (a flood of addresses cannot grow the table without bound). */
const MAX_TRACKED = 10_000;

export interface AgentUnitMountDeps {
  store: GpsContext['store'];
  publishUrl(unitId: number, streamKey: string): string;
  log: (m: string) => void;
  now?: () => number;
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** The key from X-Unit-Key or Authorization: Unit <key>; never from the query string (it would land in access logs). */
function presentedKey(req: http.IncomingMessage): string | null {
  const header = req.headers['x-unit-key'];
  if (typeof header === 'string' && header !== '') return header;
  const auth = req.headers.authorization;
  return auth?.startsWith('Unit ') ? auth.slice(5).trim() || null : null;
}

export function agentUnitMount(deps: AgentUnitMountDeps): RawMount {
  const now = deps.now ?? Date.now;
  const failures = new Map<string, { count: number; sinceMs: number }>();

  const limited = (ip: string): number => {
    const f = failures.get(ip);
    if (!f || now() - f.sinceMs >= FAIL_WINDOW_MS) return 0;
    return f.count >= MAX_FAILURES ? Math.ceil((f.sinceMs + FAIL_WINDOW_MS - now()) / 1000) : 0;
  };
  const failed = (ip: string): void => {
    const f = failures.get(ip);
    if (f && now() - f.sinceMs < FAIL_WINDOW_MS) f.count++;
    else {
      if (failures.size >= MAX_TRACKED) for (const [k, v] of failures) if (now() - v.sinceMs >= FAIL_WINDOW_MS) failures.delete(k);
      if (failures.size < MAX_TRACKED) failures.set(ip, { count: 1, sinceMs: now() });
    }
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    req.resume();
    if (url.pathname !== AGENT_UNIT_PATH) return send(res, 404, { error: { kind: 'not_found', message: 'no such agent endpoint' } });
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      return send(res, 405, { error: { kind: 'method_not_allowed', message: 'GET with the stream key in X-Unit-Key' } });
    }
    const ip = req.socket.remoteAddress ?? '?';
    const waitS = limited(ip);
    if (waitS > 0) {
      deps.log(`[gps] agent unit lookup from ${ip} refused: too many refused attempts`);
      return send(
        res,
        429,
        { error: { kind: 'rate_limited', message: `too many refused attempts; try again in ${waitS} s` } },
        { 'retry-after': String(waitS) },
      );
    }
    const key = presentedKey(req);
    if (!key) {
      failed(ip);
      const why = req.headers.authorization?.startsWith('Bearer ')
        ? 'this endpoint takes a unit stream key (X-Unit-Key), not a user session'
        : 'stream key missing (X-Unit-Key header)';
      deps.log(`[gps] agent unit lookup from ${ip} refused: ${why}`);
      return send(res, 401, { error: { kind: 'unauthorized', message: why } });
    }
    // Compare with every unit's hash (no early exit): the time taken says nothing about which key is close.
    const presented = createHash('sha256').update(key, 'utf8').digest();
    let match: Awaited<ReturnType<Store['units']['list']>>[number] | null = null;
    for (const u of await deps.store.units.list()) if (timingSafeEqual(presented, Buffer.from(u.streamKeyHash, 'hex')) && !match) match = u;
    if (!match) {
      failed(ip);
      deps.log(`[gps] agent unit lookup from ${ip} refused: unknown stream key`);
      return send(res, 401, { error: { kind: 'unauthorized', message: 'unknown or wrong stream key' } });
    }
    if (!match.enabled) {
      failed(ip);
      deps.log(`[gps] agent unit lookup from ${ip} refused: unit ${match.id} is disabled`);
      return send(res, 403, { error: { kind: 'forbidden', message: `unit ${match.id} (${match.callsign}) is disabled` } });
    }
    const body: AgentUnitConfig = { unitId: match.id, callsign: match.callsign, publishUrl: deps.publishUrl(match.id, key) };
    deps.log(`[gps] unit ${match.id} fetched its agent settings from ${ip}`);
    send(res, 200, body);
  }

  return { prefix: AGENT_UNIT_PATH, http: (req, res, url) => handle(req, res, url) };
}
