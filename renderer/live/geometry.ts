// Video wall geometry: the grid and each tile's cell for the layouts 1, 4, 9, 16, 1+5 and 1+7 (画面分割).
import { WALL_LAYOUTS, WALL_TILE_COUNT, type WallLayoutKind } from '../../common/api';
import { assertNever } from '../../common/events';

export interface TileCell {
  /** 0-based column and row of the top-left grid cell. */
  col: number;
  row: number;
  colSpan: number;
  rowSpan: number;
}

export interface WallGeometry {
  cols: number;
  rows: number;
  /** One cell per tile, in tile order (tile 0 is the big one of the 1+N layouts). */
  cells: TileCell[];
}

function square(n: number): WallGeometry {
  const cells: TileCell[] = [];
  for (let row = 0; row < n; row++) for (let col = 0; col < n; col++) cells.push({ col, row, colSpan: 1, rowSpan: 1 });
  return { cols: n, rows: n, cells };
}

/** One big tile spanning (n-1)×(n-1) of an n×n grid, then small tiles down the right column and along the bottom row. */
function bigPlus(n: number): WallGeometry {
  const cells: TileCell[] = [{ col: 0, row: 0, colSpan: n - 1, rowSpan: n - 1 }];
  for (let row = 0; row < n - 1; row++) cells.push({ col: n - 1, row, colSpan: 1, rowSpan: 1 });
  for (let col = 0; col < n; col++) cells.push({ col, row: n - 1, colSpan: 1, rowSpan: 1 });
  return { cols: n, rows: n, cells };
}

export function wallGeometry(kind: WallLayoutKind): WallGeometry {
  switch (kind) {
    case '1':
      return square(1);
    case '4':
      return square(2);
    case '9':
      return square(3);
    case '16':
      return square(4);
    case '1+5':
      return bigPlus(3);
    case '1+7':
      return bigPlus(4);
    default:
      return assertNever(kind);
  }
}

export function tileCount(kind: WallLayoutKind): number {
  return WALL_TILE_COUNT[kind];
}

/** Whether a tile is the large focus tile of a 1+N layout. */
export function isBigTile(kind: WallLayoutKind, index: number): boolean {
  return index === 0 && (kind === '1+5' || kind === '1+7');
}

export function isWallLayout(v: unknown): v is WallLayoutKind {
  return typeof v === 'string' && (WALL_LAYOUTS as readonly string[]).includes(v);
}
