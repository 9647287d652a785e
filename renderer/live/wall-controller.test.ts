// Wall controller: restores the remembered layout, saves/deletes through the API, runs the tour timer, autosaves a wall window.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WallLayout, WallLayoutBody } from '../../common/api';
import { WallController } from './wall-controller';

function fakeApi(initial: WallLayout[] = []) {
  let nextId = 100;
  const layouts = new Map(initial.map((l) => [l.name, l]));
  const saved: WallLayoutBody[] = [];
  return {
    saved,
    layouts,
    listLayouts: vi.fn(async () => [...layouts.values()]),
    saveLayout: vi.fn(async (body: WallLayoutBody) => {
      saved.push(body);
      const l: WallLayout = { id: layouts.get(body.name)?.id ?? nextId++, name: body.name, layout: body.layout, tiles: body.tiles, tourGroup: body.tourGroup ?? null, tourSeconds: body.tourSeconds ?? null, updatedMs: 1 };
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

const layout = (id: number, name: string, tiles: Array<number | null>, l: WallLayout['layout'] = '4'): WallLayout => ({ id, name, layout: l, tiles, tourGroup: null, tourSeconds: null, updatedMs: 1 });
const groups: Record<string, number[]> = { Depot: [1, 2, 3, 4, 5] };

describe('WallController', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('restores the remembered layout and remembers what it saves', async () => {
    const api = fakeApi([layout(1, 'Day', [7, null, 9, null]), layout(2, 'Night', [3], '1')]);
    const storage = memoryStorage({ 'argus.wall.last.1': 'Night' });
    const c = new WallController({ api, groupSources: (g) => groups[g] ?? [], lastNameKey: 'argus.wall.last.1', storage });
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
    const c = new WallController({ api: fakeApi(), groupSources: () => [], lastNameKey: null, storage: null });
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
    const c = new WallController({ api: fakeApi(), groupSources: () => [], lastNameKey: null, storage: null });
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
    const c = new WallController({ api, groupSources: () => [], lastNameKey: 'argus.wall.last.1', storage: memoryStorage({ 'argus.wall.last.1': 'Day' }) });
    const ready = c.init();
    c.placeSource(5);
    await ready;
    await Promise.resolve();
    expect(c.state.get().tiles.slice(0, 4)).toEqual([7, 5, 9, null]);
    c.close();
  });

  it('keeps an alarm frame on a tile until the alarm is let go or the tile shows another source', () => {
    const c = new WallController({ api: fakeApi(), groupSources: () => [], lastNameKey: null, storage: null });
    c.dispatch({ type: 'assign', index: 2, sourceId: 5 });
    c.markAlarm(2, 40);
    c.dispatch({ type: 'assign', index: 0, sourceId: 6 });
    c.markAlarm(0, 41);
    expect([...c.alarmTiles.get()]).toEqual([[2, 40], [0, 41]]);
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
    const c = new WallController({ api: fakeApi(), groupSources: (g) => groups[g] ?? [], lastNameKey: null, storage: null });
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

  it('a wall window loads its own layout and saves every change under it, not every tour page', async () => {
    const api = fakeApi([layout(4, 'wall-7', [1, 2])]);
    const c = new WallController({ api, groupSources: (g) => groups[g] ?? [], lastNameKey: null, autosaveName: 'wall-7', autosaveDelayMs: 500, storage: null });
    await c.init();
    expect(c.state.get().tiles.slice(0, 2)).toEqual([1, 2]);
    c.dispatch({ type: 'select', index: 1 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(api.saveLayout).not.toHaveBeenCalled();
    c.dispatch({ type: 'swap', from: 0, to: 1 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(api.saved.at(-1)).toMatchObject({ name: 'wall-7', tiles: [2, 1, null, null] });
    c.startTour('Depot', 5);
    await vi.advanceTimersByTimeAsync(1000);
    expect(api.saveLayout).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(api.saveLayout).toHaveBeenCalledTimes(2);
    c.close();
  });
});
