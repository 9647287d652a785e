// API routes of the onvif feature (issue 4).
import type { Route } from '../router';
import type { DepsRef } from './deps';

export function onvifRoutes(deps: DepsRef): Route[] {
  void deps;
  return [];
}
