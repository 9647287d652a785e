// Declarations of the cameras endpoints (served by main/server/routes/cameras.ts).
import { CameraCreate, CameraUpdate } from '../api';
import { endpoint } from '../endpoint';
import { s } from '../schema';
import { IdParams } from './params';
import { CameraSchema } from './schemas';

export const getCameras = endpoint({
  method: 'GET',
  path: '/api/v1/cameras',
  auth: 'any',
  tag: 'cameras',
  summary: 'All fixed cameras with their live recording status (mobile units are under /units)',
  response: { description: 'cameras ordered as stored', schema: s.array(CameraSchema) },
  deprecated: { successor: '/api/v1/channels' },
});

export const getCamerasByid = endpoint({
  method: 'GET',
  path: '/api/v1/cameras/:id',
  auth: 'any',
  tag: 'cameras',
  summary: 'One camera with its live recording status',
  params: IdParams,
  response: { description: 'the camera', schema: CameraSchema },
  deprecated: { successor: '/api/v1/channels/:id' },
});

export const postCameras = endpoint({
  method: 'POST',
  path: '/api/v1/cameras',
  auth: 'cameras.manage',
  tag: 'cameras',
  summary: 'Add a camera (starts recording when enabled)',
  description:
    'user:password in the URL are moved to username/password (explicit fields win). Defaults: transport tcp, enabled true, ' +
    'segmentSeconds from the server configuration, retentionDays 30. A duplicate name is 409 with field "name".',
  body: CameraCreate,
  response: { status: 201, description: 'the new camera', schema: CameraSchema },
  deprecated: { successor: '/api/v1/devices/rtsp' },
});

export const patchCamerasByid = endpoint({
  method: 'PATCH',
  path: '/api/v1/cameras/:id',
  auth: 'cameras.manage',
  tag: 'cameras',
  summary: 'Change some settings of a camera (the recorder restarts when needed)',
  description: 'Only the given fields change. password: null removes the password. Same URL credential rules as POST.',
  params: IdParams,
  body: CameraUpdate,
  response: { description: 'the updated camera', schema: CameraSchema },
  deprecated: { successor: '/api/v1/channels/:id' },
});

export const deleteCamerasByid = endpoint({
  method: 'DELETE',
  path: '/api/v1/cameras/:id',
  auth: 'cameras.manage',
  tag: 'cameras',
  summary: 'Remove a camera (stops its recorder; its recordings stay until retention removes them)',
  params: IdParams,
  response: { status: 204, description: 'deleted' },
  deprecated: { successor: '/api/v1/channels/:id' },
});
