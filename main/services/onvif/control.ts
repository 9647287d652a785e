// What route handlers and other features may ask of the onvif feature (issue 4).
import type { PtzActions } from '../contracts';

export interface OnvifControl extends PtzActions {}
