// Test support for the server tests: a real SQLite store in a temp dir, a recording fake, and HTTP helpers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CameraStatus, LoginResponse, Role, UnitStatus } from '../../common/api';
import { openSqliteStore } from '../../storage/sqlite/index';
import { secretsFor } from '../platform/secret-box';
import type { CameraRow, Store, UnitRow, UserRow } from '../../storage/repositories';
import { loadConfig, type Config } from '../config';
import type { RecordingControl } from '../services/recording-control';
import type { UnitControl } from '../services/unit-control';
import { createApp, type App } from './app';
import { hashPassword } from './auth';
import { ROOT_NODE_ID } from '../../common/devices';
import type { Right } from '../../common/rights';

/** Records what the API asked of the recording service (the media side is tested on its own). */
export class FakeRecording implements RecordingControl {
  readonly calls: Array<{ op: 'apply'; camera: CameraRow } | { op: 'remove'; cameraId: number }> = [];
  status(cameraId: number): CameraStatus {
    return { cameraId, state: 'stopped', lastError: null, reason: null, bitrateBps: null, sinceMs: 0, failures: 0, nextRetryMs: null };
  }
  async apply(camera: CameraRow): Promise<void> {
    this.calls.push({ op: 'apply', camera });
  }
  async remove(cameraId: number): Promise<void> {
    this.calls.push({ op: 'remove', cameraId });
  }
}

/** Records what the API asked of the unit service (publishing is tested against the real hub elsewhere). */
export class FakeUnits implements UnitControl {
  readonly calls: Array<{ op: 'changed'; unit: UnitRow; keyRotated: boolean } | { op: 'removed'; unitId: number }> = [];
  status(unitId: number): UnitStatus {
    return {
      unitId,
      online: false,
      sinceMs: 0,
      video: { online: false, sinceMs: 0 },
      telemetry: { online: false, sinceMs: 0, lastSeenMs: null },
      remoteAddress: null,
      bitrateBps: null,
      recording: 'stopped',
      lastError: null,
      reason: null,
    };
  }
  async changed(unit: UnitRow, opts: { keyRotated?: boolean } = {}): Promise<void> {
    this.calls.push({ op: 'changed', unit, keyRotated: !!opts.keyRotated });
  }
  async removed(unitId: number): Promise<void> {
    this.calls.push({ op: 'removed', unitId });
  }
  publishUrl(unitId: number, streamKey: string): string {
    return `rtmp://127.0.0.1:1935/live/${unitId}?key=${streamKey}`;
  }
}

export interface TestServer {
  app: App;
  store: Store;
  config: Config;
  recording: FakeRecording;
  units: FakeUnits;
  base: string;
  port: number;
  dir: string;
  logs: string[];
  clock: { ms: number };
  /** Creates a user directly in the store. */
  addUser(username: string, password: string, role: Role, disabled?: boolean): Promise<UserRow>;
  login(username: string, password: string): Promise<LoginResponse>;
  /** Grants (or denies) a user a right on a node (the root by default) or one channel, through the access service. */
  grant(userId: number, right: Right, scope?: { node: number } | { channel: number }, effect?: 'allow' | 'deny'): Promise<void>;
  /** fetch against the server with an optional bearer token and JSON body. */
  call(method: string, urlPath: string, opts?: { token?: string; body?: unknown; rawBody?: string; contentType?: string }): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestServer(opts: { consoleDir?: string; clock?: boolean } = {}): Promise<TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-server-'));
  const config = loadConfig({
    dataDir: dir,
    env: {},
    overrides: { port: 0, bind: '127.0.0.1', consoleDir: opts.consoleDir ?? path.join(dir, 'no-console') },
  });
  const store = await openSqliteStore(config.dbFile, { secrets: secretsFor(config) });
  const recording = new FakeRecording();
  const units = new FakeUnits();
  const logs: string[] = [];
  const clock = { ms: Date.now() };
  const app = createApp({ config, store, recording, units, log: (m) => logs.push(m), now: opts.clock ? () => clock.ms : undefined });
  const port = await app.listen();
  const base = `http://127.0.0.1:${port}`;
  const call: TestServer['call'] = (method, urlPath, o = {}) => {
    const headers: Record<string, string> = {};
    if (o.token) headers.Authorization = `Bearer ${o.token}`;
    let body: string | undefined;
    if (o.rawBody !== undefined) body = o.rawBody;
    else if (o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined) headers['Content-Type'] = o.contentType ?? 'application/json';
    return fetch(base + urlPath, { method, headers, body });
  };
  return {
    app,
    store,
    config,
    recording,
    units,
    base,
    port,
    dir,
    logs,
    clock,
    addUser: async (username, password, role, disabled = false) =>
      store.users.create({ username, passwordHash: await hashPassword(password), role, displayName: username, disabled, createdMs: Date.now() }),
    login: async (username, password) => {
      const r = await call('POST', '/api/v1/auth/login', { body: { username, password } });
      if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
      return (await r.json()) as LoginResponse;
    },
    grant: async (userId, right, scope = { node: ROOT_NODE_ID }, effect = 'allow') => {
      const [scopeKind, scopeId] = 'node' in scope ? (['node', scope.node] as const) : (['channel', scope.channel] as const);
      await app.access.createGrant({ principalKind: 'user', principalId: userId, right, scopeKind, scopeId, effect }, { kind: 'system', reason: 'test setup' });
    },
    call,
    close: async () => {
      await app.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
