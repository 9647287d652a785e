// What the GB/T 28181 feature gets from the back end: the feature context with only the repositories it uses.
import type { FeatureContext } from '../features';

export type GbContext = FeatureContext<'gb' | 'gbCatalog' | 'gbCascade' | 'devices' | 'channels' | 'org'>;
