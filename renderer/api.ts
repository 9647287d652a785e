// The console's client of the HTTP API, derived from the declarations (common/endpoints/): call(endpoint, {params, query, body}); bearer token, JSON, errors as ApiError.
import type {
  AuditQuery,
  CameraCreate,
  CameraUpdate,
  LiveTicketRequest,
  LoginRequest,
  SegmentQuery,
  UnitCreate,
  UnitUpdate,
  UserCreate,
  UserUpdate,
  WallLayoutBody,
} from '../common/api';
import type { PasswordChange, PasswordReset } from '../common/accounts';
import { queryString, requestOf, type AnyEndpoint, type BodyOf, type ParamsOf, type QueryOf, type QueryValues, type ResponseTypeOf } from '../common/endpoint';
import * as E from '../common/endpoints';
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
export type ApiQuery = QueryValues;

/** What a call of endpoint E needs: its path params, query and body where it has them (typed by its declaration). */
export type CallArgs<E> = ([ParamsOf<E>] extends [undefined] ? { params?: undefined } : { params: ParamsOf<E> }) &
  ([QueryOf<E>] extends [undefined] ? { query?: undefined } : {} extends QueryOf<E> ? { query?: QueryOf<E> } : { query: QueryOf<E> }) &
  ([BodyOf<E>] extends [undefined] ? { body?: undefined } : { body: BodyOf<E> }) & {
    /** Send the session's token (default true). */
    auth?: boolean;
  };

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

  /** One call of a declared endpoint: method and path from the declaration, the answer typed by its response schema. */
  call<E extends AnyEndpoint>(e: E, ...[args]: {} extends CallArgs<E> ? [CallArgs<E>?] : [CallArgs<E>]): Promise<ResponseTypeOf<E>> {
    const a = (args ?? {}) as { params?: unknown; query?: unknown; body?: unknown; auth?: boolean };
    const { method, url } = requestOf(e, a);
    return this.send<ResponseTypeOf<E>>(method, url, { body: a.body, auth: a.auth });
  }

  /** A GET of a raw JSON endpoint (a RawMount's path from common/endpoints/raw.ts), with a query. */
  getJson<T>(path: string, query?: ApiQuery): Promise<T> {
    return this.send<T>('GET', path + queryString(query));
  }

  /** Sends one request to `url` (a path relative to the server); `raw` answers the body as a Blob. */
  private async send<T>(method: string, url: string, opts: { body?: unknown; auth?: boolean; raw?: boolean } = {}): Promise<T> {
    const auth = opts.auth ?? true;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    const token = auth ? this.getToken() : null;
    if (token) headers.Authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await this.fetchImpl(this.baseUrl + url, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        cache: 'no-store',
      });
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
  login(body: LoginRequest) {
    return this.call(E.postAuthLogin, { body, auth: false });
  }
  logout() {
    return this.call(E.postAuthLogout);
  }
  me() {
    return this.call(E.getAuthMe);
  }
  /** Changes the signed-in user's password; the user's other sessions end. */
  changePassword(body: PasswordChange) {
    return this.call(E.postAuthPassword, { body });
  }
  /** An administrator sets a temporary password; the user must change it at the next sign-in. */
  resetPassword(userId: number, body: PasswordReset) {
    return this.call(E.postUsersByidPassword, { params: { id: userId }, body });
  }

  // ---- cameras ----
  listCameras() {
    return this.call(E.getCameras);
  }
  getCamera(id: number) {
    return this.call(E.getCamerasByid, { params: { id } });
  }
  createCamera(body: CameraCreate) {
    return this.call(E.postCameras, { body });
  }
  updateCamera(id: number, body: CameraUpdate) {
    return this.call(E.patchCamerasByid, { params: { id }, body });
  }
  deleteCamera(id: number) {
    return this.call(E.deleteCamerasByid, { params: { id } });
  }

  // ---- mobile units ----
  listUnits() {
    return this.call(E.getUnits);
  }
  getUnit(id: number) {
    return this.call(E.getUnitsByid, { params: { id } });
  }
  /** The answer carries the stream key: the only time it is shown. */
  createUnit(body: UnitCreate) {
    return this.call(E.postUnits, { body });
  }
  updateUnit(id: number, body: UnitUpdate) {
    return this.call(E.patchUnitsByid, { params: { id }, body });
  }
  deleteUnit(id: number) {
    return this.call(E.deleteUnitsByid, { params: { id } });
  }
  /** A new stream key (the old one stops working); shown only in this answer. */
  rotateUnitKey(id: number) {
    return this.call(E.postUnitsByidRotateKey, { params: { id } });
  }

  // ---- live video ----
  /** A signed, short-lived URL for one live stream connection. */
  liveTicket(body: LiveTicketRequest) {
    return this.call(E.postLiveTickets, { body });
  }

  // ---- wall layouts (the signed-in user's own) ----
  listLayouts() {
    return this.call(E.getLayouts);
  }
  /** Creates or replaces the layout with this name. */
  saveLayout(body: WallLayoutBody) {
    return this.call(E.putLayoutsByname, { params: { name: body.name }, body });
  }
  deleteLayout(id: number) {
    return this.call(E.deleteLayoutsByid, { params: { id } });
  }

  // ---- recordings ----
  listSegments(q: SegmentQuery) {
    return this.call(E.getSegments, { query: q });
  }

  // ---- users ----
  listUsers() {
    return this.call(E.getUsers);
  }
  createUser(body: UserCreate) {
    return this.call(E.postUsers, { body });
  }
  updateUser(id: number, body: UserUpdate) {
    return this.call(E.patchUsersByid, { params: { id }, body });
  }

  // ---- system ----
  audit(q: AuditQuery = {}) {
    return this.call(E.getAudit, { query: q });
  }
  auditChain() {
    return this.call(E.getAuditChain);
  }
  auditCheckpoints(q: { startMs?: number; endMs?: number } = {}) {
    return this.call(E.getAuditCheckpoints, { query: q });
  }
  siteKey() {
    return this.call(E.getSitePublicKey);
  }
  health() {
    return this.call(E.getHealth);
  }
}

/** The console's one client. */
export const api = new ApiClient();
