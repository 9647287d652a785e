// The device model's route groups in one import for the route table (org, devices, channels; PTZ under /channels).
import { API_PREFIX } from '../../../common/api';
import type { Route } from '../router';
export { orgRoutes } from './org';
export { deviceRoutes } from './devices';
export { channelRoutes } from './channels';

/** Every PTZ route of /cameras/:id/ptz… again under /channels/:id/ptz… (same handler, body and right; the id is the channel id). */
export function channelPtzAliases(routes: readonly Route[]): Route[] {
  const from = `${API_PREFIX}/cameras/:id/ptz`;
  return routes
    .filter((r) => r.path === from || r.path.startsWith(`${from}/`))
    .map((r) => ({ ...r, path: `${API_PREFIX}/channels/:id/ptz${r.path.slice(from.length)}`, description: `Same as ${r.method} ${r.path.replace(API_PREFIX, '')}. ${r.description ?? ''}`.trim() }));
}
