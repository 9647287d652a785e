// Routes /wall-state/:window: the caller's last wall per window and its carousel of saved layouts (restored on reload and sign-in).
import * as E from '../../../common/endpoints';
import { WALL_TILE_COUNT } from '../../../common/api';
import { parse } from '../../../common/schema';
import { WallCarouselBody, WallStateBody, type WallStateView } from '../../../common/wall';
import type { WallStateRow } from '../../../storage/repos/wall-states';
import { msg } from '../../../common/messages';
import { ApiError } from '../errors';
import { principalOf, bind, type Principal, type Route } from '../router';
import type { ApiDeps, DepsRef } from './deps';

/** Whether the tile's source still exists as that kind and the caller may watch it live (live.view on the channel). */
async function sourceExists(d: ApiDeps, who: Principal, kind: 'camera' | 'unit', id: number): Promise<boolean> {
  if (!d.access.for(who.user).channel('live.view', id)) return false;
  if (kind === 'unit') return (await d.store.units.get(id)) !== null;
  const row = await d.store.cameras.get(id);
  return row !== null && row.kind === 'rtsp';
}

/** The stored row as the caller gets it: gone sources as empty tiles, gone layouts out of the carousel, documents that no longer parse as none. */
async function viewOf(d: ApiDeps, who: Principal, windowId: number, row: WallStateRow | null): Promise<WallStateView> {
  const st = row ? parse(WallStateBody, row.state) : null;
  let state = st?.ok ? st.value : null;
  if (state) {
    const tiles = await Promise.all(state.tiles.map(async (t) => (t && (await sourceExists(d, who, t.kind, t.id)) ? t : null)));
    state = { ...state, tiles };
  }
  const cr = row && d.access.for(who.user).global('wall.carousel') ? parse(WallCarouselBody, row.carousel) : null;
  let carousel = cr?.ok ? cr.value : null;
  if (carousel) {
    const ids = new Set((await d.store.layouts.listForUser(who.user.id)).map((l) => l.id));
    const current = carousel.steps[carousel.step];
    const steps = carousel.steps.filter((x) => ids.has(x.layoutId));
    const step = Math.max(0, current ? steps.indexOf(current) : 0);
    carousel = steps.length >= 2 ? { ...carousel, steps, step } : null;
  }
  return { window: windowId, state, carousel, updatedMs: row?.updatedMs ?? null };
}

export function wallStateRoutes(deps: DepsRef): Route[] {
  return [
    bind(E.getWallStateBywindow, async (ctx) => {
      const d = deps();
      const who = principalOf(ctx);
      return viewOf(d, who, ctx.params.window, await d.store.wallStates.get(who.user.id, ctx.params.window));
    }),
    bind(E.putWallStateBywindow, async (ctx) => {
      const d = deps();
      const who = principalOf(ctx);
      const b = ctx.body;
      const count = WALL_TILE_COUNT[b.layout];
      for (const field of ['selected', 'maximized'] as const) {
        const v = b[field];
        if (v !== null && v >= count) throw ApiError.field(field, msg('wall.tile_out_of_range', { count, layout: b.layout }));
      }
      const row = await d.store.wallStates.putState(who.user.id, ctx.params.window, b, d.now());
      return viewOf(d, who, ctx.params.window, row);
    }),
    bind(E.putWallStateBywindowCarousel, async (ctx) => {
      const d = deps();
      const who = principalOf(ctx);
      const b = ctx.body;
      if (b.step >= b.steps.length) throw ApiError.field('step', msg('wall.step_out_of_range', { count: b.steps.length }));
      const row = await d.store.wallStates.putCarousel(who.user.id, ctx.params.window, b, d.now());
      return viewOf(d, who, ctx.params.window, row);
    }),
    bind(E.deleteWallStateBywindowCarousel, async (ctx) => {
      const d = deps();
      await d.store.wallStates.putCarousel(principalOf(ctx).user.id, ctx.params.window, null, d.now());
    }),
  ];
}
