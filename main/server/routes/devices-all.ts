// The device model's route groups in one import for the route table (org, devices, channels; PTZ under /channels).
import { ENDPOINT_AREAS } from '../../../common/endpoints';
import { bind, type Route } from '../router';
export { orgRoutes } from './org';
export { deviceRoutes } from './devices';
export { channelRoutes } from './channels';

const CAMERA_PTZ = '/api/v1/cameras/:id/ptz';

/** The /channels/:id/ptz… declarations (common/endpoints/channels-ptz.ts) bound to the handlers of their /cameras/:id/ptz… originals (the id is the channel id). */
export function channelPtzAliases(routes: readonly Route[]): Route[] {
  const aliases = new Map(Object.values(ENDPOINT_AREAS.channelsPtz).map((e) => [`${e.method} ${e.path}`, e]));
  return routes
    .filter((r) => r.endpoint && (r.path === CAMERA_PTZ || r.path.startsWith(`${CAMERA_PTZ}/`)))
    .map((r) => {
      const key = `${r.method} /api/v1/channels/:id/ptz${r.path.slice(CAMERA_PTZ.length)}`;
      const alias = aliases.get(key);
      if (!alias) throw new Error(`no declaration ${key} for ${r.method} ${r.path}`);
      return bind(alias, r.handler);
    });
}
