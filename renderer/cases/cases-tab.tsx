// The Cases tab of the workspace (placeholder until its feature lands).
import { ComingLater } from '../workspace/coming-later';

export function CasesTab() {
  return <ComingLater feature="tab.cases" description="later.cases" />;
}
