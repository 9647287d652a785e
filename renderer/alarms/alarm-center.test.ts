// Tests of the console's alarm state: load then replay, exactly-once by sequence number, gap repair, linkage age and targeting, wall tiles.
import { describe, expect, it } from 'vitest';
import type { Alarm, AlarmFeedEvent, AlarmLinkage, AlarmList, AlarmFeedPage } from '../../common/alarms';
import type { ServerEvent } from '../../common/events';
import { emptyWall } from '../live/wall-state';
import { alertsMe, compareAlarms, ConsoleAlarms } from './alarm-center';
import { placementTile } from './wall-placement';

const NOW = 1_700_000_000_000;

function alarm(id: number, p: Partial<Alarm> = {}): Alarm {
  return {
    id,
    sourceId: 3,
    sourceName: 'Gate',
    type: 'motion',
    severity: 'minor',
    state: 'new',
    firstMs: NOW,
    lastMs: NOW,
    count: 1,
    lat: null,
    lon: null,
    message: null,
    reason: null,
    deviceEventId: null,
    test: false,
    ruleIds: [],
    escalatedToRole: null,
    escalatedMs: null,
    handler: null,
    reporter: null,
    cause: null,
    steps: [],
    actions: [],
    occurrences: [],
    ...p,
  };
}
const linkage = (p: Partial<AlarmLinkage> = {}): AlarmLinkage => ({ wall: [], sound: false, desktop: false, notifyRoles: [], notifyUserIds: [], ...p });
const ev = (seq: number, a: Alarm, kind: AlarmFeedEvent['kind'] = 'raised', l: AlarmLinkage | null = null, atMs = NOW): AlarmFeedEvent => ({
  type: 'alarm.event',
  seq,
  kind,
  atMs,
  alarm: a,
  linkage: l,
});

function harness(list: AlarmList, feed: AlarmFeedEvent[]) {
  let sub: ((e: ServerEvent) => void) | null = null;
  const asked: number[] = [];
  const api = {
    list: async () => list,
    feed: async (since: number): Promise<AlarmFeedPage> => {
      asked.push(since);
      return { events: feed.filter((e) => e.seq > since), more: false };
    },
  };
  const c = new ConsoleAlarms({ api, subscribe: (fn) => ((sub = fn), () => (sub = null)), me: { id: 7, role: 'dispatcher' }, now: () => NOW + 1000 });
  return { c, asked, push: (e: ServerEvent) => sub!(e), settle: () => new Promise((r) => setTimeout(r, 0)) };
}

describe('ConsoleAlarms', () => {
  it("loads the open alarms, replays from the list's seq, and applies each event once", async () => {
    const a1 = alarm(1);
    const a2 = alarm(2, { severity: 'critical' });
    const h = harness({ alarms: [a1], seq: 10 }, [ev(11, a2, 'raised', linkage({ wall: [{ cameraId: 3, window: 0, tile: 1 }], sound: true }))]);
    h.c.start();
    await h.c.sync();
    expect(h.asked[0]).toBe(10);
    expect(h.c.open().map((a) => a.id)).toEqual([2, 1]);
    expect(h.c.wallQueue.get()).toEqual([{ key: '11:0', alarmId: 2, cameraId: 3, window: 0, tile: 1 }]);
    expect(h.c.alert.get()).toMatchObject({ seq: 11, sound: true });
    // The same event arriving live again changes nothing.
    h.push(ev(11, alarm(2, { count: 99 })));
    expect(h.c.alarms.get().get(2)!.count).toBe(1);
    h.push(ev(12, alarm(1, { count: 2 }), 'merged'));
    expect(h.c.alarms.get().get(1)!.count).toBe(2);
    expect(h.c.seq.get()).toBe(12);
  });

  it('repairs a gap and replays after a reconnect (hello)', async () => {
    const feed: AlarmFeedEvent[] = [];
    const h = harness({ alarms: [], seq: 0 }, feed);
    h.c.start();
    await h.c.sync();
    feed.push(ev(1, alarm(1)), ev(2, alarm(2)), ev(3, alarm(3)));
    h.push(ev(3, alarm(3))); // 1 and 2 were missed
    await h.c.sync();
    expect([...h.c.alarms.get().keys()].sort()).toEqual([1, 2, 3]);
    feed.push(ev(4, alarm(1, { state: 'closed' }), 'state'));
    h.push({ type: 'hello', serverTimeMs: NOW });
    await h.c.sync();
    expect(
      h.c
        .open()
        .map((a) => a.id)
        .sort(),
    ).toEqual([2, 3]);
  });

  it('does not execute the linkage of old replayed events, and alerts only the targeted operators', async () => {
    const old = ev(1, alarm(1), 'raised', linkage({ wall: [{ cameraId: 3, window: 0, tile: null }], sound: true }), NOW - 10 * 60_000);
    const h = harness({ alarms: [], seq: 0 }, [old]);
    h.c.start();
    await h.c.sync();
    expect(h.c.alarms.get().has(1)).toBe(true);
    expect(h.c.wallQueue.get()).toEqual([]);
    expect(h.c.alert.get()).toBeNull();
    expect(alertsMe(linkage(), { id: 7, role: 'officer' })).toBe(true);
    expect(alertsMe(linkage({ notifyRoles: ['admin'] }), { id: 7, role: 'officer' })).toBe(false);
    expect(alertsMe(linkage({ notifyRoles: ['admin'], notifyUserIds: [7] }), { id: 7, role: 'officer' })).toBe(true);
  });

  it('orders the live list by severity, then newest', () => {
    const list = [alarm(1, { lastMs: 5 }), alarm(2, { severity: 'critical', lastMs: 1 }), alarm(3, { lastMs: 9 })].sort(compareAlarms);
    expect(list.map((a) => a.id)).toEqual([2, 3, 1]);
  });
});

describe('placementTile', () => {
  it("uses the rule's tile when shown, else the next free tile, else the last; nothing when already shown", () => {
    const wall = emptyWall('4');
    expect(placementTile(wall, { cameraId: 5, tile: 2 })).toBe(2);
    expect(placementTile(wall, { cameraId: 5, tile: 9 })).toBe(0); // not in a 4-grid: next free
    const tiles = [7, null, 5, null, ...Array(12).fill(null)];
    expect(placementTile({ ...wall, tiles }, { cameraId: 5, tile: null })).toBeNull();
    expect(placementTile({ ...wall, tiles }, { cameraId: 5, tile: 2 })).toBeNull();
    expect(placementTile({ ...wall, tiles }, { cameraId: 8, tile: null })).toBe(1);
    const full = [1, 2, 3, 4, ...Array(12).fill(null)];
    expect(placementTile({ ...wall, tiles: full }, { cameraId: 8, tile: null })).toBe(3);
  });
});

describe('alarmMarkers', () => {
  it('lists open alarms with a location, most severe last, SOS flashing until acknowledged', async () => {
    const { alarmMarkers } = await import('./map-markers');
    const m = alarmMarkers([
      alarm(1, { type: 'sos', severity: 'critical', lat: 31.2, lon: 121.4 }),
      alarm(2, { lat: 31.3, lon: 121.5 }),
      alarm(3),
      alarm(4, { state: 'closed', lat: 1, lon: 2 }),
      alarm(5, { type: 'sos', severity: 'critical', state: 'acknowledged', lat: 1, lon: 2 }),
    ]);
    expect(m.map((x) => [x.alarmId, x.flashing])).toEqual([
      [2, false],
      [1, true],
      [5, false],
    ]);
  });
});
