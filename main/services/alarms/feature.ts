// The alarms feature (issue 7): alarm center: alarms, linkage rules, escalation, delivery.
import type { EvidenceActions, PtzActions } from '../contracts';
import type { Feature, FeatureContext } from '../features';
import type { AlarmControl } from './control';

export function createAlarmFeature(ctx: FeatureContext, links: { ptz: PtzActions; evidence: EvidenceActions }): Feature<AlarmControl> {
  void ctx;
  void links;
  return {
    control: {},
    mounts: [],
    async start() {},
    async close() {},
  };
}
