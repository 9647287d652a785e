// Declarations of the layouts endpoints (served by main/server/routes/layouts.ts).
import { WallLayoutBody } from '../api';
import { endpoint } from '../endpoint';
import { s } from '../schema';
import { IdParams } from './params';
import { WallLayoutSchema } from './schemas';

const NameParams = s.object({
  name: s.string({ minLength: 1, maxLength: 64, singleLine: true, description: 'layout name (URL-encoded); must equal body.name' }),
});

export const getLayouts = endpoint({
  method: 'GET',
  path: '/api/v1/layouts',
  auth: 'any',
  tag: 'layouts',
  summary: "The caller's saved wall layouts, by name",
  response: { description: 'layouts', schema: s.array(WallLayoutSchema) },
});

export const putLayoutsByname = endpoint({
  method: 'PUT',
  path: '/api/v1/layouts/:name',
  auth: 'any',
  tag: 'layouts',
  summary: "Save (create or replace) one of the caller's wall layouts by name",
  description: 'The name in the path must equal body.name. tiles may not have more entries than the layout has tiles (1, 4, 9, 16, 6 for 1+5, 8 for 1+7).',
  params: NameParams,
  body: WallLayoutBody,
  response: { description: 'the saved layout', schema: WallLayoutSchema },
});

export const deleteLayoutsByid = endpoint({
  method: 'DELETE',
  path: '/api/v1/layouts/:id',
  auth: 'any',
  tag: 'layouts',
  summary: "Delete one of the caller's wall layouts",
  description: "Another user's layout is 404, like one that does not exist.",
  params: IdParams,
  response: { status: 204, description: 'deleted' },
});
