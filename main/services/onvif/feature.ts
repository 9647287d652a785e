// The onvif feature (issue 4): ONVIF: discovery, one-step add, PTZ with control priority, presets, tours, device events, health.
import type { Feature } from '../features';
import type { OnvifContext } from './context';
import type { OnvifControl } from './control';
import { OnvifService } from './service';

export function createOnvifFeature(ctx: OnvifContext): Feature<OnvifControl> {
  const service = new OnvifService(ctx);
  return {
    control: service,
    mounts: [],
    start: () => service.start(),
    close: () => service.close(),
  };
}
