// RecordingPolicy on a real SQLite store with an injectable clock: what each record_mode decides, alarm windows written and the re-apply at a window's end.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempStore, camera, type TempStore } from '../../storage/sqlite/test-utils';
import type { RecordMode } from '../../common/devices';
import { RecordingPolicy } from './recording-policy';

const NOW = Date.UTC(2026, 0, 31, 12);
let t: TempStore;
let now = NOW;
let reapplied: number[] = [];
let policy: RecordingPolicy;

beforeEach(async () => {
  t = await openTempStore();
  now = NOW;
  reapplied = [];
  policy = new RecordingPolicy({ repos: t.store, now: () => now, log: () => undefined, reapply: (id) => reapplied.push(id) });
});
afterEach(async () => {
  await policy.close();
  await t.cleanup();
});

async function channel(name: string, recordMode: RecordMode, preAlarmS: number, postAlarmS: number): Promise<number> {
  const c = await t.store.cameras.create(camera(name), NOW - 1000);
  await t.store.channels.update(c.id, { recordMode, preAlarmS, postAlarmS }, NOW - 1000);
  return c.id;
}

describe('RecordingPolicy', () => {
  it('continuous and alarm with pre-alarm record; off and alarm without pre-alarm do not, each with its reason', async () => {
    expect(await policy.decide(await channel('c', 'continuous', 10, 30))).toEqual({ record: true });
    expect(await policy.decide(await channel('p', 'alarm', 10, 30))).toEqual({ record: true });
    expect(await policy.decide(await channel('o', 'off', 10, 30))).toEqual({ record: false, reason: { code: 'status.policy_off', params: {} } });
    expect(await policy.decide(await channel('a', 'alarm', 0, 30))).toEqual({ record: false, reason: { code: 'status.policy_alarm', params: {} } });
    expect(await policy.decide(9999)).toEqual({ record: true });
  });

  it('an alarm on a channel without pre-alarm opens its window, records until post_alarm_s after the latest occurrence, and re-applies', async () => {
    const a = await channel('a', 'alarm', 0, 30);
    const cont = await channel('c', 'continuous', 10, 20);
    policy.alarmOccurred({ alarmId: 5, channelId: a, firstMs: NOW, lastMs: NOW });
    policy.alarmOccurred({ alarmId: 6, channelId: cont, firstMs: NOW, lastMs: NOW + 1000 });
    await policy.idle();
    expect(reapplied).toEqual([a]);
    expect(await t.store.alarmWindows.overlapping(a, 0, NOW * 2)).toMatchObject([{ alarmId: 5, startMs: NOW, endMs: NOW + 30_000 }]);
    expect(await t.store.alarmWindows.overlapping(cont, 0, NOW * 2)).toMatchObject([{ alarmId: 6, startMs: NOW - 10_000, endMs: NOW + 21_000 }]);
    expect(await policy.decide(a)).toEqual({ record: true });
    // occurs again 20 s later: the window, and so the recording, is extended
    now = NOW + 20_000;
    policy.alarmOccurred({ alarmId: 5, channelId: a, firstMs: NOW, lastMs: NOW + 20_000 });
    await policy.idle();
    now = NOW + 45_000;
    expect(await policy.decide(a)).toEqual({ record: true });
    now = NOW + 50_000;
    expect((await policy.decide(a)).record).toBe(false);
  });

  it('re-applies the channel when its window ends', async () => {
    const a = await channel('a', 'alarm', 0, 0);
    now = Date.now();
    await t.store.alarmWindows.upsert({ channelId: a, alarmId: 1, startMs: now, endMs: now + 200 });
    expect(await policy.decide(a)).toEqual({ record: true });
    for (let i = 0; i < 100 && reapplied.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(reapplied).toEqual([a]);
    now = Date.now();
    expect((await policy.decide(a)).record).toBe(false);
  });
});
