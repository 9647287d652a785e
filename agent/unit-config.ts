// Asks the server, with the stream key alone, which unit this is and where to publish (GET /api/v1/gps/agent/unit); retries while it is unreachable.
import { AGENT_UNIT_PATH, parseAgentUnitConfig, type AgentUnitConfig } from '../common/gps';
import { tlsFailure } from './tls-trust';

/** The server refused the key (401/403): retrying cannot help, the agent stops. */
export class UnitConfigRefused extends Error {}

export interface UnitConfigOptions {
  server: string;
  key: string;
  log: (m: string) => void;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Stop waiting (tests, Ctrl-C): resolves the wait at once and makes the fetch throw. */
  signal?: AbortSignal;
  /** The fetch to use (agent/tls-trust.ts trustedFetch when --ca/--pin are given). */
  fetch?: typeof fetch;
}

async function errorText(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const m = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    if (typeof m === 'string') return m;
  } catch {
    // not JSON: the status line says enough
  }
  return text.slice(0, 200) || res.statusText;
}

/** Resolves with the unit's settings; throws UnitConfigRefused on 401/403 (or a malformed answer); retries everything else. */
export async function fetchUnitConfig(o: UnitConfigOptions): Promise<AgentUnitConfig> {
  const url = new URL(AGENT_UNIT_PATH, o.server).toString();
  let failures = 0;
  for (;;) {
    if (o.signal?.aborted) throw new Error('stopped before the server answered');
    let waitMs: number | null = null;
    let why: string;
    try {
      const res = await (o.fetch ?? fetch)(url, { headers: { 'X-Unit-Key': o.key }, signal: o.signal });
      if (res.ok) return parseAgentUnitConfig(await res.json().catch(() => null));
      const msg = await errorText(res);
      if (res.status === 401) throw new UnitConfigRefused(`server refused the stream key (401): ${msg}. Check --key (rotated keys stop working at once).`);
      if (res.status === 403) throw new UnitConfigRefused(`server refused this unit (403): ${msg}. An administrator must enable it.`);
      if (res.status === 429) waitMs = Math.max(1, Number(res.headers.get('retry-after')) || 60) * 1000;
      why = `HTTP ${res.status}: ${msg}`;
    } catch (err) {
      if (err instanceof UnitConfigRefused) throw err;
      // A certificate that is not the trusted one will not become trusted by retrying: stop, the key was not sent.
      const badCert = tlsFailure(err);
      if (badCert) throw new UnitConfigRefused(`${badCert}; the stream key was not sent`);
      if (err instanceof Error && err.message.startsWith('server answer')) throw new UnitConfigRefused(`${err.message}; not pushing anywhere`);
      if (o.signal?.aborted) throw new Error('stopped before the server answered', { cause: err });
      why = (err as Error).cause ? String(((err as Error).cause as Error).message ?? (err as Error).cause) : (err as Error).message;
    }
    failures++;
    const min = o.minBackoffMs ?? 1000;
    const delay = waitMs ?? Math.min(o.maxBackoffMs ?? 10_000, min * 2 ** Math.min(10, failures - 1)) * (0.8 + Math.random() * 0.4);
    o.log(`asking ${url} for this unit's settings failed (${why}); retrying in ${Math.round(delay / 100) / 10} s`);
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, delay);
      o.signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
    });
  }
}
