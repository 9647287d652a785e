// What the investigation feature gets from the back end: the feature context with only the repositories it uses.
import type { FeatureContext } from '../features';

export type InvestigationContext = FeatureContext<'investigation' | 'segments' | 'events' | 'cameras' | 'units' | 'audit'>;
