// Routes /channels: list and read (the channels a user sees); change, delete and place on the map (devices.manage on it; declared in common/endpoints/channels.ts).
import type { CameraUpdate } from '../../../common/api';
import type { ChannelUpdate } from '../../../common/devices';
import * as E from '../../../common/endpoints';
import type { ChannelChange } from '../../services/devices/index';
import { cameraPatchFromBody } from '../camera-input';
import { actorOf, bind, type Route } from '../router';
import type { DepsRef } from './deps';
import { msg } from '../../../common/messages';
import { accessOf, channelFor, needChannel, seesChannel } from '../access-guard';
import { ApiError } from '../errors';

/** A channel change with user:password split off new URLs (as PATCH /cameras does). */
function channelChange(b: ChannelUpdate): ChannelChange {
  const { url, subUrl, username, password, transport, ...own } = b;
  const stream = cameraPatchFromBody({ url, subUrl, username, password, transport } as CameraUpdate);
  const out: ChannelChange = { ...own };
  if (Object.keys(stream).length > 0) out.stream = stream;
  return out;
}

export function channelRoutes(deps: DepsRef): Route[] {
  return [
    bind(E.getChannels, async (ctx) => {
      const a = accessOf(deps(), ctx);
      return (await deps().devices.read.channels(ctx.query, true)).filter((c) => seesChannel(a, c.id)).map((c) => channelFor(a, c));
    }),
    bind(E.getChannelsByid, async (ctx) => {
      const a = accessOf(deps(), ctx);
      if (!seesChannel(a, ctx.params.id)) throw ApiError.notFound(msg('channel.not_found', { id: ctx.params.id }));
      return channelFor(a, await deps().devices.read.channelView(ctx.params.id, true));
    }),
    bind(E.patchChannelsByid, (ctx) => {
      needChannel(accessOf(deps(), ctx), 'devices.manage', ctx.params.id);
      return deps().devices.edit.updateChannel(ctx.params.id, channelChange(ctx.body), actorOf(ctx));
    }),
    bind(E.deleteChannelsByid, (ctx) => {
      needChannel(accessOf(deps(), ctx), 'devices.manage', ctx.params.id);
      return deps().devices.edit.deleteChannel(ctx.params.id, actorOf(ctx));
    }),
    bind(E.putChannelsByidPlace, (ctx) => {
      needChannel(accessOf(deps(), ctx), 'devices.manage', ctx.params.id);
      return deps().devices.edit.place(ctx.params.id, { lat: ctx.body.lat, lon: ctx.body.lon, viewDeg: ctx.body.viewDeg }, actorOf(ctx));
    }),
    bind(E.deleteChannelsByidPlace, (ctx) => {
      needChannel(accessOf(deps(), ctx), 'devices.manage', ctx.params.id);
      return deps().devices.edit.place(ctx.params.id, null, actorOf(ctx));
    }),
  ];
}
