// Shared by the alarm end-to-end tests and bench: a real back end in a temp dir, an API client, and a WebSocket console client.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import type { AlarmFeedEvent } from '../../common/alarms';
import type { LoginResponse } from '../../common/api';
import type { ServerEvent } from '../../common/events';
import { loadConfig, type Config } from '../../main/config';
import { startBackend, type Backend } from '../../main/server/backend';
import { waitFor } from '../helpers/media-assert';

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
  const tmp = opts.tmp ?? fs.mkdtempSync(path.join(os.tmpdir(), 'argus-e2e-alarms-'));
  const dataDir = path.join(tmp, 'data');
  const config = loadConfig({
    dataDir,
    env: {},
    overrides: { port: 0, rtmpPort: 0, ...(opts.consoleDir ? { consoleDir: opts.consoleDir } : {}), ...opts.overrides },
  });
  const log: string[] = [];
  const backend = await startBackend(config, { env: { ...process.env, ARGUS_ADMIN_PASSWORD: ADMIN_PASSWORD }, log: (m) => log.push(m) });
  const api = async <T>(method: string, p: string, body?: unknown, tk?: string): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${backend.url}${p}`, {
      method,
      headers: { Authorization: `Bearer ${tk ?? server.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // CSV and other text
    }
    return { status: res.status, body: parsed as T };
  };
  const login = async (username: string, password: string) => {
    const res = await fetch(`${backend.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
    return ((await res.json()) as LoginResponse).token;
  };
  const server: AlarmTestServer = {
    backend,
    dataDir,
    tmp,
    log,
    token: '',
    api,
    login,
    async close(o = {}) {
      await backend.close();
      if (!o.keepData && !opts.tmp) fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
  server.token = await login('admin', ADMIN_PASSWORD);
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
      const until = Date.now() + timeoutMs;
      while (!pred(alarms.map((a) => a.ev))) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${what} (${alarms.length} received)`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}

/** Polls until fn returns a truthy value (test/helpers/media-assert.ts waitFor, every 50 ms). */
export function eventually<T>(fn: () => Promise<T>, timeoutMs = 15_000, what = 'condition'): Promise<NonNullable<T>> {
  return waitFor(fn, what, timeoutMs, 50);
}
