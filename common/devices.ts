// Devices, channels and the organisation tree: API bodies (validated with common/schema.ts), views and events.
import { checkStreamUrl, type CameraState, type Transport } from './api';
import type { ServerMessage } from './messages';
import { s, type Infer } from './schema';

export const DEVICE_KINDS = ['rtsp', 'onvif', 'agent', 'gb28181', 'jt808'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
export const MOBILE_TYPES = ['vehicle', 'body', 'handheld', 'portable'] as const; // = UNIT_TYPES
export type MobileType = (typeof MOBILE_TYPES)[number];
export const RECORD_MODES = ['continuous', 'alarm', 'off'] as const;
export type RecordMode = (typeof RECORD_MODES)[number];
export const CONNECTION_STATES = ['connecting', 'online', 'reconnecting', 'failed', 'offline', 'awaiting_approval', 'disabled'] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];
export const LINK_KINDS = ['video', 'telemetry', 'control'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];
export const ORG_MAX_DEPTH = 15;
export const ROOT_NODE_ID = 1;

// ---------- organisation ----------
export interface OrgCounts {
  devices: number;
  devicesOnline: number;
  channels: number;
  channelsLive: number;
  channelsRecording: number;
}
export interface OrgNodeView {
  id: number;
  parentId: number | null;
  /** '' for an unnamed root: the console words it. */
  name: string;
  code: string | null;
  /** Ids from the root to this node, both included. */
  path: number[];
  sortOrder: number;
  /** Subtree totals. */
  counts: OrgCounts;
}
export interface OrgTree {
  nodes: OrgNodeView[];
}
const nodeName = s.string({ minLength: 1, maxLength: 128, singleLine: true });
const orgCode = s.string({ minLength: 2, maxLength: 20, pattern: /^\d+$/, description: 'civil code (2-8 digits) or 20-digit GB/T 28181 code' });
export const OrgNodeCreate = s.object({
  parentId: s.int({ min: 1 }),
  name: nodeName,
  code: s.optional(s.nullable(orgCode)),
  sortOrder: s.optional(s.int({ min: 0, max: 1_000_000 })),
});
export type OrgNodeCreate = Infer<typeof OrgNodeCreate>;
export const OrgNodeUpdate = s.partial(
  s.object({ parentId: s.int({ min: 1 }), name: nodeName, code: s.nullable(orgCode), sortOrder: s.int({ min: 0, max: 1_000_000 }) }),
);
export type OrgNodeUpdate = Infer<typeof OrgNodeUpdate>;
export type OrgSearchHit =
  | { kind: 'node'; id: number; name: string; code: string | null; path: number[] }
  | { kind: 'device'; id: number; name: string; code: string | null; callsign: string | null; path: number[] }
  | { kind: 'channel'; id: number; deviceId: number; name: string; code: string | null; path: number[] };
export interface ChannelRef {
  channelId: number;
  deviceId: number;
  name: string;
}

// ---------- devices ----------
export interface MobileIdentity {
  callsign: string;
  type: MobileType;
  officer: string | null;
  plate: string | null;
}
export interface DeviceLink {
  online: boolean;
  sinceMs: number;
}
export interface DeviceStatus {
  deviceId: number;
  state: ConnectionState;
  reason: ServerMessage | null;
  sinceMs: number;
  online: boolean;
  links: Partial<Record<LinkKind, DeviceLink>>;
  remoteAddress: string | null;
}
/** A device as the API shows it: its stored fields (storage's DeviceRow is this without status and channels), live status and channels. */
export interface DeviceView {
  id: number;
  nodeId: number;
  /** Never changes, except onvif → rtsp when the ONVIF link is removed (invariant 5). */
  kind: DeviceKind;
  name: string;
  /** External identity, unique per kind (GB device ID, JT/T phone number); null for rtsp, onvif and agent. */
  code: string | null;
  vendor: string;
  model: string;
  firmware: string;
  serial: string;
  /** May connect at all (an agent may publish, a camera is dialled). */
  enabled: boolean;
  /** False = awaiting approval (GB/JT devices that announced themselves). */
  approved: boolean;
  /** The mobile identity (callsign unique among all devices); required for kind 'agent'. A device is mobile when it is set. */
  mobile: MobileIdentity | null;
  createdMs: number;
  updatedMs: number;
  status: DeviceStatus;
  channels: ChannelView[];
}
const deviceName = s.string({ minLength: 1, maxLength: 128, singleLine: true });
const callsign = s.string({ minLength: 1, maxLength: 32, pattern: /^[\p{L}\p{N} _.-]+$/u });
const policyFields = {
  recordMode: s.optional(s.enum(RECORD_MODES)),
  preAlarmS: s.optional(s.int({ min: 0, max: 300 })),
  postAlarmS: s.optional(s.int({ min: 0, max: 3600 })),
  segmentSeconds: s.optional(s.int({ min: 2, max: 600 })),
  retentionDays: s.optional(s.int({ min: 1, max: 3650 })),
};
const streamUrl = s.string({
  minLength: 1,
  maxLength: 2048,
  refine: checkStreamUrl,
  description: 'rtsp:// or rtsps:// URL; user:password in it are moved to username/password',
});
export const RtspChannelCreate = s.object({
  name: s.string({ minLength: 1, maxLength: 64, singleLine: true }),
  url: streamUrl,
  subUrl: s.optional(s.nullable(streamUrl)),
  username: s.optional(s.nullable(s.string({ maxLength: 128 }))),
  password: s.optional(s.nullable(s.string({ maxLength: 256, description: 'write-only' }))),
  transport: s.optional(s.enum(['tcp', 'udp'] as const satisfies readonly Transport[])),
  enabled: s.optional(s.boolean()),
  description: s.optional(s.nullable(s.string({ maxLength: 1024 }))),
  ...policyFields,
});
export type RtspChannelCreate = Infer<typeof RtspChannelCreate>;
export const RtspDeviceCreate = s.object({ nodeId: s.int({ min: 1 }), name: deviceName, channels: s.array(RtspChannelCreate, { maxItems: 64 }) });
export type RtspDeviceCreate = Infer<typeof RtspDeviceCreate>;
export const AgentDeviceCreate = s.object({
  nodeId: s.int({ min: 1 }),
  callsign,
  type: s.enum(MOBILE_TYPES),
  officer: s.optional(s.nullable(s.string({ maxLength: 128, singleLine: true }))),
  plate: s.optional(s.nullable(s.string({ maxLength: 16, singleLine: true }))),
  enabled: s.optional(s.boolean()),
  ...policyFields,
});
export type AgentDeviceCreate = Infer<typeof AgentDeviceCreate>;
export const DeviceUpdate = s.partial(
  s.object({
    name: deviceName,
    nodeId: s.int({ min: 1 }),
    enabled: s.boolean(),
    callsign,
    type: s.enum(MOBILE_TYPES),
    officer: s.nullable(s.string({ maxLength: 128, singleLine: true })),
    plate: s.nullable(s.string({ maxLength: 16, singleLine: true })),
  }),
);
export type DeviceUpdate = Infer<typeof DeviceUpdate>;
export interface AgentKey {
  device: DeviceView;
  streamKey: string;
  publishUrl: string;
}

// ---------- channels ----------
export interface ChannelStatus {
  channelId: number;
  recording: CameraState;
  live: boolean | null;
  lastError: string | null;
  reason: ServerMessage | null;
  bitrateBps: number | null;
  sinceMs: number;
  failures: number;
  nextRetryMs: number | null;
}
export interface ChannelView {
  id: number;
  deviceId: number;
  ordinal: number;
  name: string;
  code: string | null;
  enabled: boolean;
  recordMode: RecordMode;
  preAlarmS: number;
  postAlarmS: number;
  segmentSeconds: number;
  retentionDays: number;
  ptz: boolean;
  hasSub: boolean;
  videoCodec: string | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  /** Fixed place on the map; null for unplaced channels and for channels of mobile devices (drawn at the device). */
  place: { lat: number; lon: number; viewDeg: number | null } | null;
  description: string | null;
  /** rtsp/onvif only, for devices.manage holders: URLs without credentials. */
  stream: { url: string; subUrl: string | null; username: string | null; hasPassword: boolean; transport: Transport } | null;
  createdMs: number;
  updatedMs: number;
  status: ChannelStatus;
}
export const ChannelUpdate = s.partial(
  s.object({
    name: s.string({ minLength: 1, maxLength: 64, singleLine: true }),
    enabled: s.boolean(),
    description: s.nullable(s.string({ maxLength: 1024 })),
    url: streamUrl,
    subUrl: s.nullable(streamUrl),
    username: s.nullable(s.string({ maxLength: 128 })),
    password: s.nullable(s.string({ maxLength: 256 })),
    transport: s.enum(['tcp', 'udp'] as const),
    recordMode: s.enum(RECORD_MODES),
    preAlarmS: s.int({ min: 0, max: 300 }),
    postAlarmS: s.int({ min: 0, max: 3600 }),
    segmentSeconds: s.int({ min: 2, max: 600 }),
    retentionDays: s.int({ min: 1, max: 3650 }),
  }),
);
export type ChannelUpdate = Infer<typeof ChannelUpdate>;

// ---------- events ----------
export type DevicesServerEvent =
  | { type: 'device.changed'; device: DeviceView }
  | { type: 'device.deleted'; deviceId: number }
  | { type: 'device.status'; status: DeviceStatus }
  | { type: 'channel.changed'; channel: ChannelView }
  | { type: 'channel.deleted'; channelId: number; deviceId: number }
  | { type: 'channel.status'; status: ChannelStatus }
  | { type: 'org.changed'; tree: OrgTree }
  | { type: 'org.counts'; counts: Array<{ nodeId: number; counts: OrgCounts }> };

export const DEVICES_EVENT_TYPES: Record<DevicesServerEvent['type'], true> = {
  'device.changed': true,
  'device.deleted': true,
  'device.status': true,
  'channel.changed': true,
  'channel.deleted': true,
  'channel.status': true,
  'org.changed': true,
  'org.counts': true,
};

// ---------- queries ----------
const flag = s.optional(s.boolean());
export const DeviceListQuery = s.object({ nodeId: s.optional(s.int({ min: 1 })), recursive: flag, kind: s.optional(s.enum(DEVICE_KINDS)), mobile: flag });
export type DeviceListQuery = Infer<typeof DeviceListQuery>;
export const ChannelListQuery = s.object({ deviceId: s.optional(s.int({ min: 1 })), nodeId: s.optional(s.int({ min: 1 })), placed: flag });
export type ChannelListQuery = Infer<typeof ChannelListQuery>;
export const NodeChannelsQuery = s.object({ recursive: flag });
export type NodeChannelsQuery = Infer<typeof NodeChannelsQuery>;
export const OrgSearchQuery = s.object({ q: s.string({ minLength: 1, maxLength: 128 }), limit: s.optional(s.int({ min: 1, max: 500 })) });
export type OrgSearchQuery = Infer<typeof OrgSearchQuery>;
