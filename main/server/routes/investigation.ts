// API routes of the investigation feature (issue 6).
import type { Route } from '../router';
import type { DepsRef } from './deps';

export function investigationRoutes(deps: DepsRef): Route[] {
  void deps;
  return [];
}
