// Wall geometry: every layout's cells tile its grid exactly once, with the big tile first in 1+5 and 1+7.
import { describe, expect, it } from 'vitest';
import { WALL_LAYOUTS, WALL_TILE_COUNT } from '../../common/api';
import { isBigTile, wallGeometry } from './geometry';

describe('wallGeometry', () => {
  it('has one cell per tile and covers the grid exactly once', () => {
    for (const kind of WALL_LAYOUTS) {
      const g = wallGeometry(kind);
      expect(g.cells.length, kind).toBe(WALL_TILE_COUNT[kind]);
      const covered = new Map<string, number>();
      for (const c of g.cells) {
        expect(c.col + c.colSpan).toBeLessThanOrEqual(g.cols);
        expect(c.row + c.rowSpan).toBeLessThanOrEqual(g.rows);
        for (let r = c.row; r < c.row + c.rowSpan; r++)
          for (let k = c.col; k < c.col + c.colSpan; k++) covered.set(`${k},${r}`, (covered.get(`${k},${r}`) ?? 0) + 1);
      }
      expect(covered.size, kind).toBe(g.cols * g.rows);
      expect(
        [...covered.values()].every((n) => n === 1),
        kind,
      ).toBe(true);
    }
  });

  it('square layouts are n×n grids in reading order', () => {
    expect(wallGeometry('1')).toEqual({ cols: 1, rows: 1, cells: [{ col: 0, row: 0, colSpan: 1, rowSpan: 1 }] });
    const g = wallGeometry('9');
    expect([g.cols, g.rows]).toEqual([3, 3]);
    expect(g.cells[4]).toEqual({ col: 1, row: 1, colSpan: 1, rowSpan: 1 });
    expect(wallGeometry('16').cells[15]).toEqual({ col: 3, row: 3, colSpan: 1, rowSpan: 1 });
  });

  it('1+5 is a 2×2 tile and five small ones in a 3×3 grid', () => {
    const g = wallGeometry('1+5');
    expect([g.cols, g.rows]).toEqual([3, 3]);
    expect(g.cells[0]).toEqual({ col: 0, row: 0, colSpan: 2, rowSpan: 2 });
    expect(g.cells.slice(1).map((c) => [c.col, c.row])).toEqual([
      [2, 0],
      [2, 1],
      [0, 2],
      [1, 2],
      [2, 2],
    ]);
  });

  it('1+7 is a 3×3 tile and seven small ones in a 4×4 grid', () => {
    const g = wallGeometry('1+7');
    expect([g.cols, g.rows]).toEqual([4, 4]);
    expect(g.cells[0]).toEqual({ col: 0, row: 0, colSpan: 3, rowSpan: 3 });
    expect(g.cells.slice(1).every((c) => c.colSpan === 1 && c.rowSpan === 1)).toBe(true);
    expect(isBigTile('1+7', 0)).toBe(true);
    expect(isBigTile('1+7', 1)).toBe(false);
    expect(isBigTile('4', 0)).toBe(false);
  });
});
