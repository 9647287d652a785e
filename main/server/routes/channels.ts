// Routes /channels: list and read (signed in); change, delete and place on the map (devices.manage; declared in common/endpoints/channels.ts).
import type { CameraUpdate } from '../../../common/api';
import type { ChannelUpdate } from '../../../common/devices';
import * as E from '../../../common/endpoints';
import type { ChannelChange } from '../../services/devices/index';
import { cameraPatchFromBody } from '../camera-input';
import { actorOf, bind, type Route } from '../router';
import type { DepsRef } from './deps';
import { withStream } from './devices';

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
    bind(E.getChannels, (ctx) => deps().devices.read.channels(ctx.query, withStream(ctx))),
    bind(E.getChannelsByid, (ctx) => deps().devices.read.channelView(ctx.params.id, withStream(ctx))),
    bind(E.patchChannelsByid, (ctx) => deps().devices.edit.updateChannel(ctx.params.id, channelChange(ctx.body), actorOf(ctx))),
    bind(E.deleteChannelsByid, (ctx) => deps().devices.edit.deleteChannel(ctx.params.id, actorOf(ctx))),
    bind(E.putChannelsByidPlace, (ctx) =>
      deps().devices.edit.place(ctx.params.id, { lat: ctx.body.lat, lon: ctx.body.lon, viewDeg: ctx.body.viewDeg }, actorOf(ctx)),
    ),
    bind(E.deleteChannelsByidPlace, (ctx) => deps().devices.edit.place(ctx.params.id, null, actorOf(ctx))),
  ];
}
