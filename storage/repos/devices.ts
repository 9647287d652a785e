// Repository interfaces of the device model (docs/design/devices.md): organisation tree, devices, channels, adapter rows.
import type { Transport } from '../../common/api';
import type { DeviceKind, DeviceView, MobileIdentity, MobileType, RecordMode } from '../../common/devices';

// ---------- organisation tree ----------

/** One node of the organisation tree (table org_nodes). The root has id 1 (ROOT_NODE_ID), parentId null, depth 0. */
export interface OrgNodeRow {
  id: number;
  parentId: number | null;
  /** 1–128 characters, unique among siblings; '' only for an unnamed root (the console words it). */
  name: string;
  /** GB/T 2260 civil code or 20-digit GB/T 28181 organisation code (2–20 digits), unique; null when not set. */
  code: string | null;
  /** Ids from the root to this node, both included (the stored materialised path '/1/4/9/' parsed). */
  path: number[];
  /** 0 for the root, at most ORG_MAX_DEPTH (15). */
  depth: number;
  sortOrder: number;
  createdMs: number;
  updatedMs: number;
}

export interface NewOrgNode {
  parentId: number;
  name: string;
  code?: string | null;
  sortOrder?: number;
}

/** Fields an update may change; parentId moves the node with its whole subtree (one transaction). */
export type OrgNodePatch = Partial<{ parentId: number; name: string; code: string | null; sortOrder: number }>;

/** Why the tree refused a change (invariant 10); the device service maps it to its org.* message codes. */
export type OrgTreeRefusal =
  /** The root cannot be moved, deleted or given a parent. */
  | 'root'
  /** The new parent is the node itself or one of its descendants. */
  | 'cycle'
  /** The change would put a node deeper than ORG_MAX_DEPTH. */
  | 'too_deep'
  /** The node still has child nodes or devices. */
  | 'not_empty'
  /** The parent named by a create or a move does not exist. */
  | 'parent_not_found';

/** Thrown by OrgRepo for a change the tree's rules refuse (nothing is changed). */
export class OrgTreeError extends Error {
  constructor(
    readonly reason: OrgTreeRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'OrgTreeError';
  }
}

export interface OrgRepo {
  /** Every node, in tree order: depth-first from the root, siblings by sortOrder, then name, then id. */
  list(): Promise<OrgNodeRow[]>;
  get(id: number): Promise<OrgNodeRow | null>;
  /** The node and all nodes below it, in tree order; empty when the node does not exist. */
  subtree(id: number): Promise<OrgNodeRow[]>;
  /** The child of `parentId` with exactly this name, or null (old group names are the root's children). */
  childByName(parentId: number, name: string): Promise<OrgNodeRow | null>;
  /**
   * Creates a node under an existing parent. Throws OrgTreeError 'parent_not_found' / 'too_deep', StorageError
   * 'conflict' (field 'name') when a sibling has the name, (field 'code') when another node has the code.
   */
  create(n: NewOrgNode, nowMs: number): Promise<OrgNodeRow>;
  /**
   * Renames, recodes, reorders and/or moves a node (with its subtree: paths and depths rewritten in one transaction).
   * Returns null when the node does not exist. Throws OrgTreeError 'root' (moving the root), 'cycle', 'too_deep',
   * 'parent_not_found'; StorageError 'conflict' (field 'name' / 'code').
   */
  update(id: number, patch: OrgNodePatch, nowMs: number): Promise<OrgNodeRow | null>;
  /** Deletes an empty node. False when absent; throws OrgTreeError 'root' or 'not_empty' (child nodes or devices). */
  delete(id: number): Promise<boolean>;
}

// ---------- devices ----------

/** One device (table devices): the API's DeviceView (common/devices.ts, fields documented there) without its live status and channels. */
export type DeviceRow = Omit<DeviceView, 'status' | 'channels'>;

export interface NewDevice {
  nodeId: number;
  kind: DeviceKind;
  name: string;
  code?: string | null;
  vendor?: string;
  model?: string;
  firmware?: string;
  serial?: string;
  /** Default true. */
  enabled?: boolean;
  /** Default true. */
  approved?: boolean;
  mobile?: MobileIdentity | null;
}

/**
 * Fields a device update may change (the kind never changes here). `mobile: null` removes the mobile identity
 * (refused by the table for an agent); the flat callsign/mobileType/officer/plate change one part of it.
 */
export type DevicePatch = Partial<{
  nodeId: number;
  name: string;
  code: string | null;
  vendor: string;
  model: string;
  firmware: string;
  serial: string;
  enabled: boolean;
  approved: boolean;
  mobile: MobileIdentity | null;
  callsign: string;
  mobileType: MobileType;
  officer: string | null;
  plate: string | null;
  /**
   * Also renames the device's channel 1 in the same transaction (an agent's channel carries its callsign; a
   * single-channel device its name): the device and channel names never disagree after a failed rename.
   */
  firstChannelName: string;
}>;

/** A device with its channels, as createWithChannels and getWithChannels return it. */
export interface DeviceWithChannels {
  device: DeviceRow;
  /** Ordered by ordinal. */
  channels: ChannelRow[];
}

/** What createWithChannels inserts in one transaction. */
export interface NewDeviceWithChannels {
  device: NewDevice;
  /** Channel ordinals are 1, 2, ... in this order; an agent device must have exactly one. */
  channels: NewChannel[];
  /** The agent_devices row (kind 'agent' only, where it is required). */
  agent?: { streamKeyHash: string };
}

export interface DeviceRepo {
  /** All devices, ordered by id. */
  list(): Promise<DeviceRow[]>;
  get(id: number): Promise<DeviceRow | null>;
  getWithChannels(id: number): Promise<DeviceWithChannels | null>;
  /** The device (any kind) whose mobile identity has this callsign. */
  getByCallsign(callsign: string): Promise<DeviceRow | null>;
  /** The device of this kind with this external code (GB device ID, JT/T phone number). */
  getByCode(kind: DeviceKind, code: string): Promise<DeviceRow | null>;
  /**
   * Creates the device, its channels, their rtsp_channels rows (channels with `rtsp`), the agent_devices row and
   * advances the id counter, all in ONE transaction (all or nothing). Ids come from the counter (invariant 2): the
   * device and its first channel get the same number N, further channels N+1, N+2, ...; the counter never goes back.
   * Throws StorageError 'not_found' (field 'nodeId') for a missing node; 'conflict' with field 'name' (a channel
   * name is taken), 'callsign' or 'code'.
   */
  createWithChannels(input: NewDeviceWithChannels, nowMs: number): Promise<DeviceWithChannels>;
  /**
   * Null when absent. Moving (nodeId) takes all its channels along. Throws StorageError 'not_found' (field 'nodeId'),
   * 'conflict' (field 'callsign' / 'code').
   */
  update(id: number, patch: DevicePatch, nowMs: number): Promise<DeviceRow | null>;
  /**
   * Deletes the device with its configuration: channels, adapter rows, PTZ presets and tours. Evidence (segments,
   * events, bookmarks, snapshots, alarms, GPS points, audit) stays (invariant 6). False when absent.
   */
  delete(id: number): Promise<boolean>;
  /** The number the next created device or channel gets (the counter; diagnostics and tests). */
  nextId(): Promise<number>;
}

// ---------- channels ----------

/** A fixed channel's place on the map. */
export interface ChannelPlace {
  lat: number;
  lon: number;
  /** Bearing of the view cone in degrees, null when unknown. */
  viewDeg: number | null;
}

/** One channel (table channels): what is recorded, watched, played back, exported, steered. */
export interface ChannelRow {
  id: number;
  deviceId: number;
  /** 1.. within the device. */
  ordinal: number;
  /** Unique across Argus in this release (invariant 12). */
  name: string;
  /** GB 20-digit channel ID, null otherwise. */
  code: string | null;
  enabled: boolean;
  recordMode: RecordMode;
  preAlarmS: number;
  postAlarmS: number;
  segmentSeconds: number;
  retentionDays: number;
  /** PTZ capability (the driver is chosen by the device's kind). */
  ptz: boolean;
  /** Last known stream facts (lower-case codec name, e.g. 'h264'). */
  videoCodec: string | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  place: ChannelPlace | null;
  description: string | null;
  createdMs: number;
  updatedMs: number;
}

/** The stream columns of a channel of an rtsp or onvif device (table rtsp_channels). */
export interface RtspChannelRow {
  channelId: number;
  url: string;
  subUrl: string | null;
  username: string | null;
  /** In clear in memory; stored sealed with the secrets key (rtsp_channels.password_enc, storage/sqlite/secrets.ts). */
  password: string | null;
  transport: Transport;
}

export type NewRtspChannel = Omit<RtspChannelRow, 'channelId'>;

export interface NewChannel {
  name: string;
  code?: string | null;
  /** Default true. */
  enabled?: boolean;
  /** Default 'continuous'. */
  recordMode?: RecordMode;
  /** Default 10. */
  preAlarmS?: number;
  /** Default 30. */
  postAlarmS?: number;
  segmentSeconds: number;
  retentionDays: number;
  /** Default false. */
  ptz?: boolean;
  videoCodec?: string | null;
  width?: number | null;
  height?: number | null;
  fps?: number | null;
  place?: ChannelPlace | null;
  description?: string | null;
  /** The stream row, for channels of rtsp and onvif devices. */
  rtsp?: NewRtspChannel;
}

/** Fields a channel update may change (never its device: invariant 1; the place through setPlace). */
export type ChannelPatch = Partial<
  Pick<
    ChannelRow,
    | 'name'
    | 'code'
    | 'enabled'
    | 'recordMode'
    | 'preAlarmS'
    | 'postAlarmS'
    | 'segmentSeconds'
    | 'retentionDays'
    | 'ptz'
    | 'videoCodec'
    | 'width'
    | 'height'
    | 'fps'
    | 'description'
  >
>;

export interface ChannelRepo {
  /** All channels, ordered by id. */
  list(): Promise<ChannelRow[]>;
  /** The channels of one device, ordered by ordinal. */
  listByDevice(deviceId: number): Promise<ChannelRow[]>;
  get(id: number): Promise<ChannelRow | null>;
  getByName(name: string): Promise<ChannelRow | null>;
  /**
   * Adds a channel to an existing device: id from the counter, ordinal = the device's highest + 1, its rtsp row
   * when given, in one transaction. Throws StorageError 'not_found' (field 'deviceId'), 'conflict' (field 'name'); a
   * plain Error for an agent device (it has exactly one channel, invariant 13: callers check first).
   */
  create(deviceId: number, ch: NewChannel, nowMs: number): Promise<ChannelRow>;
  /** Null when absent. Throws StorageError 'conflict' (field 'name'). */
  update(id: number, patch: ChannelPatch, nowMs: number): Promise<ChannelRow | null>;
  /** Sets (or with null clears) the fixed map place. False when the channel does not exist. */
  setPlace(id: number, place: ChannelPlace | null, nowMs: number): Promise<boolean>;
  /**
   * Deletes the channel's configuration (its rtsp/onvif rows, presets, tours go with it); its recordings and other
   * evidence stay (invariant 6). The device stays, even without channels. False when absent.
   */
  delete(id: number): Promise<boolean>;
}

/** The rtsp_channels rows: read by the RTSP source adapter and the ONVIF adapter only. */
export interface RtspRepo {
  list(): Promise<RtspChannelRow[]>;
  get(channelId: number): Promise<RtspChannelRow | null>;
  /** Inserts or replaces the row of an existing channel. Throws StorageError 'not_found' (field 'channelId'). */
  set(channelId: number, row: NewRtspChannel): Promise<RtspChannelRow>;
  /** Changes some fields of an existing row; null when the channel has none. */
  update(channelId: number, patch: Partial<NewRtspChannel>): Promise<RtspChannelRow | null>;
  delete(channelId: number): Promise<boolean>;
}

/** The agent_devices row of an agent device (today's unit key columns). */
export interface AgentDeviceRow {
  deviceId: number;
  /** SHA-256 hex of the stream key. */
  streamKeyHash: string;
  keyRotatedMs: number;
}

export interface AgentRepo {
  list(): Promise<AgentDeviceRow[]>;
  get(deviceId: number): Promise<AgentDeviceRow | null>;
  /** Replaces the key hash; keyRotatedMs = the device's updatedMs = nowMs. Null when the device has no agent row. */
  setKey(deviceId: number, streamKeyHash: string, nowMs: number): Promise<AgentDeviceRow | null>;
}
