// Event stream client against a real WebSocket server: delivers events, reconnects with backoff, reports ended sessions.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as WsClient, WebSocketServer } from 'ws';
import type { ServerEvent } from '../common/events';
import { backoffMs, CLOSE_SESSION_ENDED, EventStream, eventsUrl, parseServerEvent } from './events';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(): Promise<{ wss: WebSocketServer; url: string }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  );
  const { port } = wss.address() as { port: number };
  return { wss, url: `ws://127.0.0.1:${port}/api/v1/events?token=t` };
}

function stream(url: string, extra: Partial<ConstructorParameters<typeof EventStream>[0]> = {}): EventStream {
  const s = new EventStream({
    url: () => url,
    WebSocketImpl: WsClient as unknown as typeof WebSocket,
    initialBackoffMs: 20,
    maxBackoffMs: 100,
    log: () => undefined,
    ...extra,
  });
  cleanups.push(() => s.close());
  return s;
}

function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => (cond() ? resolve() : Date.now() - started > timeoutMs ? reject(new Error('timed out')) : setTimeout(tick, 10));
    tick();
  });
}

describe('EventStream', () => {
  it('delivers events, then reconnects after the server drops the connection', async () => {
    const { wss, url } = await server();
    let connections = 0;
    wss.on('connection', (ws) => {
      connections++;
      ws.send(JSON.stringify({ type: 'hello', serverTimeMs: connections }));
      ws.send(JSON.stringify({ type: 'camera.deleted', cameraId: connections }));
      ws.send('not json');
      ws.send(JSON.stringify({ type: 'from.the.future' }));
    });
    const s = stream(url);
    const got: ServerEvent[] = [];
    s.subscribe((ev) => got.push(ev));
    s.start();
    await until(() => got.length === 2);
    expect(got).toEqual([
      { type: 'hello', serverTimeMs: 1 },
      { type: 'camera.deleted', cameraId: 1 },
    ]);
    expect(s.state.get().kind).toBe('open');

    for (const c of wss.clients) c.terminate();
    await until(() => got.length === 4);
    expect(connections).toBe(2);
    expect(got[2]).toEqual({ type: 'hello', serverTimeMs: 2 });
  });

  it('asks for a session check when the server ends the session, and keeps retrying', async () => {
    const { wss, url } = await server();
    let connections = 0;
    wss.on('connection', (ws) => {
      connections++;
      ws.close(CLOSE_SESSION_ENDED, 'session ended');
    });
    let doubts = 0;
    const s = stream(url, { onSessionDoubt: () => doubts++ });
    s.start();
    await until(() => doubts >= 2);
    expect(connections).toBeGreaterThanOrEqual(2);
  });

  it('waits with backoff while the server is unreachable and stops on close()', async () => {
    const { wss, url } = await server();
    await new Promise<void>((r) => wss.close(() => r()));
    const states: string[] = [];
    const s = stream(url);
    s.state.subscribe((st) => states.push(st.kind));
    s.start();
    await until(() => states.filter((k) => k === 'waiting').length >= 2);
    s.close();
    expect(s.state.get().kind).toBe('idle');
  });

  it('stays idle without a URL (no session)', () => {
    const s = stream('');
    s.start();
    expect(s.state.get().kind).toBe('idle');
  });
});

describe('helpers', () => {
  it('backoff doubles up to the maximum, with jitter in [50 %, 100 %]', () => {
    expect([1, 2, 3, 4, 10].map((a) => backoffMs(a, 1000, 30_000, () => 1))).toEqual([1000, 2000, 4000, 8000, 30_000]);
    expect(backoffMs(3, 1000, 30_000, () => 0)).toBe(2000);
  });

  it('parses only known event types', () => {
    expect(parseServerEvent('{"type":"camera.deleted","cameraId":3}')).toEqual({ type: 'camera.deleted', cameraId: 3 });
    expect(parseServerEvent('{"type":"toString"}')).toBeNull();
    expect(parseServerEvent('[]')).toBeNull();
    expect(parseServerEvent('{')).toBeNull();
  });

  it('builds the stream URL from the page origin', () => {
    expect(eventsUrl('a b', { protocol: 'https:', host: 'argus.example:8443' })).toBe('wss://argus.example:8443/api/v1/events?token=a%20b');
    expect(eventsUrl('tok', { protocol: 'http:', host: '127.0.0.1:8640' })).toBe('ws://127.0.0.1:8640/api/v1/events?token=tok');
  });
});
