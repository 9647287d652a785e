// Declarations of the onvif endpoints (served by main/server/routes/onvif.ts).
import { AddDeviceRequest, DiscoverRequest, PresetCreate, PresetRename, PriorityBody, PtzMoveRequest, TourBody } from '../onvif';
import { endpoint, typed } from '../endpoint';
import type { AddDeviceResponse, DiscoverResponse, OnvifDeviceView, PtzPosition, PtzPreset, PtzState, PtzTour, TourStatus, UserPriority } from '../onvif';
import { s, type JsonSchema } from '../schema';
import { IdParams } from './params';

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
const TourStatusSchema = obj('a running tour', {
  cameraId: { type: 'integer' },
  tourId: { type: 'integer' },
  name: { type: 'string' },
  state: { type: 'string', enum: ['running', 'yielded'] },
  stepIndex: { type: 'integer' },
});
const DeviceSchema = obj('an ONVIF device (never with its password)', {
  id: { type: 'integer', description: 'the ONVIF link (/onvif/devices/:id)' },
  deviceId: { type: 'integer', description: 'the device (/devices/:id) this link belongs to' },
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
  health: obj('last health check', {
    reachable: { type: 'boolean' },
    clockOffsetMs: { type: 'integer', nullable: true },
    clockSkewed: { type: 'boolean' },
    checkedMs: { type: 'integer', nullable: true },
    error: { type: 'string', nullable: true },
    reason: { type: 'object', nullable: true, description: 'the same as a registered message { code, params } (see ErrorBody error.code)' },
  }),
  createdMs: { type: 'integer' },
});

export const postOnvifDiscover = endpoint({
  method: 'POST',
  path: '/api/v1/onvif/discover',
  auth: 'cameras.manage',
  tag: 'onvif',
  summary: 'Find ONVIF devices: multicast WS-Discovery on the local segment and directed probes of addresses or ranges',
  description:
    'targets: hosts, IPv4 addresses, a.b.c.d/nn (nn >= 22) or a.b.c.d-e ranges, probed by unicast on UDP `port` (default 3702) for routed networks. ' +
    'With username/password, firmware and serial number are read from each device. addedDeviceId tells whether it is already added.',
  body: DiscoverRequest,
  response: {
    description: 'devices found (credentials are never echoed)',
    schema: typed<DiscoverResponse>(
      obj('discovery result', { devices: { type: 'array', items: obj('device found') }, warnings: { type: 'array', items: { type: 'string' } } }),
    ),
  },
});

export const getOnvifDevices = endpoint({
  method: 'GET',
  path: '/api/v1/onvif/devices',
  auth: 'any',
  tag: 'onvif',
  summary: 'ONVIF devices with their cameras, event support and last health check (reachable, clock offset)',
  response: { description: 'devices ordered by id', schema: typed<OnvifDeviceView[]>({ type: 'array', items: DeviceSchema }) },
});

export const postOnvifDevices = endpoint({
  method: 'POST',
  path: '/api/v1/onvif/devices',
  auth: 'cameras.manage',
  tag: 'onvif',
  summary: 'One-step add: read device information, media profiles, stream and snapshot URIs and PTZ, and create its cameras',
  description:
    'Every video source becomes a camera (main stream = largest profile, sub stream = smallest). Wrong password: 400 with field "password"; ' +
    'unreachable or too slow: 400 with field "host" (after the ONVIF timeout); malformed answers: 400. Nothing is stored unless everything ' +
    'was read; device, cameras and links are stored in one transaction. The password is stored encrypted and never returned.',
  body: AddDeviceRequest,
  response: {
    status: 201,
    description: 'the device and the ids of its new cameras',
    schema: typed<AddDeviceResponse>(obj('added', { device: DeviceSchema, cameraIds: { type: 'array', items: { type: 'integer' } } })),
  },
});

export const deleteOnvifDevicesByid = endpoint({
  method: 'DELETE',
  path: '/api/v1/onvif/devices/:id',
  auth: 'cameras.manage',
  tag: 'onvif',
  summary: 'Forget an ONVIF device (its cameras stay as plain RTSP cameras, without PTZ and events)',
  params: IdParams,
  response: { status: 204, description: 'deleted' },
});

export const getOnvifPriorities = endpoint({
  method: 'GET',
  path: '/api/v1/onvif/priorities',
  auth: 'ptz.priorities',
  tag: 'onvif',
  summary: 'PTZ priority of every user (per-user setting or the default of the role: admin 40, dispatcher 30, investigator 20, officer 10)',
  response: {
    description: 'users with their priorities',
    schema: typed<UserPriority[]>({
      type: 'array',
      items: obj('priority', {
        userId: { type: 'integer' },
        username: { type: 'string' },
        role: { type: 'string' },
        priority: { type: 'integer', nullable: true },
        effective: { type: 'integer' },
      }),
    }),
  },
});

export const putOnvifPrioritiesByid = endpoint({
  method: 'PUT',
  path: '/api/v1/onvif/priorities/:id',
  auth: 'ptz.priorities',
  tag: 'onvif',
  summary: "Set a user's PTZ priority (null: back to the role default)",
  params: IdParams,
  body: PriorityBody,
  response: { description: 'the user priority', schema: typed<UserPriority>(obj('priority')) },
});

export const getCamerasByidPtz = endpoint({
  method: 'GET',
  path: '/api/v1/cameras/:id/ptz',
  auth: 'any',
  tag: 'ptz',
  summary: 'PTZ state of a camera: capability, control holder, running tour, presets, tours, your priority, timeouts',
  params: IdParams,
  response: { description: 'PTZ state', schema: typed<PtzState>(obj('PTZ state')) },
});

export const getCamerasByidPtzPosition = endpoint({
  method: 'GET',
  path: '/api/v1/cameras/:id/ptz/position',
  auth: 'any',
  tag: 'ptz',
  summary: 'Current pan/tilt/zoom position as the device reports it (GetStatus)',
  params: IdParams,
  response: {
    description: 'position',
    schema: typed<PtzPosition>(obj('position', { pan: { type: 'number' }, tilt: { type: 'number' }, zoom: { type: 'number' }, moving: { type: 'boolean' } })),
  },
});

export const postCamerasByidPtzMove = endpoint({
  method: 'POST',
  path: '/api/v1/cameras/:id/ptz/move',
  auth: 'any',
  tag: 'ptz',
  summary: 'Continuous move (velocities -1..1); repeat while held: the camera stops when no move arrives within moveTimeoutMs',
  description:
    'Takes PTZ control (409 naming the holder when a higher or equal priority operator holds it; a higher priority takes over). ' +
    'A running tour yields. All-zero velocities stop. The device is also given its own timeout, so a crashed server cannot leave it moving.',
  params: IdParams,
  body: PtzMoveRequest,
  response: { status: 204, description: 'moving' },
});

export const postCamerasByidPtzStop = endpoint({
  method: 'POST',
  path: '/api/v1/cameras/:id/ptz/stop',
  auth: 'any',
  tag: 'ptz',
  summary: 'Stop pan, tilt and zoom',
  params: IdParams,
  response: { status: 204, description: 'stopped' },
});

export const postCamerasByidPtzRelease = endpoint({
  method: 'POST',
  path: '/api/v1/cameras/:id/ptz/release',
  auth: 'any',
  tag: 'ptz',
  summary: 'Give up PTZ control of the camera (a yielded tour resumes)',
  params: IdParams,
  response: { status: 204, description: 'released (or not held by you)' },
});

export const postCamerasByidPtzHome = endpoint({
  method: 'POST',
  path: '/api/v1/cameras/:id/ptz/home',
  auth: 'any',
  tag: 'ptz',
  summary: 'Go to the home position',
  params: IdParams,
  response: { status: 204, description: 'moving home' },
});

export const postCamerasByidPtzHomeSet = endpoint({
  method: 'POST',
  path: '/api/v1/cameras/:id/ptz/home/set',
  auth: 'ptz.configure',
  tag: 'ptz',
  summary: 'Make the current position the home position',
  params: IdParams,
  response: { status: 204, description: 'saved' },
});

export const getCamerasByidPtzPresets = endpoint({
  method: 'GET',
  path: '/api/v1/cameras/:id/ptz/presets',
  auth: 'any',
  tag: 'ptz',
  summary: 'Presets of the camera (as stored on the device)',
  params: IdParams,
  response: { description: 'presets', schema: typed<PtzPreset[]>({ type: 'array', items: PresetSchema }) },
});

export const postCamerasByidPtzPresets = endpoint({
  method: 'POST',
  path: '/api/v1/cameras/:id/ptz/presets',
  auth: 'any',
  tag: 'ptz',
  summary: 'Save the current position as a new preset',
  params: IdParams,
  body: PresetCreate,
  response: { status: 201, description: 'the preset', schema: typed<PtzPreset>(PresetSchema) },
});

export const patchCamerasByidPtzPresetsBypresetId = endpoint({
  method: 'PATCH',
  path: '/api/v1/cameras/:id/ptz/presets/:presetId',
  auth: 'any',
  tag: 'ptz',
  summary: 'Rename a preset (its position stays)',
  params: PresetParams,
  body: PresetRename,
  response: { description: 'the preset', schema: typed<PtzPreset>(PresetSchema) },
});

export const deleteCamerasByidPtzPresetsBypresetId = endpoint({
  method: 'DELETE',
  path: '/api/v1/cameras/:id/ptz/presets/:presetId',
  auth: 'any',
  tag: 'ptz',
  summary: 'Delete a preset (409 while a tour uses it)',
  params: PresetParams,
  response: { status: 204, description: 'deleted' },
});

export const postCamerasByidPtzPresetsBypresetIdGoto = endpoint({
  method: 'POST',
  path: '/api/v1/cameras/:id/ptz/presets/:presetId/goto',
  auth: 'any',
  tag: 'ptz',
  summary: 'Go to a preset',
  params: PresetParams,
  response: { status: 204, description: 'moving' },
});

export const getCamerasByidPtzTours = endpoint({
  method: 'GET',
  path: '/api/v1/cameras/:id/ptz/tours',
  auth: 'any',
  tag: 'ptz',
  summary: 'Tours of the camera',
  params: IdParams,
  response: { description: 'tours', schema: typed<PtzTour[]>({ type: 'array', items: TourSchema }) },
});

export const postCamerasByidPtzTours = endpoint({
  method: 'POST',
  path: '/api/v1/cameras/:id/ptz/tours',
  auth: 'ptz.configure',
  tag: 'ptz',
  summary: 'Create a tour: an ordered list of presets with dwell times',
  params: IdParams,
  body: TourBody,
  response: { status: 201, description: 'the tour', schema: typed<PtzTour>(TourSchema) },
});

export const putCamerasByidPtzToursBytourId = endpoint({
  method: 'PUT',
  path: '/api/v1/cameras/:id/ptz/tours/:tourId',
  auth: 'ptz.configure',
  tag: 'ptz',
  summary: 'Replace a tour (a running tour continues with the new steps)',
  params: TourParams,
  body: TourBody,
  response: { description: 'the tour', schema: typed<PtzTour>(TourSchema) },
});

export const deleteCamerasByidPtzToursBytourId = endpoint({
  method: 'DELETE',
  path: '/api/v1/cameras/:id/ptz/tours/:tourId',
  auth: 'ptz.configure',
  tag: 'ptz',
  summary: 'Delete a tour (stops it when running)',
  params: TourParams,
  response: { status: 204, description: 'deleted' },
});

export const postCamerasByidPtzToursBytourIdStart = endpoint({
  method: 'POST',
  path: '/api/v1/cameras/:id/ptz/tours/:tourId/start',
  auth: 'any',
  tag: 'ptz',
  summary: 'Start a tour on the server (it runs with the console closed, yields to operators and resumes after release)',
  params: TourParams,
  response: { description: 'the running tour', schema: typed<TourStatus>(TourStatusSchema) },
});

export const postCamerasByidPtzTourStop = endpoint({
  method: 'POST',
  path: '/api/v1/cameras/:id/ptz/tour/stop',
  auth: 'any',
  tag: 'ptz',
  summary: 'Stop the tour running on the camera',
  params: IdParams,
  response: { status: 204, description: 'stopped (or none was running)' },
});
