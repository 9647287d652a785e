// The wall reducer (assign, swap, clear, layouts, maximize, tour, load/save) and the main/sub stream choice.
import { describe, expect, it } from 'vitest';
import { emptyWall, layoutBody, MAX_TILES, streamFor, tourPage, tourPages, wallReducer, type WallAction, type WallState } from './wall-state';

const run = (state: WallState, ...actions: WallAction[]) => actions.reduce(wallReducer, state);

describe('wallReducer', () => {
  it('assigns, swaps and clears tiles, selecting the tile acted on', () => {
    let s = run(emptyWall('4'), { type: 'assign', index: 0, sourceId: 7 }, { type: 'assign', index: 3, sourceId: 9 });
    expect(s.tiles.slice(0, 4)).toEqual([7, null, null, 9]);
    expect(s.selected).toBe(3);
    s = wallReducer(s, { type: 'swap', from: 0, to: 3 });
    expect(s.tiles.slice(0, 4)).toEqual([9, null, null, 7]);
    expect(s.selected).toBe(3);
    s = wallReducer(s, { type: 'swap', from: 0, to: 1 });
    expect(s.tiles.slice(0, 4)).toEqual([null, 9, null, 7]);
    s = wallReducer(s, { type: 'clear', index: 1 });
    expect(s.tiles.slice(0, 4)).toEqual([null, null, null, 7]);
    expect(s.tiles.length).toBe(MAX_TILES);
  });

  it('ignores tiles outside the layout', () => {
    const s = emptyWall('4');
    expect(wallReducer(s, { type: 'assign', index: 4, sourceId: 1 })).toBe(s);
    expect(wallReducer(s, { type: 'swap', from: 0, to: 9 })).toBe(s);
    expect(wallReducer(s, { type: 'toggleMaximize', index: -1 })).toBe(s);
  });

  it('keeps hidden slots when switching 16 → 4 → 16, and drops a selection that is no longer visible', () => {
    let s = run(emptyWall('16'), { type: 'assign', index: 12, sourceId: 5 }, { type: 'assign', index: 1, sourceId: 6 });
    expect(s.selected).toBe(1);
    s = run(s, { type: 'select', index: 12 }, { type: 'layout', layout: '4' });
    expect(s.selected).toBeNull();
    expect(layoutBody(s, 'x').tiles).toEqual([null, 6, null, null]);
    s = wallReducer(s, { type: 'layout', layout: '16' });
    expect(s.tiles[12]).toBe(5);
  });

  it('maximizes and restores; switching layout or clearing the tile restores', () => {
    const s = run(emptyWall('9'), { type: 'assign', index: 4, sourceId: 2 }, { type: 'toggleMaximize', index: 4 });
    expect(s.maximized).toBe(4);
    expect(wallReducer(s, { type: 'toggleMaximize', index: 4 }).maximized).toBeNull();
    expect(wallReducer(s, { type: 'restore' }).maximized).toBeNull();
    expect(wallReducer(s, { type: 'layout', layout: '16' }).maximized).toBeNull();
    expect(wallReducer(s, { type: 'clear', index: 4 }).maximized).toBeNull();
  });

  it('clears every tile of a deleted source', () => {
    const s = run(emptyWall('4'), { type: 'assign', index: 0, sourceId: 3 }, { type: 'assign', index: 2, sourceId: 3 }, { type: 'sourceRemoved', sourceId: 3 });
    expect(s.tiles.slice(0, 4)).toEqual([null, null, null, null]);
  });

  it('loads a saved layout (padding the slots) and saves the visible tiles with the tour', () => {
    const s = wallReducer(emptyWall('16'), { type: 'load', layout: { layout: '1+5', tiles: [4, null, 8], tourGroup: null, tourSeconds: null } });
    expect(s.layout).toBe('1+5');
    expect(s.tiles.length).toBe(MAX_TILES);
    expect(layoutBody(s, 'Night shift')).toEqual({
      name: 'Night shift',
      layout: '1+5',
      tiles: [4, null, 8, null, null, null],
      tourGroup: null,
      tourSeconds: null,
    });
  });
});

describe('tour', () => {
  const group = [11, 12, 13, 14, 15, 16];

  it('pages through the group, the last page partly empty, then starts over', () => {
    expect(tourPages(6, 4)).toBe(2);
    expect(tourPages(0, 4)).toBe(1);
    expect(tourPage(group, 4, 0)).toEqual([11, 12, 13, 14]);
    expect(tourPage(group, 4, 1)).toEqual([15, 16, null, null]);
    expect(tourPage(group, 4, 2)).toEqual([11, 12, 13, 14]);
    expect(tourPage([1, 2], 4, 5)).toEqual([1, 2, null, null]);
  });

  it('starts on page 0, advances on every tick and wraps', () => {
    let s = wallReducer(emptyWall('4'), { type: 'tourStart', group: 'Depot', seconds: 10, sources: group });
    expect(s.tour).toEqual({ group: 'Depot', seconds: 10, page: 0 });
    expect(s.tiles.slice(0, 4)).toEqual([11, 12, 13, 14]);
    s = wallReducer(s, { type: 'tourTick', sources: group });
    expect(s.tiles.slice(0, 4)).toEqual([15, 16, null, null]);
    expect(s.tour?.page).toBe(1);
    s = wallReducer(s, { type: 'tourTick', sources: group });
    expect(s.tour?.page).toBe(0);
    expect(s.tiles.slice(0, 4)).toEqual([11, 12, 13, 14]);
    expect(layoutBody(s, 'T')).toMatchObject({ tourGroup: 'Depot', tourSeconds: 10 });
  });

  it('repaginates on a layout change and stops on a manual change', () => {
    let s = run(emptyWall('4'), { type: 'tourStart', group: 'Depot', seconds: 10, sources: group }, { type: 'tourTick', sources: group });
    s = wallReducer(s, { type: 'layout', layout: '9', tourSources: group });
    expect(s.tiles.slice(0, 9)).toEqual([11, 12, 13, 14, 15, 16, null, null, null]);
    expect(s.tour?.page).toBe(0);
    s = wallReducer(s, { type: 'assign', index: 8, sourceId: 99 });
    expect(s.tour).toBeNull();
    expect(s.tiles[0]).toBe(11);
    expect(wallReducer(s, { type: 'tourTick', sources: group })).toBe(s);
  });

  it('a loaded layout with a tour starts it', () => {
    const s = wallReducer(emptyWall(), { type: 'load', layout: { layout: '4', tiles: [], tourGroup: 'Depot', tourSeconds: 15 }, sources: group });
    expect(s.tour).toEqual({ group: 'Depot', seconds: 15, page: 0 });
    expect(s.tiles.slice(0, 4)).toEqual([11, 12, 13, 14]);
  });
});

describe('streamFor', () => {
  it('uses the main stream for the single layout, a maximized tile and the big tile of 1+N', () => {
    expect(streamFor('1', 0, null)).toBe('main');
    expect(streamFor('4', 2, null)).toBe('sub');
    expect(streamFor('16', 15, null)).toBe('sub');
    expect(streamFor('16', 5, 5)).toBe('main');
    expect(streamFor('16', 4, 5)).toBe('sub');
    expect(streamFor('1+5', 0, null)).toBe('main');
    expect(streamFor('1+5', 1, null)).toBe('sub');
    expect(streamFor('1+7', 0, 3)).toBe('sub');
  });
});

describe('carousel in the reducer', () => {
  const gate = { layout: '1' as const, tiles: [7], tourGroup: null, tourSeconds: null };
  const yard = { layout: '4' as const, tiles: [8, 9], tourGroup: null, tourSeconds: null };
  const steps = [
    { layoutId: 1, seconds: 20 },
    { layoutId: 2, seconds: 30 },
  ];

  it("shows each step's layout; selecting or maximizing keeps it running, a manual change stops it and keeps its steps", () => {
    let s = wallReducer(emptyWall('9'), { type: 'carouselStart', steps, layout: gate });
    expect(s).toMatchObject({ layout: '1', carousel: { steps, step: 0, running: true } });
    expect(s.tiles[0]).toBe(7);
    s = wallReducer(s, { type: 'carouselStep', step: 1, layout: yard });
    expect(s).toMatchObject({ layout: '4', carousel: { step: 1, running: true } });
    expect(s.tiles.slice(0, 4)).toEqual([8, 9, null, null]);
    s = wallReducer(s, { type: 'select', index: 1 });
    s = wallReducer(s, { type: 'toggleMaximize', index: 1 });
    expect(s.carousel?.running).toBe(true);
    for (const manual of [
      { type: 'assign', index: 2, sourceId: 5 },
      { type: 'swap', from: 0, to: 1 },
      { type: 'clear', index: 0 },
      { type: 'layout', layout: '9' },
      { type: 'load', layout: gate },
    ] as const) {
      const after = wallReducer(s, manual);
      expect(after.carousel, manual.type).toEqual({ steps, step: 1, running: false });
    }
    const stopped = wallReducer(s, { type: 'carouselStop' });
    expect(stopped.carousel).toEqual({ steps, step: 1, running: false });
    // A stopped carousel takes no more steps.
    expect(wallReducer(stopped, { type: 'carouselStep', step: 0, layout: gate })).toBe(stopped);
  });
});
