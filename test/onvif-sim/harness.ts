// Shared setup of the ONVIF end-to-end tests on the test harness (test/harness): an in-process back end, a GStreamer RTSP server, simulators, API and WebSocket helpers.
import fs from 'node:fs';
import { WebSocket } from 'ws';
import type { Right } from '../../common/rights';
import type { Role } from '../../common/api';
import type { ServerEvent } from '../../common/events';
import type { Config } from '../../main/config';
import type { Backend } from '../../main/server/backend';
import { startServer, waitFor as harnessWaitFor } from '../harness';
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
  /** Grants a user (by name) a right on one channel (issue 13: officers hold rights only where granted). */
  grant(username: string, right: Right, channelId: number): Promise<void>;
  close(): Promise<void>;
}

/** Polls until fn returns a truthy value, retrying when it throws (the harness's waitFor, every 50 ms). */
export function waitFor<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 15_000, everyMs = 50): Promise<NonNullable<T>> {
  return harnessWaitFor(fn, { what, timeoutMs, intervalMs: everyMs, retryErrors: true });
}

export async function startHarness(overrides: Partial<Config> = {}): Promise<Harness> {
  const clip = await ensureClip({ width: 320, height: 240, fps: 25, seconds: 4, bitrateKbps: 300, audio: true });
  const rtsp = await startRtspServer({ count: 3, clip });
  const srv = await startServer({
    tag: 'e2e-onvif',
    adminPassword: ADMIN_PASSWORD,
    overrides: { onvifTimeoutMs: 1500, ptzMoveTimeoutMs: 800, ptzControlIdleMs: 2500, onvifHealthIntervalMs: 1000, ...overrides },
  }).catch(async (e: unknown) => {
    await rtsp.stop();
    throw e;
  });
  const { backend: b, tmp, logs, token } = srv;
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
      const r = await srv.client.call(method, p, body, { token: tk });
      return { status: r.status, body: r.body as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
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
    addUser: (username, role) => srv.addUser(username, role),
    async grant(username, right, channelId) {
      const user = await b.store.users.getByUsername(username);
      if (!user) throw new Error(`no user ${username}`);
      const body = { principalKind: 'user', principalId: user.id, right, scopeKind: 'channel', scopeId: channelId, effect: 'allow' } as const;
      await b.access.createGrant(body, { kind: 'system', reason: 'test setup' });
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
      await srv.close({ keepData: true });
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
  const r = await h.api<{ cameraIds: number[] }>('POST', '/api/v1/onvif/devices', {
    host: '127.0.0.1',
    port: sim.port,
    username: 'onvif',
    password: 'cam-secret-42',
    name,
    enabled: false,
  });
  if (r.status !== 201) throw new Error(`add failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.cameraIds;
}
