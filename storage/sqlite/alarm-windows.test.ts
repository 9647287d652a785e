// Tests of SqliteAlarmWindowRepo against a real SQLite file: one window per channel and alarm, widened, found by overlap.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempStore, T0, type TempStore } from './test-utils';

describe('SqliteAlarmWindowRepo', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('opens one window per channel and alarm and only ever widens it', async () => {
    const w = await t.store.alarmWindows.upsert({ channelId: 3, alarmId: 7, startMs: T0, endMs: T0 + 30_000 });
    expect(w).toMatchObject({ channelId: 3, alarmId: 7, startMs: T0, endMs: T0 + 30_000 });
    const wider = await t.store.alarmWindows.upsert({ channelId: 3, alarmId: 7, startMs: T0 + 5_000, endMs: T0 + 90_000 });
    expect(wider).toEqual({ ...w, endMs: T0 + 90_000 });
    expect(await t.store.alarmWindows.upsert({ channelId: 3, alarmId: 7, startMs: T0 - 10_000, endMs: T0 })).toEqual({
      ...w,
      startMs: T0 - 10_000,
      endMs: T0 + 90_000,
    });
    const other = await t.store.alarmWindows.upsert({ channelId: 3, alarmId: 8, startMs: T0 + 200_000, endMs: T0 + 210_000 });
    expect(other.id).not.toBe(w.id);
    const linkage1 = await t.store.alarmWindows.upsert({ channelId: 4, alarmId: null, startMs: T0, endMs: T0 + 1 });
    const linkage2 = await t.store.alarmWindows.upsert({ channelId: 4, alarmId: null, startMs: T0, endMs: T0 + 1 });
    expect(linkage2.id).not.toBe(linkage1.id);
    expect(await t.store.alarmWindows.latestEndMs(3)).toBe(T0 + 210_000);
    expect(await t.store.alarmWindows.latestEndMs(9)).toBeNull();
  });

  it('finds the windows of a channel that overlap a span, ends included', async () => {
    await t.store.alarmWindows.upsert({ channelId: 1, alarmId: 1, startMs: T0, endMs: T0 + 10_000 });
    await t.store.alarmWindows.upsert({ channelId: 1, alarmId: 2, startMs: T0 + 50_000, endMs: T0 + 60_000 });
    await t.store.alarmWindows.upsert({ channelId: 2, alarmId: 3, startMs: T0, endMs: T0 + 100_000 });
    const ids = async (a: number, b: number) => (await t.store.alarmWindows.overlapping(1, a, b)).map((x) => x.alarmId);
    expect(await ids(T0 - 5_000, T0 - 1)).toEqual([]);
    expect(await ids(T0 - 5_000, T0)).toEqual([1]);
    expect(await ids(T0 + 10_000, T0 + 50_000)).toEqual([1, 2]);
    expect(await ids(T0 + 10_001, T0 + 49_999)).toEqual([]);
    expect(await ids(T0 + 55_000, T0 + 56_000)).toEqual([2]);
  });
});
