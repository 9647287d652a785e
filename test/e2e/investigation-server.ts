// Test support for the investigation e2e tests: the real back end in a temp dir, logins and JSON calls.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoginResponse } from '../../common/api';
import { loadConfig } from '../../main/config';
import { startBackend, type Backend } from '../../main/server/backend';

export const ADMIN_PASSWORD = 'investigation-chief-pw';

export interface InvServer {
  backend: Backend;
  dataDir: string;
  logs: string[];
  token(username?: string, password?: string): Promise<string>;
  api<T = any>(method: string, p: string, token: string, body?: unknown): Promise<{ status: number; body: T }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Creates a user (as admin) and returns its token. */
  user(username: string, role: string): Promise<string>;
}

export function tempDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `argus-${tag}-`));
}

export async function startInvServer(dataDir: string, overrides: Record<string, unknown> = {}, consoleDir?: string): Promise<InvServer> {
  const config = loadConfig({ dataDir, env: {}, overrides: { port: 0, rtmpPort: 0, retentionIntervalMs: 3_600_000, ...(consoleDir ? { consoleDir } : {}), ...overrides } });
  const logs: string[] = [];
  const backend = await startBackend(config, { env: { ARGUS_ADMIN_PASSWORD: ADMIN_PASSWORD }, log: (m) => logs.push(m) });
  const api = async (method: string, p: string, token: string, body?: unknown) => {
    const res = await fetch(`${backend.url}${p}`, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const token = async (username = 'admin', password = ADMIN_PASSWORD) => {
    const r = await api('POST', '/api/v1/auth/login', '', { username, password });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
    return (r.body as LoginResponse).token;
  };
  return {
    backend,
    dataDir,
    logs,
    token,
    api,
    async user(username, role) {
      const admin = await token();
      const r = await api('POST', '/api/v1/users', admin, { username, password: 'password-123', role });
      if (r.status !== 201) throw new Error(`create user: ${r.status} ${JSON.stringify(r.body)}`);
      return token(username, 'password-123');
    },
  };
}

/** Polls until fn returns a truthy value. */
export async function until<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 60_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
