// Routes /devices: list and read (signed in), create rtsp/agent devices, change, move, delete, rotate a key, add channels (devices.manage; declared in common/endpoints/devices.ts).
import type { CameraCreate } from '../../../common/api';
import type { RtspChannelCreate } from '../../../common/devices';
import * as E from '../../../common/endpoints';
import { can } from '../../../common/rights';
import type { RtspChannelInput } from '../../services/devices/index';
import { newCameraFromBody } from '../camera-input';
import { actorOf, bind, principalOf, type Route } from '../router';
import type { DepsRef } from './deps';

/** Whether the caller sees stream URLs (holders of devices.manage). */
export function withStream(ctx: { principal: Parameters<typeof principalOf>[0]['principal'] }): boolean {
  return can(principalOf(ctx).user, 'devices.manage');
}

/** A channel body with user:password split off its URLs (explicit fields win; url and subUrl must agree), as for /cameras. */
export function rtspChannelInput(b: RtspChannelCreate): RtspChannelInput {
  const c = newCameraFromBody(
    { name: b.name, url: b.url, subUrl: b.subUrl, username: b.username, password: b.password, transport: b.transport } as CameraCreate,
    {
      segmentSeconds: 0,
      retentionDays: 0,
    },
  );
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
  return [
    bind(E.getDevices, (ctx) => deps().devices.read.devices(ctx.query, withStream(ctx))),
    bind(E.getDevicesByid, (ctx) => deps().devices.read.device(ctx.params.id, withStream(ctx))),
    bind(E.postDevicesRtsp, (ctx) =>
      deps().devices.edit.createRtsp({ nodeId: ctx.body.nodeId, name: ctx.body.name, channels: ctx.body.channels.map(rtspChannelInput) }, actorOf(ctx)),
    ),
    bind(E.postDevicesAgent, (ctx) => deps().devices.edit.createAgent(ctx.body, actorOf(ctx))),
    bind(E.patchDevicesByid, (ctx) => deps().devices.edit.update(ctx.params.id, ctx.body, actorOf(ctx))),
    bind(E.deleteDevicesByid, (ctx) => deps().devices.edit.delete(ctx.params.id, actorOf(ctx))),
    bind(E.postDevicesByidRotateKey, (ctx) => deps().devices.edit.rotateKey(ctx.params.id, actorOf(ctx))),
    bind(E.postDevicesByidChannels, (ctx) => deps().devices.edit.addChannel(ctx.params.id, rtspChannelInput(ctx.body), actorOf(ctx))),
  ];
}
