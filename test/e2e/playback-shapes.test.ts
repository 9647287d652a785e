// End to end: Playback over field-shaped recordings (B-frames, 4 s GOP at 15 fps, silent, G.711 stored as AAC) in headless Chromium: the frame recorded at the chosen time is decoded and play moves on.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer } from '../../scripts/build-renderer';
import type { FieldShape } from '../helpers/clips';
import { openConsole, type TestBrowser } from '../harness';
import { BAR_BITS, indexSegments, makeSegments, type SegShape } from './investigation-fixtures';
import { ADMIN_PASSWORD, startInvServer, tempDir, until, type InvServer } from './investigation-server';
import { segShapeOf } from './shape-segments';

const SHAPES: FieldShape[] = (process.env.SHAPES?.split(',') as FieldShape[] | undefined) ?? ['h264-bframes', 'h264-sub-longgop', 'h264-silent', 'h264-g711a'];
const SEG_S = 8;
const COUNT = 3;

function shownFrame(page: Page, cameraId: number): Promise<{ n: number; audioTracks: number | null } | null> {
  return page.evaluate(
    ({ id, bits }) => {
      const v = document.querySelector<HTMLVideoElement>(`.pb-tile[data-camera-id="${id}"] video`);
      if (!v || v.readyState < 2 || v.videoWidth === 0 || v.seeking) return null;
      const c = document.createElement('canvas');
      c.width = v.videoWidth;
      c.height = v.videoHeight;
      const g = c.getContext('2d', { willReadFrequently: true })!;
      g.drawImage(v, 0, 0);
      const row = g.getImageData(0, 80, c.width, 1).data;
      let n = 0;
      for (let i = 0; i < bits; i++) if (row[Math.round((i + 0.5) * (c.width / bits)) * 4]! > 128) n |= 1 << i;
      const tracks = (v as HTMLVideoElement & { audioTracks?: { length: number } }).audioTracks;
      return { n, audioTracks: tracks ? tracks.length : null };
    },
    { id: cameraId, bits: BAR_BITS },
  );
}

describe('playback over field shapes (built console, hls.js in headless Chromium)', () => {
  let dataDir: string;
  let srv: InvServer;
  let browser: TestBrowser;
  let page: Page;
  let pageErrors: string[] = [];
  const t0 = Math.floor((Date.now() - 2 * 3_600_000) / 1000) * 1000;
  const cams = new Map<FieldShape, { id: number; shape: SegShape }>();

  beforeAll(async () => {
    dataDir = tempDir('playback-shapes');
    const build = await buildRenderer(path.join(dataDir, 'console'));
    srv = await startInvServer(path.join(dataDir, 'data'), {}, build.outDir);
    for (const name of SHAPES) {
      const cam = await srv.backend.store.cameras.create(
        {
          name,
          url: 'rtsp://127.0.0.1:1/none',
          subUrl: null,
          username: null,
          password: null,
          transport: 'tcp',
          enabled: false,
          segmentSeconds: SEG_S,
          retentionDays: 30,
          groupName: null,
          description: null,
        },
        Date.now(),
      );
      const shape = await segShapeOf(name, COUNT * SEG_S);
      if (process.env.NOAUDIO) shape.audio = null;
      await indexSegments(
        srv.backend.store,
        cam.id,
        await makeSegments(srv.backend.config.recordingsDir, cam.id, t0, COUNT, SEG_S, { shape, bitrateKbps: 300 }),
        [],
        shape,
      );
      cams.set(name, { id: cam.id, shape });
    }
    ({ browser, page, pageErrors } = await openConsole(srv.backend.url, { user: { username: 'admin', password: ADMIN_PASSWORD } }));
    await page.getByRole('tab', { name: 'Playback' }).click();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.backend.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(SHAPES)(
    '%s: shows the frame recorded at the chosen time, then plays on',
    async (name) => {
      const { id, shape } = cams.get(name)!;
      const frameMs = 1000 / shape.fps!;
      await page.locator(`input[name=source-${id}]`).check();
      // A time in the middle of a GOP of the second segment (decoding must start at the keyframe before it).
      const at = t0 + SEG_S * 1000 + 2_000 + Math.round(shape.gopSeconds! * 500);
      await page.locator('input[name=goto]').fill(new Date(at).toISOString().slice(0, 19));
      await page.getByRole('button', { name: 'Go to' }).click();
      const expected = Math.floor((Math.floor(at / 1000) * 1000 - t0) / frameMs + 1e-6);
      let last: unknown = null;
      const first = await until(
        async () => {
          const f = await shownFrame(page, id);
          last = f;
          return f && Math.abs(f.n - expected) <= 1 ? f : null;
        },
        30_000,
        `frame ${expected} of ${name}`,
      ).catch(async (e) => {
        const tile = page.locator(`.pb-tile[data-camera-id="${id}"]`);
        throw new Error(
          `${(e as Error).message}: last seen ${JSON.stringify(last)}, tile ${await tile.getAttribute('data-state')} shown ${Number(await tile.getAttribute('data-shown-ms')) - t0}`,
        );
      });
      expect(Math.abs(first.n - expected)).toBeLessThanOrEqual(1);
      await page.locator('.pb-play').click();
      const later = await until(
        async () => {
          const f = await shownFrame(page, id);
          return f && f.n > first.n + 2 * shape.fps! ? f : null;
        },
        20_000,
        `${name} playing on`,
      );
      expect(later.n).toBeGreaterThan(first.n);
      await page.locator('.pb-play').click();
      await page.locator(`input[name=source-${id}]`).uncheck();
      expect(pageErrors).toEqual([]);
    },
    90_000,
  );
});
