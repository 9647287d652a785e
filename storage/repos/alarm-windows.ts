// Repository interface for alarm windows (table alarm_recordings): the spans of a channel that an alarm asks to keep; SQLite: storage/sqlite/alarm-windows.ts.

/** One alarm window of a channel: [startMs, endMs], pre- and post-alarm time included. */
export interface AlarmWindowRow {
  id: number;
  channelId: number;
  /** The alarm that opened it; null for a window opened by a linkage action. */
  alarmId: number | null;
  startMs: number;
  endMs: number;
}

export interface AlarmWindowRepo {
  /**
   * Opens the window of (channel, alarm), or widens the stored one: its start becomes the earlier, its end the later of
   * the stored and the given values (an alarm that occurs again only ever extends its window).
   */
  upsert(w: { channelId: number; alarmId: number | null; startMs: number; endMs: number }): Promise<AlarmWindowRow>;
  /** The channel's windows that overlap [startMs, endMs] (both ends inclusive), ordered by start. */
  overlapping(channelId: number, startMs: number, endMs: number): Promise<AlarmWindowRow[]>;
  /** The latest end of the channel's windows, null when it has none. */
  latestEndMs(channelId: number): Promise<number | null>;
}
