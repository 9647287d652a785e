// API routes of the alarms feature (issue 7).
import type { Route } from '../router';
import type { DepsRef } from './deps';

export function alarmsRoutes(deps: DepsRef): Route[] {
  void deps;
  return [];
}
