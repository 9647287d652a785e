// The gps feature (issue 5): mobile units on the map: telemetry ingest, positions, tracks, geofences, map tiles.
import type { Feature, FeatureContext } from '../features';
import type { GpsControl } from './control';

export function createGpsFeature(ctx: FeatureContext): Feature<GpsControl> {
  void ctx;
  return {
    control: {
      async unitsNear() {
        throw new Error('GPS is not available yet');
      },
      async camerasNear() {
        throw new Error('GPS is not available yet');
      },
      async track() {
        throw new Error('GPS is not available yet');
      },
    },
    mounts: [],
    async start() {},
    async close() {},
  };
}
