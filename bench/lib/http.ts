// Benchmark helper: a minimal JSON client for the Argus HTTP API (login, then bearer-token calls).
import type { LoginResponse } from '../../common/api';

export interface ApiClient {
  /** Calls the API; throws unless the status is in `expect` (default 2xx). */
  call<T = unknown>(method: string, urlPath: string, body?: unknown, expect?: number[]): Promise<T>;
}

async function request(base: string, method: string, urlPath: string, token: string | null, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(base + urlPath, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, text: await res.text() };
}

/** Logs in and returns a client that sends the session's bearer token. */
export async function login(base: string, username: string, password: string): Promise<ApiClient> {
  const r = await request(base, 'POST', '/api/v1/auth/login', null, { username, password });
  if (r.status !== 200) throw new Error(`login as ${username} failed: HTTP ${r.status} ${r.text}`);
  const token = (JSON.parse(r.text) as LoginResponse).token;
  return {
    async call<T>(method: string, urlPath: string, body?: unknown, expect?: number[]): Promise<T> {
      const res = await request(base, method, urlPath, token, body);
      const ok = expect ? expect.includes(res.status) : res.status >= 200 && res.status < 300;
      if (!ok) throw new Error(`${method} ${urlPath}: HTTP ${res.status} ${res.text.slice(0, 500)}`);
      return (res.text ? JSON.parse(res.text) : undefined) as T;
    },
  };
}
