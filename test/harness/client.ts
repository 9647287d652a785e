// Typed HTTP client of the tests for /api/v1 (bodies typed by common/ contracts): answers carry the status, never throw on 4xx/5xx.
import type { Camera, CameraCreate, CameraUpdate, LoginResponse, Role, Segment, SegmentQuery, Unit, UnitCreate, UnitKey, UserInfo } from '../../common/api';

export interface ApiAnswer<T> {
  status: number;
  /** Parsed JSON; the raw text when the answer is not JSON (CSV); undefined when empty. */
  body: T;
  headers: Headers;
}

export interface CallOptions {
  /** Bearer token for this call (default: the client's). '' sends none. */
  token?: string;
  headers?: Record<string, string>;
  /** Sent as is instead of JSON.stringify(body). */
  rawBody?: string;
  contentType?: string;
}

/** Thrown by the typed shortcuts when the server does not answer with the expected status. */
export class UnexpectedStatus extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${method} ${path}: ${status} ${typeof body === 'string' ? body : JSON.stringify(body)}`);
    this.name = 'UnexpectedStatus';
  }
}

export class ApiClient {
  constructor(
    readonly base: string,
    readonly token = '',
    /** The fetch to use (an HTTPS server's: agent/tls-trust.ts trustedFetch with its CA). */
    readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** The same server as another user. */
  as(token: string): ApiClient {
    return new ApiClient(this.base, token, this.fetchImpl);
  }

  async call<T = unknown>(method: string, path: string, body?: unknown, opts: CallOptions = {}): Promise<ApiAnswer<T>> {
    const token = opts.token ?? this.token;
    const headers: Record<string, string> = { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...opts.headers };
    const payload = opts.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined) headers['Content-Type'] = opts.contentType ?? 'application/json';
    const res = await this.fetchImpl(this.base + path, { method, headers, body: payload });
    const text = await res.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text; // CSV and other text
      }
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  /** Body of a call that must answer `expect` (default 200; 201 for POST). */
  async ok<T>(method: string, path: string, body?: unknown, expect?: number): Promise<T> {
    const want = expect ?? (method === 'POST' ? 201 : 200);
    const r = await this.call<T>(method, path, body);
    if (r.status !== want) throw new UnexpectedStatus(method, path, r.status, r.body);
    return r.body;
  }

  /** Signs in; returns the token. */
  async login(username: string, password: string): Promise<string> {
    const r = await this.call<LoginResponse>('POST', '/api/v1/auth/login', { username, password }, { token: '' });
    if (r.status !== 200) throw new UnexpectedStatus('POST', '/api/v1/auth/login', r.status, r.body);
    return r.body.token;
  }

  createCamera(body: Partial<CameraCreate>): Promise<Camera> {
    return this.ok<Camera>('POST', '/api/v1/cameras', body);
  }
  updateCamera(id: number, body: CameraUpdate): Promise<Camera> {
    return this.ok<Camera>('PATCH', `/api/v1/cameras/${id}`, body);
  }
  cameras(): Promise<Camera[]> {
    return this.ok<Camera[]>('GET', '/api/v1/cameras');
  }
  segments(q: SegmentQuery): Promise<Segment[]> {
    const qs = new URLSearchParams(
      Object.entries(q)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, String(v)]),
    );
    return this.ok<Segment[]>('GET', `/api/v1/segments?${qs}`);
  }
  createUnit(body: Partial<UnitCreate>): Promise<UnitKey> {
    return this.ok<UnitKey>('POST', '/api/v1/units', body);
  }
  units(): Promise<Unit[]> {
    return this.ok<Unit[]>('GET', '/api/v1/units');
  }
  createUser(username: string, password: string, role: Role | string): Promise<UserInfo> {
    return this.ok<UserInfo>('POST', '/api/v1/users', { username, password, role });
  }
}
