// End to end: Playback across recording runs (a restart: gap + timestamps starting over) in a synchronised group, and an H.265 recording in a browser without an H.265 decoder — headless Chromium, real back end.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer } from '../../scripts/build-renderer';
import type { Camera, Segment } from '../../common/api';
import type { PlaybackMap } from '../../common/investigation';
import { ensureClip } from '../helpers/clips';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';
import { openConsole, type TestBrowser } from '../harness';
import { BAR_BITS, FPS, indexSegments, makeSegments } from './investigation-fixtures';
import { ADMIN_PASSWORD, startInvServer, tempDir, until, type InvServer } from './investigation-server';

const FRAME_MS = 1000 / FPS;

/** Barcode frame number of the picture a tile shows now (null before a frame is decoded). */
function shownFrame(page: Page, cameraId: number): Promise<number | null> {
  return page.evaluate(
    ({ id, bits }) => {
      const v = document.querySelector<HTMLVideoElement>(`.pb-tile[data-camera-id="${id}"] video`);
      if (!v || v.readyState < 2 || v.videoWidth === 0) return null;
      const c = document.createElement('canvas');
      c.width = v.videoWidth;
      c.height = v.videoHeight;
      const g = c.getContext('2d', { willReadFrequently: true })!;
      g.drawImage(v, 0, 0);
      const row = g.getImageData(0, 80, c.width, 1).data;
      let n = 0;
      for (let i = 0; i < bits; i++) if (row[Math.round((i + 0.5) * (c.width / bits)) * 4]! > 128) n |= 1 << i;
      return n;
    },
    { id: cameraId, bits: BAR_BITS },
  );
}

describe('playback across recording runs and of H.265 (built console, hls.js in headless Chromium)', () => {
  let dataDir: string;
  let srv: InvServer;
  let browser: TestBrowser;
  let page: Page;
  let camRuns: number;
  let camSteady: number;
  let camHevc: number;
  let camReal: number;
  let camLive: number;
  let rtsp: RtspServer;
  let realSegs: Segment[] = [];
  let pageErrors: string[] = [];
  const t0 = Math.floor((Date.now() - 2 * 3_600_000) / 1000) * 1000;
  /** Run 1: [t0, t0+12 s); the camera was edited, recording restarted at t0+17.2 s with timestamps from zero: run 2 [t0+17.2 s, t0+29.2 s). */
  const run2Ms = t0 + 17_200;

  beforeAll(async () => {
    dataDir = tempDir('playback-runs');
    const build = await buildRenderer(path.join(dataDir, 'console'));
    srv = await startInvServer(path.join(dataDir, 'data'), {}, build.outDir);
    const mk = (name: string) =>
      srv.backend.store.cameras.create(
        {
          name,
          url: 'rtsp://127.0.0.1:1/none',
          subUrl: null,
          username: null,
          password: null,
          transport: 'tcp',
          enabled: false,
          segmentSeconds: 6,
          retentionDays: 30,
          groupName: null,
          description: null,
        },
        Date.now(),
      );
    const rec = srv.backend.config.recordingsDir;
    camRuns = (await mk('Restarted cam')).id;
    // Two separate ffmpeg runs, as two recorder processes write them: each starts its own timestamps.
    const withAudio = { audio: 'aac' as const };
    await indexSegments(srv.backend.store, camRuns, await makeSegments(rec, camRuns, t0, 2, 6, { prefix: 'run1', shape: withAudio }), [], withAudio);
    // The camera's audio was switched off in the edit: run 2 has no audio track (a player waiting for audio stalls).
    await indexSegments(srv.backend.store, camRuns, await makeSegments(rec, camRuns, run2Ms, 2, 6, { prefix: 'run2' }));
    camSteady = (await mk('Steady cam')).id;
    await indexSegments(srv.backend.store, camSteady, await makeSegments(rec, camSteady, t0, 5, 6));
    camHevc = (await mk('HEVC cam')).id;
    const hevcShape = { codec: 'h265' as const };
    await indexSegments(srv.backend.store, camHevc, await makeSegments(rec, camHevc, t0, 1, 6, { shape: hevcShape }), [], hevcShape);
    // A real camera recorded in two runs: the camera is edited (segment length) in between, so the recorder restarts.
    rtsp = await startRtspServer({ count: 2, clip: await ensureClip({ width: 320, height: 240, fps: 25, seconds: 4, bitrateKbps: 400, audio: true }) });
    const admin = await srv.token();
    // A camera recording live with long (60 s) segments: the last seconds are in the segment being written.
    camLive = (await srv.api<Camera>('POST', '/api/v1/cameras', admin, { name: 'Live cam', url: rtsp.url('/cam2'), segmentSeconds: 60 })).body.id;
    camReal = (await srv.api<Camera>('POST', '/api/v1/cameras', admin, { name: 'Real cam', url: rtsp.url('/cam1'), segmentSeconds: 4 })).body.id;
    const closed = async () =>
      (await srv.api<Segment[]>('GET', `/api/v1/segments?cameraId=${camReal}&startMs=0&endMs=${Date.now() + 3_600_000}`, admin)).body.filter(
        (x) => x.state === 'closed',
      );
    await until(async () => (await closed()).length >= 2, 40_000, 'two closed segments of run 1');
    expect((await srv.api('PATCH', `/api/v1/cameras/${camReal}`, admin, { segmentSeconds: 5 })).status).toBe(200);
    const n1 = (await closed()).length;
    await until(async () => (await closed()).length >= n1 + 3, 60_000, 'closed segments of run 2');
    expect((await srv.api('PATCH', `/api/v1/cameras/${camReal}`, admin, { enabled: false })).status).toBe(200);
    realSegs = await until(
      async () => {
        const all = (await srv.api<Segment[]>('GET', `/api/v1/segments?cameraId=${camReal}&startMs=0&endMs=${Date.now() + 3_600_000}`, admin)).body;
        return all.every((x) => x.state === 'closed') ? all : null;
      },
      20_000,
      'all segments closed',
    );
    ({ browser, page, pageErrors } = await openConsole(srv.backend.url, { user: { username: 'admin', password: ADMIN_PASSWORD } }));
    await page.getByRole('tab', { name: 'Playback' }).click();
  }, 240_000);

  afterAll(async () => {
    await rtsp?.stop();
    await browser?.close();
    await srv?.backend.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const clockMs = async () => Number(await page.locator('.pb-now').getAttribute('data-now-ms'));

  it('plays on through the gap where a recording run ends and the next begins (synchronised with a second camera)', async () => {
    await page.locator(`input[name=source-${camRuns}]`).check();
    await page.locator(`input[name=source-${camSteady}]`).check();
    await page.locator('input[name=goto]').fill(new Date(t0 + 9_000).toISOString().slice(0, 19));
    await page.getByRole('button', { name: 'Go to' }).click();
    await until(async () => (await shownFrame(page, camRuns)) !== null, 30_000, 'first frame of run 1');
    await page.locator('.pb-play').click();
    // The clock moves through the gap: the tile says so, and the steady camera keeps playing.
    await until(async () => (await clockMs()) > t0 + 13_000, 30_000, 'clock past the end of run 1');
    await until(async () => (await page.locator(`.pb-tile[data-camera-id="${camRuns}"]`).getAttribute('data-state')) === 'gap', 10_000, 'gap state');
    await until(async () => (await clockMs()) > run2Ms + 3_000, 30_000, 'clock through the gap into run 2').catch(async (e) => {
      const dump = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLVideoElement>('.pb-tile video')].map((v) => {
          const b = [];
          for (let i = 0; i < v.buffered.length; i++) b.push([v.buffered.start(i), v.buffered.end(i)]);
          return {
            id: v.parentElement!.getAttribute('data-camera-id'),
            t: v.currentTime,
            rs: v.readyState,
            paused: v.paused,
            seeking: v.seeking,
            b,
            state: v.parentElement!.getAttribute('data-state'),
          };
        }),
      );
      console.log('DUMP', JSON.stringify(dump), (await clockMs()) - t0);
      throw e;
    });
    // Frames of the second run are decoded after the gap, in step with the clock (frame numbers start over in run 2).
    const seen = await until(
      async () => {
        const n = await shownFrame(page, camRuns);
        const now = await clockMs();
        if (n === null || now < run2Ms + 3_000) return null;
        const wall = run2Ms + n * FRAME_MS;
        return Math.abs(wall - now) < 1_000 && n > 50 ? { n, wall, now } : null;
      },
      20_000,
      'a frame of run 2 near the clock',
    );
    expect(seen.wall).toBeGreaterThan(run2Ms + 2_000);
    // Still playing: the button offers pause, and the picture moves on.
    expect(await page.locator('.pb-play').getAttribute('title')).toBe('Pause');
    const later = await until(
      async () => {
        const n = await shownFrame(page, camRuns);
        return n !== null && n > seen.n + 10 ? n : null;
      },
      10_000,
      'run 2 moving on',
    );
    expect(later).toBeGreaterThan(seen.n);
    // The steady camera shows the same wall time (within 400 ms).
    const steady = await shownFrame(page, camSteady);
    const runs = await shownFrame(page, camRuns);
    expect(Math.abs(t0 + steady! * FRAME_MS - (run2Ms + runs! * FRAME_MS))).toBeLessThan(400);
    await page.locator('.pb-play').click();
    await page.locator(`input[name=source-${camRuns}]`).uncheck();
    await page.locator(`input[name=source-${camSteady}]`).uncheck();
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('plays on from one real recording run into the next (camera edited in between)', async () => {
    const admin = await srv.token();
    const t = realSegs[0]!.startMs;
    const map = (await srv.api<PlaybackMap>('GET', `/api/v1/playback-map/${camReal}?startMs=${t - 1000}&endMs=${t + 120_000}`, admin)).body;
    const run2 = map.pieces.filter((p) => p.discontinuity)[1]!;
    expect(run2, JSON.stringify(map.pieces)).toBeDefined();
    await page.locator(`input[name=source-${camReal}]`).check();
    await page.locator(`input[name=source-${camSteady}]`).check();
    await page.locator('input[name=goto]').fill(new Date(run2.wallMs - 3_000).toISOString().slice(0, 19));
    await page.getByRole('button', { name: 'Go to' }).click();
    const video = (id: number) =>
      page.evaluate((cid) => {
        const v = document.querySelector<HTMLVideoElement>(`.pb-tile[data-camera-id="${cid}"] video`)!;
        return { t: v.currentTime, frames: v.getVideoPlaybackQuality().totalVideoFrames, ready: v.readyState };
      }, id);
    await until(async () => (await video(camReal)).ready >= 2, 30_000, 'first frame of run 1');
    await page.locator('.pb-play').click();
    await until(async () => (await clockMs()) > run2.wallMs + 4_000, 30_000, 'clock through the boundary into run 2');
    // The tile decodes run 2's media and keeps going, in step with the clock.
    const a = await until(
      async () => {
        const v = await video(camReal);
        return v.t > run2.mediaS + 2 ? v : null;
      },
      15_000,
      `video into run 2 (media ${run2.mediaS} s)`,
    );
    await page.waitForTimeout(1500);
    const b = await video(camReal);
    expect(b.t).toBeGreaterThan(a.t + 0.5);
    expect(b.frames).toBeGreaterThan(a.frames + 10);
    const wall = run2.wallMs + (b.t - run2.mediaS) * 1000;
    expect(Math.abs(wall - (await clockMs()))).toBeLessThan(1000);
    expect(await page.locator('.pb-play').getAttribute('title')).toBe('Pause');
    await page.locator('.pb-play').click();
    await page.locator(`input[name=source-${camReal}]`).uncheck();
    await page.locator(`input[name=source-${camSteady}]`).uncheck();
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('says in the tile that this browser cannot decode an H.265 recording (Chromium has no H.265 decoder), instead of a black tile', async () => {
    await page.locator(`input[name=source-${camHevc}]`).check();
    await page.locator('input[name=goto]').fill(new Date(t0 + 2_000).toISOString().slice(0, 19));
    await page.getByRole('button', { name: 'Go to' }).click();
    const tile = page.locator(`.pb-tile[data-camera-id="${camHevc}"]`);
    await until(async () => (await tile.getAttribute('data-state')) === 'unsupported', 20_000, 'unsupported state');
    const text = await tile.locator('.pb-tile-unsupported').innerText();
    expect(text).toContain('This browser cannot decode H.265 video');
    expect(text).toContain('export');
    // The clock is not held by a tile that cannot play: it runs.
    await page.locator('.pb-play').click();
    const a = await clockMs();
    await page.waitForTimeout(1500);
    expect((await clockMs()) - a).toBeGreaterThan(800);
    await page.locator('.pb-play').click();
    await page.locator(`input[name=source-${camHevc}]`).uncheck();
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('plays back the last 20 s from the segment being written, and plays on as it grows', async () => {
    const admin = await srv.token();
    const writing = await until(
      async () => {
        const all = (await srv.api<Segment[]>('GET', `/api/v1/segments?cameraId=${camLive}&startMs=0&endMs=${Date.now() + 3_600_000}`, admin)).body;
        const w = all.find((x) => x.state === 'writing');
        return w && Date.now() - w.startMs > 25_000 ? w : null;
      },
      60_000,
      'a segment written for 25 s',
    );
    const from = Date.now() - 20_000;
    await page.locator(`input[name=source-${camLive}]`).check();
    await page.locator('input[name=goto]').fill(new Date(from).toISOString().slice(0, 19));
    await page.getByRole('button', { name: 'Go to' }).click();
    const video = () =>
      page.evaluate((cid) => {
        const v = document.querySelector<HTMLVideoElement>(`.pb-tile[data-camera-id="${cid}"] video`)!;
        return { t: v.currentTime, frames: v.getVideoPlaybackQuality().totalVideoFrames, ready: v.readyState };
      }, camLive);
    await until(async () => (await video()).ready >= 2, 30_000, 'a frame from the segment being written');
    const map0 = (await srv.api<PlaybackMap>('GET', `/api/v1/playback-map/${camLive}?startMs=${from - 30_000}&endMs=${from + 60_000}`, admin)).body;
    expect(map0.live).toBe(true);
    const inWriting = map0.pieces.filter((p) => p.segmentId === writing.id);
    expect(inWriting.length, 'pieces served from the segment being written').toBeGreaterThan(3);
    const knownEndMs = map0.pieces[map0.pieces.length - 1]!.wallMs + map0.pieces[map0.pieces.length - 1]!.durationS * 1000;
    expect(Date.now() - knownEndMs, 'served up to a few seconds ago').toBeLessThan(6_000);
    await page.locator('.pb-play').click();
    // Plays through what was on disk when it started and on into pieces written since (the clock is not stuck).
    await until(async () => (await clockMs()) > knownEndMs + 4_000, 40_000, 'clock past the pieces known at the start');
    const a = await video();
    await page.waitForTimeout(1500);
    const b = await video();
    expect(b.frames, 'frames decoded past the start').toBeGreaterThan(a.frames + 10);
    expect(await page.locator(`.pb-tile[data-camera-id="${camLive}"]`).getAttribute('data-state')).not.toBe('gap');
    // The wall time of the frame on screen (the tile's own map): recorded after the pieces known at the start, near the clock.
    const shownWall = Number(await page.locator(`.pb-tile[data-camera-id="${camLive}"]`).getAttribute('data-shown-ms'));
    expect(shownWall).toBeGreaterThan(knownEndMs);
    expect(Math.abs(shownWall - (await clockMs()))).toBeLessThan(1500);
    await page.locator('.pb-play').click();
    await page.locator(`input[name=source-${camLive}]`).uncheck();
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
