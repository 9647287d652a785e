// Routes /layouts: each user's saved video wall layouts (any role; users see and change only their own).
import { msg } from '../../../common/messages';
import { API_PREFIX, WALL_TILE_COUNT, WallLayoutBody } from '../../../common/api';
import { s } from '../../../common/schema';
import { ApiError } from '../errors';
import { principalOf, route, type Route } from '../router';
import { toWallLayout, WallLayoutSchema } from '../views';
import { IdParams, type DepsRef } from './deps';

const NameParams = s.object({ name: s.string({ minLength: 1, maxLength: 64, singleLine: true, description: 'layout name (URL-encoded); must equal body.name' }) });

export function layoutRoutes(deps: DepsRef): Route[] {
  const base = `${API_PREFIX}/layouts`;
  return [
    route({
      method: 'GET',
      path: base,
      auth: 'any',
      tag: 'layouts',
      summary: "The caller's saved wall layouts, by name",
      response: { description: 'layouts', schema: s.array(WallLayoutSchema) },
      handler: async (ctx) => (await deps().store.layouts.listForUser(principalOf(ctx).user.id)).map(toWallLayout),
    }),
    route({
      method: 'PUT',
      path: `${base}/:name`,
      auth: 'any',
      tag: 'layouts',
      summary: 'Save (create or replace) one of the caller\'s wall layouts by name',
      description: 'The name in the path must equal body.name. tiles may not have more entries than the layout has tiles (1, 4, 9, 16, 6 for 1+5, 8 for 1+7).',
      params: NameParams,
      body: WallLayoutBody,
      response: { description: 'the saved layout', schema: WallLayoutSchema },
      handler: async (ctx) => {
        const d = deps();
        const b = ctx.body;
        if (b.name !== ctx.params.name)
          throw ApiError.field('name', msg('layout.name_mismatch'), `invalid body: name "${b.name}" differs from the path's "${ctx.params.name}"`);
        const max = WALL_TILE_COUNT[b.layout];
        if (b.tiles.length > max)
          throw ApiError.field('tiles', msg('layout.too_many_tiles', { max, layout: b.layout }), `invalid body: tiles must have at most ${max} items for layout ${b.layout}`);
        const doc = { layout: b.layout, tiles: b.tiles, tourGroup: b.tourGroup ?? null, tourSeconds: b.tourSeconds ?? null };
        return toWallLayout(await d.store.layouts.upsert(principalOf(ctx).user.id, b.name, doc, d.now()));
      },
    }),
    route({
      method: 'DELETE',
      path: `${base}/:id`,
      auth: 'any',
      tag: 'layouts',
      summary: 'Delete one of the caller\'s wall layouts',
      description: "Another user's layout is 404, like one that does not exist.",
      params: IdParams,
      response: { status: 204, description: 'deleted' },
      handler: async (ctx) => {
        if (!(await deps().store.layouts.delete(principalOf(ctx).user.id, ctx.params.id))) throw ApiError.notFound(msg('layout.not_found', { id: ctx.params.id }));
      },
    }),
  ];
}
