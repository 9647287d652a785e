// The Alarms tab of the workspace (placeholder until its feature lands).
import { ComingLater } from '../workspace/coming-later';

export function AlarmsTab() {
  return <ComingLater feature="tab.alarms" description="later.alarms" />;
}
