// Response schemas of the device model's endpoints (org, devices, channels): JSON schemas for OpenAPI, typed with the views of common/devices.ts.
import { CAMERA_STATES, TRANSPORTS } from '../api';
import type { AgentKey, ChannelRef, ChannelView, DeviceView, OrgNodeView, OrgSearchHit, OrgTree } from '../devices';
import { CONNECTION_STATES, DEVICE_KINDS, MOBILE_TYPES, RECORD_MODES } from '../devices';
import { s, type JsonSchema, type Schema } from '../schema';

/** A checked schema typed as the view it describes (its check is the real one: tests parse answers with it). */
const viewOf = <T>(schema: Schema<unknown>): Schema<T> => schema as Schema<T>;

const nullableString = s.nullable(s.string());
const nullableInt = s.nullable(s.int());
const nullableNumber = s.nullable(s.number());

const message: Schema<unknown> = {
  json: {
    type: 'object',
    required: ['code', 'params'],
    properties: { code: { type: 'string' }, params: { type: 'object' } },
    description: 'a registered message (common/messages.ts)',
  },
  isOptional: false,
  check: (v) => v,
};
const nullable = (x: Schema<unknown>): Schema<unknown> => s.nullable(x) as Schema<unknown>;

export const OrgCountsSchema = s.object(
  { devices: s.int(), devicesOnline: s.int(), channels: s.int(), channelsLive: s.int(), channelsRecording: s.int() },
  'subtree totals of a node',
);

const OrgNodeObject = s.object(
  {
    id: s.int(),
    parentId: nullableInt,
    name: s.string({ description: "'' for an unnamed root (the console words it)" }),
    code: nullableString,
    path: s.array(s.int()),
    sortOrder: s.int(),
    counts: OrgCountsSchema,
  },
  'A node of the organisation tree with its subtree counts.',
);

export const OrgNodeSchema = viewOf<OrgNodeView>(OrgNodeObject);
export const OrgTreeSchema = viewOf<OrgTree>(s.object({ nodes: s.array(OrgNodeObject) }));

export const ChannelRefsSchema = viewOf<ChannelRef[]>(s.array(s.object({ channelId: s.int(), deviceId: s.int(), name: s.string() })));

const OrgSearchHitJson: JsonSchema = {
  type: 'object',
  description: 'a node, device or channel whose name, code, callsign, serial or plate contains the text; path = node ids from the root',
  required: ['kind', 'id', 'name', 'code', 'path'],
  properties: {
    kind: { type: 'string', enum: ['node', 'device', 'channel'] },
    id: { type: 'integer' },
    deviceId: { type: 'integer', description: 'channels only' },
    name: { type: 'string' },
    code: { type: 'string', nullable: true },
    callsign: { type: 'string', nullable: true, description: 'devices only' },
    path: { type: 'array', items: { type: 'integer' } },
  },
};

const ChannelStatusSchema = s.object({
  channelId: s.int(),
  recording: s.enum(CAMERA_STATES),
  live: s.nullable(s.boolean()),
  lastError: nullableString,
  reason: nullable(message),
  bitrateBps: nullableNumber,
  sinceMs: s.int(),
  failures: s.int(),
  nextRetryMs: nullableInt,
});

const link = s.object({ online: s.boolean(), sinceMs: s.int() });
const DeviceStatusSchema = s.object({
  deviceId: s.int(),
  state: s.enum(CONNECTION_STATES),
  reason: nullable(message),
  sinceMs: s.int(),
  online: s.boolean(),
  links: s.object({ video: s.optional(link), telemetry: s.optional(link), control: s.optional(link) }),
  remoteAddress: nullableString,
});

const ChannelObject = s.object(
  {
    id: s.int({ description: 'channel id = the camera id of the old API (segments, timeline, playback, live tickets use it)' }),
    deviceId: s.int(),
    ordinal: s.int(),
    name: s.string(),
    code: nullableString,
    enabled: s.boolean(),
    recordMode: s.enum(RECORD_MODES),
    preAlarmS: s.int(),
    postAlarmS: s.int(),
    segmentSeconds: s.int(),
    retentionDays: s.int(),
    ptz: s.boolean(),
    hasSub: s.boolean(),
    videoCodec: nullableString,
    width: nullableInt,
    height: nullableInt,
    fps: nullableNumber,
    place: s.nullable(s.object({ lat: s.number(), lon: s.number(), viewDeg: nullableNumber })),
    description: nullableString,
    stream: s.nullable(
      s.object(
        { url: s.string(), subUrl: nullableString, username: nullableString, hasPassword: s.boolean(), transport: s.enum(TRANSPORTS) },
        'rtsp/onvif channels, only for holders of devices.manage; the password is write-only',
      ),
    ),
    createdMs: s.int(),
    updatedMs: s.int(),
    status: ChannelStatusSchema,
  },
  'A channel: one video source of a device (what is recorded, watched, played back).',
);

const DeviceObject = s.object(
  {
    id: s.int({ description: 'device id; an agent device has the same id as its channel (= the old unit id)' }),
    nodeId: s.int(),
    kind: s.enum(DEVICE_KINDS),
    name: s.string(),
    code: nullableString,
    vendor: s.string(),
    model: s.string(),
    firmware: s.string(),
    serial: s.string(),
    enabled: s.boolean(),
    approved: s.boolean(),
    mobile: s.nullable(s.object({ callsign: s.string(), type: s.enum(MOBILE_TYPES), officer: nullableString, plate: nullableString })),
    createdMs: s.int(),
    updatedMs: s.int(),
    status: DeviceStatusSchema,
    channels: s.array(ChannelObject),
  },
  'A device with its channels and connection state.',
);

const AgentKeyObject = s.object(
  {
    device: DeviceObject,
    streamKey: s.string({ description: 'shown only in this answer; only its SHA-256 is stored' }),
    publishUrl: s.string({ description: 'rtmp://HOST:PORT/live/<deviceId>?key=<streamKey>' }),
  },
  "The only answer that shows an agent device's stream key (creating it, rotating its key).",
);

export const OrgSearchHitsSchema = viewOf<OrgSearchHit[]>({ json: { type: 'array', items: OrgSearchHitJson }, isOptional: false, check: (v) => v });
export const ChannelSchema = viewOf<ChannelView>(ChannelObject);
export const ChannelsSchema = viewOf<ChannelView[]>(s.array(ChannelObject));
export const DeviceSchema = viewOf<DeviceView>(DeviceObject);
export const DevicesSchema = viewOf<DeviceView[]>(s.array(DeviceObject));
export const AgentKeySchema = viewOf<AgentKey>(AgentKeyObject);
