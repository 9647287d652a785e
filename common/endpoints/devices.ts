// Declarations of the device endpoints /devices (served by main/server/routes/devices.ts).
import { AgentDeviceCreate, DeviceListQuery, DeviceUpdate, RtspChannelCreate, RtspDeviceCreate } from '../devices';
import { endpoint } from '../endpoint';
import { AgentKeySchema, ChannelSchema, DeviceSchema, DevicesSchema } from './device-schemas';
import { IdParams } from './params';

export const getDevices = endpoint({
  method: 'GET',
  path: '/api/v1/devices',
  auth: 'any',
  tag: 'devices',
  summary: 'Devices with their channels and connection state, by id; filters: nodeId (recursive: its subtree), kind, mobile',
  query: DeviceListQuery,
  response: { description: 'devices ordered by id', schema: DevicesSchema },
});

export const getDevicesByid = endpoint({
  method: 'GET',
  path: '/api/v1/devices/:id',
  auth: 'any',
  tag: 'devices',
  summary: 'One device with its channels',
  params: IdParams,
  response: { description: 'the device', schema: DeviceSchema },
});

export const postDevicesRtsp = endpoint({
  method: 'POST',
  path: '/api/v1/devices/rtsp',
  auth: 'devices.manage',
  tag: 'devices',
  summary: 'Add an RTSP device with its channels in one step (all or nothing); enabled channels start recording',
  description:
    'The device and its first channel get the same new id. Channel names are unique across Argus (409 device.name_taken, field channels.<i>.name). ' +
    'user:password in a URL are moved to username/password. Defaults per channel: transport tcp, enabled, recordMode continuous, segmentSeconds from the server configuration, retentionDays 30.',
  body: RtspDeviceCreate,
  response: { status: 201, description: 'the new device', schema: DeviceSchema },
});

export const postDevicesAgent = endpoint({
  method: 'POST',
  path: '/api/v1/devices/agent',
  auth: 'devices.manage',
  tag: 'devices',
  summary: 'Add an agent device (a mobile unit publishing to the hub) with its one channel; the answer shows its stream key, this once',
  description:
    "The callsign is the device's and the channel's name (409 device.callsign_taken / device.name_taken, field callsign). Only the SHA-256 of the key is stored.",
  body: AgentDeviceCreate,
  response: { status: 201, description: 'the new device with its stream key', schema: AgentKeySchema },
});

export const patchDevicesByid = endpoint({
  method: 'PATCH',
  path: '/api/v1/devices/:id',
  auth: 'devices.manage',
  tag: 'devices',
  summary: 'Change a device: name, node (moves it with its channels), enabled, mobile identity',
  description: "Disabling a device stops its recorders (an agent's publish is closed). An agent's new callsign renames its channel too.",
  params: IdParams,
  body: DeviceUpdate,
  response: { description: 'the device', schema: DeviceSchema },
});

export const deleteDevicesByid = endpoint({
  method: 'DELETE',
  path: '/api/v1/devices/:id',
  auth: 'devices.manage',
  tag: 'devices',
  summary: "Delete a device and its channels' configuration (recorders stop first; recordings stay until retention removes them)",
  params: IdParams,
  response: { status: 204, description: 'deleted' },
});

export const postDevicesByidRotateKey = endpoint({
  method: 'POST',
  path: '/api/v1/devices/:id/rotate-key',
  auth: 'devices.manage',
  tag: 'devices',
  summary: 'Give an agent device a new stream key (shown this once); the old key stops working and a running publish is closed',
  description: '400 device.not_agent for other kinds.',
  params: IdParams,
  response: { description: 'the device with its new stream key', schema: AgentKeySchema },
});

export const postDevicesByidChannels = endpoint({
  method: 'POST',
  path: '/api/v1/devices/:id/channels',
  auth: 'devices.manage',
  tag: 'devices',
  summary: 'Add a channel to an RTSP device (400 device.not_rtsp for other kinds); it starts recording when enabled',
  params: IdParams,
  body: RtspChannelCreate,
  response: { status: 201, description: 'the new channel', schema: ChannelSchema },
});
