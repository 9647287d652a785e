// The Map tab of the workspace (placeholder until its feature lands).
import { ComingLater } from '../workspace/coming-later';

export function MapTab() {
  return <ComingLater feature="tab.map" description="later.map" />;
}
