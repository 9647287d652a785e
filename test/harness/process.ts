// The real Argus server as a child process (`node --import tsx main/server/cli.ts`) for end-to-end tests; log lines are kept.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { LoginResponse } from '../../common/api';
import { freePort } from '../helpers/net';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface ServerProcess {
  proc: ChildProcess;
  port: number;
  base: string;
  logs: string[];
  /** Waits for a log line matching `re`. */
  waitLog(re: RegExp, timeoutMs?: number): Promise<string>;
  login(username?: string, password?: string): Promise<string>;
  api<T = unknown>(method: string, urlPath: string, token: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** SIGTERM and wait for exit (SIGKILL after `graceMs`). Returns the exit code. */
  stop(graceMs?: number): Promise<number | null>;
  kill9(): Promise<void>;
}

export const ADMIN_PASSWORD = 'test-chief-password';

export async function startServerProcess(dataDir: string, opts: { port?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  // `node --import tsx` runs the server in this one process (the tsx CLI would add a parent process).
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'main/server/cli.ts'), '--data-dir', dataDir, '--port', String(port)], {
    cwd: ROOT,
    // RTMP on a free port, so parallel test servers never compete for 1935.
    env: { ...process.env, ARGUS_ADMIN_PASSWORD: ADMIN_PASSWORD, ARGUS_RTMP_PORT: '0', ARGUS_SIP_PORT: '0', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const waiters: Array<{ re: RegExp; resolve: (l: string) => void }> = [];
  let exited = false;
  const onLine = (line: string) => {
    logs.push(line);
    for (const w of [...waiters]) {
      if (w.re.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  for (const stream of [proc.stdout!, proc.stderr!]) {
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (c: string) => {
      buf += c;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        onLine(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    });
  }
  const exitP = new Promise<number | null>((resolve) =>
    proc.on('exit', (code) => {
      exited = true;
      resolve(code);
    }),
  );
  const base = `http://127.0.0.1:${port}`;
  const waitLog = (re: RegExp, timeoutMs = 30_000) => {
    const hit = logs.find((l) => re.test(l));
    if (hit) return Promise.resolve(hit);
    return new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no log line ${re} within ${timeoutMs} ms; last lines:\n${logs.slice(-15).join('\n')}`)), timeoutMs);
      waiters.push({ re, resolve: (l) => (clearTimeout(t), resolve(l)) });
    });
  };
  const api: ServerProcess['api'] = async (method, urlPath, token, body) => {
    const res = await fetch(base + urlPath, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const handle: ServerProcess = {
    proc,
    port,
    base,
    logs,
    waitLog,
    api,
    async login(username = 'admin', password = ADMIN_PASSWORD) {
      const res = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as LoginResponse).token;
    },
    async stop(graceMs = 15_000) {
      if (exited) return proc.exitCode;
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      const code = await exitP;
      clearTimeout(t);
      return code;
    },
    async kill9() {
      if (exited) return;
      proc.kill('SIGKILL');
      await exitP;
    },
  };
  try {
    await waitLog(/listening on http/, 60_000);
  } catch (e) {
    proc.kill('SIGKILL');
    throw e;
  }
  return handle;
}
