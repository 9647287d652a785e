// Tests of the WebSocket event stream: upgrade authentication, hello, broadcast of API changes, session end, slow clients.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import type { LoginResponse } from '../../common/api';
import { EVENTS_PATH, type ServerEvent } from '../../common/events';
import { CLOSE_SESSION_ENDED, EventHub } from './event-hub';
import { startTestServer, type TestServer } from './test-support';

function wsUrl(t: TestServer, query = ''): string {
  return `ws://127.0.0.1:${t.port}${EVENTS_PATH}${query}`;
}

/** Opens a socket and collects its messages; resolves once open (or rejects with the HTTP status of a refusal). */
function connect(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ ws: WebSocket; events: ServerEvent[]; next(type: string): Promise<ServerEvent> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const events: ServerEvent[] = [];
    const waiters: Array<{ type: string; resolve: (e: ServerEvent) => void }> = [];
    ws.on('message', (data) => {
      const ev = JSON.parse(String(data)) as ServerEvent;
      events.push(ev);
      for (const w of waiters.filter((x) => x.type === ev.type)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(ev);
      }
    });
    ws.on('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
    ws.on('error', reject);
    ws.on('open', () =>
      resolve({
        ws,
        events,
        next: (type) => {
          const seen = events.find((e) => e.type === type);
          if (seen) return Promise.resolve(seen);
          return new Promise((r) => waiters.push({ type, resolve: r }));
        },
      }),
    );
  });
}

describe('event hub over the app', () => {
  let t: TestServer;
  let admin: LoginResponse;
  beforeAll(async () => {
    t = await startTestServer();
    await t.addUser('admin', 'admin-password', 'admin');
    admin = await t.login('admin', 'admin-password');
  });
  afterAll(async () => {
    await t.close();
  });

  test('rejects the upgrade with 401 without a valid token', async () => {
    for (const q of ['', '?token=', '?token=nonsense', `?token=${'x'.repeat(43)}`])
      await expect(connect(wsUrl(t, q)), q).rejects.toMatchObject({ status: 401 });
    await expect(connect(wsUrl(t), { Authorization: 'Bearer nope' })).rejects.toMatchObject({ status: 401 });
    await expect(connect(`ws://127.0.0.1:${t.port}/api/v1/other?token=${admin.token}`)).rejects.toMatchObject({ status: 404 });
    expect(t.app.hub.clientCount).toBe(0);
  });

  test('with a token (query or header) it says hello and receives published events', async () => {
    const a = await connect(wsUrl(t, `?token=${admin.token}`));
    const b = await connect(wsUrl(t), { Authorization: `Bearer ${admin.token}` });
    for (const c of [a, b]) expect(await c.next('hello')).toMatchObject({ type: 'hello', serverTimeMs: expect.any(Number) });

    const r = await t.call('POST', '/api/v1/cameras', { token: admin.token, body: { name: 'Hall', url: 'rtsp://u:pw@h/s' } });
    expect(r.status).toBe(201);
    const changed = await a.next('camera.changed');
    expect(changed).toMatchObject({ type: 'camera.changed', camera: { name: 'Hall', hasPassword: true } });
    expect(JSON.stringify(changed)).not.toContain('pw');
    await b.next('camera.changed');

    const id = (changed as Extract<ServerEvent, { type: 'camera.changed' }>).camera.id;
    expect((await t.call('DELETE', `/api/v1/cameras/${id}`, { token: admin.token })).status).toBe(204);
    expect(await a.next('camera.deleted')).toEqual({ type: 'camera.deleted', cameraId: id });

    // Events about a camera reach those who may see it (the admin, granted at the root).
    const kept = (await (await t.call('POST', '/api/v1/cameras', { token: admin.token, body: { name: 'Yard', url: 'rtsp://h/y' } })).json()) as { id: number };
    await b.next('camera.changed');
    t.app.hub.publish({ type: 'retention.deleted', cameraId: kept.id, segments: 2, bytes: 3 });
    expect(await b.next('retention.deleted')).toEqual({ type: 'retention.deleted', cameraId: kept.id, segments: 2, bytes: 3 });
    a.ws.close();
    b.ws.close();
  });

  test('logout closes the streams of that session', async () => {
    const s = await t.login('admin', 'admin-password');
    const c = await connect(wsUrl(t, `?token=${s.token}`));
    await c.next('hello');
    const closed = new Promise<number>((resolve) => c.ws.on('close', (code) => resolve(code)));
    expect((await t.call('POST', '/api/v1/auth/logout', { token: s.token })).status).toBe(204);
    expect(await closed).toBe(CLOSE_SESSION_ENDED);
    await expect(connect(wsUrl(t, `?token=${s.token}`))).rejects.toMatchObject({ status: 401 });
  });
});

describe('EventHub on its own', () => {
  function hubServer(hub: EventHub): Promise<{ server: http.Server; port: number }> {
    const server = http.createServer();
    server.on('upgrade', (req, socket, head) => hub.handleUpgrade(req, socket, head));
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })));
  }
  const principal = {
    user: {
      id: 1,
      username: 'u',
      passwordHash: '',
      role: 'officer' as const,
      displayName: '',
      disabled: false,
      createdMs: 0,
      mustChangePassword: false,
      passwordChangedMs: null,
    },
    tokenHash: 'h',
  };

  test('drops a client whose send buffer exceeds the bound instead of growing memory', async () => {
    const hub = new EventHub({
      authenticate: async (tok) => (tok === 'good' ? principal : null),
      stillValid: async () => true,
      log: () => undefined,
      maxBufferedBytes: 64 * 1024,
    });
    const { server, port } = await hubServer(hub);
    const ws = new WebSocket(`ws://127.0.0.1:${port}${EVENTS_PATH}?token=good`);
    await new Promise((r) => ws.once('message', r));
    ws.pause(); // stop reading: the server's buffer fills
    const big = { type: 'retention.deleted', cameraId: 1, segments: 1, bytes: 1, pad: 'x'.repeat(256 * 1024) } as unknown as ServerEvent;
    for (let i = 0; i < 400 && hub.clientCount > 0; i++) {
      hub.publish(big);
      await new Promise((r) => setImmediate(r));
    }
    expect(hub.clientCount).toBe(0);
    ws.terminate();
    await hub.close();
    await new Promise((r) => server.close(r));
  });

  test('heartbeat drops clients that do not answer pings and ends expired sessions', async () => {
    let valid = true;
    const hub = new EventHub({ authenticate: async () => principal, stillValid: async () => valid, log: () => undefined, heartbeatMs: 50 });
    const { server, port } = await hubServer(hub);
    const a = new WebSocket(`ws://127.0.0.1:${port}${EVENTS_PATH}?token=x`);
    await new Promise((r) => a.once('message', r));
    await new Promise((r) => setTimeout(r, 200));
    expect(hub.clientCount).toBe(1); // answers pings automatically
    const closed = new Promise<number>((resolve) => a.on('close', (code) => resolve(code)));
    valid = false;
    expect(await closed).toBe(CLOSE_SESSION_ENDED);
    expect(hub.clientCount).toBe(0);

    valid = true;
    // A client that never answers pings: ws answers automatically, so silence its socket.
    const b = new WebSocket(`ws://127.0.0.1:${port}${EVENTS_PATH}?token=x`, { autoPong: false });
    await new Promise((r) => b.once('message', r));
    expect(hub.clientCount).toBe(1);
    const gone = new Promise((r) => b.on('close', r));
    await gone;
    expect(hub.clientCount).toBe(0);
    await hub.close();
    await new Promise((r) => server.close(r));
  });
});
