// The video wall's state and its pure reducer: layout, source per tile, selection, maximize, tour; plus stream choice.
import type { StreamKind, WallLayout, WallLayoutBody, WallLayoutKind } from '../../common/api';
import type { WallCarouselBody } from '../../common/wall';
import { assertNever } from '../../common/events';
import { isBigTile, tileCount } from './geometry';

/** Slots kept per wall: the largest layout's tile count, so switching 16 → 4 → 16 brings the sources back. */
export const MAX_TILES = 16;

export interface TourState {
  /** Device tree group whose sources cycle through the tiles. */
  group: string;
  seconds: number;
  /** Page of the group shown now (0-based). */
  page: number;
}

/** A carousel of saved layouts: each step's layout shown for its dwell; a manual change stops it (the steps stay). */
export type CarouselState = WallCarouselBody;

export interface WallState {
  layout: WallLayoutKind;
  /** Source id (camera or unit) per slot, null = empty; always MAX_TILES long, the layout shows the first tileCount. */
  tiles: ReadonlyArray<number | null>;
  selected: number | null;
  maximized: number | null;
  tour: TourState | null;
  carousel: CarouselState | null;
}

type LoadedLayout = Pick<WallLayout, 'layout' | 'tiles' | 'tourGroup' | 'tourSeconds'>;

export type WallAction =
  /** tourSources: the running tour's sources, so the tour repaginates for the new tile count. */
  | { type: 'layout'; layout: WallLayoutKind; tourSources?: readonly number[] }
  | { type: 'assign'; index: number; sourceId: number }
  | { type: 'swap'; from: number; to: number }
  | { type: 'clear'; index: number }
  | { type: 'select'; index: number | null }
  | { type: 'toggleMaximize'; index: number }
  | { type: 'restore' }
  | { type: 'tourStart'; group: string; seconds: number; sources: readonly number[] }
  | { type: 'tourTick'; sources: readonly number[] }
  | { type: 'tourStop' }
  | { type: 'load'; layout: LoadedLayout; sources?: readonly number[] }
  | { type: 'sourceRemoved'; sourceId: number }
  /** The remembered wall (reload, sign-in): as it was left, a running tour at its page. */
  | { type: 'resume'; wall: WallState; sources?: readonly number[] }
  | { type: 'carouselStart'; steps: CarouselState['steps']; layout: LoadedLayout; sources?: readonly number[] }
  /** The carousel shows step `step` (its layout); not a manual change. */
  | { type: 'carouselStep'; step: number; layout: LoadedLayout; sources?: readonly number[] }
  | { type: 'carouselStop' };

export function emptyWall(layout: WallLayoutKind = '4'): WallState {
  return { layout, tiles: Array<number | null>(MAX_TILES).fill(null), selected: null, maximized: null, tour: null, carousel: null };
}

/** A manual change stops a running carousel (its steps are kept for the next start). */
function halt(state: WallState): WallState {
  return state.carousel?.running ? { ...state, carousel: { ...state.carousel, running: false } } : state;
}

/** The wall showing a saved layout (and its tour), keeping selection-free defaults and the carousel. */
function loaded(state: WallState, l: LoadedLayout, sources: readonly number[] | undefined): WallState {
  const base: WallState = { layout: l.layout, tiles: slotsOf(l.tiles), selected: null, maximized: null, tour: null, carousel: state.carousel };
  if (l.tourGroup && l.tourSeconds && sources) return showTourPage(base, { group: l.tourGroup, seconds: l.tourSeconds, page: 0 }, sources);
  return base;
}

function inRange(state: WallState, index: number): boolean {
  return Number.isInteger(index) && index >= 0 && index < tileCount(state.layout);
}

function withTiles(state: WallState, tiles: Array<number | null>): WallState {
  return { ...state, tiles };
}

/** Number of pages a tour of `sources` has on `count` tiles. */
export function tourPages(sourceCount: number, count: number): number {
  return Math.max(1, Math.ceil(sourceCount / Math.max(1, count)));
}

/** The tiles of tour page `page` (wrapped): consecutive sources, the last page partly empty. */
export function tourPage(sources: readonly number[], count: number, page: number): Array<number | null> {
  const pages = tourPages(sources.length, count);
  const p = ((page % pages) + pages) % pages;
  const out: Array<number | null> = [];
  for (let i = 0; i < count; i++) out.push(sources[p * count + i] ?? null);
  return out;
}

function showTourPage(state: WallState, tour: TourState, sources: readonly number[]): WallState {
  const count = tileCount(state.layout);
  const page = tourPage(sources, count, tour.page);
  const tiles = [...state.tiles];
  for (let i = 0; i < count; i++) tiles[i] = page[i];
  const pages = tourPages(sources.length, count);
  return { ...state, tiles, tour: { ...tour, page: ((tour.page % pages) + pages) % pages } };
}

/** Slots from a saved layout, padded/truncated to MAX_TILES. */
export function slotsOf(tiles: ReadonlyArray<number | null>): Array<number | null> {
  const out = Array<number | null>(MAX_TILES).fill(null);
  for (let i = 0; i < Math.min(MAX_TILES, tiles.length); i++) {
    const v = tiles[i];
    out[i] = typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null;
  }
  return out;
}

export function wallReducer(state: WallState, action: WallAction): WallState {
  const next = reduce(state, action);
  // Manual changes of what the wall shows stop a running carousel; its own steps, tour pages, selection do not.
  switch (action.type) {
    case 'layout':
    case 'assign':
    case 'swap':
    case 'clear':
    case 'tourStart':
    case 'tourStop':
    case 'load':
      return next === state ? state : halt(next);
    default:
      return next;
  }
}

function reduce(state: WallState, action: WallAction): WallState {
  switch (action.type) {
    case 'layout': {
      if (action.layout === state.layout) return state;
      const count = tileCount(action.layout);
      const next: WallState = {
        ...state,
        layout: action.layout,
        selected: state.selected !== null && state.selected < count ? state.selected : null,
        maximized: null,
      };
      // A running tour repaginates for the new tile count, starting again at its first page.
      return state.tour && action.tourSources ? showTourPage(next, { ...state.tour, page: 0 }, action.tourSources) : next;
    }
    case 'assign': {
      if (!inRange(state, action.index)) return state;
      const tiles = [...state.tiles];
      tiles[action.index] = action.sourceId;
      // A manual change ends the tour; the tiles stay as they are.
      return { ...withTiles(state, tiles), selected: action.index, tour: null };
    }
    case 'swap': {
      if (!inRange(state, action.from) || !inRange(state, action.to) || action.from === action.to) return state;
      const tiles = [...state.tiles];
      [tiles[action.from], tiles[action.to]] = [tiles[action.to], tiles[action.from]];
      return { ...withTiles(state, tiles), selected: action.to, tour: null };
    }
    case 'clear': {
      if (!inRange(state, action.index) || state.tiles[action.index] === null) return state;
      const tiles = [...state.tiles];
      tiles[action.index] = null;
      return { ...withTiles(state, tiles), maximized: state.maximized === action.index ? null : state.maximized, tour: null };
    }
    case 'select':
      if (action.index !== null && !inRange(state, action.index)) return state;
      return action.index === state.selected ? state : { ...state, selected: action.index };
    case 'toggleMaximize':
      if (!inRange(state, action.index)) return state;
      return { ...state, selected: action.index, maximized: state.maximized === action.index ? null : action.index };
    case 'restore':
      return state.maximized === null ? state : { ...state, maximized: null };
    case 'tourStart':
      return showTourPage({ ...state, maximized: null }, { group: action.group, seconds: action.seconds, page: 0 }, action.sources);
    case 'tourTick':
      if (!state.tour) return state;
      return showTourPage(state, { ...state.tour, page: state.tour.page + 1 }, action.sources);
    case 'tourStop':
      return state.tour ? { ...state, tour: null } : state;
    case 'load':
      return loaded(state, action.layout, action.sources);
    case 'resume': {
      const w = { ...action.wall, tiles: slotsOf(action.wall.tiles) };
      return w.tour && action.sources ? showTourPage(w, w.tour, action.sources) : w;
    }
    case 'carouselStart':
      return loaded({ ...state, carousel: { steps: action.steps, step: 0, running: true } }, action.layout, action.sources);
    case 'carouselStep':
      if (!state.carousel?.running) return state;
      return loaded({ ...state, carousel: { ...state.carousel, step: action.step } }, action.layout, action.sources);
    case 'carouselStop':
      return halt(state);
    case 'sourceRemoved': {
      if (!state.tiles.includes(action.sourceId)) return state;
      return withTiles(
        state,
        state.tiles.map((t) => (t === action.sourceId ? null : t)),
      );
    }
    default:
      return assertNever(action);
  }
}

/** The body that saves this wall under `name`: the layout's visible tiles only. */
export function layoutBody(state: WallState, name: string): WallLayoutBody {
  return {
    name,
    layout: state.layout,
    tiles: state.tiles.slice(0, tileCount(state.layout)).map((t) => t ?? null),
    tourGroup: state.tour?.group ?? null,
    tourSeconds: state.tour?.seconds ?? null,
  };
}

/**
 * Which stream a tile plays: the main stream when it is big on screen (the single-tile layout, a maximized tile,
 * the focus tile of 1+5 / 1+7), else the sub stream (grids of four and more), which saves decoding and bandwidth.
 */
export function streamFor(layout: WallLayoutKind, index: number, maximized: number | null): StreamKind {
  if (maximized !== null) return maximized === index ? 'main' : 'sub';
  if (layout === '1' || isBigTile(layout, index)) return 'main';
  return 'sub';
}
