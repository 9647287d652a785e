// Routes /devices: list and read (what the user sees), create rtsp/agent devices, change, move, delete, rotate a key, add channels (devices.manage on the node; declared in common/endpoints/devices.ts).
import type { CameraCreate } from '../../../common/api';
import type { RtspChannelCreate } from '../../../common/devices';
import * as E from '../../../common/endpoints';
import { accessOf, deviceFor, needDevice, needNode, seesDevice } from '../access-guard';
import type { RtspChannelInput } from '../../services/devices/index';
import { msg } from '../../../common/messages';
import { newCameraFromBody } from '../camera-input';
import { ApiError } from '../errors';
import { actorOf, bind, type Route } from '../router';
import type { DepsRef } from './deps';

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
    bind(E.getDevices, async (ctx) => {
      const a = accessOf(deps(), ctx);
      return (await deps().devices.read.devices(ctx.query, true)).filter((d) => seesDevice(a, d.id)).map((d) => deviceFor(a, d));
    }),
    bind(E.getDevicesByid, async (ctx) => {
      const a = accessOf(deps(), ctx);
      if (!seesDevice(a, ctx.params.id)) throw ApiError.notFound(msg('device.not_found', { id: ctx.params.id }));
      return deviceFor(a, await deps().devices.read.device(ctx.params.id, true));
    }),
    bind(E.postDevicesRtsp, (ctx) => {
      needNode(accessOf(deps(), ctx), 'devices.manage', ctx.body.nodeId);
      return deps().devices.edit.createRtsp({ nodeId: ctx.body.nodeId, name: ctx.body.name, channels: ctx.body.channels.map(rtspChannelInput) }, actorOf(ctx));
    }),
    bind(E.postDevicesAgent, (ctx) => {
      needNode(accessOf(deps(), ctx), 'devices.manage', ctx.body.nodeId);
      return deps().devices.edit.createAgent(ctx.body, actorOf(ctx));
    }),
    bind(E.patchDevicesByid, (ctx) => {
      const a = accessOf(deps(), ctx);
      needDevice(a, 'devices.manage', ctx.params.id);
      // Moving a device needs the right where it goes too.
      if (ctx.body.nodeId !== undefined) needNode(a, 'devices.manage', ctx.body.nodeId);
      return deps().devices.edit.update(ctx.params.id, ctx.body, actorOf(ctx));
    }),
    bind(E.deleteDevicesByid, (ctx) => {
      needDevice(accessOf(deps(), ctx), 'devices.manage', ctx.params.id);
      return deps().devices.edit.delete(ctx.params.id, actorOf(ctx));
    }),
    bind(E.postDevicesByidRotateKey, (ctx) => {
      needDevice(accessOf(deps(), ctx), 'devices.manage', ctx.params.id);
      return deps().devices.edit.rotateKey(ctx.params.id, actorOf(ctx));
    }),
    bind(E.postDevicesByidChannels, (ctx) => {
      needDevice(accessOf(deps(), ctx), 'devices.manage', ctx.params.id);
      return deps().devices.edit.addChannel(ctx.params.id, rtspChannelInput(ctx.body), actorOf(ctx));
    }),
  ];
}
