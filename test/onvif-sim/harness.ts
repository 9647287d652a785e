// Shared setup of the ONVIF end-to-end tests: an in-process back end, a GStreamer RTSP server, simulators, API and WebSocket helpers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import type { LoginResponse, Role } from '../../common/api';
import type { ServerEvent } from '../../common/events';
import { loadConfig, type Config } from '../../main/config';
import { hashPassword } from '../../main/server/auth';
import { startBackend, type Backend } from '../../main/server/backend';
import { ensureClip } from '../helpers/clips';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';
import { OnvifSimulator, type SimOptions } from './simulator';

export const ADMIN_PASSWORD = 'onvif-e2e-chief';

export interface Harness {
  b: Backend;
  rtsp: RtspServer;
  tmp: string;
  logs: string[];
  events: Array<{ atMs: number; ev: ServerEvent }>;
  sims: OnvifSimulator[];
  token: string;
  api<T = any>(method: string, p: string, body?: unknown, token?: string): Promise<{ status: number; body: T }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  sim(opts?: Partial<SimOptions>): Promise<OnvifSimulator>;
  addUser(username: string, role: Role): Promise<string>;
  close(): Promise<void>;
}

export async function waitFor<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 15_000, everyMs = 50): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function startHarness(overrides: Partial<Config> = {}): Promise<Harness> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-e2e-onvif-'));
  const clip = await ensureClip({ width: 320, height: 240, fps: 25, seconds: 4, bitrateKbps: 300, audio: true });
  const rtsp = await startRtspServer({ count: 3, clip });
  const config = loadConfig({
    dataDir: path.join(tmp, 'data'),
    env: {},
    overrides: { port: 0, rtmpPort: 0, onvifTimeoutMs: 1500, ptzMoveTimeoutMs: 800, ptzControlIdleMs: 2500, onvifHealthIntervalMs: 1000, ...overrides },
  });
  const logs: string[] = [];
  const b = await startBackend(config, { env: { ARGUS_ADMIN_PASSWORD: ADMIN_PASSWORD }, log: (m) => logs.push(m) });
  const login = async (username: string, password: string) => {
    const r = await fetch(`${b.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status}`);
    return ((await r.json()) as LoginResponse).token;
  };
  const token = await login('admin', ADMIN_PASSWORD);
  const events: Harness['events'] = [];
  const ws = new WebSocket(`${b.url.replace('http', 'ws')}/api/v1/events?token=${token}`);
  ws.on('message', (data) => events.push({ atMs: Date.now(), ev: JSON.parse(String(data)) as ServerEvent }));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const sims: OnvifSimulator[] = [];
  const h: Harness = {
    b,
    rtsp,
    tmp,
    logs,
    events,
    sims,
    token,
    async api(method, p, body, tk = token) {
      const r = await fetch(b.url + p, {
        method,
        headers: { Authorization: `Bearer ${tk}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      return { status: r.status, body: text ? JSON.parse(text) : undefined };
    },
    async sim(opts = {}) {
      const s = new OnvifSimulator({
        username: 'onvif',
        password: 'cam-secret-42',
        sources: [{ token: 'vs1', mainUri: rtsp.url('cam1'), subUri: rtsp.url('cam2') }],
        discoveryPort: 0,
        pullHoldMs: 1000,
        ...opts,
      });
      await s.start();
      sims.push(s);
      return s;
    },
    async addUser(username, role) {
      const password = `${username}-password`;
      await b.store.users.create({ username, passwordHash: await hashPassword(password), role, displayName: username, disabled: false, createdMs: Date.now() });
      return login(username, password);
    },
    async close() {
      ws.close();
      let t = Date.now();
      const step = (what: string) => {
        if (process.env.ONVIF_TEST_DEBUG) console.log(`[harness] ${what} ${Date.now() - t} ms`);
        t = Date.now();
      };
      await b.features.onvif.close();
      step('onvif close');
      await b.close();
      step('backend close');
      for (const s of sims) await s.stop();
      step('sims stop');
      await rtsp.stop();
      step('rtsp stop');
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
  return h;
}

/** Adds the simulator through the API; returns the camera ids. */
export async function addSim(h: Harness, sim: OnvifSimulator, name = 'PTZ Gate'): Promise<number[]> {
  const r = await h.api<{ cameraIds: number[] }>('POST', '/api/v1/onvif/devices', { host: '127.0.0.1', port: sim.port, username: 'onvif', password: 'cam-secret-42', name, enabled: false });
  if (r.status !== 201) throw new Error(`add failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.cameraIds;
}
