// HTTP API contracts under /api/v1: request schemas (validated at runtime by the server) and response types.
import type { RightsSummary } from './access';
import type { ScopedRight } from './rights';
import { msg, type ServerMessage } from './messages';
import { s, type Infer } from './schema';

export const API_PREFIX = '/api/v1';

export const ROLES = ['admin', 'dispatcher', 'investigator', 'officer'] as const;
export type Role = (typeof ROLES)[number];

// ---------- auth ----------
export const LoginRequest = s.object({
  username: s.string({ minLength: 1, maxLength: 64 }),
  password: s.string({ minLength: 1, maxLength: 256 }),
});
export type LoginRequest = Infer<typeof LoginRequest>;

export interface UserInfo {
  id: number;
  username: string;
  role: Role;
  displayName: string;
  disabled: boolean;
  createdMs: number;
  /** Set by an administrator's reset or the generated first password: the console asks for a new password first. */
  mustChangePassword: boolean;
  /** The signed-in user's effective rights in short (login and /auth/me only): the console shows only what they may use. */
  rights?: RightsSummary;
}

export interface LoginResponse {
  token: string;
  expiresMs: number;
  user: UserInfo;
}

// ---------- users ----------
const username = s.string({ minLength: 1, maxLength: 64, pattern: /^[A-Za-z0-9_.-]+$/, patternHint: msg('schema.username_chars') });
export const UserCreate = s.object({
  username,
  password: s.string({ minLength: 1, maxLength: 256, description: 'policy: at least 10 characters, not the user name, not a common password' }),
  role: s.enum(ROLES),
  displayName: s.optional(s.string({ maxLength: 128, singleLine: true })),
});
export type UserCreate = Infer<typeof UserCreate>;
export const UserUpdate = s.partial(
  s.object({
    role: s.enum(ROLES),
    displayName: s.string({ maxLength: 128, singleLine: true }),
    disabled: s.boolean(),
  }),
);
export type UserUpdate = Infer<typeof UserUpdate>;

// ---------- cameras ----------
/** Retention of a new camera, and of the recordings of a deleted camera, in days. */
export const DEFAULT_RETENTION_DAYS = 30;

export const TRANSPORTS = ['tcp', 'udp'] as const;
export type Transport = (typeof TRANSPORTS)[number];

const STREAM_SCHEMES = ['rtsp:', 'rtsps:'];

/** Checks a stream URL; returns the problem or null. Credentials in the URL are allowed (split off by the server). */
export function checkStreamUrl(v: string): ServerMessage | null {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return msg('url.invalid');
  }
  if (!STREAM_SCHEMES.includes(u.protocol)) return msg('url.scheme', { scheme: u.protocol.replace(':', '') });
  if (!u.hostname) return msg('url.no_host');
  return null;
}

const streamUrl = s.string({
  minLength: 1,
  maxLength: 2048,
  refine: checkStreamUrl,
  description: 'rtsp:// or rtsps:// URL; user:password in it are moved to username/password',
});

const cameraFields = {
  name: s.string({ minLength: 1, maxLength: 64, singleLine: true, refine: (v) => (v.trim() === v ? null : msg('schema.spaces_around')) }),
  url: streamUrl,
  subUrl: s.optional(s.nullable(streamUrl)),
  username: s.optional(s.nullable(s.string({ maxLength: 128 }))),
  password: s.optional(s.nullable(s.string({ maxLength: 256, description: 'write-only: never returned' }))),
  transport: s.optional(s.enum(TRANSPORTS)),
  enabled: s.optional(s.boolean()),
  segmentSeconds: s.optional(s.int({ min: 2, max: 600, description: 'target segment length in seconds' })),
  retentionDays: s.optional(s.int({ min: 1, max: 3650, description: 'maximum age of recordings in days' })),
  groupName: s.optional(s.nullable(s.string({ maxLength: 128, singleLine: true }))),
  description: s.optional(s.nullable(s.string({ maxLength: 1024 }))),
};
export const CameraCreate = s.object(cameraFields);
export type CameraCreate = Infer<typeof CameraCreate>;
export const CameraUpdate = s.partial(s.object(cameraFields));
export type CameraUpdate = Infer<typeof CameraUpdate>;

export const CAMERA_STATES = ['stopped', 'connecting', 'recording', 'reconnecting', 'failed'] as const;
export type CameraState = (typeof CAMERA_STATES)[number];

export interface CameraStatus {
  cameraId: number;
  state: CameraState;
  /** Last error in words an operator understands (English), or null. */
  lastError: string | null;
  /** The same as a registered code and params (common/messages.ts) that the console words in its language, or null. */
  reason: ServerMessage | null;
  /** Current incoming bitrate in bits per second, null when unknown. */
  bitrateBps: number | null;
  /** When the camera entered `state` (UTC ms). */
  sinceMs: number;
  /** Consecutive failed attempts since the last successful recording. */
  failures: number;
  /** When the next connection attempt is due (UTC ms), when waiting. */
  nextRetryMs: number | null;
}

export interface Camera {
  id: number;
  name: string;
  /** Stream URL without credentials. */
  url: string;
  subUrl: string | null;
  username: string | null;
  hasPassword: boolean;
  transport: Transport;
  enabled: boolean;
  segmentSeconds: number;
  retentionDays: number;
  groupName: string | null;
  description: string | null;
  createdMs: number;
  updatedMs: number;
  status: CameraStatus;
  /** The scoped rights the requesting user holds on this camera (issue 13): the console shows only the tools they may use. */
  myRights?: ScopedRight[];
}

// ---------- segments ----------
export const SegmentQuery = s.object({
  cameraId: s.int({ min: 1 }),
  startMs: s.timeMs(),
  endMs: s.timeMs(),
  limit: s.optional(s.int({ min: 1, max: 10000 })),
});
export type SegmentQuery = Infer<typeof SegmentQuery>;

export type SegmentState = 'writing' | 'closed';

export interface Segment {
  id: number;
  cameraId: number;
  startMs: number;
  endMs: number;
  durationMs: number;
  sizeBytes: number;
  videoCodec: string | null;
  audioCodec: string | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  state: SegmentState;
  protected: boolean;
  /** True when this segment was indexed by crash recovery rather than on close. */
  recovered: boolean;
}

// ---------- audit ----------
export interface AuditEntry {
  id: number;
  tsMs: number;
  userId: number | null;
  username: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  detail: unknown;
  ip: string | null;
}

export const AuditQuery = s.object({
  startMs: s.optional(s.timeMs()),
  endMs: s.optional(s.timeMs()),
  action: s.optional(s.string({ maxLength: 64 })),
  username: s.optional(s.string({ maxLength: 64 })),
  limit: s.optional(s.int({ min: 1, max: 5000 })),
});
export type AuditQuery = Infer<typeof AuditQuery>;

export interface HealthInfo {
  ok: true;
  version: string;
  uptimeMs: number;
  /** Only for authenticated callers (health is public and reveals nothing sensitive). */
  recordingsDir?: string;
  /** Free bytes on the recordings volume; only for authenticated callers. */
  freeBytes?: number | null;
}

// ---------- mobile units (4G uplinks) ----------
// Units are video sources like cameras and share their id space: segments of a unit are listed with cameraId = unit id.
export const UNIT_TYPES = ['vehicle', 'body', 'handheld', 'portable'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

const unitFields = {
  callsign: s.string({ minLength: 1, maxLength: 32, pattern: /^[\p{L}\p{N} _.-]+$/u, patternHint: msg('schema.callsign_chars') }),
  type: s.enum(UNIT_TYPES),
  officer: s.optional(s.nullable(s.string({ maxLength: 128, singleLine: true, description: 'assigned officer' }))),
  enabled: s.optional(s.boolean()),
  groupName: s.optional(s.nullable(s.string({ maxLength: 128, singleLine: true }))),
  segmentSeconds: s.optional(s.int({ min: 2, max: 600 })),
  retentionDays: s.optional(s.int({ min: 1, max: 3650 })),
};
export const UnitCreate = s.object(unitFields);
export type UnitCreate = Infer<typeof UnitCreate>;
export const UnitUpdate = s.partial(s.object(unitFields));
export type UnitUpdate = Infer<typeof UnitUpdate>;

/** One of a unit's two links to the server. */
export interface UnitLink {
  online: boolean;
  /** When `online` last changed (UTC ms). */
  sinceMs: number;
}

export const UNIT_LINKS = ['video', 'telemetry'] as const;
export type UnitLinkKind = (typeof UNIT_LINKS)[number];

export interface UnitStatus {
  unitId: number;
  /** Either link is up (a unit sending GPS without video is online, and so is one sending video without GPS). */
  online: boolean;
  /** When `online` last changed (UTC ms). */
  sinceMs: number;
  /** Publishing video to the hub right now. */
  video: UnitLink;
  /** Telemetry (GPS over the unit's WebSocket or HTTP batches) within the freshness window (`unitTelemetryTimeoutMs`). */
  telemetry: UnitLink & { lastSeenMs: number | null };
  /** Address the unit publishes video from, when its video link is up. */
  remoteAddress: string | null;
  bitrateBps: number | null;
  /** State of the unit's recorder. */
  recording: CameraState;
  /** The recorder's last error (English) and the same as a code the console words, or null. */
  lastError: string | null;
  reason: ServerMessage | null;
}

export interface Unit {
  id: number;
  callsign: string;
  type: UnitType;
  officer: string | null;
  enabled: boolean;
  groupName: string | null;
  segmentSeconds: number;
  retentionDays: number;
  /** When the stream key was last set (UTC ms). The key itself is shown only once. */
  keyRotatedMs: number;
  createdMs: number;
  updatedMs: number;
  status: UnitStatus;
  /** The scoped rights the requesting user holds on this unit (its device and channel). */
  myRights?: ScopedRight[];
}

/** Answer to creating a unit or rotating its key: the only time the key is shown. */
export interface UnitKey {
  unit: Unit;
  streamKey: string;
  /** rtmp://HOST:PORT/live/<unitId>?key=<streamKey> as seen from the server's configured public address. */
  publishUrl: string;
}

// ---------- live video ----------
export const STREAM_KINDS = ['main', 'sub'] as const;
export type StreamKind = (typeof STREAM_KINDS)[number];

export const LiveTicketRequest = s.object({
  sourceId: s.int({ min: 1, description: 'camera or unit id' }),
  stream: s.optional(s.enum(STREAM_KINDS)),
});
export type LiveTicketRequest = Infer<typeof LiveTicketRequest>;

/** A short-lived signed URL for one live stream (video elements cannot send the bearer header). */
export interface LiveTicket {
  /** HTTP-FLV URL (path + signed query), relative to the server. */
  flvUrl: string;
  /** WS-FLV URL path (+ signed query), relative to the server (ws: or wss: on the same host). */
  wsFlvUrl: string;
  /** The signature stops being accepted for new connections at this time (UTC ms). */
  expiresMs: number;
  stream: StreamKind;
  /** Codec of the live video served for this ticket when the server knows it ('h264', 'hevc', ...), else null. */
  videoCodec: string | null;
  /** Codec of its audio when known ('aac', 'pcm_alaw', ...); null when unknown or when it has none. */
  audioCodec: string | null;
  /**
   * False when the server cannot bring this source's video to consoles at all (an H.265 camera: ffmpeg 5.1 cannot put
   * H.265 into FLV): the console says so in words instead of retrying.
   */
  relayable: boolean;
}

// ---------- wall layouts (per user) ----------
export const WALL_LAYOUTS = ['1', '4', '9', '16', '1+5', '1+7'] as const;
export type WallLayoutKind = (typeof WALL_LAYOUTS)[number];

/** Number of tiles of each layout. */
export const WALL_TILE_COUNT: Record<WallLayoutKind, number> = { '1': 1, '4': 4, '9': 9, '16': 16, '1+5': 6, '1+7': 8 };

export const WallLayoutBody = s.object({
  name: s.string({ minLength: 1, maxLength: 64, singleLine: true }),
  layout: s.enum(WALL_LAYOUTS),
  /** Source id (camera or unit) per tile, null for an empty tile; at most 16. */
  tiles: s.array(s.nullable(s.int({ min: 1 })), { maxItems: 16 }),
  /** Tour: cycle this group's sources through the tiles every tourSeconds; null/absent = no tour. */
  tourGroup: s.optional(s.nullable(s.string({ maxLength: 128, singleLine: true }))),
  tourSeconds: s.optional(s.nullable(s.int({ min: 5, max: 3600 }))),
});
export type WallLayoutBody = Infer<typeof WallLayoutBody>;

export interface WallLayout {
  id: number;
  name: string;
  layout: WallLayoutKind;
  tiles: Array<number | null>;
  tourGroup: string | null;
  tourSeconds: number | null;
  updatedMs: number;
}
