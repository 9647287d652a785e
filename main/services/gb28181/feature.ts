// The GB/T 28181 feature (issue 14): SIP endpoint and registrar for body cameras, NVRs and platforms; the other GB modules build on its signalling.
import { asLog } from '../../../common/log';
import type { Feature } from '../features';
import type { GbContext } from './context';
import type { GbControl } from './control';
import { GbCascades } from './cascade-manager';
import { GbLive } from './live';
import { GbService, type GbServiceDeps } from './service';

export function createGbFeature(ctx: GbContext, deps: GbServiceDeps): Feature<GbControl> & { live: GbLive; cascade: GbCascades } {
  const service = new GbService(ctx, deps);
  const live = new GbLive({
    signalling: service.signalling,
    transportOf: () => ctx.config.gbMediaTransport,
    mediaHost: service.signalling.localHost,
    bindHost: ctx.config.sipBind,
    log: asLog(ctx.log, 'gb28181').child('live'),
    now: ctx.now,
  });
  const cascade = new GbCascades(ctx, service.signalling);
  return {
    control: service,
    live,
    cascade,
    mounts: [],
    start: async () => {
      await service.start();
      live.start();
      await cascade.start();
    },
    close: async () => {
      await cascade.close();
      await live.close();
      await service.close();
    },
  };
}
