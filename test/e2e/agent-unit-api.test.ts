// API (in-process back end, real SQLite, real RTMP hub): GET /api/v1/gps/agent/unit, the field agent's lookup by stream key alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnitKey } from '../../common/api';
import { AGENT_UNIT_PATH, parseAgentUnitConfig } from '../../common/gps';
import { MAX_FAILURES } from '../../main/services/gps/agent-unit-mount';
import { startServer, type TestServer } from '../harness';

const PASSWORD = 'agent-unit-chief';
let b: TestServer;
let token: string;
let serverLog: string[] = [];

const lookup = (headers: Record<string, string>, method = 'GET') => fetch(b.url + AGENT_UNIT_PATH, { method, headers });
const admin = (method: string, p: string, body?: unknown) =>
  fetch(b.url + p, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

beforeAll(async () => {
  b = await startServer({ tag: 'e2e-agent-unit', adminPassword: PASSWORD, overrides: { publicHost: 'argus.example' } });
  token = b.token;
  serverLog = b.logs;
});

afterAll(async () => {
  await b?.close();
});

describe('agent unit lookup by stream key', () => {
  it('the right key answers the unit id, callsign and the publish URL the Admin dialog shows; wrong, missing, session or disabled are refused', async () => {
    const unit = (await (await admin('POST', '/api/v1/units', { callsign: 'Car 31', type: 'vehicle' })).json()) as UnitKey;
    const other = (await (await admin('POST', '/api/v1/units', { callsign: 'Car 32', type: 'vehicle' })).json()) as UnitKey;
    expect(unit.publishUrl).toMatch(/^rtmp:\/\/argus\.example:\d+\/live\//);

    for (const headers of [{ 'X-Unit-Key': unit.streamKey }, { Authorization: `Unit ${unit.streamKey}` }] as Record<string, string>[]) {
      const r = await lookup(headers);
      expect(r.status).toBe(200);
      const body = parseAgentUnitConfig(await r.json());
      expect(body).toEqual({ unitId: unit.unit.id, callsign: 'Car 31', publishUrl: unit.publishUrl });
    }
    expect(parseAgentUnitConfig(await (await lookup({ 'X-Unit-Key': other.streamKey })).json()).unitId).toBe(other.unit.id);

    // A wrong key and a key that never existed get the same 401 and the same words: nothing tells them apart.
    const wrong = await lookup({ 'X-Unit-Key': unit.streamKey.slice(0, -2) + 'zz' });
    expect(wrong.status).toBe(401);
    const wrongBody = (await wrong.json()) as { error: { message: string } };
    const none = await lookup({ 'X-Unit-Key': 'no-such-key' });
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { message: string } }).error.message).toBe(wrongBody.error.message);
    expect(wrongBody.error.message).toMatch(/stream key/);
    // No key, a user's session token, the key in the query string: all 401 (only the unit's key in a header counts).
    expect((await lookup({})).status).toBe(401);
    const session = await lookup({ Authorization: `Bearer ${token}` });
    expect(session.status).toBe(401);
    expect(((await session.json()) as { error: { message: string } }).error.message).toMatch(/not a user session/);
    expect((await fetch(`${b.url}${AGENT_UNIT_PATH}?key=${encodeURIComponent(unit.streamKey)}`)).status).toBe(401);
    expect((await lookup({ 'X-Unit-Key': unit.streamKey }, 'POST')).status).toBe(405);

    // Disabled: 403 naming the cause; enabled again: 200.
    expect((await admin('PATCH', `/api/v1/units/${unit.unit.id}`, { enabled: false })).status).toBe(200);
    const disabled = await lookup({ 'X-Unit-Key': unit.streamKey });
    expect(disabled.status).toBe(403);
    expect(((await disabled.json()) as { error: { message: string } }).error.message).toMatch(/disabled/);
    expect((await admin('PATCH', `/api/v1/units/${unit.unit.id}`, { enabled: true })).status).toBe(200);
    expect((await lookup({ 'X-Unit-Key': unit.streamKey })).status).toBe(200);

    // A rotated key: the old one is refused, the new one answers the new URL.
    const rotated = (await (await admin('POST', `/api/v1/units/${unit.unit.id}/rotate-key`)).json()) as UnitKey;
    expect((await lookup({ 'X-Unit-Key': unit.streamKey })).status).toBe(401);
    expect(parseAgentUnitConfig(await (await lookup({ 'X-Unit-Key': rotated.streamKey })).json()).publishUrl).toBe(rotated.publishUrl);

    // The server log names the refusals but never a key.
    expect(serverLog.some((l) => /agent unit lookup .* refused: unknown stream key/.test(l))).toBe(true);
    for (const k of [unit.streamKey, other.streamKey, rotated.streamKey]) expect(serverLog.join('\n')).not.toContain(k);
  });

  it(`after ${MAX_FAILURES} refused attempts from one address within a minute, the address gets 429 even with a right key`, async () => {
    const unit = (await (await admin('POST', '/api/v1/units', { callsign: 'Car 33', type: 'vehicle' })).json()) as UnitKey;
    let refused = 0;
    for (let i = 0; i < MAX_FAILURES * 2; i++) {
      const r = await lookup({ 'X-Unit-Key': `guess-${i}` });
      if (r.status === 429) {
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
        break;
      }
      expect(r.status).toBe(401);
      refused++;
    }
    // The first test already spent some of this address's allowance: at most MAX_FAILURES refusals before 429.
    expect(refused).toBeLessThanOrEqual(MAX_FAILURES);
    expect((await lookup({ 'X-Unit-Key': unit.streamKey })).status).toBe(429);
  });
});
