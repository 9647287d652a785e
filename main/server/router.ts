// Tiny HTTP router: method + path pattern with :params, declared auth, schema-validated params/query/JSON body.
import type http from 'node:http';
import { ErrorKind } from '../../common/errors';
import { msg } from '../../common/messages';
import { can, type Right } from '../../common/rights';
import { parse, type JsonSchema, type Schema } from '../../common/schema';
import type { AnyEndpoint, AuthRequirement, Endpoint, EndpointFields, ResponseSchema } from '../../common/endpoint';
import type { UserRow } from '../../storage/repositories';
import { userActor, type UserActor } from '../platform/actor';
import { ApiError, toErrorResponse } from './errors';

export type { AuthRequirement, HttpMethod, ResponseDoc } from '../../common/endpoint';

/** The HTTP session behind a request: the logged-in user and the session's token hash (services get a UserActor: actorOf). */
export interface Principal {
  user: UserRow;
  /** SHA-256 hex of the session token. */
  tokenHash: string;
}

export interface RequestContext<B, Q, P> {
  req: http.IncomingMessage;
  /** Remote address of the client. */
  ip: string;
  /** Set on every non-public route; on public routes only when a valid token was sent. */
  principal: Principal | null;
  body: B;
  query: Q;
  params: P;
}

/** A served route: a declaration (common/endpoints/) and its handler. */
export interface RouteDef<B, Q, P> extends EndpointFields<P, Q, B, ResponseSchema | undefined> {
  handler(ctx: RequestContext<B, Q, P>): Promise<unknown> | unknown;
  /** The declaration the handler is bound to (bind); undefined for a route made with route() (tests only: apiRoutes refuses it). */
  endpoint?: AnyEndpoint;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Route = RouteDef<any, any, any>;

/** The handler of a declared endpoint: its params, query, body and response types come from the declaration. */
export type Handler<E> = E extends Endpoint<infer P, infer Q, infer B, infer R> ? (ctx: RequestContext<B, Q, P>) => Promise<R> | R : never;

/** Binds a handler to a declared endpoint (common/endpoints/). */
export function bind<P, Q, B, R>(e: Endpoint<P, Q, B, R>, handler: (ctx: RequestContext<B, Q, P>) => Promise<R> | R): Route {
  return { ...e, endpoint: e, handler } as Route;
}

/**
 * A route without a declaration in common/ (for the router's own tests): the API's route table refuses it at start
 * (checkBindings). Endpoints are declared in common/endpoints/ and bound with bind().
 */
export function route<B = undefined, Q = undefined, P = undefined>(def: RouteDef<B, Q, P>): Route {
  return def as Route;
}

/**
 * Checks that the route table and the declarations match one to one: every route bound to a declaration of the catalog
 * (under the declaration's own method and path), every declaration bound exactly once. Throws naming each mismatch.
 */
export function checkBindings(routes: readonly Route[], declarations: readonly AnyEndpoint[]): void {
  const problems: string[] = [];
  const declared = new Set(declarations);
  const bound = new Map<AnyEndpoint, number>();
  for (const r of routes) {
    // A copy of a bound route under another path (an alias) is undeclared too: aliases are declarations of their own.
    if (!r.endpoint || r.method !== r.endpoint.method || r.path !== r.endpoint.path) {
      problems.push(`route ${r.method} ${r.path} has no declaration in common/endpoints`);
      continue;
    }
    if (!declared.has(r.endpoint)) problems.push(`route ${r.method} ${r.path} is bound to a declaration outside the catalog`);
    bound.set(r.endpoint, (bound.get(r.endpoint) ?? 0) + 1);
  }
  for (const e of declarations) {
    const n = bound.get(e) ?? 0;
    if (n === 0) problems.push(`declaration ${e.method} ${e.path} has no handler`);
    if (n > 1) problems.push(`declaration ${e.method} ${e.path} is bound ${n} times`);
  }
  if (problems.length) throw new Error(`API routes and declarations differ:\n  ${problems.join('\n  ')}`);
}

/** The headers of a deprecated endpoint's answers: Deprecation, and Link to the successor with the request's path parameters filled in. */
export function deprecationHeaders(r: Pick<Route, 'deprecated'>, params: ReadonlyArray<[string, string]>): Record<string, string> {
  if (!r.deprecated) return {};
  const values = new Map(params);
  const successor = r.deprecated.successor.replace(/:([A-Za-z0-9_]+)/g, (whole, name: string) => {
    const v = values.get(name);
    return v === undefined ? whole : encodeURIComponent(v);
  });
  return { Deprecation: 'true', Link: `<${successor}>; rel="successor-version"` };
}

/** The user of a non-public route (the router guarantees it is set). */
export function principalOf(ctx: { principal: Principal | null }): Principal {
  if (!ctx.principal) throw new ApiError(ErrorKind.Unauthorized, msg('auth.login_first'));
  return ctx.principal;
}

/** The domain actor of a non-public route: its user, with the client address for the audit log. */
export function actorOf(ctx: { principal: Principal | null; ip: string }): UserActor {
  return userActor(principalOf(ctx).user, ctx.ip);
}

export const MAX_BODY_BYTES = 1024 * 1024;

export interface RouterOptions {
  /** Resolves a bearer token to its user, or null when it is unknown, expired or the user is disabled. */
  authenticate(token: string): Promise<Principal | null>;
  log: (msg: string) => void;
  maxBodyBytes?: number;
  /**
   * Whether the user may reach a route guarded by a right: a scoped right held on at least one node or channel (the
   * handler then checks the object), a global one globally. Absent: the role table (tests of the router alone).
   */
  holds?: (user: UserRow, right: Right) => boolean;
}

interface Compiled {
  route: Route;
  segments: string[];
}

export function bearerToken(req: http.IncomingMessage): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : null;
}

export function clientIp(req: http.IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader('Cache-Control', 'no-store');
  if (status === 204 || body === undefined) {
    res.statusCode = status;
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** Converts query/param strings to the types the schema expects, so "12" validates as an integer. */
export function coerceStrings(schema: Schema<unknown>, entries: Iterable<[string, string]>): Record<string, unknown> {
  const props = (schema.json.properties ?? {}) as Record<string, JsonSchema>;
  const out: Record<string, unknown> = {};
  const seen = new Map<string, string[]>();
  for (const [k, v] of entries) seen.set(k, [...(seen.get(k) ?? []), v]);
  for (const [k, values] of seen) {
    if (values.length > 1) {
      out[k] = values; // validation reports it
      continue;
    }
    const v = values[0];
    const type = props[k]?.type;
    if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(v)) out[k] = Number(v);
    else if (type === 'boolean' && (v === 'true' || v === 'false')) out[k] = v === 'true';
    else out[k] = v;
  }
  return out;
}

function validate<T>(schema: Schema<T>, input: unknown, what: string): T {
  const r = parse(schema, input);
  if (r.ok) return r.value;
  const summary = r.errors.map((e) => (e.path ? `${e.path} ${e.message}` : e.message)).join('; ');
  throw ApiError.validation(r.errors, `invalid ${what}: ${summary}`);
}

/** Reads a JSON body of at most maxBytes; 413 above it, 400 for a wrong content type or malformed JSON. */
export function readJsonBody(req: http.IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    req.resume();
    return Promise.reject(new ApiError(ErrorKind.BadRequest, msg('request.not_json', { type: type ? `"${type}"` : 'none' })));
  }
  const tooLarge = () => new ApiError(ErrorKind.PayloadTooLarge, msg('request.too_large', { maxBytes }), { headers: { Connection: 'close' } });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: Error | null, value?: unknown) => {
      if (done) return;
      done = true;
      if (err) reject(err);
      else resolve(value);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        chunks.length = 0;
        finish(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (e) => finish(e));
    req.on('aborted', () => finish(new ApiError(ErrorKind.BadRequest, msg('request.aborted'))));
    req.on('end', () => {
      if (done) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return finish(new ApiError(ErrorKind.BadRequest, msg('request.empty_body')));
      try {
        finish(null, JSON.parse(text));
      } catch (e) {
        finish(new ApiError(ErrorKind.BadRequest, msg('request.malformed_json', { detail: (e as Error).message })));
      }
    });
  });
}

function splitPath(p: string): string[] {
  const trimmed = p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
  return trimmed.split('/').slice(1);
}

function allowed(auth: AuthRequirement, user: UserRow, holds?: RouterOptions['holds']): boolean {
  if (auth === 'public' || auth === 'any') return true;
  return holds ? holds(user, auth) : can(user, auth);
}

export class Router {
  private readonly compiled: Compiled[];
  private readonly maxBodyBytes: number;

  constructor(
    readonly routes: readonly Route[],
    private readonly opts: RouterOptions,
  ) {
    this.maxBodyBytes = opts.maxBodyBytes ?? MAX_BODY_BYTES;
    const seen = new Set<string>();
    this.compiled = routes.map((r) => {
      const key = `${r.method} ${r.path.replace(/:[^/]+/g, ':')}`;
      if (seen.has(key)) throw new Error(`duplicate route ${r.method} ${r.path}`);
      seen.add(key);
      return { route: r, segments: splitPath(r.path) };
    });
  }

  private match(pathname: string): { matches: Array<{ route: Route; params: Array<[string, string]> }> } {
    const parts = splitPath(pathname);
    const matches: Array<{ route: Route; params: Array<[string, string]> }> = [];
    for (const c of this.compiled) {
      if (c.segments.length !== parts.length) continue;
      const params: Array<[string, string]> = [];
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const seg = c.segments[i];
        if (seg.startsWith(':')) {
          let v: string;
          try {
            v = decodeURIComponent(parts[i]);
          } catch {
            ok = false;
            break;
          }
          if (!v) {
            ok = false;
            break;
          }
          params.push([seg.slice(1), v]);
        } else if (seg !== parts[i]) {
          ok = false;
          break;
        }
      }
      if (ok) matches.push({ route: c.route, params });
    }
    return { matches };
  }

  /** Handles one API request completely (always answers). */
  async handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    try {
      const { matches } = this.match(url.pathname);
      if (matches.length === 0) throw ApiError.notFound(msg('request.no_endpoint', { path: url.pathname }));
      const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
      const m = matches.find((x) => x.route.method === method);
      if (!m) {
        const allow = [...new Set(matches.map((x) => x.route.method))].join(', ');
        throw new ApiError(ErrorKind.MethodNotAllowed, msg('request.method_not_allowed', { method: req.method ?? '', path: url.pathname, allow }), {
          headers: { Allow: allow },
        });
      }
      const r = m.route;
      for (const [k, v] of Object.entries(deprecationHeaders(r, m.params))) res.setHeader(k, v);
      const token = bearerToken(req);
      let principal: Principal | null = null;
      if (r.auth === 'public') {
        if (token) principal = await this.opts.authenticate(token);
      } else {
        if (!token) throw new ApiError(ErrorKind.Unauthorized, msg('auth.missing_token'));
        principal = await this.opts.authenticate(token);
        if (!principal) throw new ApiError(ErrorKind.Unauthorized, msg('auth.session_invalid'));
        if (principal.user.mustChangePassword && !r.passwordChangeDue) throw new ApiError(ErrorKind.Forbidden, msg('password.change_required'));
        if (!allowed(r.auth, principal.user, this.opts.holds))
          throw new ApiError(ErrorKind.Forbidden, msg('auth.forbidden'), { message: `your role (${principal.user.role}) may not do this` });
      }
      const params = r.params ? validate(r.params, coerceStrings(r.params, m.params), 'path') : undefined;
      const query = r.query ? validate(r.query, coerceStrings(r.query, url.searchParams), 'query') : undefined;
      const body = r.body ? validate(r.body, await readJsonBody(req, this.maxBodyBytes), 'body') : undefined;
      const result = await r.handler({ req, ip: clientIp(req), principal, body, query, params });
      sendJson(res, r.response.status ?? 200, r.response.status === 204 ? undefined : result);
    } catch (err) {
      const e = toErrorResponse(err, this.opts.log);
      sendJson(res, e.status, e.body, e.headers);
    }
  }
}
