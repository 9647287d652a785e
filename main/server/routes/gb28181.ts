// API routes of Admin → GB/T 28181 (issue 14 item 9): SIP settings, devices, add, approval, passwords, catalog refresh, channels (devices.manage; declared in common/endpoints/gb28181.ts).
import * as E from '../../../common/endpoints';
import type { GbSettingField, GbSettingsView } from '../../../common/gb28181';
import { msg } from '../../../common/messages';
import { GB28181_SETTINGS } from '../../platform/settings-gb28181';
import type { GbControl } from '../../services/gb28181/control';
import { accessOf, needDevice, needGlobal, needNode, onDevice } from '../access-guard';
import { ApiError } from '../errors';
import { gbDeviceView, gbState, type GbCatalogFacts } from '../gb28181-views';
import { actorOf, bind, type Principal, type Route } from '../router';
import type { DepsRef } from './deps';

type Ctx = { principal: Principal | null; params: { id: number }; ip: string };

/** Where each setting the console shows is changed (argus.json key, environment variable). */
const SETTING_KEYS: Record<GbSettingField, keyof typeof GB28181_SETTINGS> = {
  port: 'sipPort',
  bind: 'sipBind',
  serverId: 'sipServerId',
  domain: 'sipDomain',
  sitePassword: 'sipSitePassword',
  unknownDevices: 'gbUnknownDevices',
};

async function settingsView(gb: GbControl): Promise<GbSettingsView> {
  const s = await gb.settings();
  return {
    port: s.listening ? s.port : null,
    bind: s.host,
    serverId: s.serverId,
    domain: s.domain,
    sitePasswordSet: s.sitePasswordSet,
    unknownDevices: s.unknownDevices,
    where: (Object.keys(SETTING_KEYS) as GbSettingField[]).map((field) => ({
      field,
      key: SETTING_KEYS[field],
      env: GB28181_SETTINGS[SETTING_KEYS[field]].env,
    })),
  };
}

/** When the last catalog answer was applied (complete or partial) and the subscriptions' states. */
function catalogFacts(gb: GbControl, gbId: string): GbCatalogFacts {
  const s = gb.catalogState(gbId);
  return { lastCatalogMs: s.phase === 'complete' || s.phase === 'partial' ? s.finishedMs : null, subscriptions: gb.subscriptionViews(gbId) };
}

export function gb28181Routes(deps: DepsRef): Route[] {
  const gb = () => deps().features.gb;
  /** devices.manage on the device: 404 (gb.device_not_found) for one the caller may not know, 403 when seen without the right. */
  const needGbDevice = (ctx: Ctx) =>
    needDevice(accessOf(deps(), ctx), 'devices.manage', ctx.params.id, () => ApiError.notFound(msg('gb.device_not_found', { id: String(ctx.params.id) })));
  /** devices.manage on a node that exists (404 org.node_not_found first). */
  const needNodeRight = async (ctx: Pick<Ctx, 'principal'>, nodeId: number) => {
    await deps().devices.read.node(nodeId);
    needNode(accessOf(deps(), ctx), 'devices.manage', nodeId);
  };
  const view = async (deviceId: number) => {
    const info = await gb().device(deviceId);
    const device = await deps().devices.read.device(deviceId, false);
    return gbDeviceView(info, device, catalogFacts(gb(), info.gbId));
  };
  return [
    bind(E.getGb28181Settings, async (ctx) => {
      needGlobal(accessOf(deps(), ctx), 'devices.manage');
      return settingsView(gb());
    }),
    bind(E.putGb28181SitePassword, async (ctx) => {
      needGlobal(accessOf(deps(), ctx), 'devices.manage');
      await gb().setSitePassword(ctx.body.password, actorOf(ctx)); // audited there (gb.site_password), never the password
    }),
    bind(E.getGb28181Devices, async (ctx) => {
      const a = accessOf(deps(), ctx);
      const infos = (await gb().list()).filter((d) => onDevice(a, 'devices.manage', d.deviceId) && (!ctx.query.state || gbState(d) === ctx.query.state));
      const devices = new Map((await deps().devices.read.devices({ kind: 'gb28181' }, false)).map((d) => [d.id, d]));
      return infos.map((info) => gbDeviceView(info, devices.get(info.deviceId) ?? null, catalogFacts(gb(), info.gbId)));
    }),
    bind(E.postGb28181Devices, async (ctx) => {
      await needNodeRight(ctx, ctx.body.nodeId);
      const info = await gb().add({ gbId: ctx.body.gbId, name: ctx.body.name, nodeId: ctx.body.nodeId, password: ctx.body.password ?? null }, actorOf(ctx));
      return view(info.deviceId);
    }),
    bind(E.getGb28181DevicesByid, async (ctx) => {
      needGbDevice(ctx);
      return view(ctx.params.id);
    }),
    bind(E.postGb28181DevicesByidApprove, async (ctx) => {
      needGbDevice(ctx);
      // The node must exist and the caller must hold the right there too.
      await needNodeRight(ctx, ctx.body.nodeId);
      const info = await gb().approve(ctx.params.id, ctx.body.nodeId, ctx.body.name ?? null, actorOf(ctx)); // audited there (gb.device_approve)
      // Approved while registered: DeviceInfo, Catalog and the subscriptions start now (else at its next REGISTER).
      gb().startDevice(info.gbId);
      return view(info.deviceId);
    }),
    bind(E.postGb28181DevicesByidReject, async (ctx) => {
      needGbDevice(ctx);
      await gb().reject(ctx.params.id, actorOf(ctx)); // audited there (gb.device_reject)
    }),
    bind(E.putGb28181DevicesByidPassword, async (ctx) => {
      needGbDevice(ctx);
      await gb().setPassword(ctx.params.id, ctx.body.password, actorOf(ctx)); // audited there (gb.device_password), never the password
    }),
    bind(E.postGb28181DevicesByidCatalog, async (ctx) => {
      needGbDevice(ctx);
      const info = await gb().device(ctx.params.id);
      const state = await gb().refreshCatalog(info.gbId);
      const channels = await gb().channelViews(info.gbId);
      await deps().audit.record({
        actor: actorOf(ctx),
        action: 'gb.catalog_refresh',
        targetType: 'device',
        targetId: ctx.params.id,
        detail: { gbId: info.gbId, phase: state.phase, channels: channels.length },
        ip: ctx.ip,
      });
      return channels;
    }),
    bind(E.getGb28181DevicesByidChannels, async (ctx) => {
      needGbDevice(ctx);
      const info = await gb().device(ctx.params.id);
      return gb().channelViews(info.gbId);
    }),
  ];
}
