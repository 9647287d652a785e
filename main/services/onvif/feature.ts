// The onvif feature (issue 4): ONVIF: discovery, one-step add, PTZ with control priority, presets, tours, device events, health.
import type { PtzDriver } from '../contracts';
import type { Feature } from '../features';
import type { OnvifContext } from './context';
import type { OnvifControl } from './control';
import { OnvifService } from './service';

/** `opts.ptzDrivers`: PTZ drivers of other device kinds (GB/T 28181 ...), driven by the same controller, presets and tours. */
export function createOnvifFeature(ctx: OnvifContext, opts: { ptzDrivers?: readonly PtzDriver[] } = {}): Feature<OnvifControl> {
  const service = new OnvifService(ctx, opts.ptzDrivers);
  return {
    control: service,
    mounts: [],
    start: () => service.start(),
    close: () => service.close(),
  };
}
