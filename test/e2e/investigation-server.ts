// Investigation e2e tests' view of the test harness (test/harness): the in-process back end with logins and JSON calls.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Role } from '../../common/api';
import type { Config } from '../../main/config';
import type { Backend } from '../../main/server/backend';
import { startServer, waitFor } from '../harness';

export const ADMIN_PASSWORD = 'investigation-chief-pw';

export interface InvServer {
  backend: Backend;
  dataDir: string;
  logs: string[];
  token(username?: string, password?: string): Promise<string>;
  api<T = any>(method: string, p: string, token: string, body?: unknown): Promise<{ status: number; body: T }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Creates a user (as admin, through the API) and returns its token. */
  user(username: string, role: string): Promise<string>;
}

export function tempDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `argus-${tag}-`));
}

export async function startInvServer(dataDir: string, overrides: Record<string, unknown> = {}, consoleDir?: string): Promise<InvServer> {
  // The caller owns dataDir (tmp = its parent is never removed by the harness).
  const srv = await startServer({
    tmp: path.dirname(dataDir),
    dataDir,
    adminPassword: ADMIN_PASSWORD,
    console: consoleDir,
    overrides: { retentionIntervalMs: 3_600_000, ...(overrides as Partial<Config>) },
    signIn: false,
  });
  const api = async (method: string, p: string, token: string, body?: unknown) => {
    const r = await srv.client.call(method, p, body, { token });
    return { status: r.status, body: r.body === undefined ? null : r.body } as { status: number; body: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  return {
    backend: srv.backend,
    dataDir,
    logs: srv.logs,
    token: (username, password) => srv.login(username, password),
    api,
    async user(username, role) {
      await srv.client.as(await srv.login()).createUser(username, 'password-123', role as Role);
      return srv.login(username, 'password-123');
    },
  };
}

/** Polls until fn returns a truthy value (the harness's waitFor, every 100 ms). */
export function until<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 60_000, what = 'condition'): Promise<T> {
  return waitFor(fn, { timeoutMs, what }) as Promise<T>;
}
