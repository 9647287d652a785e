// The agent's unit lookup against a real HTTP peer: it validates the answer, stops on 401/403, waits out 429 and an unreachable server.
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_UNIT_PATH } from '../../common/gps';
import { UnitConfigRefused, fetchUnitConfig } from '../../agent/unit-config';
import { freePort } from '../helpers/net';
import { waitFor } from '../harness';

let server: http.Server | null = null;

/** A peer that answers AGENT_UNIT_PATH with the given replies in turn (the last one repeats). */
async function peer(replies: Array<{ status: number; body: unknown; headers?: Record<string, string> }>, port = 0): Promise<{ url: string; keys: string[] }> {
  const keys: string[] = [];
  let i = 0;
  server = http.createServer((req, res) => {
    keys.push(String(req.headers['x-unit-key']));
    const r = replies[Math.min(i++, replies.length - 1)]!;
    expect(req.url).toBe(AGENT_UNIT_PATH);
    res.writeHead(r.status, { 'content-type': 'application/json', ...(r.headers ?? {}) });
    res.end(typeof r.body === 'string' ? r.body : JSON.stringify(r.body));
  });
  await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, keys };
}

afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(null)));
  server = null;
});

const good = { unitId: 7, callsign: 'Car 7', publishUrl: 'rtmp://argus.example:19350/live/7?key=K' };

describe('agent unit lookup', () => {
  it('sends the key in X-Unit-Key and returns the checked answer', async () => {
    const p = await peer([{ status: 200, body: good }]);
    expect(await fetchUnitConfig({ server: p.url, key: 'K', log: () => undefined })).toEqual(good);
    expect(p.keys).toEqual(['K']);
  });

  it.each([
    ['not JSON', 'oops'],
    ['no unit id', { ...good, unitId: 'seven' }],
    ['not rtmp', { ...good, publishUrl: 'http://argus.example/live/7?key=K' }],
    ['another unit', { ...good, publishUrl: 'rtmp://argus.example:1935/live/8?key=K' }],
  ])('refuses a malformed answer (%s) instead of pushing anywhere', async (_what, body) => {
    const p = await peer([{ status: 200, body }]);
    await expect(fetchUnitConfig({ server: p.url, key: 'K', log: () => undefined })).rejects.toBeInstanceOf(UnitConfigRefused);
  });

  it.each([
    [401, /refused the stream key \(401\): unknown or wrong stream key/],
    [403, /refused this unit \(403\): unit 7 \(Car 7\) is disabled/],
  ])("stops on %i with the server's words", async (status, words) => {
    const message = status === 401 ? 'unknown or wrong stream key' : 'unit 7 (Car 7) is disabled';
    const p = await peer([{ status, body: { error: { message } } }]);
    await expect(fetchUnitConfig({ server: p.url, key: 'K', log: () => undefined })).rejects.toThrow(words);
    expect(p.keys.length).toBe(1);
  });

  it('retries with backoff while the server is unreachable or failing, and waits out a 429', async () => {
    const port = await freePort();
    const log: string[] = [];
    const answer = fetchUnitConfig({ server: `http://127.0.0.1:${port}`, key: 'K', log: (m) => log.push(m), minBackoffMs: 100, maxBackoffMs: 200 });
    await waitFor(() => log.length >= 2, { intervalMs: 50, what: 'two failed attempts logged' });
    expect(log[0]).toMatch(/failed \(.*\); retrying in/);
    const startedMs = Date.now();
    await peer(
      [
        { status: 503, body: { error: { message: 'starting' } } },
        { status: 429, body: { error: { message: 'slow down' } }, headers: { 'retry-after': '1' } },
        { status: 200, body: good },
      ],
      port,
    );
    expect(await answer).toEqual(good);
    expect(Date.now() - startedMs).toBeGreaterThanOrEqual(900);
    expect(log.some((l) => l.includes('HTTP 503: starting'))).toBe(true);
    expect(log.some((l) => /HTTP 429: slow down\); retrying in 1 s/.test(l))).toBe(true);
  });
});
