// The API route table (one list: served by the router, documented by OpenAPI, iterated by the auth tests).
import { API_PREFIX } from '../../../common/api';
import { buildOpenApi } from '../openapi';
import { route, type Route } from '../router';
import { alarmsRoutes } from './alarms';
import { authRoutes } from './auth';
import { cameraRoutes } from './cameras';
import { channelRoutes, deviceRoutes, orgRoutes } from './devices-all';
import type { DepsRef } from './deps';
import { gpsRoutes } from './gps';
import { investigationRoutes } from './investigation';
import { layoutRoutes } from './layouts';
import { liveRoutes } from './live';
import { miscRoutes } from './misc';
import { onvifRoutes } from './onvif';
import { unitRoutes } from './units';
import { userRoutes } from './users';
import { wallStateRoutes } from './wall-state';

export function apiRoutes(deps: DepsRef): Route[] {
  const routes: Route[] = [
    ...miscRoutes(deps),
    ...authRoutes(deps),
    ...cameraRoutes(deps),
    ...unitRoutes(deps),
    ...liveRoutes(deps),
    ...layoutRoutes(deps),
    ...wallStateRoutes(deps),
    ...userRoutes(deps),
    ...onvifRoutes(deps),
    ...gpsRoutes(deps),
    ...investigationRoutes(deps),
    ...alarmsRoutes(deps),
    ...orgRoutes(deps), ...deviceRoutes(deps), ...channelRoutes(deps),
  ];
  let doc: Record<string, unknown> | null = null;
  routes.push(
    route({
      method: 'GET',
      path: `${API_PREFIX}/openapi.json`,
      auth: 'public',
      tag: 'system',
      summary: 'This API description (OpenAPI 3.0)',
      response: { description: 'the OpenAPI document', schema: { type: 'object' } },
      handler: () => (doc ??= buildOpenApi(routes)),
    }),
  );
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
