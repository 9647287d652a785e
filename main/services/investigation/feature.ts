// The investigation feature (issue 6): investigators: playback, search, bookmarks, cases, legal hold, export, snapshots.
import type { PlaceQueries } from '../contracts';
import type { Feature, FeatureContext } from '../features';
import type { InvestigationControl } from './control';

export function createInvestigationFeature(ctx: FeatureContext, links: { places: PlaceQueries }): Feature<InvestigationControl> {
  void ctx;
  void links;
  return {
    control: {
      async createBookmark() {
        throw new Error('bookmarks are not available yet');
      },
      async takeSnapshot() {
        throw new Error('snapshots are not available yet');
      },
    },
    mounts: [],
    async start() {},
    async close() {},
  };
}
