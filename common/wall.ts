// Contracts of the remembered wall (issue 12 item 10): the last wall per user and window, and the carousel of saved layouts.
import { STREAM_KINDS, WALL_LAYOUTS } from './api';
import { s, type Infer } from './schema';

/** Window key of the Live tab's wall; a wall window on another display uses its display id (as alarm rules do). */
export const LIVE_TAB_WINDOW = 0;
export const SOURCE_KINDS = ['camera', 'unit'] as const;
/** Dwell of a carousel step and period of a tour, seconds. */
export const WALL_MIN_SECONDS = 5;
export const WALL_MAX_SECONDS = 3600;
export const CAROUSEL_MAX_STEPS = 32;

/** One slot of the wall: which source (camera or unit) and which stream it plays; null = an empty tile. */
export const WallTile = s.nullable(
  s.object({
    kind: s.enum(SOURCE_KINDS),
    id: s.int({ min: 1 }),
    stream: s.enum(STREAM_KINDS),
  }),
);
export type WallTile = Infer<typeof WallTile>;

/** The wall as it is left: grid, every slot (hidden slots of a smaller grid are kept), selection, maximized tile, tour. */
export const WallStateBody = s.object({
  layout: s.enum(WALL_LAYOUTS),
  tiles: s.array(WallTile, { maxItems: 16 }),
  selected: s.nullable(s.int({ min: 0, max: 15 })),
  maximized: s.nullable(s.int({ min: 0, max: 15 })),
  tour: s.nullable(
    s.object({
      group: s.string({ minLength: 1, maxLength: 128, singleLine: true }),
      seconds: s.int({ min: WALL_MIN_SECONDS, max: WALL_MAX_SECONDS }),
      page: s.int({ min: 0, max: 100_000 }),
    }),
  ),
});
export type WallStateBody = Infer<typeof WallStateBody>;

/** A carousel: saved layouts shown one after another, each for its dwell; kept (stopped) after a manual change. */
export const WallCarouselBody = s.object({
  steps: s.array(
    s.object({
      layoutId: s.int({ min: 1 }),
      seconds: s.int({ min: WALL_MIN_SECONDS, max: WALL_MAX_SECONDS }),
    }),
    { minItems: 2, maxItems: CAROUSEL_MAX_STEPS },
  ),
  /** The step shown now (0-based). */
  step: s.int({ min: 0, max: CAROUSEL_MAX_STEPS - 1 }),
  running: s.boolean(),
});
export type WallCarouselBody = Infer<typeof WallCarouselBody>;
export type CarouselStep = WallCarouselBody['steps'][number];

/**
 * GET /wall-state/:window. A source that no longer exists (or the user may not see) reads back as an empty tile, a
 * step whose layout is gone is left out (fewer than two left: no carousel); the carousel is null without the right.
 */
export interface WallStateView {
  window: number;
  state: WallStateBody | null;
  carousel: WallCarouselBody | null;
  updatedMs: number | null;
}
