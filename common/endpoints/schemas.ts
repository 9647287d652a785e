// Schemas of the core API's response bodies (OpenAPI components, and the response types of the declarations in common/endpoints/).
import {
  CAMERA_STATES,
  ROLES,
  STREAM_KINDS,
  TRANSPORTS,
  UNIT_TYPES,
  WALL_LAYOUTS,
  type AuditEntry,
  type Camera,
  type CameraStatus,
  type HealthInfo,
  type LiveTicket,
  type LoginResponse,
  type Segment,
  type Unit,
  type UnitKey,
  type UnitStatus,
  type UserInfo,
  type WallLayout,
} from '../api';
import { ErrorKind, type ErrorBody } from '../errors';
import { RIGHTS, SCOPED_RIGHTS } from '../rights';
import { MESSAGES, msg, type MessageCode, type MessageParam, type ServerMessage } from '../messages';
import { fieldError, s, type Infer, type Schema } from '../schema';

function constant<const T extends string | boolean>(value: T): Schema<T> {
  return {
    json: { type: typeof value, enum: [value] },
    isOptional: false,
    check: (v, path, errors) => {
      if (v === value) return value;
      errors.push(fieldError(path, msg('schema.not_one_of', { values: JSON.stringify(value) })));
      return undefined;
    },
  };
}

const anyValue: Schema<unknown> = { json: { description: 'any JSON value' }, isOptional: false, check: (v) => v };
const nullableString = s.nullable(s.string());

const MESSAGE_CODES = Object.keys(MESSAGES) as [MessageCode, ...MessageCode[]];
/** Params of a message: names of its template's placeholders → text, number or a nested message. */
const messageParams: Schema<Record<string, MessageParam>> = {
  json: {
    type: 'object',
    description: "the code's params, by placeholder name (a value is text, a number or a nested { code, params })",
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'object' }] },
  },
  isOptional: false,
  check: (v) => v as Record<string, MessageParam>,
};
/** A registered message (common/messages.ts): the console words it in its language. */
const messageSchema: Schema<ServerMessage> = {
  json: {
    type: 'object',
    required: ['code', 'params'],
    properties: { code: { type: 'string', description: 'one of the codes listed under ErrorBody error.code' }, params: messageParams.json },
    description: 'a registered message code and its params (common/messages.ts)',
  },
  isOptional: false,
  check: (v) => v as ServerMessage,
};
const nullableInt = s.nullable(s.int());

export const CameraStatusSchema = s.object({
  cameraId: s.int(),
  state: s.enum(CAMERA_STATES),
  lastError: nullableString,
  reason: s.nullable(messageSchema),
  bitrateBps: s.nullable(s.number()),
  sinceMs: s.int(),
  failures: s.int(),
  nextRetryMs: nullableInt,
});

/** The scoped rights the requesting user holds on a camera or unit (the console shows only the tools they may use). */
const myRightsSchema = s.array(
  s.enum(SCOPED_RIGHTS, 'a scoped right the requesting user holds on this object (the console shows only the tools they may use)'),
  {
    maxItems: SCOPED_RIGHTS.length,
  },
);

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
    myRights: s.optional(myRightsSchema),
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
  mustChangePassword: s.boolean('the password was set by an administrator (or generated): only a password change is allowed until it is changed'),
  rights: s.optional(
    s.object(
      {
        global: s.array(s.enum(RIGHTS), { maxItems: RIGHTS.length }),
        any: s.array(s.enum(RIGHTS), { maxItems: RIGHTS.length }),
      },
      "the signed-in user's effective rights (login and /auth/me only): held everywhere, and held on at least one node or channel",
    ),
  ),
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

export const UnitStatusSchema = s.object({
  unitId: s.int(),
  online: s.boolean('either link is up (video or telemetry)'),
  sinceMs: s.int({ description: 'when online last changed (UTC ms)' }),
  video: s.object({ online: s.boolean('publishing video to the hub right now'), sinceMs: s.int({ description: 'when it last changed (UTC ms)' }) }),
  telemetry: s.object({
    online: s.boolean('telemetry WebSocket open, or anything received within unitTelemetryTimeoutMs'),
    sinceMs: s.int({ description: 'when it last changed (UTC ms)' }),
    lastSeenMs: s.nullable(s.int({ description: 'when the unit last sent telemetry or its link last opened/closed (UTC ms)' })),
  }),
  remoteAddress: s.nullable(s.string({ description: 'address the unit publishes video from, when its video link is up' })),
  bitrateBps: s.nullable(s.number()),
  recording: s.enum(CAMERA_STATES),
  lastError: nullableString,
  reason: s.nullable(messageSchema),
});

export const UnitSchema = s.object(
  {
    id: s.int({ description: 'shares the id space of cameras: segments of a unit have cameraId = id' }),
    callsign: s.string(),
    type: s.enum(UNIT_TYPES),
    officer: nullableString,
    enabled: s.boolean(),
    groupName: nullableString,
    segmentSeconds: s.int(),
    retentionDays: s.int(),
    keyRotatedMs: s.int({ description: 'when the stream key was last set; the key itself is shown only once' }),
    createdMs: s.int(),
    updatedMs: s.int(),
    status: UnitStatusSchema,
    myRights: s.optional(myRightsSchema),
  },
  'A mobile unit (4G uplink); its stream key is never returned after creation or rotation.',
);

export const UnitKeySchema = s.object(
  {
    unit: UnitSchema,
    streamKey: s.string({ description: 'shown only in this answer; only its SHA-256 is stored' }),
    publishUrl: s.string({ description: 'rtmp://HOST:PORT/live/<unitId>?key=<streamKey>' }),
  },
  'The only answer that shows a stream key (creating a unit, rotating its key).',
);

export const LiveTicketSchema = s.object({
  flvUrl: s.string({ description: 'HTTP-FLV URL (path + signed query), relative to the server' }),
  wsFlvUrl: s.string({ description: 'WS-FLV URL (path + signed query), relative to the server' }),
  expiresMs: s.int({ description: 'the signature starts no new stream after this time (UTC ms)' }),
  stream: s.enum(STREAM_KINDS),
  videoCodec: s.nullable(s.string({ description: "codec of the live video when known ('h264', 'hevc', ...)" })),
  audioCodec: s.nullable(s.string({ description: "codec of its audio when known ('aac', 'pcm_alaw', ...); null without audio or when unknown" })),
  relayable: s.boolean('false when the server cannot relay this source to consoles at all (an H.265 camera)'),
});

export const WallLayoutSchema = s.object({
  id: s.int(),
  name: s.string(),
  layout: s.enum(WALL_LAYOUTS),
  tiles: s.array(s.nullable(s.int())),
  tourGroup: nullableString,
  tourSeconds: nullableInt,
  updatedMs: s.int(),
});

const messageCode = s.enum(MESSAGE_CODES, 'registered message code (common/messages.ts) the console words in its language');
const FieldErrorSchema = s.object({ path: s.string(), message: s.string({ description: 'English' }), code: messageCode, params: s.optional(messageParams) });
export const ErrorBodySchema = s.object({
  error: s.object({
    kind: s.enum(Object.values(ErrorKind) as [ErrorKind, ...ErrorKind[]]),
    message: s.string({ description: 'English, for logs and API clients' }),
    fields: s.optional(s.array(FieldErrorSchema)),
    code: messageCode,
    params: s.optional(messageParams),
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
  Same<Infer<typeof UnitStatusSchema>, UnitStatus>,
  Same<Infer<typeof UnitSchema>, Unit>,
  Same<Infer<typeof UnitKeySchema>, UnitKey>,
  Same<Infer<typeof LiveTicketSchema>, LiveTicket>,
  Same<Infer<typeof WallLayoutSchema>, WallLayout>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true];
void proofs;
