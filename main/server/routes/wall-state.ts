// Routes /wall-state/:window: the caller's last wall per window and its carousel of saved layouts (restored on reload and sign-in).
import { API_PREFIX, WALL_TILE_COUNT } from '../../../common/api';
import { can } from '../../../common/rights';
import { parse, s } from '../../../common/schema';
import { WallCarouselBody, WallStateBody, type WallStateView } from '../../../common/wall';
import type { WallStateRow } from '../../../storage/repos/wall-states';
import { msg } from '../../../common/messages';
import { ApiError } from '../errors';
import { principalOf, route, type Principal, type Route } from '../router';
import type { ApiDeps, DepsRef } from './deps';

const WindowParams = s.object({ window: s.int({ min: 0, max: Number.MAX_SAFE_INTEGER, description: '0 = the Live tab, else the display id of a wall window' }) });

const WallStateViewSchema = {
  type: 'object',
  required: ['window', 'state', 'carousel', 'updatedMs'],
  properties: {
    window: { type: 'integer' },
    state: { ...WallStateBody.json, nullable: true },
    carousel: { ...WallCarouselBody.json, nullable: true },
    updatedMs: { type: 'integer', nullable: true },
  },
};

/** Whether the tile's source still exists as that kind (and, once grants per channel exist, whether the caller may see it). */
async function sourceExists(d: ApiDeps, kind: 'camera' | 'unit', id: number): Promise<boolean> {
  if (kind === 'unit') return (await d.store.units.get(id)) !== null;
  const row = await d.store.cameras.get(id);
  return row !== null && row.kind === 'rtsp';
}

/** The stored row as the caller gets it: gone sources as empty tiles, gone layouts out of the carousel, documents that no longer parse as none. */
async function viewOf(d: ApiDeps, who: Principal, windowId: number, row: WallStateRow | null): Promise<WallStateView> {
  const st = row ? parse(WallStateBody, row.state) : null;
  let state = st?.ok ? st.value : null;
  if (state) {
    const tiles = await Promise.all(state.tiles.map(async (t) => (t && (await sourceExists(d, t.kind, t.id)) ? t : null)));
    state = { ...state, tiles };
  }
  const cr = row && can(who.user, 'wall.carousel') ? parse(WallCarouselBody, row.carousel) : null;
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
  const base = `${API_PREFIX}/wall-state/:window`;
  return [
    route({
      method: 'GET',
      path: base,
      auth: 'any',
      tag: 'layouts',
      summary: "The caller's last wall in this window and its carousel",
      description: 'A source deleted since (or no longer visible to the caller) comes back as an empty tile; a carousel step whose layout was deleted is left out.',
      params: WindowParams,
      response: { description: 'the wall (state null when never saved)', schema: WallStateViewSchema },
      handler: async (ctx) => {
        const d = deps();
        const who = principalOf(ctx);
        return viewOf(d, who, ctx.params.window, await d.store.wallStates.get(who.user.id, ctx.params.window));
      },
    }),
    route({
      method: 'PUT',
      path: base,
      auth: 'any',
      tag: 'layouts',
      summary: "Remember the caller's wall in this window (the console saves it shortly after each change)",
      description: 'selected and maximized must be tiles of the layout (1, 4, 9, 16, 6 for 1+5, 8 for 1+7). The carousel stays as it is.',
      params: WindowParams,
      body: WallStateBody,
      response: { description: 'the wall as stored', schema: WallStateViewSchema },
      handler: async (ctx) => {
        const d = deps();
        const who = principalOf(ctx);
        const b = ctx.body;
        const count = WALL_TILE_COUNT[b.layout];
        for (const field of ['selected', 'maximized'] as const) {
          const v = b[field];
          if (v !== null && v >= count)
            throw ApiError.field(field, msg('wall.tile_out_of_range', { count, layout: b.layout }));
        }
        const row = await d.store.wallStates.putState(who.user.id, ctx.params.window, b, d.now());
        return viewOf(d, who, ctx.params.window, row);
      },
    }),
    route({
      method: 'PUT',
      path: `${base}/carousel`,
      auth: 'wall.carousel',
      tag: 'layouts',
      summary: 'Define, start, advance or stop the carousel of saved layouts in this window',
      description: 'step must be one of the steps; the layouts are the caller\'s own saved layouts (steps whose layout is not one read back left out).',
      params: WindowParams,
      body: WallCarouselBody,
      response: { description: 'the wall as stored', schema: WallStateViewSchema },
      handler: async (ctx) => {
        const d = deps();
        const who = principalOf(ctx);
        const b = ctx.body;
        if (b.step >= b.steps.length)
          throw ApiError.field('step', msg('wall.step_out_of_range', { count: b.steps.length }));
        const row = await d.store.wallStates.putCarousel(who.user.id, ctx.params.window, b, d.now());
        return viewOf(d, who, ctx.params.window, row);
      },
    }),
    route({
      method: 'DELETE',
      path: `${base}/carousel`,
      auth: 'wall.carousel',
      tag: 'layouts',
      summary: 'Forget the carousel of this window',
      params: WindowParams,
      response: { status: 204, description: 'forgotten' },
      handler: async (ctx) => {
        const d = deps();
        await d.store.wallStates.putCarousel(principalOf(ctx).user.id, ctx.params.window, null, d.now());
      },
    }),
  ];
}
