// What the alarms feature gets from the back end: the feature context with only the repositories it uses.
import type { FeatureContext } from '../features';

export type AlarmsContext = FeatureContext<'alarms' | 'audit' | 'cameras' | 'gps' | 'org' | 'segments' | 'units' | 'users'>;
