// Response schemas of the device model's endpoints (org, devices, channels) for OpenAPI; the views themselves are typed in common/devices.ts.
import { CAMERA_STATES, TRANSPORTS } from '../../../common/api';
import { CONNECTION_STATES, DEVICE_KINDS, MOBILE_TYPES, RECORD_MODES } from '../../../common/devices';
import { s, type JsonSchema, type Schema } from '../../../common/schema';

const nullableString = s.nullable(s.string());
const nullableInt = s.nullable(s.int());
const nullableNumber = s.nullable(s.number());

const message: Schema<unknown> = {
  json: { type: 'object', required: ['code', 'params'], properties: { code: { type: 'string' }, params: { type: 'object' } }, description: 'a registered message (common/messages.ts)' },
  isOptional: false,
  check: (v) => v,
};
const nullable = (x: Schema<unknown>): Schema<unknown> => s.nullable(x) as Schema<unknown>;

export const OrgCountsSchema = s.object(
  { devices: s.int(), devicesOnline: s.int(), channels: s.int(), channelsLive: s.int(), channelsRecording: s.int() },
  'subtree totals of a node',
);

export const OrgNodeSchema = s.object(
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

export const OrgTreeSchema = s.object({ nodes: s.array(OrgNodeSchema) });

export const ChannelRefSchema = s.object({ channelId: s.int(), deviceId: s.int(), name: s.string() });

export const OrgSearchHitSchema: JsonSchema = {
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

export const ChannelStatusSchema = s.object({
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
export const DeviceStatusSchema = s.object({
  deviceId: s.int(),
  state: s.enum(CONNECTION_STATES),
  reason: nullable(message),
  sinceMs: s.int(),
  online: s.boolean(),
  links: s.object({ video: s.optional(link), telemetry: s.optional(link), control: s.optional(link) }),
  remoteAddress: nullableString,
});

export const ChannelSchema = s.object(
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

export const DeviceSchema = s.object(
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
    channels: s.array(ChannelSchema),
  },
  'A device with its channels and connection state.',
);

export const AgentKeySchema = s.object(
  {
    device: DeviceSchema,
    streamKey: s.string({ description: 'shown only in this answer; only its SHA-256 is stored' }),
    publishUrl: s.string({ description: 'rtmp://HOST:PORT/live/<deviceId>?key=<streamKey>' }),
  },
  'The only answer that shows an agent device\'s stream key (creating it, rotating its key).',
);

