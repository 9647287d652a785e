// API routes of the onvif feature (issue 4): discovery, one-step add, devices, PTZ control, presets, tours, priorities.
import { API_PREFIX } from '../../../common/api';
import { AddDeviceRequest, DiscoverRequest, PresetCreate, PresetRename, PriorityBody, PtzMoveRequest, TourBody } from '../../../common/onvif';
import { s, type JsonSchema } from '../../../common/schema';
import type { UserActor } from '../../platform/actor';
import { cameraAuditView } from '../camera-input';
import { actorOf, principalOf, route, type AuthRequirement, type Route } from '../router';
import { toCamera } from '../views';
import { IdParams, type DepsRef } from './deps';

const PresetParams = s.object({ id: s.int({ min: 1, description: 'camera id' }), presetId: s.int({ min: 1, description: 'preset id' }) });
const TourParams = s.object({ id: s.int({ min: 1, description: 'camera id' }), tourId: s.int({ min: 1, description: 'tour id' }) });

const obj = (description: string, properties: Record<string, JsonSchema> = {}): JsonSchema => ({ type: 'object', description, properties });
const PresetSchema = obj('a PTZ preset', { id: { type: 'integer' }, cameraId: { type: 'integer' }, token: { type: 'string' }, name: { type: 'string' } });
const TourSchema = obj('a PTZ tour', {
  id: { type: 'integer' },
  cameraId: { type: 'integer' },
  name: { type: 'string' },
  steps: { type: 'array', items: obj('step', { presetId: { type: 'integer' }, dwellSeconds: { type: 'integer' } }) },
});
const TourStatusSchema = obj('a running tour', { cameraId: { type: 'integer' }, tourId: { type: 'integer' }, name: { type: 'string' }, state: { type: 'string', enum: ['running', 'yielded'] }, stepIndex: { type: 'integer' } });
const DeviceSchema = obj('an ONVIF device (never with its password)', {
  id: { type: 'integer' },
  host: { type: 'string' },
  port: { type: 'integer' },
  urn: { type: 'string', nullable: true },
  username: { type: 'string' },
  hasPassword: { type: 'boolean' },
  manufacturer: { type: 'string' },
  model: { type: 'string' },
  firmware: { type: 'string' },
  serial: { type: 'string' },
  cameraIds: { type: 'array', items: { type: 'integer' } },
  events: { type: 'string', enum: ['unknown', 'supported', 'unsupported'] },
  health: obj('last health check', { reachable: { type: 'boolean' }, clockOffsetMs: { type: 'integer', nullable: true }, clockSkewed: { type: 'boolean' }, checkedMs: { type: 'integer', nullable: true }, error: { type: 'string', nullable: true }, reason: { type: 'object', nullable: true, description: 'the same as a registered message { code, params } (see ErrorBody error.code)' } }),
  createdMs: { type: 'integer' },
});

export function onvifRoutes(deps: DepsRef): Route[] {
  const base = `${API_PREFIX}/onvif`;
  const cam = `${API_PREFIX}/cameras/:id/ptz`;
  const onvif = () => deps().features.onvif;
  /** A PTZ command on one camera: no body, 204 when done. */
  const command = (path: string, auth: AuthRequirement, summary: string, done: string, run: (cameraId: number, actor: UserActor) => Promise<void>): Route =>
    route({
      method: 'POST',
      path,
      auth,
      tag: 'ptz',
      summary,
      params: IdParams,
      response: { status: 204, description: done },
      handler: async (ctx) => {
        await run(ctx.params.id, actorOf(ctx));
      },
    });
  return [
    route({
      method: 'POST',
      path: `${base}/discover`,
      auth: 'cameras.manage',
      tag: 'onvif',
      summary: 'Find ONVIF devices: multicast WS-Discovery on the local segment and directed probes of addresses or ranges',
      description:
        'targets: hosts, IPv4 addresses, a.b.c.d/nn (nn >= 22) or a.b.c.d-e ranges, probed by unicast on UDP `port` (default 3702) for routed networks. ' +
        'With username/password, firmware and serial number are read from each device. addedDeviceId tells whether it is already added.',
      body: DiscoverRequest,
      response: { description: 'devices found (credentials are never echoed)', schema: obj('discovery result', { devices: { type: 'array', items: obj('device found') }, warnings: { type: 'array', items: { type: 'string' } } }) },
      handler: async (ctx) => onvif().discover(ctx.body),
    }),
    route({
      method: 'GET',
      path: `${base}/devices`,
      auth: 'any',
      tag: 'onvif',
      summary: 'ONVIF devices with their cameras, event support and last health check (reachable, clock offset)',
      response: { description: 'devices ordered by id', schema: { type: 'array', items: DeviceSchema } },
      handler: async () => onvif().listDevices(),
    }),
    route({
      method: 'POST',
      path: `${base}/devices`,
      auth: 'cameras.manage',
      tag: 'onvif',
      summary: 'One-step add: read device information, media profiles, stream and snapshot URIs and PTZ, and create its cameras',
      description:
        'Every video source becomes a camera (main stream = largest profile, sub stream = smallest). Wrong password: 400 with field "password"; ' +
        'unreachable or too slow: 400 with field "host" (after the ONVIF timeout); malformed answers: 400. Nothing is stored unless everything ' +
        'was read; device, cameras and links are stored in one transaction. The password is stored encrypted and never returned.',
      body: AddDeviceRequest,
      response: { status: 201, description: 'the device and the ids of its new cameras', schema: obj('added', { device: DeviceSchema, cameraIds: { type: 'array', items: { type: 'integer' } } }) },
      handler: async (ctx) => {
        const d = deps();
        const actor = actorOf(ctx);
        const plan = await d.features.onvif.inspect(ctx.body); // network only; fails before anything is stored
        const result = await d.configLock.run(async () => {
          const r = await d.features.onvif.register(plan, ctx.body, actor);
          for (const row of r.cameras) {
            await d.audit.record({ actor: principalOf(ctx), action: 'camera.create', targetType: 'camera', targetId: row.id, detail: { ...cameraAuditView(row), onvifDeviceId: r.device.id }, ip: ctx.ip });
            try {
              await d.recording.apply(row);
            } catch (err) {
              d.log(`[http] recording.apply(camera ${row.id}) failed: ${(err as Error).message}`);
            }
          }
          return r;
        });
        for (const row of result.cameras) d.events.publish({ type: 'camera.changed', camera: toCamera(row, d.recording.status(row.id)) });
        return { device: result.device, cameraIds: result.cameras.map((c) => c.id) };
      },
    }),
    route({
      method: 'DELETE',
      path: `${base}/devices/:id`,
      auth: 'cameras.manage',
      tag: 'onvif',
      summary: 'Forget an ONVIF device (its cameras stay as plain RTSP cameras, without PTZ and events)',
      params: IdParams,
      response: { status: 204, description: 'deleted' },
      handler: async (ctx) => {
        await onvif().deleteDevice(ctx.params.id, actorOf(ctx));
      },
    }),
    route({
      method: 'GET',
      path: `${base}/priorities`,
      auth: 'ptz.priorities',
      tag: 'onvif',
      summary: 'PTZ priority of every user (per-user setting or the default of the role: admin 40, dispatcher 30, investigator 20, officer 10)',
      response: { description: 'users with their priorities', schema: { type: 'array', items: obj('priority', { userId: { type: 'integer' }, username: { type: 'string' }, role: { type: 'string' }, priority: { type: 'integer', nullable: true }, effective: { type: 'integer' } }) } },
      handler: async () => onvif().listPriorities(),
    }),
    route({
      method: 'PUT',
      path: `${base}/priorities/:id`,
      auth: 'ptz.priorities',
      tag: 'onvif',
      summary: "Set a user's PTZ priority (null: back to the role default)",
      params: IdParams,
      body: PriorityBody,
      response: { description: 'the user priority', schema: obj('priority') },
      handler: async (ctx) => onvif().setPriority(ctx.params.id, ctx.body.priority, actorOf(ctx)),
    }),
    // ---------------- PTZ of one camera
    route({
      method: 'GET',
      path: cam,
      auth: 'any',
      tag: 'ptz',
      summary: 'PTZ state of a camera: capability, control holder, running tour, presets, tours, your priority, timeouts',
      params: IdParams,
      response: { description: 'PTZ state', schema: obj('PTZ state') },
      handler: async (ctx) => onvif().ptzState(ctx.params.id, actorOf(ctx)),
    }),
    route({
      method: 'GET',
      path: `${cam}/position`,
      auth: 'any',
      tag: 'ptz',
      summary: 'Current pan/tilt/zoom position as the device reports it (GetStatus)',
      params: IdParams,
      response: { description: 'position', schema: obj('position', { pan: { type: 'number' }, tilt: { type: 'number' }, zoom: { type: 'number' }, moving: { type: 'boolean' } }) },
      handler: async (ctx) => onvif().position(ctx.params.id),
    }),
    route({
      method: 'POST',
      path: `${cam}/move`,
      auth: 'any',
      tag: 'ptz',
      summary: 'Continuous move (velocities -1..1); repeat while held: the camera stops when no move arrives within moveTimeoutMs',
      description:
        'Takes PTZ control (409 naming the holder when a higher or equal priority operator holds it; a higher priority takes over). ' +
        'A running tour yields. All-zero velocities stop. The device is also given its own timeout, so a crashed server cannot leave it moving.',
      params: IdParams,
      body: PtzMoveRequest,
      response: { status: 204, description: 'moving' },
      handler: async (ctx) => {
        await onvif().move(ctx.params.id, ctx.body, actorOf(ctx));
      },
    }),
    command(`${cam}/stop`, 'any', 'Stop pan, tilt and zoom', 'stopped', (id, actor) => onvif().stop(id, actor)),
    command(`${cam}/release`, 'any', 'Give up PTZ control of the camera (a yielded tour resumes)', 'released (or not held by you)', (id, actor) => onvif().release(id, actor)),
    command(`${cam}/home`, 'any', 'Go to the home position', 'moving home', (id, actor) => onvif().home(id, actor)),
    command(`${cam}/home/set`, 'ptz.configure', 'Make the current position the home position', 'saved', (id, actor) => onvif().setHome(id, actor)),
    route({
      method: 'GET',
      path: `${cam}/presets`,
      auth: 'any',
      tag: 'ptz',
      summary: 'Presets of the camera (as stored on the device)',
      params: IdParams,
      response: { description: 'presets', schema: { type: 'array', items: PresetSchema } },
      handler: async (ctx) => onvif().listPresets(ctx.params.id),
    }),
    route({
      method: 'POST',
      path: `${cam}/presets`,
      auth: 'any',
      tag: 'ptz',
      summary: 'Save the current position as a new preset',
      params: IdParams,
      body: PresetCreate,
      response: { status: 201, description: 'the preset', schema: PresetSchema },
      handler: async (ctx) => onvif().createPreset(ctx.params.id, ctx.body.name, actorOf(ctx)),
    }),
    route({
      method: 'PATCH',
      path: `${cam}/presets/:presetId`,
      auth: 'any',
      tag: 'ptz',
      summary: 'Rename a preset (its position stays)',
      params: PresetParams,
      body: PresetRename,
      response: { description: 'the preset', schema: PresetSchema },
      handler: async (ctx) => onvif().renamePreset(ctx.params.id, ctx.params.presetId, ctx.body.name, actorOf(ctx)),
    }),
    route({
      method: 'DELETE',
      path: `${cam}/presets/:presetId`,
      auth: 'any',
      tag: 'ptz',
      summary: 'Delete a preset (409 while a tour uses it)',
      params: PresetParams,
      response: { status: 204, description: 'deleted' },
      handler: async (ctx) => {
        await onvif().deletePreset(ctx.params.id, ctx.params.presetId, actorOf(ctx));
      },
    }),
    route({
      method: 'POST',
      path: `${cam}/presets/:presetId/goto`,
      auth: 'any',
      tag: 'ptz',
      summary: 'Go to a preset',
      params: PresetParams,
      response: { status: 204, description: 'moving' },
      handler: async (ctx) => {
        await onvif().userGotoPreset(ctx.params.id, ctx.params.presetId, actorOf(ctx));
      },
    }),
    route({
      method: 'GET',
      path: `${cam}/tours`,
      auth: 'any',
      tag: 'ptz',
      summary: 'Tours of the camera',
      params: IdParams,
      response: { description: 'tours', schema: { type: 'array', items: TourSchema } },
      handler: async (ctx) => onvif().listTours(ctx.params.id),
    }),
    route({
      method: 'POST',
      path: `${cam}/tours`,
      auth: 'ptz.configure',
      tag: 'ptz',
      summary: 'Create a tour: an ordered list of presets with dwell times',
      params: IdParams,
      body: TourBody,
      response: { status: 201, description: 'the tour', schema: TourSchema },
      handler: async (ctx) => onvif().createTour(ctx.params.id, ctx.body, actorOf(ctx)),
    }),
    route({
      method: 'PUT',
      path: `${cam}/tours/:tourId`,
      auth: 'ptz.configure',
      tag: 'ptz',
      summary: 'Replace a tour (a running tour continues with the new steps)',
      params: TourParams,
      body: TourBody,
      response: { description: 'the tour', schema: TourSchema },
      handler: async (ctx) => onvif().updateTour(ctx.params.id, ctx.params.tourId, ctx.body, actorOf(ctx)),
    }),
    route({
      method: 'DELETE',
      path: `${cam}/tours/:tourId`,
      auth: 'ptz.configure',
      tag: 'ptz',
      summary: 'Delete a tour (stops it when running)',
      params: TourParams,
      response: { status: 204, description: 'deleted' },
      handler: async (ctx) => {
        await onvif().deleteTour(ctx.params.id, ctx.params.tourId, actorOf(ctx));
      },
    }),
    route({
      method: 'POST',
      path: `${cam}/tours/:tourId/start`,
      auth: 'any',
      tag: 'ptz',
      summary: 'Start a tour on the server (it runs with the console closed, yields to operators and resumes after release)',
      params: TourParams,
      response: { description: 'the running tour', schema: TourStatusSchema },
      handler: async (ctx) => onvif().startTour(ctx.params.id, ctx.params.tourId, actorOf(ctx)),
    }),
    command(`${cam}/tour/stop`, 'any', 'Stop the tour running on the camera', 'stopped (or none was running)', (id, actor) => onvif().stopTour(id, actor)),
  ];
}
