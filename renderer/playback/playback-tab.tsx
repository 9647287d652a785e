// The Playback tab of the workspace (placeholder until its feature lands).
import { ComingLater } from '../workspace/coming-later';

export function PlaybackTab() {
  return <ComingLater feature="tab.playback" description="later.playback" />;
}
