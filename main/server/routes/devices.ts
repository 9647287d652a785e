// Routes /devices: list and read (signed in), create rtsp/agent devices, change, move, delete, rotate a key, add channels (devices.manage).
import { API_PREFIX, type CameraCreate } from '../../../common/api';
import { AgentDeviceCreate, DeviceListQuery, DeviceUpdate, RtspChannelCreate, RtspDeviceCreate } from '../../../common/devices';
import { can } from '../../../common/rights';
import { s } from '../../../common/schema';
import type { RtspChannelInput } from '../../services/devices/index';
import { newCameraFromBody } from '../camera-input';
import { actorOf, principalOf, route, type Route } from '../router';
import { IdParams, type DepsRef } from './deps';
import { AgentKeySchema, ChannelSchema, DeviceSchema } from './devices-schemas';

/** Whether the caller sees stream URLs (holders of devices.manage). */
export function withStream(ctx: { principal: Parameters<typeof principalOf>[0]['principal'] }): boolean {
  return can(principalOf(ctx).user, 'devices.manage');
}

/** A channel body with user:password split off its URLs (explicit fields win; url and subUrl must agree), as for /cameras. */
export function rtspChannelInput(b: RtspChannelCreate): RtspChannelInput {
  const c = newCameraFromBody({ name: b.name, url: b.url, subUrl: b.subUrl, username: b.username, password: b.password, transport: b.transport } as CameraCreate, {
    segmentSeconds: 0,
    retentionDays: 0,
  });
  return {
    name: b.name,
    enabled: b.enabled,
    description: b.description,
    recordMode: b.recordMode,
    preAlarmS: b.preAlarmS,
    postAlarmS: b.postAlarmS,
    segmentSeconds: b.segmentSeconds,
    retentionDays: b.retentionDays,
    stream: { url: c.url, subUrl: c.subUrl, username: c.username, password: c.password, transport: c.transport },
  };
}

export function deviceRoutes(deps: DepsRef): Route[] {
  const base = `${API_PREFIX}/devices`;
  return [
    route({
      method: 'GET',
      path: base,
      auth: 'any',
      tag: 'devices',
      summary: 'Devices with their channels and connection state, by id; filters: nodeId (recursive: its subtree), kind, mobile',
      query: DeviceListQuery,
      response: { description: 'devices ordered by id', schema: s.array(DeviceSchema) },
      handler: (ctx) => deps().devices.read.devices(ctx.query, withStream(ctx)),
    }),
    route({
      method: 'GET',
      path: `${base}/:id`,
      auth: 'any',
      tag: 'devices',
      summary: 'One device with its channels',
      params: IdParams,
      response: { description: 'the device', schema: DeviceSchema },
      handler: (ctx) => deps().devices.read.device(ctx.params.id, withStream(ctx)),
    }),
    route({
      method: 'POST',
      path: `${base}/rtsp`,
      auth: 'devices.manage',
      tag: 'devices',
      summary: 'Add an RTSP device with its channels in one step (all or nothing); enabled channels start recording',
      description:
        'The device and its first channel get the same new id. Channel names are unique across Argus (409 device.name_taken, field channels.<i>.name). ' +
        'user:password in a URL are moved to username/password. Defaults per channel: transport tcp, enabled, recordMode continuous, segmentSeconds from the server configuration, retentionDays 30.',
      body: RtspDeviceCreate,
      response: { status: 201, description: 'the new device', schema: DeviceSchema },
      handler: (ctx) => deps().devices.edit.createRtsp({ nodeId: ctx.body.nodeId, name: ctx.body.name, channels: ctx.body.channels.map(rtspChannelInput) }, actorOf(ctx)),
    }),
    route({
      method: 'POST',
      path: `${base}/agent`,
      auth: 'devices.manage',
      tag: 'devices',
      summary: 'Add an agent device (a mobile unit publishing to the hub) with its one channel; the answer shows its stream key, this once',
      description: 'The callsign is the device\'s and the channel\'s name (409 device.callsign_taken / device.name_taken, field callsign). Only the SHA-256 of the key is stored.',
      body: AgentDeviceCreate,
      response: { status: 201, description: 'the new device with its stream key', schema: AgentKeySchema },
      handler: (ctx) => deps().devices.edit.createAgent(ctx.body, actorOf(ctx)),
    }),
    route({
      method: 'PATCH',
      path: `${base}/:id`,
      auth: 'devices.manage',
      tag: 'devices',
      summary: 'Change a device: name, node (moves it with its channels), enabled, mobile identity',
      description: 'Disabling a device stops its recorders (an agent\'s publish is closed). An agent\'s new callsign renames its channel too.',
      params: IdParams,
      body: DeviceUpdate,
      response: { description: 'the device', schema: DeviceSchema },
      handler: (ctx) => deps().devices.edit.update(ctx.params.id, ctx.body, actorOf(ctx)),
    }),
    route({
      method: 'DELETE',
      path: `${base}/:id`,
      auth: 'devices.manage',
      tag: 'devices',
      summary: "Delete a device and its channels' configuration (recorders stop first; recordings stay until retention removes them)",
      params: IdParams,
      response: { status: 204, description: 'deleted' },
      handler: (ctx) => deps().devices.edit.delete(ctx.params.id, actorOf(ctx)),
    }),
    route({
      method: 'POST',
      path: `${base}/:id/rotate-key`,
      auth: 'devices.manage',
      tag: 'devices',
      summary: 'Give an agent device a new stream key (shown this once); the old key stops working and a running publish is closed',
      description: '400 device.not_agent for other kinds.',
      params: IdParams,
      response: { description: 'the device with its new stream key', schema: AgentKeySchema },
      handler: (ctx) => deps().devices.edit.rotateKey(ctx.params.id, actorOf(ctx)),
    }),
    route({
      method: 'POST',
      path: `${base}/:id/channels`,
      auth: 'devices.manage',
      tag: 'devices',
      summary: 'Add a channel to an RTSP device (400 device.not_rtsp for other kinds); it starts recording when enabled',
      params: IdParams,
      body: RtspChannelCreate,
      response: { status: 201, description: 'the new channel', schema: ChannelSchema },
      handler: (ctx) => deps().devices.edit.addChannel(ctx.params.id, rtspChannelInput(ctx.body), actorOf(ctx)),
    }),
  ];
}
