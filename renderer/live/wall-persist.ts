// The wall as the server remembers it (common/wall.ts): WallState → WallStateBody and back, and what counts as a change.
import { WALL_TILE_COUNT } from '../../common/api';
import type { WallStateBody } from '../../common/wall';
import { emptyWall, MAX_TILES, slotsOf, streamFor, type CarouselState, type WallState } from './wall-state';

/** Whether a source id is a camera or a unit now; null when the console does not know it (deleted, not loaded yet). */
export type KindOf = (sourceId: number) => 'camera' | 'unit' | null;

/**
 * The body that remembers `s`: every slot with its source's kind and the stream it plays. Null while a tile's
 * source is unknown to the console (sources not loaded yet: saving then would empty that tile), unless `dropUnknown`.
 */
export function stateBody(s: WallState, kindOf: KindOf, dropUnknown = false): WallStateBody | null {
  const tiles: WallStateBody['tiles'] = [];
  for (let i = 0; i < MAX_TILES; i++) {
    const id = s.tiles[i] ?? null;
    if (id === null) {
      tiles.push(null);
      continue;
    }
    const kind = kindOf(id);
    if (!kind && !dropUnknown) return null;
    if (!kind) {
      tiles.push(null);
      continue;
    }
    tiles.push({ kind, id, stream: streamFor(s.layout, i, s.maximized) });
  }
  while (tiles.length > 0 && tiles[tiles.length - 1] === null) tiles.pop();
  const count = WALL_TILE_COUNT[s.layout];
  const inGrid = (v: number | null) => (v !== null && v < count ? v : null);
  return { layout: s.layout, tiles, selected: inGrid(s.selected), maximized: inGrid(s.maximized), tour: s.tour ? { ...s.tour } : null };
}

/** The wall a remembered body describes (the tiles the server kept; gone sources are already null). */
export function stateFromBody(b: WallStateBody, carousel: CarouselState | null): WallState {
  return { ...emptyWall(b.layout), tiles: slotsOf(b.tiles.map((t) => t?.id ?? null)), selected: b.selected, maximized: b.maximized, tour: b.tour, carousel };
}

/**
 * What a save must capture: the wall's content, not its passing pages. While a tour runs its pages are not a change;
 * while a carousel runs the wall shows the step's layout (the carousel itself is remembered).
 */
export function stateKey(s: WallState): string {
  if (s.carousel?.running) return 'carousel';
  return JSON.stringify({
    layout: s.layout,
    tiles: s.tour ? null : s.tiles,
    selected: s.selected,
    maximized: s.maximized,
    tour: s.tour ? [s.tour.group, s.tour.seconds] : null,
  });
}

export function carouselKey(s: WallState): string {
  return JSON.stringify(s.carousel);
}
