// Retention for channels recording on alarm with a pre-alarm: their closed segments outside every alarm window go once older than the pre-alarm buffer.
import type { SegmentRow, Store } from '../../storage/repositories';

const BATCH = 200;
/** The shortest pre-alarm buffer kept, whatever pre_alarm_s says. */
export const MIN_PRE_ALARM_KEEP_S = 60;

/**
 * One sweep: for each channel with record_mode 'alarm' and pre_alarm_s > 0, deletes (through `del`, which removes file
 * and row) its closed, unprotected segments that ended more than max(pre_alarm_s, 60 s) + one segment length ago and
 * overlap none of its alarm windows. Legal holds (protected) keep a segment whatever the mode. Returns how many went.
 */
export async function sweepAlarmChannels(
  store: Pick<Store, 'channels' | 'segments' | 'alarmWindows'>,
  nowMs: number,
  del: (rows: SegmentRow[]) => Promise<number>,
): Promise<{ segments: number; bytes: number }> {
  const out = { segments: 0, bytes: 0 };
  for (const ch of await store.channels.list()) {
    if (ch.recordMode !== 'alarm' || ch.preAlarmS <= 0) continue;
    const cutoffMs = nowMs - (Math.max(ch.preAlarmS, MIN_PRE_ALARM_KEEP_S) + ch.segmentSeconds) * 1000;
    let cursorMs = 0;
    for (;;) {
      const rows = await store.segments.listRange(ch.id, cursorMs, cutoffMs, BATCH);
      if (rows.length === 0) break;
      const old = rows.filter((r) => r.state === 'closed' && !r.protected && r.endMs < cutoffMs);
      const windows = old.length > 0 ? await store.alarmWindows.overlapping(ch.id, old[0]!.startMs, cutoffMs) : [];
      const take = old.filter((r) => !windows.some((w) => r.startMs <= w.endMs && r.endMs >= w.startMs));
      if (take.length > 0) {
        out.bytes += await del(take);
        out.segments += take.length;
      }
      const next = rows[rows.length - 1]!.startMs + 1;
      if (rows.length < BATCH || next <= cursorMs) break;
      cursorMs = next;
    }
  }
  return out;
}
