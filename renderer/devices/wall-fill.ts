// Drag-to-wall from a node or device: its channels fill the wall's tiles in tree order from the tile it was dropped on.
import { errorText } from '../api';
import type { Toasts } from '../components/toasts';
import { tileCount } from '../live/geometry';
import type { WallController } from '../live/wall-controller';
import type { DevicesApi } from './api';
import type { OrgDrop } from './drag';
import { sortedChannels, type OrgState } from './org-state';

/** Which channel goes on which tile: tiles `fromIndex`.. of the `count` visible ones, in order; the rest left out. */
export function fillPlan(
  count: number,
  fromIndex: number,
  channelIds: readonly number[],
): { assign: Array<{ index: number; sourceId: number }>; left: number } {
  const room = Math.max(0, count - fromIndex);
  const assign = channelIds.slice(0, room).map((sourceId, i) => ({ index: fromIndex + i, sourceId }));
  return { assign, left: channelIds.length - assign.length };
}

export interface WallFillContext {
  controller: Pick<WallController, 'state' | 'dispatch'>;
  api: Pick<DevicesApi, 'nodeChannels'>;
  org: { get(): OrgState };
  toasts: Toasts;
}

/** The channel ids of a dropped node (its subtree, from the server) or device (from the loaded tree). */
async function channelsOf(ctx: WallFillContext, drop: OrgDrop): Promise<number[]> {
  switch (drop.kind) {
    case 'node':
      return (await ctx.api.nodeChannels(drop.id, true)).map((c) => c.channelId);
    case 'device': {
      const d = ctx.org.get().devices.get(drop.id);
      return d ? sortedChannels(d).map((c) => c.id) : [];
    }
  }
}

/** Fills the wall from tile `index` with the drop's channels; a toast says when some did not fit or there were none. */
export async function fillWallFrom(ctx: WallFillContext, drop: OrgDrop, index: number): Promise<void> {
  let ids: number[];
  try {
    ids = await channelsOf(ctx, drop);
  } catch (err) {
    ctx.toasts.show(() => errorText(err));
    return;
  }
  if (ids.length === 0) {
    ctx.toasts.show((t) => t('devices.wall.none'));
    return;
  }
  const plan = fillPlan(tileCount(ctx.controller.state.get().layout), index, ids);
  for (const a of plan.assign) ctx.controller.dispatch({ type: 'assign', index: a.index, sourceId: a.sourceId });
  ctx.controller.dispatch({ type: 'select', index });
  if (plan.left > 0) ctx.toasts.show((t) => t('devices.wall.more', { shown: plan.assign.length, total: ids.length }));
}
