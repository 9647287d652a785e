// The GB/T 28181 feature (issue 14): SIP endpoint and registrar for body cameras, NVRs and platforms; the other GB modules build on its signalling.
import type { Feature } from '../features';
import type { GbContext } from './context';
import type { GbControl } from './control';
import { GbService, type GbServiceDeps } from './service';

export function createGbFeature(ctx: GbContext, deps: GbServiceDeps): Feature<GbControl> {
  const service = new GbService(ctx, deps);
  return {
    control: service,
    mounts: [],
    start: () => service.start(),
    close: () => service.close(),
  };
}
