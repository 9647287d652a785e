// Benchmark helper: instrumentation injected into the console page (first frame after a drop, per-tile playback counters, time-code latency sampler).
//
// The page script itself is in live-page-script.ts; this module installs it and reads what it collects.
import type { BrowserContext, Page } from 'playwright-core';
import { PAGE_SCRIPT } from './live-page-script';

/** Cumulative counters of one tile (index) since the page loaded. */
export interface TileCounters {
  /** Frames decoded (getVideoPlaybackQuality().totalVideoFrames growth, summed over reconnects). */
  decoded: number;
  dropped: number;
  /** Frames presented by the compositor (requestVideoFrameCallback invocations). */
  presented: number;
  /** `waiting` events of its <video> after that element's first `playing` (since its last `emptied`). */
  waiting: number;
  /** `seeking` events (drift guard jumps, mpegts.js latency chasing). */
  seeking: number;
  /** data-state left `playing` for anything but `idle` (reconnect, stall, offline). */
  leftPlaying: number;
  /**
   * Play position advance and wall time over the once-a-second intervals without a seek while playing: their ratio
   * is the playback speed (1 = real time; below 1 the tile falls behind until the drift guard jumps).
   */
  mediaS: number;
  wallS: number;
  /** Sum and count of the once-a-second samples of buffered.end - currentTime while playing (mean = sum / count). */
  aheadSumS: number;
  aheadSamples: number;
  /** Runs of >= 1 s without a new decoded frame while data-state was `playing`, and their total seconds. */
  freezes: number;
  frozenS: number;
}

export interface FirstFrame {
  tile: number;
  armedMs: number;
  /** The drop event on the tile (capture phase, before the console handles it). */
  dropMs: number | null;
  /** The ticket request started / answered (fetch of /api/v1/live/tickets). */
  ticketStartMs: number | null;
  ticketEndMs: number | null;
  /** The stream's WebSocket was created / opened / received its first message. */
  wsCreatedMs: number | null;
  wsOpenMs: number | null;
  wsFirstMessageMs: number | null;
  /** The <video> got its (MediaSource) src. */
  srcMs: number | null;
  /** totalVideoFrames when src appeared (0 expected: a fresh media player). */
  framesAtSrc: number | null;
  /** requestVideoFrameCallback fired for the first frame: Date.now() in the callback, and the frame's presentation time. */
  frameMs: number | null;
  presentedMs: number | null;
  /** First rAF at which totalVideoFrames > 0. */
  counterMs: number | null;
}

export interface LatencySamples {
  tile: number;
  /** [Date.now() in the frame callback, decoded value floor(t * 100), presentation time (epoch ms)]. */
  samples: Array<[number, number, number]>;
  rejected: { ambiguous: number; checksum: number; order: number; noFrame: number };
  callbacks: number;
  /** Seconds between the play position and the end of the buffer, sampled every second. */
  bufferS: number[];
  videoSize: string;
}

/** Installs the instrumentation in every page of the context (call before the console is opened). */
export async function installLiveProbe(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: PAGE_SCRIPT });
}

export async function armFirstFrame(page: Page, tile: number): Promise<void> {
  await page.evaluate(`window.__argusBench.armFirstFrame(${tile})`);
}

/**
 * Polls a JavaScript expression in the page until it is truthy (page.evaluate with a string goes through DevTools,
 * which the console's Content-Security-Policy allows; page.waitForFunction would need 'unsafe-eval').
 */
export async function pollPage(page: Page, expression: string, timeoutMs: number, intervalMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await page.evaluate(expression)) return;
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms: ${expression}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Waits until the armed tile has presented its first frame; throws after timeoutMs. */
export async function waitFirstFrame(page: Page, timeoutMs: number): Promise<FirstFrame> {
  await pollPage(page, 'window.__argusBench.ff && window.__argusBench.ff.frameMs !== null && window.__argusBench.ff.counterMs !== null', timeoutMs);
  return (await page.evaluate('window.__argusBench.readFirstFrame()')) as FirstFrame;
}

export async function readFirstFrame(page: Page): Promise<FirstFrame | null> {
  return (await page.evaluate('window.__argusBench.readFirstFrame()')) as FirstFrame | null;
}

export async function startLatency(page: Page, tile: number): Promise<void> {
  await page.evaluate(`window.__argusBench.startLatency(${tile})`);
}

export async function stopLatency(page: Page): Promise<LatencySamples> {
  const r = (await page.evaluate('window.__argusBench.stopLatency()')) as LatencySamples | null;
  if (!r) throw new Error('latency sampler was not running');
  return r;
}

/** Cumulative per-tile counters (by tile index). */
export async function tileCounters(page: Page): Promise<Record<string, TileCounters>> {
  return (await page.evaluate('window.__argusBench.counters()')) as Record<string, TileCounters>;
}

/** A media event of a tile's <video> (waiting, seeking, seeked, playing, stalled) with the element's state at that moment. */
export interface MediaEvent {
  tile: number;
  type: string;
  atMs: number;
  /** HTMLMediaElement.seeking when the event fired. */
  seeking: boolean;
  /** buffered.end - currentTime (-1 when nothing is buffered). */
  aheadS: number;
  currentTime: number;
  readyState: number;
}

export async function mediaEvents(page: Page, sinceMs: number): Promise<MediaEvent[]> {
  return (await page.evaluate(`window.__argusBench.mediaEvents(${sinceMs})`)) as MediaEvent[];
}

export interface WaitingAnalysis {
  total: number;
  /** Fired while the element was seeking, or within 100 ms after a seek started on that tile. */
  duringSeek: number;
  /** Not during a seek, with less than 0.1 s buffered ahead of the play position (the data did not arrive in time). */
  underflow: number;
  /** Not during a seek, with data buffered ahead (decoding / rendering did not keep up). */
  withData: number;
  /** waiting -> next `playing` of the same tile, ms. */
  durationsMs: number[];
}

/**
 * Classifies the `waiting` events of the window [fromMs, toMs] (tiles >= `tiles` ignored); like the counters, only those
 * after the tile's first `playing` in `events` count, so pass the events since before the tiles started.
 */
export function analyzeWaiting(events: MediaEvent[], tiles: number, fromMs: number, toMs: number): WaitingAnalysis {
  const ev = events.filter((e) => e.tile >= 0 && e.tile < tiles);
  const out: WaitingAnalysis = { total: 0, duringSeek: 0, underflow: 0, withData: 0, durationsMs: [] };
  const lastSeekAt = new Map<number, number>();
  const played = new Set<number>();
  for (let k = 0; k < ev.length; k++) {
    const e = ev[k];
    if (e.type === 'playing') played.add(e.tile);
    if (e.type === 'seeking') lastSeekAt.set(e.tile, e.atMs);
    if (e.type !== 'waiting' || e.atMs < fromMs || e.atMs > toMs || !played.has(e.tile)) continue;
    out.total++;
    const seekAt = lastSeekAt.get(e.tile);
    if (e.seeking || (seekAt !== undefined && e.atMs - seekAt <= 100)) out.duringSeek++;
    else if (e.aheadS < 0.1) out.underflow++;
    else out.withData++;
    const next = ev.slice(k + 1).find((x) => x.tile === e.tile && x.type === 'playing');
    if (next) out.durationsMs.push(next.atMs - e.atMs);
  }
  return out;
}

/** Counters of `b` minus `a`, for the tiles 0 .. tiles-1. */
export function countersDelta(a: Record<string, TileCounters>, b: Record<string, TileCounters>, tiles: number): TileCounters[] {
  const zero: TileCounters = {
    decoded: 0,
    dropped: 0,
    presented: 0,
    waiting: 0,
    seeking: 0,
    leftPlaying: 0,
    mediaS: 0,
    wallS: 0,
    aheadSumS: 0,
    aheadSamples: 0,
    freezes: 0,
    frozenS: 0,
  };
  const out: TileCounters[] = [];
  for (let i = 0; i < tiles; i++) {
    const x = a[i] ?? zero;
    const y = b[i] ?? zero;
    out.push({
      decoded: y.decoded - x.decoded,
      dropped: y.dropped - x.dropped,
      presented: y.presented - x.presented,
      waiting: y.waiting - x.waiting,
      seeking: y.seeking - x.seeking,
      leftPlaying: y.leftPlaying - x.leftPlaying,
      mediaS: y.mediaS - x.mediaS,
      wallS: y.wallS - x.wallS,
      aheadSumS: y.aheadSumS - x.aheadSumS,
      aheadSamples: y.aheadSamples - x.aheadSamples,
      freezes: y.freezes - x.freezes,
      frozenS: y.frozenS - x.frozenS,
    });
  }
  return out;
}
