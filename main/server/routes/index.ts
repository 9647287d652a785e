// The API route table: handlers bound to the declarations of common/endpoints/ (served by the router, documented by OpenAPI, iterated by the auth tests).
import * as E from '../../../common/endpoints';
import { ALL_ENDPOINTS } from '../../../common/endpoints';
import { buildOpenApi } from '../openapi';
import { bind, checkBindings, type Route } from '../router';
import { accessRoutes } from './access';
import { alarmsRoutes } from './alarms';
import { auditChainRoutes } from './audit-chain';
import { authRoutes } from './auth';
import { cameraRoutes } from './cameras';
import { channelPtzAliases, channelRoutes, deviceRoutes, orgRoutes } from './devices-all';
import type { DepsRef } from './deps';
import { gb28181Routes } from './gb28181';
import { gbCascadeRoutes } from './gb28181-cascade';
import { gbControlRoutes } from './gb28181-control';
import { gbRecordsRoutes } from './gb28181-records';
import { gpsRoutes } from './gps';
import { investigationRoutes } from './investigation';
import { layoutRoutes } from './layouts';
import { liveRoutes } from './live';
import { miscRoutes } from './misc';
import { onvifRoutes } from './onvif';
import { unitRoutes } from './units';
import { sessionRoutes } from './sessions';
import { userRoutes } from './users';
import { factorRoutes } from './factors';
import { wallStateRoutes } from './wall-state';

export function apiRoutes(deps: DepsRef): Route[] {
  const routes: Route[] = [
    ...miscRoutes(deps),
    ...auditChainRoutes(deps),
    ...authRoutes(deps),
    ...sessionRoutes(deps),
    ...cameraRoutes(deps),
    ...unitRoutes(deps),
    ...liveRoutes(deps),
    ...layoutRoutes(deps),
    ...wallStateRoutes(deps),
    ...userRoutes(deps),
    ...factorRoutes(deps),
    ...onvifRoutes(deps),
    ...gpsRoutes(deps),
    ...investigationRoutes(deps),
    ...alarmsRoutes(deps),
    ...orgRoutes(deps),
    ...deviceRoutes(deps),
    ...channelRoutes(deps),
    ...accessRoutes(deps),
    ...gb28181Routes(deps),
    ...gbControlRoutes(deps),
    ...gbCascadeRoutes(deps),
    ...gbRecordsRoutes(deps),
  ];
  routes.push(...channelPtzAliases(routes));
  let doc: Record<string, unknown> | null = null;
  routes.push(bind(E.getOpenapiJson, () => (doc ??= buildOpenApi(routes))));
  // A route without a declaration, or a declaration without a route, fails at start.
  checkBindings(routes, ALL_ENDPOINTS);
  return routes;
}

/** The route table for documentation and tests: handlers must not be called. */
export function documentedRoutes(): Route[] {
  return apiRoutes(() => {
    throw new Error('route table built for documentation only');
  });
}

/** The OpenAPI document of the API (what GET /api/v1/openapi.json serves and docs/openapi.json holds). */
export function openApiDocument(): Record<string, unknown> {
  return buildOpenApi(documentedRoutes());
}
