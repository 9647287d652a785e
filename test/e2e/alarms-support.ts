// Alarm e2e tests' and bench's view of the test harness (test/harness): the in-process back end, an API client, and a WebSocket console client.
import { WebSocket } from 'ws';
import type { AlarmFeedEvent } from '../../common/alarms';
import type { ServerEvent } from '../../common/events';
import type { Config } from '../../main/config';
import type { Backend } from '../../main/server/backend';
import { startServer, waitFor } from '../harness';

export const ADMIN_PASSWORD = 'e2e-alarms-chief';

export interface AlarmTestServer {
  backend: Backend;
  dataDir: string;
  tmp: string;
  log: string[];
  token: string;
  api<T>(method: string, p: string, body?: unknown, tk?: string): Promise<{ status: number; body: T }>;
  login(username: string, password: string): Promise<string>;
  close(opts?: { keepData?: boolean }): Promise<void>;
}

export async function startAlarmServer(opts: { tmp?: string; overrides?: Partial<Config>; consoleDir?: string } = {}): Promise<AlarmTestServer> {
  // A caller's tmp stays (it is theirs); the harness's own temp dir goes unless close({ keepData: true }).
  const srv = await startServer({
    tmp: opts.tmp,
    tag: 'e2e-alarms',
    adminPassword: ADMIN_PASSWORD,
    console: opts.consoleDir,
    overrides: opts.overrides,
    env: process.env,
  });
  const server: AlarmTestServer = {
    backend: srv.backend,
    dataDir: srv.dataDir,
    tmp: srv.tmp,
    log: srv.logs,
    token: srv.token,
    api: async <T>(method: string, p: string, body?: unknown, tk?: string) => {
      const r = await srv.client.call<T>(method, p, body, { token: tk ?? server.token });
      return { status: r.status, body: r.body };
    },
    login: (username, password) => srv.login(username, password),
    close: (o = {}) => srv.close(o),
  };
  return server;
}

/** A console's event stream as a test sees it: every alarm event with its arrival time. */
export interface WsConsole {
  ws: WebSocket;
  alarms: Array<{ ev: AlarmFeedEvent; atMs: number }>;
  /** Resolves when `pred` holds for the received alarm events (polls every 10 ms). */
  waitFor(pred: (evs: AlarmFeedEvent[]) => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

export async function connectConsole(url: string, token: string, onAlarm?: (ev: AlarmFeedEvent, atMs: number) => void): Promise<WsConsole> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/api/v1/events?token=${token}`);
  const alarms: WsConsole['alarms'] = [];
  ws.on('message', (data) => {
    const atMs = performance.timeOrigin + performance.now();
    const ev = JSON.parse(String(data)) as ServerEvent;
    if (ev.type === 'alarm.event') {
      alarms.push({ ev, atMs });
      onAlarm?.(ev, atMs);
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve()); // hello
    ws.once('error', reject);
  });
  return {
    ws,
    alarms,
    async waitFor(pred, timeoutMs = 15_000, what = 'alarm events') {
      await waitFor(() => pred(alarms.map((a) => a.ev)), { timeoutMs, intervalMs: 10, what }).catch((e: Error) => {
        throw new Error(`${e.message} (${alarms.length} received)`);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}

/** Polls until fn returns a truthy value (the harness's waitFor, every 50 ms). */
export function eventually<T>(fn: () => Promise<T>, timeoutMs = 15_000, what = 'condition'): Promise<NonNullable<T>> {
  return waitFor(fn, { timeoutMs, intervalMs: 50, what });
}
