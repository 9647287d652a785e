// The onvif feature (issue 4): ONVIF: discovery, one-step add, PTZ with control priority, presets, tours, device events, health.
import type { Feature, FeatureContext } from '../features';
import type { OnvifControl } from './control';

export function createOnvifFeature(ctx: FeatureContext): Feature<OnvifControl> {
  void ctx;
  return {
    control: {
      async gotoPreset() {
        throw new Error('PTZ is not available yet');
      },
    },
    mounts: [],
    async start() {},
    async close() {},
  };
}
