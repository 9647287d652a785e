// Typed client for the HTTP API (/api/v1, contracts in common/api.ts): bearer token, JSON, errors as ApiError.
import {
  API_PREFIX,
  type AuditEntry,
  type AuditQuery,
  type Camera,
  type CameraCreate,
  type CameraUpdate,
  type HealthInfo,
  type LiveTicket,
  type LiveTicketRequest,
  type LoginRequest,
  type LoginResponse,
  type Segment,
  type SegmentQuery,
  type Unit,
  type UnitCreate,
  type UnitKey,
  type UnitUpdate,
  type UserCreate,
  type UserInfo,
  type UserUpdate,
  type WallLayout,
  type WallLayoutBody,
} from '../common/api';
import type { PasswordChange, PasswordReset } from '../common/accounts';
import { ErrorKind, type ErrorBody } from '../common/errors';
import type { MessageParam } from '../common/messages';
import type { FieldError } from '../common/schema';
import { langStore } from './i18n/index';
import { serverMessage } from './i18n/server-messages';
import { currentToken, endSession } from './session';

/** Error kinds the console can show: the server's, plus 'network' when no answer came. */
export type ClientErrorKind = ErrorKind | 'network';

export class ApiError extends Error {
  constructor(
    readonly kind: ClientErrorKind,
    message: string,
    /** HTTP status, 0 when the server could not be reached. */
    readonly status: number,
    readonly fields: FieldError[] = [],
    /** The server's registered code of the problem (common/messages.ts, e.g. 'camera.not_found'); undefined without an answer. */
    readonly code?: string,
    /** The code's params (e.g. { id: 3 }). */
    readonly params?: Record<string, MessageParam>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The problem of one field (by dotted path) in the console's current language, if any. */
  fieldMessage(path: string): string | undefined {
    const f = this.fields.find((x) => x.path === path);
    return f ? serverMessage(langStore.get(), f.code, f.params, f.message) : undefined;
  }

  /** The problem in the console's current language (the server's English message only for a code the console does not know). */
  text(): string {
    return serverMessage(langStore.get(), this.code, this.params, this.message);
  }
}

const KINDS = new Set<string>(Object.values(ErrorKind));

function kindForStatus(status: number): ErrorKind {
  if (status === 401) return ErrorKind.Unauthorized;
  if (status === 403) return ErrorKind.Forbidden;
  if (status === 404) return ErrorKind.NotFound;
  if (status === 409) return ErrorKind.Conflict;
  if (status === 413) return ErrorKind.PayloadTooLarge;
  if (status === 503) return ErrorKind.Unavailable;
  if (status >= 500) return ErrorKind.Internal;
  return ErrorKind.BadRequest;
}

async function errorFrom(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  return apiErrorOf(res.status, body);
}

/** The ApiError of an error answer (status and parsed JSON body, if any), with the server's code and params. */
export function apiErrorOf(status: number, parsed: unknown): ApiError {
  const res = { status };
  const e = (parsed as Partial<ErrorBody> | null | undefined)?.error;
  const kind = e && KINDS.has(e.kind) ? e.kind : kindForStatus(res.status);
  const fields = Array.isArray(e?.fields) ? e.fields.filter((f) => f && typeof f.path === 'string' && typeof f.message === 'string') : [];
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const params = e?.params && typeof e.params === 'object' && !Array.isArray(e.params) ? e.params : undefined;
  return new ApiError(kind, typeof e?.message === 'string' ? e.message : `HTTP ${res.status}`, res.status, fields, code, params);
}

/** Any error in the console's current language: an ApiError worded from its code, else the error's own text. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.text();
  return err instanceof Error ? err.message : String(err);
}

/** Query string values; undefined, null and '' are left out. */
export type ApiQuery = Record<string, string | number | boolean | undefined | null>;

export interface ApiClientOptions {
  /** Origin of the server; '' = the page's own. */
  baseUrl?: string;
  getToken?: () => string | null;
  /** Called when an authenticated call answers 401 (session expired, logged out elsewhere, user disabled). */
  onUnauthorized?: () => void;
  fetchImpl?: typeof fetch;
}

export class ApiClient {
  private readonly baseUrl: string;
  private readonly getToken: () => string | null;
  private readonly onUnauthorized: () => void;
  private readonly fetchImpl: typeof fetch;

  constructor(opts: ApiClientOptions = {}) {
    this.baseUrl = opts.baseUrl ?? '';
    this.getToken = opts.getToken ?? currentToken;
    this.onUnauthorized = opts.onUnauthorized ?? (() => endSession('sessionEnded'));
    this.fetchImpl = opts.fetchImpl ?? ((input, init) => fetch(input, init));
  }

  /** One call of the JSON API under API_PREFIX (also what the features' clients use); `raw` answers the body as a Blob. */
  async request<T>(method: string, path: string, opts: { body?: unknown; query?: ApiQuery; auth?: boolean; raw?: boolean } = {}): Promise<T> {
    const auth = opts.auth ?? true;
    let url = `${this.baseUrl}${API_PREFIX}${path}`;
    if (opts.query) {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(opts.query)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
      const text = qs.toString();
      if (text) url += `?${text}`;
    }
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    const token = auth ? this.getToken() : null;
    if (token) headers.Authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await this.fetchImpl(url, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), cache: 'no-store' });
    } catch (err) {
      throw new ApiError('network', (err as Error).message || 'network error', 0);
    }
    if (!res.ok) {
      const err = await errorFrom(res);
      // Only when the token that was refused is still the one in use: a late answer must not end a newer session.
      if (res.status === 401 && token && token === this.getToken()) this.onUnauthorized();
      throw err;
    }
    if (opts.raw) return (await res.blob()) as T;
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  // ---- auth ----
  login(body: LoginRequest): Promise<LoginResponse> {
    return this.request('POST', '/auth/login', { body, auth: false });
  }
  logout(): Promise<void> {
    return this.request('POST', '/auth/logout');
  }
  me(): Promise<UserInfo> {
    return this.request('GET', '/auth/me');
  }
  /** Changes the signed-in user's password; the user's other sessions end. */
  changePassword(body: PasswordChange): Promise<UserInfo> {
    return this.request('POST', '/auth/password', { body });
  }
  /** An administrator sets a temporary password; the user must change it at the next sign-in. */
  resetPassword(userId: number, body: PasswordReset): Promise<UserInfo> {
    return this.request('POST', `/users/${userId}/password`, { body });
  }

  // ---- cameras ----
  listCameras(): Promise<Camera[]> {
    return this.request('GET', '/cameras');
  }
  getCamera(id: number): Promise<Camera> {
    return this.request('GET', `/cameras/${id}`);
  }
  createCamera(body: CameraCreate): Promise<Camera> {
    return this.request('POST', '/cameras', { body });
  }
  updateCamera(id: number, body: CameraUpdate): Promise<Camera> {
    return this.request('PATCH', `/cameras/${id}`, { body });
  }
  deleteCamera(id: number): Promise<void> {
    return this.request('DELETE', `/cameras/${id}`);
  }

  // ---- mobile units ----
  listUnits(): Promise<Unit[]> {
    return this.request('GET', '/units');
  }
  getUnit(id: number): Promise<Unit> {
    return this.request('GET', `/units/${id}`);
  }
  /** The answer carries the stream key: the only time it is shown. */
  createUnit(body: UnitCreate): Promise<UnitKey> {
    return this.request('POST', '/units', { body });
  }
  updateUnit(id: number, body: UnitUpdate): Promise<Unit> {
    return this.request('PATCH', `/units/${id}`, { body });
  }
  deleteUnit(id: number): Promise<void> {
    return this.request('DELETE', `/units/${id}`);
  }
  /** A new stream key (the old one stops working); shown only in this answer. */
  rotateUnitKey(id: number): Promise<UnitKey> {
    return this.request('POST', `/units/${id}/rotate-key`);
  }

  // ---- live video ----
  /** A signed, short-lived URL for one live stream connection. */
  liveTicket(body: LiveTicketRequest): Promise<LiveTicket> {
    return this.request('POST', '/live/tickets', { body });
  }

  // ---- wall layouts (the signed-in user's own) ----
  listLayouts(): Promise<WallLayout[]> {
    return this.request('GET', '/layouts');
  }
  /** Creates or replaces the layout with this name. */
  saveLayout(body: WallLayoutBody): Promise<WallLayout> {
    return this.request('PUT', `/layouts/${encodeURIComponent(body.name)}`, { body });
  }
  deleteLayout(id: number): Promise<void> {
    return this.request('DELETE', `/layouts/${id}`);
  }

  // ---- recordings ----
  listSegments(q: SegmentQuery): Promise<Segment[]> {
    return this.request('GET', '/segments', { query: { ...q } });
  }

  // ---- users ----
  listUsers(): Promise<UserInfo[]> {
    return this.request('GET', '/users');
  }
  createUser(body: UserCreate): Promise<UserInfo> {
    return this.request('POST', '/users', { body });
  }
  updateUser(id: number, body: UserUpdate): Promise<UserInfo> {
    return this.request('PATCH', `/users/${id}`, { body });
  }

  // ---- system ----
  audit(q: AuditQuery = {}): Promise<AuditEntry[]> {
    return this.request('GET', '/audit', { query: { ...q } });
  }
  health(): Promise<HealthInfo> {
    return this.request('GET', '/health');
  }
}

/** The console's one client. */
export const api = new ApiClient();
