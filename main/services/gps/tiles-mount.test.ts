// The local MBTiles file is picked up while the server runs: appearing, replaced (rename over it), rewritten in place, removed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeMbtiles } from '../../../scripts/make-mbtiles';
import { MbtilesReader } from '../../../storage/sqlite/mbtiles';
import { TilesMount } from './tiles-mount';

describe('TilesMount watches its file', () => {
  let dir: string;
  let file: string;
  let tiles: TilesMount;
  let changes: number;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-tiles-watch-'));
    file = path.join(dir, 'map.mbtiles');
    changes = 0;
    tiles = new TilesMount(
      file,
      (f) => MbtilesReader.open(f),
      () => undefined,
      { pollMs: 100, settleMs: 300, onChange: () => changes++ },
    );
  });
  afterEach(async () => {
    await tiles.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const until = async (cond: () => boolean, ms = 10_000) => {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('opens a file that appears, reopens it when replaced or rewritten, and lets it go when removed', async () => {
    await tiles.start();
    expect(tiles.info).toBeNull();
    await makeMbtiles(file, { center: [31.23, 121.47], radiusKm: 1, minZoom: 12, maxZoom: 13 });
    // Under load a half-written file may be opened first (its stat stood still for settleMs): the finished one follows.
    await until(() => tiles.info?.maxZoom === 13);
    expect(tiles.version).toBeGreaterThanOrEqual(1);
    expect(changes).toBe(tiles.version);
    const v1 = tiles.version;

    // Replaced atomically (written beside it, renamed over it).
    const next = path.join(dir, 'next.mbtiles');
    await makeMbtiles(next, { center: [31.23, 121.47], radiusKm: 1, minZoom: 12, maxZoom: 14 });
    fs.renameSync(next, file);
    await until(() => tiles.info?.maxZoom === 14);
    expect(tiles.version).toBeGreaterThan(v1);

    // Rewritten in place (make-mbtiles onto the same path).
    await makeMbtiles(file, { center: [31.23, 121.47], radiusKm: 1, minZoom: 11, maxZoom: 12 });
    await until(() => tiles.info?.maxZoom === 12);
    expect(tiles.info?.minZoom).toBe(11);

    fs.rmSync(file);
    await until(() => tiles.info === null);
    expect(changes).toBe(tiles.version);
  }, 30_000);

  it('a file that is not MBTiles is logged and retried on its next change, not fatal', async () => {
    fs.writeFileSync(file, 'not a database');
    await tiles.start();
    expect(tiles.info).toBeNull();
    await makeMbtiles(file, { center: [31.23, 121.47], radiusKm: 1, minZoom: 12, maxZoom: 12 });
    await until(() => tiles.info?.maxZoom === 12);
  }, 30_000);
});
