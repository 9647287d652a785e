// Repository interface for the last wall of each user per window and its carousel; SQLite implementation: storage/sqlite/wall-states.ts.

export interface WallStateRow {
  userId: number;
  windowId: number;
  /** The stored wall document (parsed JSON), null before the first save. */
  state: unknown;
  /** The stored carousel document (parsed JSON), null when none. */
  carousel: unknown;
  updatedMs: number;
}

export interface WallStateRepo {
  /** The user's wall of that window, null when never saved. */
  get(userId: number, windowId: number): Promise<WallStateRow | null>;
  /** Saves the wall document (the carousel stays). */
  putState(userId: number, windowId: number, state: unknown, nowMs: number): Promise<WallStateRow>;
  /** Saves (null: removes) the carousel document (the wall stays). */
  putCarousel(userId: number, windowId: number, carousel: unknown, nowMs: number): Promise<WallStateRow>;
}
