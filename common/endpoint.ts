// One declaration per JSON endpoint (method, path, params, query, body, response, right): the server binds handlers to it, OpenAPI and the console's client derive from it.
import type { Right } from './rights';
import type { JsonSchema, Schema } from './schema';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** 'public': no token needed; 'any': any logged-in user; a Right (common/rights.ts): a logged-in user who holds it. */
export type AuthRequirement = 'public' | 'any' | Right;

/** A response schema: a checked Schema<T> (its T is the response type) or a bare JSON schema (response type unknown). */
export type ResponseSchema = Schema<unknown> | JsonSchema;

export interface ResponseDoc<S extends ResponseSchema | undefined = ResponseSchema | undefined> {
  /** Success status (default 200; 204 sends no body). */
  status?: number;
  description: string;
  /** Schema of the success body (OpenAPI; its type is what the handler returns and the client receives). */
  schema?: S;
}

/** An endpoint declared for one release more; answers carry `Deprecation: true` and `Link: <successor>; rel="successor-version"`. */
export interface Deprecated {
  /** Path of the successor; `:name` placeholders are filled from the request's path parameters of the same name. */
  successor: string;
}

/** What a declaration holds (everything but the handler). */
export interface EndpointFields<P, Q, B, S extends ResponseSchema | undefined> {
  method: HttpMethod;
  /** Full path with :params, e.g. "/api/v1/cameras/:id". */
  path: string;
  auth: AuthRequirement;
  /** Also served while the user must change their password (set by an administrator); every other route answers 403. */
  passwordChangeDue?: boolean;
  /** One-line OpenAPI summary. */
  summary: string;
  /** OpenAPI tag (group). */
  tag: string;
  description?: string;
  /** Path parameters (strings converted to numbers/booleans where the schema says so). */
  params?: Schema<P>;
  /** Query string (converted like params; unknown keys are errors). */
  query?: Schema<Q>;
  /** JSON body. */
  body?: Schema<B>;
  response: ResponseDoc<S>;
  deprecated?: Deprecated;
}

/** The response type of a response schema: T of a Schema<T>, void without a schema, unknown for a bare JSON schema. */
export type ResponseOf<S> = [S] extends [undefined] ? void : S extends Schema<infer T> ? T : unknown;

/** A declared endpoint; the phantom fields carry the types of its params, query, body and response. */
export interface Endpoint<P = unknown, Q = unknown, B = unknown, R = unknown> extends EndpointFields<P, Q, B, ResponseSchema | undefined> {
  /** Type carriers only (never set). */
  readonly __types?: { params: P; query: Q; body: B; response: R };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyEndpoint = Endpoint<any, any, any, any>;
/* eslint-disable @typescript-eslint/no-explicit-any */
export type ParamsOf<E> = E extends Endpoint<infer P, any, any, any> ? P : never;
export type QueryOf<E> = E extends Endpoint<any, infer Q, any, any> ? Q : never;
export type BodyOf<E> = E extends Endpoint<any, any, infer B, any> ? B : never;
export type ResponseTypeOf<E> = E extends Endpoint<any, any, any, infer R> ? R : never;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Declares an endpoint; its params, query, body and response types are inferred from its schemas. */
export function endpoint<P = undefined, Q = undefined, B = undefined, S extends ResponseSchema | undefined = undefined>(
  def: EndpointFields<P, Q, B, S>,
): Endpoint<P, Q, B, ResponseOf<S>> {
  return def as Endpoint<P, Q, B, ResponseOf<S>>;
}

/** A bare JSON schema with the TypeScript type of what it describes (not checked at runtime: responses are the server's own). */
export function typed<T>(json: JsonSchema): Schema<T> {
  return { json, isOptional: false, check: (v) => v as T };
}

/** Fills the :params of a path (each value percent-encoded); a missing one is an error. */
export function buildPath(path: string, params?: Record<string, string | number | boolean>): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const v = params?.[name];
    if (v === undefined) throw new Error(`path ${path}: missing parameter ${name}`);
    return encodeURIComponent(String(v));
  });
}

/** Query string values; undefined, null and '' are left out. */
export type QueryValues = Record<string, string | number | boolean | undefined | null>;

/** "?a=1&b=x" of the given values ('' when none is left). */
export function queryString(query?: QueryValues | object): string {
  if (!query) return '';
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const text = qs.toString();
  return text ? `?${text}` : '';
}

/** The request line of a call: method and URL path (with query) relative to the server. */
export function requestOf(e: AnyEndpoint, opts: { params?: unknown; query?: unknown } = {}): { method: HttpMethod; url: string } {
  return {
    method: e.method,
    url: buildPath(e.path, opts.params as Record<string, string | number> | undefined) + queryString(opts.query as QueryValues | undefined),
  };
}

/** Every declaration of a catalog object (area → name → endpoint), in declaration order. */
export function declarationsOf(catalog: Record<string, Record<string, AnyEndpoint>>): AnyEndpoint[] {
  return Object.values(catalog).flatMap((area) => Object.values(area));
}
