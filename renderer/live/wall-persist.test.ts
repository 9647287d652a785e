// The remembered wall's body: kinds and streams per slot, unknown sources, and which changes count.
import { describe, expect, it } from 'vitest';
import { stateBody, stateFromBody, stateKey } from './wall-persist';
import { emptyWall, wallReducer } from './wall-state';

const kindOf = (id: number) => (id === 99 ? null : id >= 1000 ? 'unit' : 'camera') as 'camera' | 'unit' | null;

describe('wall-persist', () => {
  it('gives each slot its kind and the stream it plays, and reads back the same wall', () => {
    let s = wallReducer(emptyWall('1+5'), { type: 'assign', index: 0, sourceId: 3 });
    s = wallReducer(s, { type: 'assign', index: 4, sourceId: 1002 });
    s = wallReducer(s, { type: 'toggleMaximize', index: 4 });
    const body = stateBody(s, kindOf)!;
    expect(body).toEqual({
      layout: '1+5',
      tiles: [{ kind: 'camera', id: 3, stream: 'sub' }, null, null, null, { kind: 'unit', id: 1002, stream: 'main' }],
      selected: 4,
      maximized: 4,
      tour: null,
    });
    const back = stateFromBody(body, null);
    expect(back.tiles.slice(0, 6)).toEqual([3, null, null, null, 1002, null]);
    expect(stateKey(back)).toBe(stateKey(s));
  });

  it('waits for a source the console does not know, unless told to save it as gone', () => {
    const s = wallReducer(wallReducer(emptyWall('4'), { type: 'assign', index: 0, sourceId: 99 }), { type: 'assign', index: 1, sourceId: 5 });
    expect(stateBody(s, kindOf)).toBeNull();
    expect(stateBody(s, kindOf, true)?.tiles).toEqual([null, { kind: 'camera', id: 5, stream: 'sub' }]);
  });

  it("a tour's pages and a running carousel's steps are not changes; its group and the stop are", () => {
    const groups = [1, 2, 3, 4, 5];
    const touring = wallReducer(emptyWall('4'), { type: 'tourStart', group: 'Depot', seconds: 10, sources: groups });
    const nextPage = wallReducer(touring, { type: 'tourTick', sources: groups });
    expect(stateKey(nextPage)).toBe(stateKey(touring));
    const steps = [
      { layoutId: 1, seconds: 5 },
      { layoutId: 2, seconds: 5 },
    ];
    const c = wallReducer(emptyWall('4'), { type: 'carouselStart', steps, layout: { layout: '1', tiles: [3], tourGroup: null, tourSeconds: null } });
    const step = wallReducer(c, { type: 'carouselStep', step: 1, layout: { layout: '9', tiles: [4], tourGroup: null, tourSeconds: null } });
    expect(stateKey(step)).toBe(stateKey(c));
    expect(stateKey(wallReducer(step, { type: 'carouselStop' }))).not.toBe(stateKey(step));
  });
});
