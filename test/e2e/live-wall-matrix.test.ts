// End to end: every field-shaped source (no audio, B-frames, G.711, 1080p, long-GOP sub stream; cameras and units, ffmpeg and GStreamer publishers) decodes on one live wall in headless Chromium; H.265 tiles say why they cannot.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Camera, LiveTicket, UnitKey } from '../../common/api';
import { FIELD_SHAPES, fieldClip, type FieldShape } from '../helpers/clips';
import { publishEnhancedHevc, type EnhancedPublisher } from '../helpers/enhanced-rtmp';
import { publishRtmp, publishRtmpGst, type Publisher } from '../helpers/rtmp';
import { startRtspServer, type RtspServer } from '../helpers/rtsp-server';
import { openConsole, startServer, type ConsolePage, type TestServer } from '../harness';

const ADMIN_PASSWORD = 'e2e-chief-password';
const GST_WIDTH = 320;
const GST_HEIGHT = 240;
const CLIP_SECONDS = 6;

/** RTSP cameras (recorder relay into the hub). */
const CAMERA_SHAPES: FieldShape[] = ['h264-aac', 'h264-silent', 'h264-bframes', 'h264-g711a', 'h264-g711u', 'h264-1080p', 'h264-sub-longgop'];
/** H.265 cameras: recorded, not relayable (ffmpeg 5.1's FLV cannot carry H.265): the tile says so. */
/** A camera as most are installed: a main stream and a low-bitrate long-GOP sub stream (its own relay). */
const MAIN_SUB = { main: 'h264-1080p', sub: 'h264-sub-longgop' } as const satisfies Record<string, FieldShape>;
const HEVC_CAMERA_SHAPES: FieldShape[] = ['h265-silent', 'h265-bframes-g711a'];
/** Units publishing RTMP with ffmpeg (FLV-capable shapes). */
const UNIT_SHAPES: FieldShape[] = ['h264-silent', 'h264-bframes', 'h264-g711a', 'h264-g711u', 'h264-1080p'];

interface Source {
  kind: 'camera' | 'unit';
  /** How it publishes: RTSP camera, ffmpeg RTMP, GStreamer RTMP (rtmp2sink), Enhanced-RTMP H.265. */
  via: 'rtsp' | 'ffmpeg' | 'gst' | 'ertmp';
  shape: FieldShape;
  id: number;
  /** A camera with a sub stream (shape is the sub stream's; the main stream is MAIN_SUB.main). */
  hasSub?: boolean;
}

const codecOf = (s: Pick<Source, 'shape'>) => FIELD_SHAPES[s.shape].codec;

describe('live wall over field-shaped sources (one server, one page, headless Chromium)', () => {
  let rtsp: RtspServer;
  let backend: TestServer;
  let ui: ConsolePage;
  let page: Page;
  const publishers: Publisher[] = [];
  let ertmp: EnhancedPublisher | null = null;
  const sources: Source[] = [];
  let pageErrors: string[] = [];
  const playerLog: string[] = [];

  const tile = (i: number) => page.locator(`.tile[data-tile-index="${i}"]`);

  /** Decoded video frames and decoded audio bytes of the video in tile i. */
  const decoded = (i: number) =>
    page.evaluate((idx) => {
      const v = document.querySelector<HTMLVideoElement>(`.tile[data-tile-index="${idx}"] video`);
      if (!v) return { frames: 0, audioBytes: 0, width: 0 };
      const audioBytes = (v as HTMLVideoElement & { webkitAudioDecodedByteCount?: number }).webkitAudioDecodedByteCount ?? 0;
      return { frames: v.getVideoPlaybackQuality().totalVideoFrames, audioBytes, width: v.videoWidth };
    }, i);

  /** Spread of luma over the tile's current picture drawn small (0 for a black or blank frame; testsrc2 gives thousands). */
  const pictureVariance = (i: number) =>
    page.evaluate((idx) => {
      const v = document.querySelector<HTMLVideoElement>(`.tile[data-tile-index="${idx}"] video`)!;
      const c = document.createElement('canvas');
      c.width = 64;
      c.height = 36;
      const g = c.getContext('2d', { willReadFrequently: true })!;
      g.drawImage(v, 0, 0, c.width, c.height);
      const d = g.getImageData(0, 0, c.width, c.height).data;
      const ys: number[] = [];
      for (let k = 0; k < d.length; k += 4) ys.push(0.299 * d[k] + 0.587 * d[k + 1] + 0.114 * d[k + 2]);
      const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
      return ys.reduce((a, b) => a + (b - mean) ** 2, 0) / ys.length;
    }, i);

  async function api<T>(method: string, p: string, body?: unknown): Promise<{ status: number; body: T }> {
    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('argus.session') ?? '{}').token as string);
    return backend.client.call<T>(method, p, body, { token });
  }

  /** Puts `list` on the wall's tiles 0.. in order (select the first tile, double-click each source in the tree). */
  async function fillWall(list: Source[]): Promise<void> {
    await tile(0).click();
    for (const s of list) {
      await page.locator(s.kind === 'camera' ? `.tree-camera[data-camera-id="${s.id}"]` : `.tree-unit[data-unit-id="${s.id}"]`).dblclick();
    }
  }

  /**
   * Tile i keeps decoding (more than a second's worth of its source's frames within 4 s: a stalled or frozen tile gives
   * none; the rate itself is bench:live's business, and a loaded CI machine decodes slower), at the clip's size.
   */
  async function expectDecoding(i: number, shape: FieldShape): Promise<{ audioBytes: number }> {
    await tile(i).and(page.locator('[data-state=playing]')).waitFor({ timeout: 40_000 });
    const before = await decoded(i);
    await page.waitForTimeout(4000);
    const after = await decoded(i);
    const fps = 'fps' in FIELD_SHAPES[shape] ? (FIELD_SHAPES[shape] as { fps: number }).fps : 25;
    expect(after.frames - before.frames, `frames decoded in 4 s on tile ${i} (${shape})`).toBeGreaterThan(fps);
    expect(after.width, `picture width on tile ${i} (${shape})`).toBe(FIELD_SHAPES[shape].width);
    expect(await pictureVariance(i), `a real picture on tile ${i} (${shape})`).toBeGreaterThan(200);
    return { audioBytes: after.audioBytes };
  }

  beforeAll(async () => {
    const shapes = [...new Set([...CAMERA_SHAPES, ...HEVC_CAMERA_SHAPES, ...UNIT_SHAPES])];
    const clips = Object.fromEntries(await Promise.all(shapes.map(async (s) => [s, await fieldClip(s, CLIP_SECONDS)] as const)));
    rtsp = await startRtspServer({ mounts: Object.fromEntries([...CAMERA_SHAPES, ...HEVC_CAMERA_SHAPES].map((s) => [s, clips[s]])) });
    backend = await startServer({ tag: 'e2e-matrix', console: true, adminPassword: ADMIN_PASSWORD, signIn: false });
    ui = await openConsole(backend.url, {
      context: { locale: 'en-US', viewport: { width: 1600, height: 900 } },
      prepareContext: async (context) => context.on('console', (m) => m.text().startsWith('[player') && playerLog.push(m.text())),
      user: { username: 'admin', password: ADMIN_PASSWORD },
    });
    ({ page, pageErrors } = ui);
    await page.locator('.stream-indicator[data-state=open]').waitFor();

    for (const shape of [...CAMERA_SHAPES, ...HEVC_CAMERA_SHAPES]) {
      const r = await api<Camera>('POST', '/api/v1/cameras', { name: `Cam ${shape}`, url: rtsp.url(shape), segmentSeconds: 10 });
      expect(r.status).toBe(201);
      sources.push({ kind: 'camera', via: 'rtsp', shape, id: r.body.id });
    }
    const mainSub = await api<Camera>('POST', '/api/v1/cameras', {
      name: 'Cam main+sub',
      url: rtsp.url(MAIN_SUB.main),
      subUrl: rtsp.url(MAIN_SUB.sub),
      segmentSeconds: 10,
    });
    expect(mainSub.status).toBe(201);
    sources.push({ kind: 'camera', via: 'rtsp', shape: MAIN_SUB.sub, id: mainSub.body.id, hasSub: true });
    for (const shape of UNIT_SHAPES) {
      const r = await api<UnitKey>('POST', '/api/v1/units', { callsign: `Unit ${shape}`, type: 'vehicle' });
      expect(r.status).toBe(201);
      sources.push({ kind: 'unit', via: 'ffmpeg', shape, id: r.body.unit.id });
      publishers.push(publishRtmp(r.body.publishUrl, clips[shape], { loop: true }));
    }
    // A unit whose RTMP client is not ffmpeg: GStreamer (flvmux ! rtmp2sink) live-encoding a test picture, no audio.
    const gst = await api<UnitKey>('POST', '/api/v1/units', { callsign: 'Unit gst rtmp2sink', type: 'handheld' });
    expect(gst.status).toBe(201);
    sources.push({ kind: 'unit', via: 'gst', shape: 'h264-silent', id: gst.body.unit.id });
    publishers.push(publishRtmpGst(gst.body.publishUrl, { audio: false, width: GST_WIDTH, height: GST_HEIGHT, fps: 15 }));
    const hevcUnit = await api<UnitKey>('POST', '/api/v1/units', { callsign: 'Unit h265 ertmp', type: 'body' });
    expect(hevcUnit.status).toBe(201);
    sources.push({ kind: 'unit', via: 'ertmp', shape: 'h265-silent', id: hevcUnit.body.unit.id });
    ertmp = publishEnhancedHevc(hevcUnit.body.publishUrl, await fieldClip('h265-silent', CLIP_SECONDS));
    await ertmp.ready;
    await page.getByRole('tab', { name: 'Live' }).click();
    await page.locator('.layout-buttons button[data-layout="9"]').click();
    await page.locator('[data-testid=video-wall][data-layout="9"]').waitFor();
    for (const s of sources) {
      const item =
        s.kind === 'camera' ? `.tree-camera[data-camera-id="${s.id}"][data-state=recording]` : `.tree-unit[data-unit-id="${s.id}"][data-state=online]`;
      await page.locator(item).waitFor({ timeout: 40_000 });
    }
  }, 600_000);

  afterAll(async () => {
    if (playerLog.length) console.log(`[live-wall-matrix] player log:\n${playerLog.slice(-40).join('\n')}`);
    for (const p of publishers) await p.kill();
    await ertmp?.stop();
    await ui?.close();
    await backend?.close();
    await rtsp?.stop();
  });

  describe('cameras (RTSP, relayed by their recorder)', () => {
    beforeAll(async () => fillWall(sources.filter((s) => s.kind === 'camera' && codecOf(s) === 'h264')));
    it.each(CAMERA_SHAPES.map((shape, i) => ({ shape, i })))('camera $shape decodes frames in the browser', async ({ shape, i }) => {
      const { audioBytes } = await expectDecoding(i, shape);
      // Sound where the source has it (AAC as it is, G.711 relayed as AAC); a silent camera's picture does not wait for audio.
      if (FIELD_SHAPES[shape].audio === false) expect(audioBytes).toBe(0);
      else expect(audioBytes, 'audio decoded').toBeGreaterThan(0);
    });

    it('a camera with a sub stream plays the sub stream on the 9-wall and its main stream when maximized', async () => {
      const i = CAMERA_SHAPES.length;
      const cam = sources.find((s) => s.hasSub)!;
      expect(await tile(i).locator('video').getAttribute('data-source-id')).toBe(String(cam.id));
      await expectDecoding(i, MAIN_SUB.sub);
      expect(await tile(i).getAttribute('data-served-stream')).toBe('sub');
      await tile(i).dblclick();
      await tile(i).and(page.locator('.maximized[data-served-stream=main]')).waitFor({ timeout: 30_000 });
      await expectDecoding(i, MAIN_SUB.main);
      await page.keyboard.press('Escape');
      await tile(i).and(page.locator(':not(.maximized)[data-served-stream=sub]')).waitFor({ timeout: 30_000 });
    });
  });

  describe('units (RTMP from ffmpeg, and from GStreamer)', () => {
    beforeAll(async () => fillWall(sources.filter((s) => s.via === 'ffmpeg' || s.via === 'gst')));
    it.each(UNIT_SHAPES.map((shape, i) => ({ shape, i })))('unit $shape decodes frames in the browser', async ({ shape, i }) => {
      const { audioBytes } = await expectDecoding(i, shape);
      // G.711 from a unit is left out of the viewer's FLV: the picture plays without sound.
      if (FIELD_SHAPES[shape].audio === 'aac') expect(audioBytes, 'AAC decoded').toBeGreaterThan(0);
      else expect(audioBytes).toBe(0);
      // The ticket names what the stream carries (the player's hasAudio follows it).
      const unit = sources.filter((s) => s.via === 'ffmpeg')[i];
      const ticket = await api<LiveTicket>('POST', '/api/v1/live/tickets', { sourceId: unit.id, stream: 'sub' });
      const audio = FIELD_SHAPES[shape].audio;
      expect(ticket.body).toMatchObject({
        videoCodec: 'h264',
        audioCodec: audio === false ? null : { aac: 'aac', alaw: 'pcm_alaw', mulaw: 'pcm_mulaw' }[audio],
        relayable: true,
      });
    });

    it('a unit publishing with GStreamer (rtmp2sink) decodes frames in the browser', async () => {
      const i = UNIT_SHAPES.length;
      await tile(i).and(page.locator('[data-state=playing]')).waitFor({ timeout: 40_000 });
      const before = await decoded(i);
      await page.waitForTimeout(2000);
      const after = await decoded(i);
      expect(after.frames - before.frames, 'frames decoded in 2 s (15 fps)').toBeGreaterThan(15);
      expect(after.width).toBe(GST_WIDTH);
      expect(await pictureVariance(i)).toBeGreaterThan(200);
    });
  });

  describe('H.265', () => {
    beforeAll(async () => fillWall(sources.filter((s) => codecOf(s) === 'h265')));

    it.each(HEVC_CAMERA_SHAPES)(
      'an H.265 camera (%s) is recorded, and its tile says in words that it cannot be shown live, without retrying',
      async (shape) => {
        const cam = sources.find((s) => s.kind === 'camera' && s.shape === shape)!;
        const i = sources.filter((s) => codecOf(s) === 'h265').indexOf(cam);
        await tile(i).and(page.locator('[data-state=unsupported]')).waitFor({ timeout: 30_000 });
        expect(await tile(i).locator('.tile-unsupported').innerText()).toBe(
          'H.265 video cannot be shown live in this console (the server cannot relay it); recording is not affected',
        );
        const ticket = await api<LiveTicket>('POST', '/api/v1/live/tickets', { sourceId: cam.id, stream: 'sub' });
        expect(ticket.body).toMatchObject({ videoCodec: 'hevc', relayable: false });
        const attempts = playerLog.filter((l) => l.startsWith(`[player ${cam.id}/`)).length;
        await page.waitForTimeout(2000);
        expect(playerLog.filter((l) => l.startsWith(`[player ${cam.id}/`)).length, 'no retry loop').toBe(attempts);
        expect(await page.locator(`.tree-camera[data-camera-id="${cam.id}"]`).getAttribute('data-state')).toBe('recording');
      },
    );

    it('a unit publishing H.265 over Enhanced RTMP: plays where the browser decodes H.265, else the tile says why, in both languages, without retrying', async () => {
      const hevc = await page.evaluate(() => MediaSource.isTypeSupported('video/mp4; codecs="hvc1.1.6.L93.B0"'));
      const unit = sources.find((s) => s.via === 'ertmp')!;
      const i = sources.filter((s) => codecOf(s) === 'h265').indexOf(unit);
      expect(await tile(i).locator('video').getAttribute('data-source-id')).toBe(String(unit.id));
      if (hevc) {
        await expectDecoding(i, 'h265-silent');
        return;
      }
      // This Chromium has no H.265 decoder: say so instead of spinning on "Reconnecting…".
      await tile(i).and(page.locator('[data-state=unsupported]')).waitFor({ timeout: 20_000 });
      expect(await tile(i).locator('.tile-unsupported').innerText()).toBe('H.265 video cannot be shown live: this browser has no H.265 decoder');
      const attempts = playerLog.filter((l) => l.startsWith(`[player ${unit.id}/`)).length;
      await page.waitForTimeout(3000);
      expect(playerLog.filter((l) => l.startsWith(`[player ${unit.id}/`)).length, 'no retry loop').toBe(attempts);
      expect(await tile(i).getAttribute('data-state')).toBe('unsupported');
      await page.screenshot({ path: '/tmp/argus-wall-h265-en.png' });
      await page.getByRole('button', { name: '中文' }).click();
      await expect.poll(() => tile(i).locator('.tile-unsupported').innerText()).toBe('无法实时显示 H.265 视频：此浏览器没有 H.265 解码器');
      await page.screenshot({ path: '/tmp/argus-wall-h265-zh-CN.png' });
      await page.getByRole('button', { name: 'English' }).click();
    });
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
