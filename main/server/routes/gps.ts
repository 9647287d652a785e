// API routes of the gps feature (issue 5).
import type { Route } from '../router';
import type { DepsRef } from './deps';

export function gpsRoutes(deps: DepsRef): Route[] {
  void deps;
  return [];
}
