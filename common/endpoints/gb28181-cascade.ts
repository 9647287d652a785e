// Declarations of the cascade endpoints (级联): the superior GB/T 28181 platforms Argus registers to and the channels shared with them (served by main/server/routes/gb28181-cascade.ts).
import { endpoint, typed } from '../endpoint';
import { SharedChannelsBody, UpperPlatformBody, type UpperPlatformView } from '../gb28181-cascade';
import type { JsonSchema } from '../schema';
import { IdParams } from './params';

const obj = (description: string): JsonSchema => ({ type: 'object', description });

export const getGb28181UpperPlatforms = endpoint({
  method: 'GET',
  path: '/api/v1/gb28181/upper-platforms',
  auth: 'devices.manage',
  tag: 'gb28181',
  summary: 'The upper platforms Argus cascades to, with their registration state and shared channels (never a password)',
  response: { description: 'the platforms', schema: typed<UpperPlatformView[]>({ type: 'array', items: obj('UpperPlatformView') }) },
});

export const postGb28181UpperPlatforms = endpoint({
  method: 'POST',
  path: '/api/v1/gb28181/upper-platforms',
  auth: 'devices.manage',
  tag: 'gb28181',
  summary: 'Add an upper platform; when enabled Argus registers to it at once; audited',
  description: '409 gb.upper_conflict when another upper platform has this GB ID.',
  body: UpperPlatformBody,
  response: { status: 201, description: 'the platform', schema: typed<UpperPlatformView>(obj('UpperPlatformView')) },
});

export const putGb28181UpperPlatformsByid = endpoint({
  method: 'PUT',
  path: '/api/v1/gb28181/upper-platforms/:id',
  auth: 'devices.manage',
  tag: 'gb28181',
  summary: 'Change an upper platform (its registration restarts); password omitted keeps it; audited',
  params: IdParams,
  body: UpperPlatformBody,
  response: { description: 'the platform', schema: typed<UpperPlatformView>(obj('UpperPlatformView')) },
});

export const deleteGb28181UpperPlatformsByid = endpoint({
  method: 'DELETE',
  path: '/api/v1/gb28181/upper-platforms/:id',
  auth: 'devices.manage',
  tag: 'gb28181',
  summary: 'Remove an upper platform (Argus unregisters from it); audited',
  params: IdParams,
  response: { status: 204, description: 'removed' },
});

export const putGb28181UpperPlatformsByidChannels = endpoint({
  method: 'PUT',
  path: '/api/v1/gb28181/upper-platforms/:id/channels',
  auth: 'devices.manage',
  tag: 'gb28181',
  summary: 'Set the channels shared with an upper platform (its Catalog answers list them under the given GB IDs); audited',
  description: '404 for a channel the admin may not manage; 409 gb.upper_conflict when a GB ID is given twice.',
  params: IdParams,
  body: SharedChannelsBody,
  response: { status: 204, description: 'saved' },
});
