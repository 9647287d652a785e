// Declarations of the units endpoints (served by main/server/routes/units.ts).
import { UnitCreate, UnitUpdate } from '../api';
import { endpoint } from '../endpoint';
import { s } from '../schema';
import { IdParams } from './params';
import { UnitKeySchema, UnitSchema } from './schemas';

export const getUnits = endpoint({
  method: 'GET',
  path: '/api/v1/units',
  auth: 'any',
  tag: 'units',
  summary: 'All mobile units with their live status (online, publishing address, recorder state)',
  response: { description: 'units ordered by id', schema: s.array(UnitSchema) },
  deprecated: { successor: '/api/v1/devices?mobile=true' },
});

export const getUnitsByid = endpoint({
  method: 'GET',
  path: '/api/v1/units/:id',
  auth: 'any',
  tag: 'units',
  summary: 'One mobile unit with its live status',
  params: IdParams,
  response: { description: 'the unit', schema: UnitSchema },
  deprecated: { successor: '/api/v1/devices/:id' },
});

export const postUnits = endpoint({
  method: 'POST',
  path: '/api/v1/units',
  auth: 'units.manage',
  tag: 'units',
  summary: 'Add a mobile unit; the answer shows its stream key and publish URL, this once',
  description:
    'Defaults: enabled true, segmentSeconds from the server configuration, retentionDays 30. The callsign shares one ' +
    'namespace with camera names (409 with field "callsign"). Only the SHA-256 of the key is stored.',
  body: UnitCreate,
  response: { status: 201, description: 'the new unit with its stream key', schema: UnitKeySchema },
  deprecated: { successor: '/api/v1/devices/agent' },
});

export const patchUnitsByid = endpoint({
  method: 'PATCH',
  path: '/api/v1/units/:id',
  auth: 'units.manage',
  tag: 'units',
  summary: 'Change some settings of a unit (disabling it closes its running stream)',
  description: 'Only the given fields change. A new segmentSeconds applies from the next time the unit publishes.',
  params: IdParams,
  body: UnitUpdate,
  response: { description: 'the updated unit', schema: UnitSchema },
  deprecated: { successor: '/api/v1/devices/:id' },
});

export const deleteUnitsByid = endpoint({
  method: 'DELETE',
  path: '/api/v1/units/:id',
  auth: 'units.manage',
  tag: 'units',
  summary: 'Remove a unit (closes its stream; its recordings stay until retention removes them)',
  params: IdParams,
  response: { status: 204, description: 'deleted' },
  deprecated: { successor: '/api/v1/devices/:id' },
});

export const postUnitsByidRotateKey = endpoint({
  method: 'POST',
  path: '/api/v1/units/:id/rotate-key',
  auth: 'units.manage',
  tag: 'units',
  summary: 'Give a unit a new stream key (shown this once); the old key stops working and a running stream is closed',
  params: IdParams,
  response: { description: 'the unit with its new stream key', schema: UnitKeySchema },
  deprecated: { successor: '/api/v1/devices/:id/rotate-key' },
});
