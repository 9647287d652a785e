// Routes of the cascade to superior GB/T 28181 platforms (admins: devices.manage; shared channels need devices.manage on each); declared in common/endpoints/gb28181-cascade.ts.
import * as E from '../../../common/endpoints';
import { msg } from '../../../common/messages';
import { accessOf, needChannel } from '../access-guard';
import { ApiError } from '../errors';
import { actorOf, bind, type Route } from '../router';
import type { DepsRef } from './deps';

export function gbCascadeRoutes(deps: DepsRef): Route[] {
  const view = async (id: number) => {
    const v = (await deps().features.gbCascade.list()).find((p) => p.id === id);
    if (!v) throw ApiError.notFound(msg('gb.upper_not_found', { id }));
    return v;
  };
  return [
    bind(E.getGb28181UpperPlatforms, async () => deps().features.gbCascade.list()),
    bind(E.postGb28181UpperPlatforms, async (ctx) => {
      const row = await deps().features.gbCascade.create(ctx.body, actorOf(ctx));
      return view(row.id);
    }),
    bind(E.putGb28181UpperPlatformsByid, async (ctx) => {
      await deps().features.gbCascade.update(ctx.params.id, ctx.body, actorOf(ctx));
      return view(ctx.params.id);
    }),
    bind(E.deleteGb28181UpperPlatformsByid, async (ctx) => {
      await deps().features.gbCascade.remove(ctx.params.id, actorOf(ctx));
    }),
    bind(E.putGb28181UpperPlatformsByidChannels, async (ctx) => {
      const a = accessOf(deps(), ctx);
      for (const c of ctx.body.channels) needChannel(a, 'devices.manage', c.channelId);
      await deps().features.gbCascade.setShared(ctx.params.id, ctx.body.channels, actorOf(ctx));
    }),
  ];
}
