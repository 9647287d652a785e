// Turns CameraCreate/CameraUpdate bodies into stored rows: credentials split off URLs, defaults, change summaries.
import { msg } from '../../common/messages';
import type { CameraCreate, CameraUpdate } from '../../common/api';
import { fieldError, type FieldError } from '../../common/schema';
import type { CameraRow, NewCamera } from '../../storage/repositories';
import { ApiError } from './errors';

export interface UrlCredentials {
  /** The URL without user:password. */
  url: string;
  username: string | null;
  password: string | null;
}

function decode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/** Splits user:password out of a stream URL; the URL is returned unchanged when it has none. */
export function splitCredentials(url: string): UrlCredentials {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { url, username: null, password: null };
  }
  if (!u.username && !u.password) return { url, username: null, password: null };
  const username = u.username ? decode(u.username) : null;
  const password = u.password ? decode(u.password) : null;
  u.username = '';
  u.password = '';
  return { url: u.toString(), username, password };
}

export interface CameraDefaults {
  segmentSeconds: number;
  retentionDays: number;
}

export { DEFAULT_RETENTION_DAYS } from '../../common/api';

/** '' means "no credentials". */
function blankToNull(v: string | null | undefined): string | null | undefined {
  return v === '' ? null : v;
}

interface CredInput {
  url?: string;
  subUrl?: string | null;
  username?: string | null;
  password?: string | null;
}

interface ResolvedCredentials {
  url: string | undefined;
  subUrl: string | null | undefined;
  username: string | null | undefined;
  password: string | null | undefined;
}

/**
 * Resolves the URL fields and credentials of a body. Explicit username/password fields win over ones in
 * the URLs; credentials in both url and subUrl must agree (a camera has one account).
 * Returns only the fields the body determines (undefined = not given).
 */
function resolveCredentials(body: CredInput): ResolvedCredentials {
  const errors: FieldError[] = [];
  const main = body.url !== undefined ? splitCredentials(body.url) : null;
  const sub = body.subUrl ? splitCredentials(body.subUrl) : null;
  if (main && sub && (main.username || main.password) && (sub.username || sub.password)) {
    if (sub.username !== main.username || sub.password !== main.password) errors.push(fieldError('subUrl', msg('url.credentials_differ')));
  }
  let username = blankToNull(body.username);
  let password = blankToNull(body.password);
  if (username === undefined) username = main?.username ?? sub?.username ?? undefined;
  if (password === undefined) password = main?.password ?? sub?.password ?? undefined;
  if (errors.length) throw ApiError.validation(errors, `invalid body: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
  return {
    url: main ? main.url : undefined,
    subUrl: body.subUrl === undefined ? undefined : sub ? sub.url : null,
    username,
    password,
  };
}

/** The row to insert for a CameraCreate body, with defaults applied. */
export function newCameraFromBody(body: CameraCreate, defaults: CameraDefaults): NewCamera {
  const c = resolveCredentials(body);
  return {
    name: body.name,
    url: c.url ?? body.url,
    subUrl: c.subUrl ?? null,
    username: c.username ?? null,
    password: c.password ?? null,
    transport: body.transport ?? 'tcp',
    enabled: body.enabled ?? true,
    segmentSeconds: body.segmentSeconds ?? defaults.segmentSeconds,
    retentionDays: body.retentionDays ?? defaults.retentionDays,
    groupName: body.groupName ?? null,
    description: body.description ?? null,
  };
}

/** The stored-row patch for a CameraUpdate body; fields not in the body stay as they are. */
export function cameraPatchFromBody(body: CameraUpdate): Partial<NewCamera> {
  const c = resolveCredentials(body);
  const patch: Partial<NewCamera> = {};
  if (body.name !== undefined) patch.name = body.name;
  if (c.url !== undefined) patch.url = c.url;
  if (c.subUrl !== undefined) patch.subUrl = c.subUrl;
  if (c.username !== undefined) patch.username = c.username;
  if (c.password !== undefined) patch.password = c.password;
  if (body.transport !== undefined) patch.transport = body.transport;
  if (body.enabled !== undefined) patch.enabled = body.enabled;
  if (body.segmentSeconds !== undefined) patch.segmentSeconds = body.segmentSeconds;
  if (body.retentionDays !== undefined) patch.retentionDays = body.retentionDays;
  if (body.groupName !== undefined) patch.groupName = body.groupName;
  if (body.description !== undefined) patch.description = body.description;
  return patch;
}

/** A camera's settings for the audit trail: everything except the password, which shows only as set or not. */
export function cameraAuditView(c: NewCamera | CameraRow): Record<string, unknown> {
  const { password, ...rest } = c as CameraRow;
  const out: Record<string, unknown> = { ...rest, hasPassword: !!password };
  delete out.createdMs;
  delete out.updatedMs;
  delete out.kind;
  return out;
}

/** What a PATCH changed, as { field: { from, to } }; the password shows only as 'set' / 'changed' / 'cleared'. */
export function cameraChanges(before: CameraRow, after: CameraRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys: Array<keyof NewCamera> = [
    'name',
    'url',
    'subUrl',
    'username',
    'transport',
    'enabled',
    'segmentSeconds',
    'retentionDays',
    'groupName',
    'description',
  ];
  for (const k of keys) if (before[k] !== after[k]) out[k] = { from: before[k], to: after[k] };
  if (before.password !== after.password) out.password = !before.password ? 'set' : !after.password ? 'cleared' : 'changed';
  return out;
}
