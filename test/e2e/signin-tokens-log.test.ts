// End to end (server process): no session token ever reaches a log line, terminal or file, however it was sent.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EVENTS_PATH } from '../../common/events';
import { SEED_PASSWORD, startServer, waitFor, type TestServer } from '../harness';

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('tokens and logs', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer({ mode: 'process', tag: 'token-logs', env: { ARGUS_LOG_LEVEL: 'debug' }, users: [{ username: 'disp', role: 'dispatcher' }] });
  }, 120_000);
  afterAll(async () => {
    await srv?.close();
  });

  it('signs in, uses the token as ?token= and in Authorization (valid and revoked), and no log line holds it', async () => {
    const token = srv.tokens.disp;
    const other = await srv.login('disp', SEED_PASSWORD);
    const anon = srv.client.as('');
    // Authorization header: a read, a change, a refused route.
    expect((await anon.call('GET', '/api/v1/cameras', undefined, { token })).status).toBe(200);
    expect((await anon.call('GET', '/api/v1/auth/sessions', undefined, { token })).status).toBe(200);
    expect((await anon.call('GET', '/api/v1/users', undefined, { token })).status).toBe(403);
    // ?token= on API paths (not accepted there: 401, and the path with its query is logged).
    expect((await anon.call('GET', `/api/v1/cameras?token=${token}`, undefined, { token: '' })).status).toBe(401);
    expect((await anon.call('GET', `/api/v1/nowhere?token=${token}&x=1`, undefined, { token: '' })).status).toBe(404);
    // The event stream with ?token=.
    const ws = new WebSocket(`${srv.url.replace('http', 'ws')}${EVENTS_PATH}?token=${token}`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.close();
    // A revoked session's token sent again (refused requests log at warn).
    expect((await anon.call('POST', '/api/v1/auth/logout', undefined, { token: other })).status).toBe(204);
    expect((await anon.call('GET', '/api/v1/auth/me', undefined, { token: other })).status).toBe(401);
    expect((await anon.call('GET', `/api/v1/auth/me?token=${other}`, undefined, { token: '' })).status).toBe(401);
    await waitFor(() => srv.logs.some((l) => l.includes('/api/v1/auth/me?token=')), { timeoutMs: 20_000, what: 'the request line with ?token=' });

    await srv.close({ keepData: true });
    const files = filesUnder(path.join(srv.dataDir, 'logs'));
    expect(files.length).toBeGreaterThan(0);
    const fileText = files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    const terminal = srv.logs.join('\n');
    expect(fileText).toContain('/api/v1/cameras');
    expect(terminal).toContain('/api/v1/cameras');
    for (const secret of [token, other, srv.token]) {
      expect(terminal).not.toContain(secret);
      expect(fileText).not.toContain(secret);
    }
    fs.rmSync(srv.tmp, { recursive: true, force: true });
  }, 120_000);
});
