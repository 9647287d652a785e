// API routes of Admin → GB/T 28181 (issue 14 item 9): SIP settings, devices, approval, per-device password, catalog refresh, channels (devices.manage; declared in common/endpoints/gb28181.ts).
import * as E from '../../../common/endpoints';
import { msg } from '../../../common/messages';
import { accessOf, needDevice, needGlobal, needNode, onDevice } from '../access-guard';
import { ApiError } from '../errors';
import { actorOf, bind, type Principal, type Route } from '../router';
import type { DepsRef } from './deps';

type Ctx = { principal: Principal | null; params: { id: number }; ip: string };

export function gb28181Routes(deps: DepsRef): Route[] {
  const gb = () => deps().features.gb28181;
  /** devices.manage on the device: 404 (gb.device_not_found) for one the caller may not know, 403 when seen without the right. */
  const needGbDevice = (ctx: Ctx) =>
    needDevice(accessOf(deps(), ctx), 'devices.manage', ctx.params.id, () => ApiError.notFound(msg('gb.device_not_found', { id: ctx.params.id })));
  const audit = (ctx: Ctx, action: string, detail: Record<string, unknown>) =>
    deps().audit.record({ actor: actorOf(ctx), action, targetType: 'device', targetId: ctx.params.id, detail, ip: ctx.ip });
  return [
    bind(E.getGb28181Settings, async (ctx) => {
      needGlobal(accessOf(deps(), ctx), 'devices.manage');
      return gb().settings();
    }),
    bind(E.putGb28181SitePassword, async (ctx) => {
      needGlobal(accessOf(deps(), ctx), 'devices.manage');
      await gb().setSitePassword(ctx.body.password, actorOf(ctx));
      await deps().audit.record({ actor: actorOf(ctx), action: 'gb.site_password', detail: { set: ctx.body.password !== null }, ip: ctx.ip });
    }),
    bind(E.getGb28181Devices, async (ctx) => {
      const a = accessOf(deps(), ctx);
      return (await gb().listDevices(ctx.query)).filter((d) => onDevice(a, 'devices.manage', d.deviceId));
    }),
    bind(E.getGb28181DevicesByid, async (ctx) => {
      needGbDevice(ctx);
      return gb().device(ctx.params.id);
    }),
    bind(E.postGb28181DevicesByidApprove, async (ctx) => {
      needGbDevice(ctx);
      // The node must exist (404 org.node_not_found) and the caller must hold the right there too.
      await deps().devices.read.node(ctx.body.nodeId);
      needNode(accessOf(deps(), ctx), 'devices.manage', ctx.body.nodeId);
      const device = await gb().approve(ctx.params.id, ctx.body.nodeId, ctx.body.name, actorOf(ctx));
      await audit(ctx, 'gb.device.approve', { gbId: device.gbId, name: device.name, nodeId: device.nodeId });
      return device;
    }),
    bind(E.postGb28181DevicesByidReject, async (ctx) => {
      needGbDevice(ctx);
      const before = await gb().device(ctx.params.id);
      await gb().reject(ctx.params.id, actorOf(ctx));
      await audit(ctx, 'gb.device.reject', { gbId: before.gbId, name: before.name, approved: before.approved });
    }),
    bind(E.putGb28181DevicesByidPassword, async (ctx) => {
      needGbDevice(ctx);
      const device = await gb().device(ctx.params.id);
      await gb().setPassword(ctx.params.id, ctx.body.password, actorOf(ctx));
      // Never the password itself: only whether the device now has one of its own.
      await audit(ctx, 'gb.device.password', { gbId: device.gbId, set: ctx.body.password !== null });
    }),
    bind(E.postGb28181DevicesByidCatalog, async (ctx) => {
      needGbDevice(ctx);
      const channels = await gb().refreshCatalog(ctx.params.id, actorOf(ctx));
      const device = await gb().device(ctx.params.id);
      await audit(ctx, 'gb.catalog.refresh', { gbId: device.gbId, channels: channels.length });
      return channels;
    }),
    bind(E.getGb28181DevicesByidChannels, async (ctx) => {
      needGbDevice(ctx);
      return gb().channels(ctx.params.id);
    }),
  ];
}
