// Repository interfaces: the only way the rest of Argus reaches stored data (SQLite today, PostgreSQL later).
import type { AccessRepo } from './repos/access';
import type { AlarmRepo } from './repos/alarms';
import type { AlarmWindowRepo } from './repos/alarm-windows';
import type { AgentRepo, ChannelRepo, DeviceRepo, OrgRepo, RtspRepo } from './repos/devices';
import type { GbCatalogRepo } from './repos/gb-catalog';
import type { GpsRepo } from './repos/gps';
import type { InvestigationRepo } from './repos/investigation';
import type { OnvifRepo } from './repos/onvif';
import type { GbRepo } from './repos/gb28181';
import type { AuditEntry, AuditQuery, Role, SegmentState, Transport, UnitType } from '../common/api';
import type { WallStateRepo } from './repos/wall-states';
import type { AuditCheckpoint, ChainRow, CheckpointReason } from './audit-chain';
import type { FactorRepo } from './repos/factors';
import type { GbRecordsRepo } from './repos/gb-records';
import type { GbCascadeRepo } from './repos/gb-cascade';

/** 'rtsp': a fixed camera recorded from its URL; 'uplink': a mobile unit publishing to the media hub (see UnitRepo); 'gb28181': a channel of a GB/T 28181 device (INVITE). */
export type CameraKind = 'rtsp' | 'uplink' | 'gb28181';

/** The url of every uplink row (units have no stream URL: they publish to Argus). */
export const UPLINK_URL = 'uplink:';

export interface CameraRow {
  id: number;
  kind: CameraKind;
  name: string;
  url: string;
  subUrl: string | null;
  username: string | null;
  password: string | null;
  transport: Transport;
  enabled: boolean;
  segmentSeconds: number;
  retentionDays: number;
  groupName: string | null;
  description: string | null;
  createdMs: number;
  updatedMs: number;
}

/** A new fixed camera (kind 'rtsp'; uplink rows are created by UnitRepo). */
export type NewCamera = Omit<CameraRow, 'id' | 'kind' | 'createdMs' | 'updatedMs'>;

/**
 * Every video source row: fixed cameras and the rows of mobile units (kind 'uplink'), which share one id space so
 * that segments, retention and recovery treat them alike. Callers that mean fixed cameras filter on kind.
 */
export interface CameraRepo {
  /** All rows of both kinds, ordered by id. */
  list(): Promise<CameraRow[]>;
  get(id: number): Promise<CameraRow | null>;
  /** The row of either kind with this name (camera names and unit callsigns share one namespace). */
  getByName(name: string): Promise<CameraRow | null>;
  /** Creates a kind 'rtsp' row. Throws StorageError code 'conflict' (field 'name') on a duplicate name. */
  create(c: NewCamera, nowMs: number): Promise<CameraRow>;
  /** Returns null when the camera does not exist. Throws 'conflict' on a duplicate name. The kind never changes. */
  update(id: number, patch: Partial<NewCamera>, nowMs: number): Promise<CameraRow | null>;
  /** Deletes the camera row; its segments rows stay (recordings outlive the camera config). Returns false if absent. */
  delete(id: number): Promise<boolean>;
}

export interface UnitRow {
  /** The id of the unit's cameras row (kind 'uplink'). */
  id: number;
  /** = cameras.name. */
  callsign: string;
  type: UnitType;
  officer: string | null;
  enabled: boolean;
  groupName: string | null;
  segmentSeconds: number;
  retentionDays: number;
  /** SHA-256 hex of the stream key. */
  streamKeyHash: string;
  keyRotatedMs: number;
  createdMs: number;
  updatedMs: number;
}

export type NewUnit = Omit<UnitRow, 'id' | 'keyRotatedMs' | 'createdMs' | 'updatedMs'>;
/** Fields a unit update may change (the key changes only through setKey). */
export type UnitPatch = Partial<Omit<NewUnit, 'streamKeyHash'>>;

export interface UnitRepo {
  list(): Promise<UnitRow[]>;
  get(id: number): Promise<UnitRow | null>;
  /**
   * Creates the cameras row (kind 'uplink', url UPLINK_URL) and the units row in one transaction; keyRotatedMs =
   * nowMs. Throws 'conflict' (field 'callsign') when a camera or unit already has that name.
   */
  create(u: NewUnit, nowMs: number): Promise<UnitRow>;
  /** Returns null when the unit does not exist. Throws 'conflict' (field 'callsign') on a duplicate name. */
  update(id: number, patch: UnitPatch, nowMs: number): Promise<UnitRow | null>;
  /** Replaces the stream key hash; keyRotatedMs = updatedMs = nowMs. Null when the unit does not exist. */
  setKey(id: number, streamKeyHash: string, nowMs: number): Promise<UnitRow | null>;
  /** Deletes the unit (both rows); its segments stay. Returns false if absent. */
  delete(id: number): Promise<boolean>;
}

export interface WallLayoutRow {
  id: number;
  userId: number;
  name: string;
  /** The stored layout document (parsed JSON). */
  json: unknown;
  updatedMs: number;
}

export interface LayoutRepo {
  /** The user's layouts ordered by name. */
  listForUser(userId: number): Promise<WallLayoutRow[]>;
  /** Inserts or replaces the user's layout of that name. */
  upsert(userId: number, name: string, json: unknown, nowMs: number): Promise<WallLayoutRow>;
  /** Deletes the layout only if it belongs to the user. Returns false otherwise. */
  delete(userId: number, id: number): Promise<boolean>;
}

export interface SegmentRow {
  id: number;
  cameraId: number;
  /** Path relative to the recordings root, with forward slashes. */
  relPath: string;
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
  recovered: boolean;
}

export type NewSegment = Omit<SegmentRow, 'id'>;

export interface SegmentRepo {
  /** Inserts one row; relPath is unique (throws 'conflict' on duplicates). */
  insert(seg: NewSegment): Promise<SegmentRow>;
  /** Bulk insert in one transaction (benchmarks, recovery). */
  insertMany(segs: NewSegment[]): Promise<void>;
  /** Updates the given fields of a row (used to close a 'writing' row). */
  update(id: number, patch: Partial<Omit<SegmentRow, 'id' | 'cameraId' | 'relPath'>>): Promise<void>;
  get(id: number): Promise<SegmentRow | null>;
  getByPath(relPath: string): Promise<SegmentRow | null>;
  /** Segments of one camera overlapping [startMs, endMs), ordered by startMs. Served by an index. */
  listRange(cameraId: number, startMs: number, endMs: number, limit: number): Promise<SegmentRow[]>;
  /** All rows in state 'writing' (crash recovery). */
  listWriting(): Promise<SegmentRow[]>;
  /** The relPaths of one camera's segments (crash recovery scan of that camera's directory). */
  listPaths(cameraId: number): Promise<Set<string>>;
  /** Every camera id that has segments, including cameras deleted since (retention of their recordings). */
  listCameraIds(): Promise<number[]>;
  /**
   * Oldest deletable segments first: state 'closed', not protected, optionally only of one camera
   * and ending before `endBeforeMs`.
   */
  listOldestDeletable(opts: { cameraId?: number; endBeforeMs?: number; limit: number }): Promise<SegmentRow[]>;
  deleteByIds(ids: number[]): Promise<void>;
  /** Sum of sizeBytes over all rows. */
  totalBytes(): Promise<number>;
  setProtected(ids: number[], value: boolean): Promise<void>;
}

export interface EventRow {
  id: number;
  cameraId: number | null;
  type: string;
  state: string | null;
  startMs: number;
  endMs: number | null;
  detail: unknown;
}

export interface EventRepo {
  insert(e: Omit<EventRow, 'id'>): Promise<EventRow>;
  listRange(opts: { cameraId?: number; type?: string; startMs: number; endMs: number; limit: number }): Promise<EventRow[]>;
}

export interface UserRow {
  id: number;
  username: string;
  /** "scrypt$N$r$p$saltB64$hashB64" */
  passwordHash: string;
  role: Role;
  displayName: string;
  disabled: boolean;
  createdMs: number;
  /** Set by an administrator's reset or the generated first password: only a password change is allowed until then. */
  mustChangePassword: boolean;
  /** When the password last changed; null = never since creation. */
  passwordChangedMs: number | null;
}

/** A new user: the password-change fields default to false / null. */
export type NewUserRow = Omit<UserRow, 'id' | 'mustChangePassword' | 'passwordChangedMs'> & Partial<Pick<UserRow, 'mustChangePassword' | 'passwordChangedMs'>>;

export interface UserRepo {
  count(): Promise<number>;
  list(): Promise<UserRow[]>;
  get(id: number): Promise<UserRow | null>;
  getByUsername(username: string): Promise<UserRow | null>;
  /** Throws 'conflict' (field 'username') on a duplicate. */
  create(u: NewUserRow): Promise<UserRow>;
  update(id: number, patch: Partial<Omit<UserRow, 'id' | 'username' | 'createdMs'>>): Promise<UserRow | null>;
}

export interface SessionRow {
  /** SHA-256 hex of the bearer token; the token itself is never stored. */
  tokenHash: string;
  userId: number;
  createdMs: number;
  expiresMs: number;
  lastSeenMs: number;
  /** Client address of the sign-in ('' for sessions older than migration 017). */
  address: string;
  /** User-Agent of the sign-in, at most 256 characters ('' when none was sent). */
  userAgent: string;
}

export interface SessionRepo {
  create(s: SessionRow): Promise<void>;
  get(tokenHash: string): Promise<SessionRow | null>;
  /** The user's sessions (expired ones included until purged), newest first. */
  listForUser(userId: number): Promise<SessionRow[]>;
  /** Whether the user signed in successfully from this address before (login_addresses). */
  isKnownAddress(userId: number, address: string): Promise<boolean>;
  /** Records a successful sign-in from the address; keeps the user's `keep` most recent addresses. */
  rememberAddress(userId: number, address: string, nowMs: number, keep: number): Promise<void>;
  touch(tokenHash: string, lastSeenMs: number, expiresMs: number): Promise<void>;
  delete(tokenHash: string): Promise<void>;
  deleteForUser(userId: number): Promise<void>;
  deleteExpired(nowMs: number): Promise<number>;
}

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

/** The last entry of the audit chain (id 0 and the genesis hash when empty). */
export interface ChainHead {
  id: number;
  hash: string;
}

/** Signs a checkpoint's payload (checkpointPayload of storage/audit-chain.ts) with the site key. */
export type CheckpointSigner = (c: Pick<AuditCheckpoint, 'lastId' | 'hash' | 'tsMs' | 'reason'>) => { signature: string; keyFingerprint: string };

/** The hash-chained audit trail (docs/design/audit.md). */
export interface AuditRepo {
  /** Appends one entry, chained to the previous (appends from every caller run one after the other). */
  append(e: NewAuditEntry): Promise<void>;
  query(q: AuditQuery): Promise<AuditEntry[]>;
  /** Stored rows with their hash columns, id order, after `afterId` (verification). */
  chainRows(afterId: number, limit: number): Promise<ChainRow[]>;
  checkpoints(): Promise<AuditCheckpoint[]>;
  lastCheckpoint(): Promise<AuditCheckpoint | null>;
  chainHead(): Promise<ChainHead>;
  /** Called after each append (the checkpointer counts rows). */
  onAppended(listener: (head: ChainHead) => void): () => void;
  /** Signs and stores a checkpoint of the stored head; null when the last checkpoint already covers it. */
  addCheckpoint(reason: CheckpointReason, tsMs: number, signer: CheckpointSigner): Promise<AuditCheckpoint | null>;
  /** Chains the rows written before migration 016, once (the first start); returns how many. */
  prepareChain(nowMs: number): Promise<number>;
}

/** Everything the server needs from storage. */
export interface Store {
  /** The organisation tree (docs/design/devices.md). */
  org: OrgRepo;
  /** Devices (rtsp, onvif, agent, later gb28181, jt808) and the id counter. */
  devices: DeviceRepo;
  /** Channels: what is recorded, watched and played back. */
  channels: ChannelRepo;
  /** Stream URLs and credentials of rtsp/onvif channels (the RTSP source adapter's table). */
  rtsp: RtspRepo;
  /** Stream keys of agent devices. */
  agents: AgentRepo;
  /** Deprecated compat view over channels (kept until the old /cameras paths go). */
  cameras: CameraRepo;
  /** Deprecated compat view over agent devices (kept until the old /units paths go). */
  units: UnitRepo;
  layouts: LayoutRepo;
  wallStates: WallStateRepo;
  segments: SegmentRepo;
  events: EventRepo;
  onvif: OnvifRepo;
  /** GB/T 28181 devices' registrar facts and passwords, the site password (migration 021). */
  gb: GbRepo;
  gps: GpsRepo;
  investigation: InvestigationRepo;
  alarms: AlarmRepo;
  /** Alarm windows of channels (record_mode alarm: what retention keeps). */
  alarmWindows: AlarmWindowRepo;
  users: UserRepo;
  sessions: SessionRepo;
  audit: AuditRepo;
  /** Access control: grants, groups, home nodes, device users (docs/design/access.md). */
  access: AccessRepo;
  /** Sign-in factors (TOTP, recovery codes) and directory accounts (migration 018). */
  factors: FactorRepo;
  /** GB/T 28181 catalog items of devices (migration 022). */
  gbCatalog: GbCatalogRepo;
  /** Downloads of GB/T 28181 device recordings and the segments they wrote (migration 023). */
  gbRecords: GbRecordsRepo;
  /** Superior GB/T 28181 platforms (cascade) and the channels shared with them (migration 024). */
  gbCascade: GbCascadeRepo;
  close(): Promise<void>;
}

export type StorageErrorCode = 'conflict' | 'not_found' | 'io';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    /** The field a conflict is about, e.g. 'name'. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}
