// Builds the OpenAPI 3.0 document from the route table and the same schemas the server validates with.
import { EVENTS_PATH } from '../../common/events';
import type { JsonSchema, Schema } from '../../common/schema';
import { ErrorKind } from '../../common/errors';
import { PasswordChange, PasswordReset } from '../../common/accounts';
import { rolesWith } from '../../common/rights';
import { CameraCreate, CameraUpdate, LiveTicketRequest, LoginRequest, UnitCreate, UnitUpdate, UserCreate, UserUpdate, WallLayoutBody } from '../../common/api';
import type { Route } from './router';
import { httpStatus } from './errors';
import { VERSION } from './version';
import {
  AuditEntrySchema,
  CameraSchema,
  CameraStatusSchema,
  ErrorBodySchema,
  HealthInfoSchema,
  LiveTicketSchema,
  LoginResponseSchema,
  SegmentSchema,
  UnitKeySchema,
  UnitSchema,
  UnitStatusSchema,
  UserInfoSchema,
  WallLayoutSchema,
} from '../../common/endpoints/schemas';

/** Schemas published under components/schemas; wherever one occurs inside another it becomes a $ref. */
export const NAMED_SCHEMAS: Record<string, Schema<unknown>> = {
  Camera: CameraSchema,
  CameraStatus: CameraStatusSchema,
  CameraCreate,
  CameraUpdate,
  Unit: UnitSchema,
  UnitStatus: UnitStatusSchema,
  UnitCreate,
  UnitUpdate,
  UnitKey: UnitKeySchema,
  LiveTicketRequest,
  LiveTicket: LiveTicketSchema,
  WallLayoutBody,
  WallLayout: WallLayoutSchema,
  Segment: SegmentSchema,
  UserInfo: UserInfoSchema,
  UserCreate,
  UserUpdate,
  PasswordChange,
  PasswordReset,
  LoginRequest,
  LoginResponse: LoginResponseSchema,
  AuditEntry: AuditEntrySchema,
  HealthInfo: HealthInfoSchema,
  ErrorBody: ErrorBodySchema,
} as Record<string, Schema<unknown>>;

function isSchema(x: Schema<unknown> | JsonSchema): x is Schema<unknown> {
  return typeof (x as Schema<unknown>).check === 'function' && typeof (x as Schema<unknown>).json === 'object';
}

function refs(): Map<JsonSchema, string> {
  return new Map(Object.entries(NAMED_SCHEMAS).map(([name, sch]) => [sch.json, name]));
}

/** Deep copy of a JSON schema with every named sub-schema replaced by a $ref (the root itself unless `keepRoot`). */
function withRefs(json: JsonSchema, names: Map<JsonSchema, string>, keepRoot = false): JsonSchema {
  const walk = (node: unknown, root: boolean): unknown => {
    if (Array.isArray(node)) return node.map((x) => walk(x, false));
    if (node === null || typeof node !== 'object') return node;
    const name = names.get(node as JsonSchema);
    if (name && !(root && keepRoot)) return { $ref: `#/components/schemas/${name}` };
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, false)]));
  };
  return walk(json, true) as JsonSchema;
}

/** "/api/v1/cameras/:id" → "/api/v1/cameras/{id}" */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

export function operationId(r: Pick<Route, 'method' | 'path'>): string {
  const words = r.path
    .replace(/^\/api\/v\d+\//, '')
    .split('/')
    .map((seg) => (seg.startsWith(':') ? 'By' + seg.slice(1) : seg))
    .flatMap((seg) => seg.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return r.method.toLowerCase() + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

function parameters(sch: Schema<unknown> | undefined, where: 'path' | 'query', names: Map<JsonSchema, string>): unknown[] {
  if (!sch) return [];
  const props = (sch.json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((sch.json.required ?? []) as string[]);
  return Object.entries(props).map(([name, p]) => {
    const { description, ...schema } = p;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(description ? { description } : {}),
      schema: withRefs(schema, names),
    };
  });
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'malformed request or invalid fields (kind bad_request / validation, with fields)',
  401: 'no valid session (kind unauthorized)',
  403: 'the role may not do this, or a password change is due (kind forbidden, code password.change_required)',
  404: 'no such resource (kind not_found)',
  409: 'conflicts with stored data, e.g. a duplicate name (kind conflict, with the field)',
  413: 'request body larger than 1 MiB (kind payload_too_large)',
};

export function buildOpenApi(routes: readonly Route[]): Record<string, unknown> {
  const names = refs();
  const errorRef = { $ref: '#/components/schemas/ErrorBody' };
  const paths: Record<string, Record<string, unknown>> = {};
  const tags = new Set<string>();
  for (const r of routes) {
    tags.add(r.tag);
    const responses: Record<string, unknown> = {};
    const status = r.response.status ?? 200;
    const schema = r.response.schema ? (isSchema(r.response.schema) ? r.response.schema.json : r.response.schema) : undefined;
    responses[String(status)] = {
      description: r.response.description,
      ...(schema && status !== 204 ? { content: { 'application/json': { schema: withRefs(schema, names) } } } : {}),
    };
    const errors: number[] = [];
    if (r.body || r.query || r.params) errors.push(httpStatus(ErrorKind.Validation));
    if (r.auth !== 'public' || r.method === 'POST') errors.push(httpStatus(ErrorKind.Unauthorized));
    if (r.auth !== 'public') errors.push(httpStatus(ErrorKind.Forbidden));
    if (r.params) errors.push(httpStatus(ErrorKind.NotFound));
    if (r.body && r.auth !== 'public') errors.push(httpStatus(ErrorKind.Conflict));
    if (r.body) errors.push(httpStatus(ErrorKind.PayloadTooLarge));
    for (const code of errors) responses[String(code)] = { description: ERROR_DESCRIPTIONS[code], content: { 'application/json': { schema: errorRef } } };
    responses.default = { description: 'unexpected error (kind internal / unavailable)', content: { 'application/json': { schema: errorRef } } };

    const params = [...parameters(r.params, 'path', names), ...parameters(r.query, 'query', names)];
    const op: Record<string, unknown> = {
      operationId: operationId(r),
      tags: [r.tag],
      summary: r.summary,
      ...(r.deprecated ? { deprecated: true, 'x-successor': openApiPath(r.deprecated.successor) } : {}),
      ...(r.description ? { description: r.description } : {}),
      ...(r.auth !== 'public' && r.auth !== 'any' ? { 'x-right': r.auth, 'x-roles': [...rolesWith(r.auth)] } : {}),
      security: r.auth === 'public' ? [] : [{ bearerAuth: [] }],
      ...(params.length ? { parameters: params } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: withRefs(r.body.json, names) } } } } : {}),
      responses,
    };
    const p = openApiPath(r.path);
    paths[p] ??= {};
    paths[p][r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Argus API',
      version: VERSION,
      description:
        'HTTP/JSON API of the Argus video-surveillance command center. Log in with POST /api/v1/auth/login and send the token as ' +
        '`Authorization: Bearer <token>`. Errors are `{"error":{"kind","message","fields"?}}`. Live events (camera status, ' +
        `segments, configuration changes, units online) stream over the WebSocket ${EVENTS_PATH}?token=<token>. Live video: ` +
        'POST /api/v1/live/tickets returns signed HTTP-FLV (GET /api/v1/live/flv/<id>.flv?...) and WS-FLV ' +
        '(/api/v1/live/ws/<id>.flv?...) URLs, authenticated by their signature; see docs/api.md.',
    },
    tags: [...tags].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'session token from POST /api/v1/auth/login' } },
      schemas: Object.fromEntries(Object.entries(NAMED_SCHEMAS).map(([name, sch]) => [name, withRefs(sch.json, names, true)])),
    },
  };
}

/** The document as written to docs/openapi.json (stable formatting, trailing newline). */
export function formatOpenApi(doc: Record<string, unknown>): string {
  return JSON.stringify(doc, null, 2) + '\n';
}
