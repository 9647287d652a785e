// bench:live phase 6: field-shaped sources (a camera without audio, a unit sending B-frames, a silent time-code unit): first frame and latency.
import type { Locator, Page } from 'playwright-core';
import type { Camera, UnitKey } from '../../common/api';
import { fieldClip } from '../../test/helpers/clips';
import { publishRtmp } from '../../test/helpers/rtmp';
import { startRtspServer } from '../../test/helpers/rtsp-server';
import type { ApiClient } from './http';
import type { BenchContext } from './lifecycle';
import { fmt, median, percentile } from './stats';
import { startTimecodePublisher, type TimecodePublisher } from './timecode';

export interface ShapeDeps extends BenchContext {
  api: ApiClient;
  base: string;
  page: Page;
  shapeDrops: number;
  tile(i: number): Locator;
  setLayout(l: string): Promise<void>;
  clearTile(i: number): Promise<void>;
  measureDrops(count: number, sourceAt: (k: number) => { id: number; tree: string }, gopMs: number): Promise<Array<{ firstFrameMs: number }>>;
  measureLatency(label: string, i: number, tilesOnWall: number, src: { unitId: number; pub: TimecodePublisher }): Promise<{ latencyMs: number[] }>;
  waitLive(api: ApiClient, base: string, ids: number[], timeoutMs: number): Promise<void>;
}

export interface ShapeFigures {
  silentFirstFrameMs: number[];
  bframesFirstFrameMs: number[];
  silentLatencyMs: number[];
}

/** Runs phase 6 on an emptied 4-wall, then the 1-wall. Sources are added only now (phases 1-5 stay comparable). */
export async function measureShapes(d: ShapeDeps): Promise<ShapeFigures> {
  await d.setLayout('4');
  for (let i = 0; i < 4; i++) if ((await d.tile(i).locator('video[data-source-id]').count()) > 0) await d.clearTile(i);

  const rtsp = await startRtspServer({ mounts: { silent: await fieldClip('h264-silent', 10) } });
  d.defer('stop the silent camera (RTSP server)', () => rtsp.stop());
  const cam = await d.api.call<Camera>('POST', '/api/v1/cameras', { name: 'Silent 01', url: rtsp.url('silent') });
  const bf = await d.api.call<UnitKey>('POST', '/api/v1/units', { callsign: 'Bframes 1', type: 'vehicle' });
  const bfPub = publishRtmp(bf.publishUrl, await fieldClip('h264-bframes', 10), { loop: true });
  d.defer('stop the B-frames unit', () => bfPub.kill());
  const tc = await d.api.call<UnitKey>('POST', '/api/v1/units', { callsign: 'Silent TC', type: 'body' });
  const tcPub = startTimecodePublisher(tc.publishUrl, { fps: 25, bitrateKbps: 800, audio: false });
  d.defer('stop the silent time-code unit', () => tcPub.stop());
  d.note(`field-shaped sources: silent camera ${cam.id}, B-frames unit ${bf.unit.id}, silent time-code unit ${tc.unit.id}`);
  await d.waitLive(d.api, d.base, [cam.id, bf.unit.id, tc.unit.id], 60_000);
  await d.page.locator(`.tree-camera[data-camera-id="${cam.id}"][data-state=recording]`).waitFor({ timeout: 60_000 });
  for (const id of [bf.unit.id, tc.unit.id]) await d.page.locator(`.tree-unit[data-unit-id="${id}"][data-state=online]`).waitFor({ timeout: 30_000 });

  d.note(`time to first frame: ${d.shapeDrops} drops of the silent camera, ${d.shapeDrops} of the B-frames unit`);
  const silent = await d.measureDrops(d.shapeDrops, () => ({ id: cam.id, tree: `.tree-camera[data-camera-id="${cam.id}"]` }), 1000);
  const bframes = await d.measureDrops(d.shapeDrops, () => ({ id: bf.unit.id, tree: `.tree-unit[data-unit-id="${bf.unit.id}"]` }), 2000);
  await d.setLayout('1');
  d.note('latency of the silent time-code unit on the 1-wall');
  const lat = await d.measureLatency('1-wall, silent unit', 0, 1, { unitId: tc.unit.id, pub: tcPub });
  await d.clearTile(0);
  return { silentFirstFrameMs: silent.map((x) => x.firstFrameMs), bframesFirstFrameMs: bframes.map((x) => x.firstFrameMs), silentLatencyMs: lat.latencyMs };
}

/** Report lines (label, value) for the figures. */
export function shapePairs(f: ShapeFigures): Array<[string, string]> {
  const p = (xs: number[]) => `p50 ${fmt(median(xs), 0)} ms, p95 ${fmt(percentile(xs, 95), 0)} ms (${xs.length})`;
  return [
    ['silent camera: drop -> first frame', `${p(f.silentFirstFrameMs)}; H.264 640x360 without an audio track, RTSP, recorded and relayed`],
    ['B-frames unit: drop -> first frame', `${p(f.bframesFirstFrameMs)}; H.264 with 3 B-frames, 2 s GOP, AAC, RTMP from ffmpeg`],
    ['silent unit: latency', `${p(f.silentLatencyMs)} frames; time-code unit without audio, 1-wall`],
  ];
}

/** RESULT keys for the figures. */
export function shapeResult(f: ShapeFigures): string[] {
  return [
    `silent_first_frame_ms_p50=${fmt(median(f.silentFirstFrameMs), 0)}`,
    `silent_first_frame_ms_p95=${fmt(percentile(f.silentFirstFrameMs, 95), 0)}`,
    `silent_latency_ms_p50=${fmt(median(f.silentLatencyMs), 0)}`,
    `silent_latency_ms_p95=${fmt(percentile(f.silentLatencyMs, 95), 0)}`,
    `bframes_first_frame_ms_p50=${fmt(median(f.bframesFirstFrameMs), 0)}`,
    `bframes_first_frame_ms_p95=${fmt(percentile(f.bframesFirstFrameMs, 95), 0)}`,
  ];
}
