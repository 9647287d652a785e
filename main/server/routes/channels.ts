// Routes /channels: list and read (signed in); change, delete and place on the map (devices.manage).
import { API_PREFIX, type CameraUpdate } from '../../../common/api';
import { ChannelListQuery, ChannelUpdate } from '../../../common/devices';
import { CameraPlacementBody } from '../../../common/gps';
import { s } from '../../../common/schema';
import type { ChannelChange } from '../../services/devices/index';
import { cameraPatchFromBody } from '../camera-input';
import { actorOf, route, type Route } from '../router';
import { IdParams, type DepsRef } from './deps';
import { withStream } from './devices';
import { ChannelSchema } from './devices-schemas';

/** A channel change with user:password split off new URLs (as PATCH /cameras does). */
function channelChange(b: ChannelUpdate): ChannelChange {
  const { url, subUrl, username, password, transport, ...own } = b;
  const stream = cameraPatchFromBody({ url, subUrl, username, password, transport } as CameraUpdate);
  const out: ChannelChange = { ...own };
  if (Object.keys(stream).length > 0) out.stream = stream;
  return out;
}

export function channelRoutes(deps: DepsRef): Route[] {
  const base = `${API_PREFIX}/channels`;
  return [
    route({
      method: 'GET',
      path: base,
      auth: 'any',
      tag: 'devices',
      summary: 'Channels by id; filters: deviceId, nodeId (its subtree), placed (a fixed place on the map)',
      query: ChannelListQuery,
      response: { description: 'channels ordered by id', schema: s.array(ChannelSchema) },
      handler: (ctx) => deps().devices.read.channels(ctx.query, withStream(ctx)),
    }),
    route({
      method: 'GET',
      path: `${base}/:id`,
      auth: 'any',
      tag: 'devices',
      summary: 'One channel with its recording and live status',
      params: IdParams,
      response: { description: 'the channel', schema: ChannelSchema },
      handler: (ctx) => deps().devices.read.channelView(ctx.params.id, withStream(ctx)),
    }),
    route({
      method: 'PATCH',
      path: `${base}/:id`,
      auth: 'devices.manage',
      tag: 'devices',
      summary: 'Change a channel: name, enabled, recording policy, retention, segment length, stream settings (rtsp/onvif channels)',
      description: 'Only the given fields change; the recorder restarts when needed. password: null removes it. Stream fields on an agent\'s channel: 400 channel.not_rtsp.',
      params: IdParams,
      body: ChannelUpdate,
      response: { description: 'the channel', schema: ChannelSchema },
      handler: (ctx) => deps().devices.edit.updateChannel(ctx.params.id, channelChange(ctx.body), actorOf(ctx)),
    }),
    route({
      method: 'DELETE',
      path: `${base}/:id`,
      auth: 'devices.manage',
      tag: 'devices',
      summary: "Delete a channel's configuration (its recorder stops first; recordings stay); 400 channel.agent_single for an agent's channel",
      params: IdParams,
      response: { status: 204, description: 'deleted' },
      handler: (ctx) => deps().devices.edit.deleteChannel(ctx.params.id, actorOf(ctx)),
    }),
    route({
      method: 'PUT',
      path: `${base}/:id/place`,
      auth: 'devices.manage',
      tag: 'devices',
      summary: 'Place a fixed channel on the map with its view direction (400 channel.mobile_place for a mobile device\'s channel)',
      params: IdParams,
      body: CameraPlacementBody,
      response: { description: 'the channel', schema: ChannelSchema },
      handler: (ctx) => deps().devices.edit.place(ctx.params.id, { lat: ctx.body.lat, lon: ctx.body.lon, viewDeg: ctx.body.viewDeg }, actorOf(ctx)),
    }),
    route({
      method: 'DELETE',
      path: `${base}/:id/place`,
      auth: 'devices.manage',
      tag: 'devices',
      summary: 'Take a channel off the map',
      params: IdParams,
      response: { description: 'the channel', schema: ChannelSchema },
      handler: (ctx) => deps().devices.edit.place(ctx.params.id, null, actorOf(ctx)),
    }),
  ];
}
