// Declarations of the channel endpoints /channels (served by main/server/routes/channels.ts); the PTZ aliases are in channels-ptz.ts.
import { ChannelListQuery, ChannelUpdate } from '../devices';
import { endpoint } from '../endpoint';
import { CameraPlacementBody } from '../gps';
import { ChannelSchema, ChannelsSchema } from './device-schemas';
import { IdParams } from './params';

export const getChannels = endpoint({
  method: 'GET',
  path: '/api/v1/channels',
  auth: 'any',
  tag: 'devices',
  summary: 'Channels by id; filters: deviceId, nodeId (its subtree), placed (a fixed place on the map)',
  query: ChannelListQuery,
  response: { description: 'channels ordered by id', schema: ChannelsSchema },
});

export const getChannelsByid = endpoint({
  method: 'GET',
  path: '/api/v1/channels/:id',
  auth: 'any',
  tag: 'devices',
  summary: 'One channel with its recording and live status',
  params: IdParams,
  response: { description: 'the channel', schema: ChannelSchema },
});

export const patchChannelsByid = endpoint({
  method: 'PATCH',
  path: '/api/v1/channels/:id',
  auth: 'devices.manage',
  tag: 'devices',
  summary: 'Change a channel: name, enabled, recording policy, retention, segment length, stream settings (rtsp/onvif channels)',
  description:
    "Only the given fields change; the recorder restarts when needed. password: null removes it. Stream fields on an agent's channel: 400 channel.not_rtsp.",
  params: IdParams,
  body: ChannelUpdate,
  response: { description: 'the channel', schema: ChannelSchema },
});

export const deleteChannelsByid = endpoint({
  method: 'DELETE',
  path: '/api/v1/channels/:id',
  auth: 'devices.manage',
  tag: 'devices',
  summary: "Delete a channel's configuration (its recorder stops first; recordings stay); 400 channel.agent_single for an agent's channel",
  params: IdParams,
  response: { status: 204, description: 'deleted' },
});

export const putChannelsByidPlace = endpoint({
  method: 'PUT',
  path: '/api/v1/channels/:id/place',
  auth: 'devices.manage',
  tag: 'devices',
  summary: "Place a fixed channel on the map with its view direction (400 channel.mobile_place for a mobile device's channel)",
  params: IdParams,
  body: CameraPlacementBody,
  response: { description: 'the channel', schema: ChannelSchema },
});

export const deleteChannelsByidPlace = endpoint({
  method: 'DELETE',
  path: '/api/v1/channels/:id/place',
  auth: 'devices.manage',
  tag: 'devices',
  summary: 'Take a channel off the map',
  params: IdParams,
  response: { description: 'the channel', schema: ChannelSchema },
});
