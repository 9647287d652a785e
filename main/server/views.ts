// API views of stored rows, and schemas of every response body (for OpenAPI and response checks in tests).
import {
  CAMERA_STATES,
  ROLES,
  TRANSPORTS,
  type AuditEntry,
  type Camera,
  type CameraStatus,
  type HealthInfo,
  type LoginResponse,
  type Segment,
  type UserInfo,
} from '../../common/api';
import { ErrorKind, type ErrorBody } from '../../common/errors';
import { s, type Infer, type Schema } from '../../common/schema';
import type { CameraRow, SegmentRow } from '../../storage/repositories';

/** Camera as the API shows it: credentials stripped (only `hasPassword`), live status attached. */
export function toCamera(row: CameraRow, status: CameraStatus): Camera {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    subUrl: row.subUrl,
    username: row.username,
    hasPassword: row.password !== null && row.password !== '',
    transport: row.transport,
    enabled: row.enabled,
    segmentSeconds: row.segmentSeconds,
    retentionDays: row.retentionDays,
    groupName: row.groupName,
    description: row.description,
    createdMs: row.createdMs,
    updatedMs: row.updatedMs,
    status,
  };
}

/** Segment as the API shows it: no file path. */
export function toSegment(r: SegmentRow): Segment {
  return {
    id: r.id,
    cameraId: r.cameraId,
    startMs: r.startMs,
    endMs: r.endMs,
    durationMs: r.durationMs,
    sizeBytes: r.sizeBytes,
    videoCodec: r.videoCodec,
    audioCodec: r.audioCodec,
    width: r.width,
    height: r.height,
    fps: r.fps,
    state: r.state,
    protected: r.protected,
    recovered: r.recovered,
  };
}

// ---------- response schemas ----------

function constant<const T extends string | boolean>(value: T): Schema<T> {
  return {
    json: { type: typeof value, enum: [value] },
    isOptional: false,
    check: (v, path, errors) => {
      if (v === value) return value;
      errors.push({ path, message: `must be ${JSON.stringify(value)}` });
      return undefined;
    },
  };
}

const anyValue: Schema<unknown> = { json: { description: 'any JSON value' }, isOptional: false, check: (v) => v };
const nullableString = s.nullable(s.string());
const nullableInt = s.nullable(s.int());

export const CameraStatusSchema = s.object({
  cameraId: s.int(),
  state: s.enum(CAMERA_STATES),
  lastError: nullableString,
  bitrateBps: s.nullable(s.number()),
  sinceMs: s.int(),
  failures: s.int(),
  nextRetryMs: nullableInt,
});

export const CameraSchema = s.object(
  {
    id: s.int(),
    name: s.string(),
    url: s.string({ description: 'stream URL without credentials' }),
    subUrl: nullableString,
    username: nullableString,
    hasPassword: s.boolean(),
    transport: s.enum(TRANSPORTS),
    enabled: s.boolean(),
    segmentSeconds: s.int(),
    retentionDays: s.int(),
    groupName: nullableString,
    description: nullableString,
    createdMs: s.int(),
    updatedMs: s.int(),
    status: CameraStatusSchema,
  },
  'A camera; the password is write-only and never returned (see hasPassword).',
);

export const SegmentSchema = s.object({
  id: s.int(),
  cameraId: s.int(),
  startMs: s.int(),
  endMs: s.int(),
  durationMs: s.int(),
  sizeBytes: s.int(),
  videoCodec: nullableString,
  audioCodec: nullableString,
  width: nullableInt,
  height: nullableInt,
  fps: s.nullable(s.number()),
  state: s.enum(['writing', 'closed'] as const),
  protected: s.boolean(),
  recovered: s.boolean(),
});

export const UserInfoSchema = s.object({
  id: s.int(),
  username: s.string(),
  role: s.enum(ROLES),
  displayName: s.string(),
  disabled: s.boolean(),
  createdMs: s.int(),
});

export const LoginResponseSchema = s.object({
  token: s.string({ description: 'bearer token for the Authorization header and the event stream' }),
  expiresMs: s.int({ description: 'session expiry (UTC ms); slides forward with every request' }),
  user: UserInfoSchema,
});

export const AuditEntrySchema = s.object({
  id: s.int(),
  tsMs: s.int(),
  userId: nullableInt,
  username: nullableString,
  action: s.string(),
  targetType: nullableString,
  targetId: nullableString,
  detail: anyValue,
  ip: nullableString,
});

export const HealthInfoSchema = s.object({
  ok: constant(true),
  version: s.string(),
  uptimeMs: s.int(),
  recordingsDir: s.optional(s.string({ description: 'only for authenticated callers' })),
  freeBytes: s.optional(s.nullable(s.int({ description: 'only for authenticated callers' }))),
});

const FieldErrorSchema = s.object({ path: s.string(), message: s.string() });
export const ErrorBodySchema = s.object({
  error: s.object({
    kind: s.enum(Object.values(ErrorKind) as [ErrorKind, ...ErrorKind[]]),
    message: s.string(),
    fields: s.optional(s.array(FieldErrorSchema)),
  }),
});

// Compile-time proof that the schemas describe exactly the TypeScript response types.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const proofs: [
  Same<Infer<typeof CameraStatusSchema>, CameraStatus>,
  Same<Infer<typeof CameraSchema>, Camera>,
  Same<Infer<typeof SegmentSchema>, Segment>,
  Same<Infer<typeof UserInfoSchema>, UserInfo>,
  Same<Infer<typeof LoginResponseSchema>, LoginResponse>,
  // `detail: unknown` necessarily infers as optional, so compare the rest.
  Same<Omit<Infer<typeof AuditEntrySchema>, 'detail'>, Omit<AuditEntry, 'detail'>>,
  Same<keyof Infer<typeof AuditEntrySchema>, keyof AuditEntry>,
  Same<Infer<typeof HealthInfoSchema>, HealthInfo>,
  Same<Infer<typeof ErrorBodySchema>, ErrorBody>,
] = [true, true, true, true, true, true, true, true, true];
void proofs;
