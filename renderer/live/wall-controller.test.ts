// Wall controller: restores the remembered wall, saves/deletes layouts through the API, runs the tour and carousel timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WallLayout, WallLayoutBody } from '../../common/api';
import type { WallCarouselBody, WallStateBody, WallStateView } from '../../common/wall';
import { WallController } from './wall-controller';

function fakeApi(initial: WallLayout[] = []) {
  let nextId = 100;
  const layouts = new Map(initial.map((l) => [l.name, l]));
  const saved: WallLayoutBody[] = [];
  const walls = new Map<number, { state: WallStateBody | null; carousel: WallCarouselBody | null }>();
  const view = (w: number): WallStateView => ({
    window: w,
    state: walls.get(w)?.state ?? null,
    carousel: walls.get(w)?.carousel ?? null,
    updatedMs: walls.has(w) ? 1 : null,
  });
  return {
    saved,
    layouts,
    walls,
    getWallState: vi.fn(async (w: number) => view(w)),
    putWallState: vi.fn(async (w: number, body: WallStateBody) => {
      walls.set(w, { state: structuredClone(body), carousel: walls.get(w)?.carousel ?? null });
      return view(w);
    }),
    putCarousel: vi.fn(async (w: number, body: WallCarouselBody) => {
      walls.set(w, { state: walls.get(w)?.state ?? null, carousel: structuredClone(body) });
      return view(w);
    }),
    listLayouts: vi.fn(async () => [...layouts.values()]),
    saveLayout: vi.fn(async (body: WallLayoutBody) => {
      saved.push(body);
      const l: WallLayout = {
        id: layouts.get(body.name)?.id ?? nextId++,
        name: body.name,
        layout: body.layout,
        tiles: body.tiles,
        tourGroup: body.tourGroup ?? null,
        tourSeconds: body.tourSeconds ?? null,
        updatedMs: 1,
      };
      layouts.set(body.name, l);
      return l;
    }),
    deleteLayout: vi.fn(async (id: number) => {
      for (const [k, v] of layouts) if (v.id === id) layouts.delete(k);
    }),
  };
}

function memoryStorage(init: Record<string, string> = {}) {
  const m = new Map(Object.entries(init));
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

const layout = (id: number, name: string, tiles: Array<number | null>, l: WallLayout['layout'] = '4'): WallLayout => ({
  id,
  name,
  layout: l,
  tiles,
  tourGroup: null,
  tourSeconds: null,
  updatedMs: 1,
});
const groups: Record<string, number[]> = { Depot: [1, 2, 3, 4, 5] };
/** Ids from 1000 are units, the others cameras. */
const base = { kindOf: (id: number) => (id >= 1000 ? 'unit' : 'camera') as 'camera' | 'unit', windowId: 0, canCarousel: true };

describe('WallController', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('restores the remembered layout and remembers what it saves', async () => {
    const api = fakeApi([layout(1, 'Day', [7, null, 9, null]), layout(2, 'Night', [3], '1')]);
    const storage = memoryStorage({ 'argus.wall.last.1': 'Night' });
    const c = new WallController({ ...base, api, groupSources: (g) => groups[g] ?? [], lastNameKey: 'argus.wall.last.1', storage });
    await c.init();
    expect(c.current.get()).toBe('Night');
    expect(c.state.get().layout).toBe('1');
    expect(c.state.get().tiles[0]).toBe(3);

    c.dispatch({ type: 'layout', layout: '4' });
    c.dispatch({ type: 'assign', index: 1, sourceId: 8 });
    await c.save('Mine');
    expect(api.saved.at(-1)).toEqual({ name: 'Mine', layout: '4', tiles: [3, 8, null, null], tourGroup: null, tourSeconds: null });
    expect(storage.m.get('argus.wall.last.1')).toBe('Mine');
    expect(c.layouts.get()?.map((l) => l.name)).toEqual(['Day', 'Mine', 'Night']);

    await c.remove(c.layouts.get()!.find((l) => l.name === 'Mine')!);
    expect(c.current.get()).toBeNull();
    expect(storage.m.has('argus.wall.last.1')).toBe(false);
    c.close();
  });

  it('fills the selected tile, else the first empty one, and moves the selection on', async () => {
    const c = new WallController({ ...base, api: fakeApi(), groupSources: () => [], lastNameKey: null, storage: null });
    c.openSource(5);
    c.openSource(6);
    expect(c.state.get().tiles.slice(0, 4)).toEqual([5, 6, null, null]);
    expect(c.state.get().selected).toBe(2);
    c.dispatch({ type: 'select', index: 0 });
    c.openSource(9);
    expect(c.state.get().tiles.slice(0, 4)).toEqual([9, 6, null, null]);
    c.close();
  });

  it('places a source from the map on the first free tile, keeps the others, and replaces the oldest only when full', () => {
    const c = new WallController({ ...base, api: fakeApi(), groupSources: () => [], lastNameKey: null, storage: null });
    c.openSource(5); // tile 0, selection moves to tile 1
    c.dispatch({ type: 'select', index: 0 });
    c.placeSource(7);
    expect(c.state.get().tiles.slice(0, 4)).toEqual([5, 7, null, null]);
    expect(c.state.get().selected).toBe(1);
    c.placeSource(8);
    expect(c.state.get().tiles.slice(0, 4)).toEqual([5, 7, 8, null]);
    c.placeSource(7); // already shown: selected, not duplicated
    expect(c.state.get().tiles.slice(0, 4)).toEqual([5, 7, 8, null]);
    expect(c.state.get().selected).toBe(1);
    c.placeSource(9);
    c.dispatch({ type: 'assign', index: 0, sourceId: 6 }); // tile 0 now newest
    c.placeSource(10); // full: the oldest is tile 1 (7)
    expect(c.state.get().tiles.slice(0, 4)).toEqual([6, 10, 8, 9]);
    c.placeSource(11);
    expect(c.state.get().tiles.slice(0, 4)).toEqual([6, 10, 11, 9]);
    c.close();
  });

  it('places a source asked for while the remembered layout is loading after it has loaded, not under it', async () => {
    const api = fakeApi([layout(1, 'Day', [7, null, 9, null])]);
    const c = new WallController({
      ...base,
      api,
      groupSources: () => [],
      lastNameKey: 'argus.wall.last.1',
      storage: memoryStorage({ 'argus.wall.last.1': 'Day' }),
    });
    const ready = c.init();
    c.placeSource(5);
    await ready;
    await Promise.resolve();
    expect(c.state.get().tiles.slice(0, 4)).toEqual([7, 5, 9, null]);
    c.close();
  });

  it('keeps an alarm frame on a tile until the alarm is let go or the tile shows another source', () => {
    const c = new WallController({ ...base, api: fakeApi(), groupSources: () => [], lastNameKey: null, storage: null });
    c.dispatch({ type: 'assign', index: 2, sourceId: 5 });
    c.markAlarm(2, 40);
    c.dispatch({ type: 'assign', index: 0, sourceId: 6 });
    c.markAlarm(0, 41);
    expect([...c.alarmTiles.get()]).toEqual([
      [2, 40],
      [0, 41],
    ]);
    c.dispatch({ type: 'select', index: 2 }); // selecting is not replacing
    c.dispatch({ type: 'layout', layout: '9' });
    expect(c.alarmTiles.get().get(2)).toBe(40);
    c.dispatch({ type: 'assign', index: 2, sourceId: 7 }); // replaced
    expect([...c.alarmTiles.get()]).toEqual([[0, 41]]);
    c.unmarkAlarms((id) => id !== 41); // acknowledged
    expect(c.alarmTiles.get().size).toBe(0);
    c.markAlarm(0, 42);
    c.dispatch({ type: 'clear', index: 0 });
    expect(c.alarmTiles.get().size).toBe(0);
    c.close();
  });

  it('advances the tour every N seconds and stops the timer when the tour stops', () => {
    const c = new WallController({ ...base, api: fakeApi(), groupSources: (g) => groups[g] ?? [], lastNameKey: null, storage: null });
    c.startTour('Depot', 10);
    expect(c.state.get().tiles.slice(0, 4)).toEqual([1, 2, 3, 4]);
    vi.advanceTimersByTime(10_000);
    expect(c.state.get().tiles.slice(0, 4)).toEqual([5, null, null, null]);
    vi.advanceTimersByTime(10_000);
    expect(c.state.get().tiles.slice(0, 4)).toEqual([1, 2, 3, 4]);
    c.stopTour();
    vi.advanceTimersByTime(30_000);
    expect(c.state.get().tiles.slice(0, 4)).toEqual([1, 2, 3, 4]);
    c.close();
  });

  it('remembers the wall per window shortly after a change and restores it (tiles, kinds, streams, selection, tour)', async () => {
    const api = fakeApi();
    const c = new WallController({ ...base, api, windowId: 7, groupSources: (g) => groups[g] ?? [], lastNameKey: null, rememberDelayMs: 500, storage: null });
    await c.init();
    c.dispatch({ type: 'layout', layout: '1+5' });
    c.dispatch({ type: 'assign', index: 0, sourceId: 3 });
    c.dispatch({ type: 'assign', index: 2, sourceId: 1001 });
    c.dispatch({ type: 'select', index: 2 });
    expect(api.putWallState).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1000);
    expect(api.putWallState).toHaveBeenCalledTimes(1); // one request for the burst
    expect(api.walls.get(7)?.state).toEqual({
      layout: '1+5',
      tiles: [{ kind: 'camera', id: 3, stream: 'main' }, null, { kind: 'unit', id: 1001, stream: 'sub' }],
      selected: 2,
      maximized: null,
      tour: null,
    });
    expect(api.walls.has(0)).toBe(false);
    c.close();

    const again = new WallController({ ...base, api, windowId: 7, groupSources: (g) => groups[g] ?? [], lastNameKey: null, storage: null });
    await again.init();
    expect(again.state.get()).toMatchObject({ layout: '1+5', selected: 2, maximized: null, tour: null });
    expect(again.state.get().tiles.slice(0, 6)).toEqual([3, null, 1001, null, null, null]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(api.putWallState).toHaveBeenCalledTimes(1); // restoring is not a change
    again.startTour('Depot', 10);
    await vi.advanceTimersByTimeAsync(1000);
    expect(api.walls.get(7)?.state?.tour).toEqual({ group: 'Depot', seconds: 10, page: 0 });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(api.putWallState).toHaveBeenCalledTimes(2); // tour pages are not changes
    again.close();

    // An active tour comes back running, at its remembered page, and keeps turning pages.
    const third = new WallController({ ...base, api, windowId: 7, groupSources: (g) => groups[g] ?? [], lastNameKey: null, storage: null });
    await third.init();
    expect(third.state.get().tour).toMatchObject({ group: 'Depot', seconds: 10, page: 0 });
    expect(third.state.get().tiles.slice(0, 6)).toEqual([1, 2, 3, 4, 5, null]);
    third.dispatch({ type: 'layout', layout: '4' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(third.state.get().tiles.slice(0, 4)).toEqual([5, null, null, null]);
    third.close();
  });

  it('a wall window without a remembered wall starts from its former autosaved layout and remembers it', async () => {
    const api = fakeApi([layout(4, 'wall-7', [1, 2])]);
    const c = new WallController({ ...base, api, windowId: 7, groupSources: () => [], lastNameKey: null, fallbackName: 'wall-7', storage: null });
    await c.init();
    expect(c.state.get().tiles.slice(0, 2)).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(api.walls.get(7)?.state?.tiles).toEqual([
      { kind: 'camera', id: 1, stream: 'sub' },
      { kind: 'camera', id: 2, stream: 'sub' },
    ]);
    expect(api.saveLayout).not.toHaveBeenCalled();
    c.close();
  });

  it('runs a carousel of saved layouts, each for its dwell, remembers its step, and stops on a manual change', async () => {
    const api = fakeApi([layout(1, 'Gate', [7, 8, null, null]), layout(2, 'Highway', [9], '1')]);
    const c = new WallController({ ...base, api, groupSources: () => [], lastNameKey: null, storage: null });
    await c.init();
    c.startCarousel([
      { layoutId: 1, seconds: 20 },
      { layoutId: 2, seconds: 30 },
    ]);
    expect(c.state.get()).toMatchObject({ layout: '4', carousel: { step: 0, running: true } });
    await vi.advanceTimersByTimeAsync(19_000);
    expect(c.state.get().layout).toBe('4');
    await vi.advanceTimersByTimeAsync(2000);
    expect(c.state.get()).toMatchObject({ layout: '1', carousel: { step: 1 } });
    expect(c.state.get().tiles[0]).toBe(9);
    expect(api.walls.get(0)?.carousel).toEqual({
      steps: [
        { layoutId: 1, seconds: 20 },
        { layoutId: 2, seconds: 30 },
      ],
      step: 1,
      running: true,
    });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(c.state.get()).toMatchObject({ layout: '4', carousel: { step: 0 } });

    // A reload resumes it at the remembered step.
    const again = new WallController({ ...base, api, groupSources: () => [], lastNameKey: null, storage: null });
    await again.init();
    expect(again.state.get()).toMatchObject({ layout: '4', carousel: { step: 0, running: true } });
    again.close();

    c.dispatch({ type: 'assign', index: 3, sourceId: 5 }); // manual change
    expect(c.state.get().carousel).toMatchObject({ running: false });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(c.state.get().layout).toBe('4');
    expect(c.state.get().tiles.slice(0, 4)).toEqual([7, 8, null, 5]);
    expect(api.walls.get(0)?.carousel?.running).toBe(false);
    expect(api.walls.get(0)?.state?.tiles[3]).toEqual({ kind: 'camera', id: 5, stream: 'sub' });
    c.close();
  });

  it('without the carousel right neither restores nor saves a carousel', async () => {
    const api = fakeApi([layout(1, 'Gate', [7]), layout(2, 'Highway', [9], '1')]);
    api.walls.set(0, {
      state: { layout: '4', tiles: [{ kind: 'camera', id: 7, stream: 'sub' }], selected: null, maximized: null, tour: null },
      carousel: {
        steps: [
          { layoutId: 1, seconds: 5 },
          { layoutId: 2, seconds: 5 },
        ],
        step: 1,
        running: true,
      },
    });
    const c = new WallController({ ...base, canCarousel: false, api, groupSources: () => [], lastNameKey: null, storage: null });
    await c.init();
    expect(c.state.get().carousel).toBeNull();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(c.state.get().tiles[0]).toBe(7);
    expect(api.putCarousel).not.toHaveBeenCalled();
    c.close();
  });
});
