// Routes /layouts: each user's saved video wall layouts (any role; users see and change only their own; tiles only of channels they may watch live).
import * as E from '../../../common/endpoints';
import { msg } from '../../../common/messages';
import { WALL_TILE_COUNT } from '../../../common/api';
import { ApiError } from '../errors';
import { principalOf, bind, type Route } from '../router';
import { toWallLayout } from '../views';
import type { DepsRef } from './deps';

export function layoutRoutes(deps: DepsRef): Route[] {
  return [
    bind(E.getLayouts, async (ctx) => {
      const user = principalOf(ctx).user;
      const a = deps().access.for(user);
      // A tile of a channel the user may (no longer) watch live shows empty.
      return (await deps().store.layouts.listForUser(user.id)).map(toWallLayout).map((l) => ({
        ...l,
        tiles: l.tiles.map((id) => (id !== null && a.channel('live.view', id) ? id : null)),
      }));
    }),
    bind(E.putLayoutsByname, async (ctx) => {
      const d = deps();
      const b = ctx.body;
      if (b.name !== ctx.params.name)
        throw ApiError.field('name', msg('layout.name_mismatch'), `invalid body: name "${b.name}" differs from the path's "${ctx.params.name}"`);
      const max = WALL_TILE_COUNT[b.layout];
      if (b.tiles.length > max)
        throw ApiError.field(
          'tiles',
          msg('layout.too_many_tiles', { max, layout: b.layout }),
          `invalid body: tiles must have at most ${max} items for layout ${b.layout}`,
        );
      const doc = { layout: b.layout, tiles: b.tiles, tourGroup: b.tourGroup ?? null, tourSeconds: b.tourSeconds ?? null };
      return toWallLayout(await d.store.layouts.upsert(principalOf(ctx).user.id, b.name, doc, d.now()));
    }),
    bind(E.deleteLayoutsByid, async (ctx) => {
      if (!(await deps().store.layouts.delete(principalOf(ctx).user.id, ctx.params.id)))
        throw ApiError.notFound(msg('layout.not_found', { id: ctx.params.id }));
    }),
  ];
}
