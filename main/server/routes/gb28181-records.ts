// Routes of GB/T 28181 device recordings (declared in common/endpoints/gb28181-records.ts): ranges on the device, downloads, device playback; recordings.view on the channel.
import * as E from '../../../common/endpoints';
import type { DevicePlaybackControl } from '../../../common/gb28181-records';
import { msg } from '../../../common/messages';
import type { PlaybackCommand } from '../../services/gb28181/records-rtsp';
import { accessOf, needChannel } from '../access-guard';
import { ApiError } from '../errors';
import { actorOf, bind, type Principal, type Route } from '../router';
import type { DepsRef } from './deps';

/** A control body as a MANSRTSP command; a seek needs offsetS, a speed change scale (400 otherwise). */
export function playbackCommand(b: DevicePlaybackControl): PlaybackCommand {
  switch (b.action) {
    case 'play':
      return { kind: 'play' };
    case 'pause':
      return { kind: 'pause' };
    case 'seek':
      if (b.offsetS === undefined) throw ApiError.field('offsetS', msg('schema.required'));
      return { kind: 'seek', offsetS: b.offsetS };
    case 'scale':
      if (b.scale === undefined) throw ApiError.field('scale', msg('schema.required'));
      return { kind: 'scale', scale: b.scale };
  }
}

export function gbRecordsRoutes(deps: DepsRef): Route[] {
  const rec = () => deps().features.gbRecords;
  /** Playing back a channel's recordings, wherever they are kept: 404 when the user may not know the channel, 403 without the right. */
  const need = (ctx: { principal: Principal | null }, id: number) => needChannel(accessOf(deps(), ctx), 'recordings.view', id);
  return [
    bind(E.getChannelsByidDeviceRecords, (ctx) => {
      need(ctx, ctx.params.id);
      return rec().deviceRecords(ctx.params.id, ctx.query.startMs, ctx.query.endMs, ctx.query.type ?? 'all');
    }),
    bind(E.postChannelsByidDeviceDownloads, (ctx) => {
      need(ctx, ctx.params.id);
      return rec().download(ctx.params.id, ctx.body.startMs, ctx.body.endMs, actorOf(ctx));
    }),
    bind(E.getChannelsByidDeviceDownloadsBydownloadId, (ctx) => {
      need(ctx, ctx.params.id);
      return rec().getDownload(ctx.params.id, ctx.params.downloadId);
    }),
    bind(E.deleteChannelsByidDeviceDownloadsBydownloadId, (ctx) => {
      need(ctx, ctx.params.id);
      return rec().cancelDownload(ctx.params.id, ctx.params.downloadId, actorOf(ctx));
    }),
    bind(E.postChannelsByidDevicePlayback, (ctx) => {
      need(ctx, ctx.params.id);
      return rec().openPlayback(ctx.params.id, ctx.body.startMs, ctx.body.endMs, actorOf(ctx));
    }),
    bind(E.postChannelsByidDevicePlaybackBysessionIdControl, (ctx) => {
      need(ctx, ctx.params.id);
      return rec().controlPlayback(ctx.params.id, ctx.params.sessionId, playbackCommand(ctx.body));
    }),
    bind(E.deleteChannelsByidDevicePlaybackBysessionId, (ctx) => {
      need(ctx, ctx.params.id);
      return rec().closePlayback(ctx.params.id, ctx.params.sessionId);
    }),
  ];
}
