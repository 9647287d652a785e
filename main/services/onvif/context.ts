// What the ONVIF feature gets from the back end: the feature context with only the repositories it uses (channels and devices: a channel's kind picks its PTZ driver).
import type { FeatureContext } from '../features';

export type OnvifContext = FeatureContext<'onvif' | 'cameras' | 'org' | 'users' | 'channels' | 'devices'>;
