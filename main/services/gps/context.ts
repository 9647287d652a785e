// What the GPS and map feature gets from the back end: the feature context with only the repositories it uses (devices: mobile devices of every kind are units).
import type { FeatureContext } from '../features';

export type GpsContext = FeatureContext<'gps' | 'cameras' | 'units' | 'devices' | 'channels'>;
