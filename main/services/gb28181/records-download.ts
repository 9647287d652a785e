// One download of a channel's range from a GB/T 28181 device (INVITE s=Download) into Argus's recordings: RTP → PS → MPEG-TS segments, rows of the channel marked as from the device.
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Log } from '../../../common/log';
import type { MessageCode } from '../../../common/messages';
import type { FfmpegLauncher } from '../../../media/ffmpeg-launcher';
import { ingestHistory, type HistoryIngest, type IngestedSegment } from '../../../media/history-ingest';
import type { GbRecordsRepo } from '../../../storage/repos/gb-records';
import type { SegmentRepo } from '../../../storage/repositories';
import { historyOfferSdp, parseHistoryAnswer, type HistoryOffer } from './records-sdp';
import type { GbDialog, GbSignalling } from './signalling';

/** The RTP receiver a download reads (media/rtp/receiver.ts RtpReceiver has this shape). */
export interface HistoryReceiver {
  /** Binds (udp, tcp-passive); resolves with the local port (0 for tcp-active). */
  start(): Promise<number>;
  /** tcp-active: connects to the device's media port. */
  connect?(host: string, port: number, timeoutMs?: number): Promise<void>;
  /** The PS payload bytes in order; ends when the receiver closes. */
  readable(): Readable;
  counters(): { lastPacketMs: number | null; bytes: number };
  close(): Promise<void>;
}

export type HistoryReceiverFactory = (o: { transport: HistoryOffer['transport']; ssrc: number; bindHost: string }) => HistoryReceiver;

export interface DownloadDeps {
  signalling: GbSignalling;
  receiver: HistoryReceiverFactory;
  ffmpeg: FfmpegLauncher;
  segments: Pick<SegmentRepo, 'insert' | 'listRange'>;
  gbRecords: GbRecordsRepo;
  recordingsDir: string;
  /** Address the device sends media to (the SDP c= line). */
  mediaHost: string;
  /** Local address the receiver binds. */
  bindHost: string;
  transport: HistoryOffer['transport'];
  segmentSeconds: number;
  /** a=downloadspeed asked of the device. */
  downloadSpeed: number;
  /** No packet for this long: the download fails (gb.records.no_media). */
  noMediaTimeoutMs: number;
  now: () => number;
  log: Log;
}

export interface DownloadTarget {
  downloadId: number;
  channelId: number;
  deviceId: string;
  channelGbId: string;
  /** The part of the range to fetch (a gap in Argus's own recordings). */
  startMs: number;
  endMs: number;
  ssrc: string;
}

/** Why a download piece failed: a registered message code. */
export class DownloadFailed extends Error {
  constructor(readonly code: MessageCode) {
    super(code);
  }
}

/** Where a download's files are written before they are indexed: removed at every start (nothing there is indexed). */
export function stagingRoot(recordingsDir: string): string {
  return path.join(recordingsDir, '.gb-downloads');
}

/**
 * Fetches one gap: receiver, INVITE, ingest until the device ends the stream (MediaStatus 121 or BYE), then indexes the
 * segments on the gap's wall clock (device stream time from the gap's start; clipped to the gap so they never overlap
 * Argus's own segments) and marks them as from the device. `signal` cancels (BYE, nothing indexed).
 */
export async function downloadGap(d: DownloadDeps, t: DownloadTarget, signal: AbortSignal): Promise<number> {
  const receiver = d.receiver({ transport: d.transport, ssrc: Number(t.ssrc), bindHost: d.bindHost });
  let dialog: GbDialog | null = null;
  let ingest: HistoryIngest | null = null;
  const stagingDir = path.join(stagingRoot(d.recordingsDir), `${t.downloadId}-${t.startMs}`);
  let watchdog: NodeJS.Timeout | null = null;
  try {
    const port = await receiver.start();
    const offer = historyOfferSdp({
      mode: 'Download',
      serverId: d.signalling.serverId,
      channelId: t.channelGbId,
      host: d.mediaHost,
      port,
      transport: d.transport,
      startMs: t.startMs,
      endMs: t.endMs,
      ssrc: t.ssrc,
      downloadSpeed: d.downloadSpeed,
    });
    if (signal.aborted) throw new DownloadFailed('gb.records.cancelled');
    dialog = await d.signalling.invite(t.deviceId, t.channelGbId, offer, `${t.channelGbId}:${t.ssrc},${d.signalling.serverId}:0`);
    const answer = parseHistoryAnswer(dialog.answerSdp);
    if (d.transport === 'tcp-active' && receiver.connect && answer.host !== null && answer.port !== null) await receiver.connect(answer.host, answer.port);
    ingest = ingestHistory(
      d.ffmpeg,
      { bytes: receiver.readable(), outDir: stagingDir, filePrefix: String(t.startMs), segmentSeconds: d.segmentSeconds },
      d.log,
    );
    const started = d.now();
    const ended = await new Promise<'end' | 'no-media' | 'cancelled'>((resolve) => {
      dialog!.onEnded(() => resolve('end'));
      signal.addEventListener('abort', () => resolve('cancelled'), { once: true });
      watchdog = setInterval(() => {
        const last = receiver.counters().lastPacketMs ?? started;
        if (d.now() - last > d.noMediaTimeoutMs) resolve('no-media');
      }, 500);
    });
    if (ended !== 'end') await dialog.bye();
    // Packets still in the reorder window and the pipe: the receiver's close ends the bytes, ffmpeg closes the last segment.
    await receiver.close();
    const segs = await ingest.done.catch((e: Error) => {
      d.log.warn('device recording could not be read', { downloadId: t.downloadId, error: e.message });
      return [] as IngestedSegment[];
    });
    if (ended === 'cancelled') throw new DownloadFailed('gb.records.cancelled');
    if (ended === 'no-media' && segs.length === 0) throw new DownloadFailed('gb.records.no_media');
    if (segs.length === 0) throw new DownloadFailed('gb.records.no_recording');
    return await indexSegments(d, t, segs, stagingDir);
  } finally {
    if (watchdog) clearInterval(watchdog);
    await dialog?.bye().catch(() => undefined);
    await receiver.close().catch(() => undefined);
    await ingest?.stop().catch(() => undefined);
    fs.rmSync(stagingDir, { recursive: true, force: true });
  }
}

/** Moves the segment files under the channel's directory and inserts their rows; returns the media time indexed (ms). */
async function indexSegments(d: DownloadDeps, t: DownloadTarget, segs: IngestedSegment[], stagingDir: string): Promise<number> {
  const channelDir = path.join(d.recordingsDir, String(t.channelId));
  fs.mkdirSync(channelDir, { recursive: true });
  let totalMs = 0;
  for (const [i, s] of segs.entries()) {
    const startMs = t.startMs + s.offsetMs;
    const endMs = Math.min(t.endMs, startMs + s.durationMs);
    if (endMs <= startMs) {
      fs.rmSync(s.file, { force: true });
      continue;
    }
    const name = `gb${t.downloadId}-${t.startMs}-${String(i).padStart(6, '0')}.ts`;
    const relPath = `${t.channelId}/${name}`;
    fs.renameSync(s.file, path.join(channelDir, name));
    const row = await d.segments.insert({
      cameraId: t.channelId,
      relPath,
      startMs,
      endMs,
      durationMs: endMs - startMs,
      sizeBytes: s.sizeBytes,
      videoCodec: s.videoCodec,
      audioCodec: s.audioCodec,
      width: s.width,
      height: s.height,
      fps: s.fps,
      state: 'closed',
      // Evidence fetched on purpose from a device is often older than the channel's retention: retention must not take it at once.
      protected: true,
      recovered: false,
    });
    await d.gbRecords.addSegment(t.downloadId, row.id);
    totalMs += endMs - startMs;
  }
  await d.gbRecords.addReceived(t.downloadId, totalMs);
  fs.rmSync(stagingDir, { recursive: true, force: true });
  return totalMs;
}

/** The parts of [startMs, endMs) Argus has no segment of (at least `minMs` long), in order. */
export async function uncoveredGaps(
  segments: Pick<SegmentRepo, 'listRange'>,
  channelId: number,
  startMs: number,
  endMs: number,
  minMs = 1000,
): Promise<Array<{ startMs: number; endMs: number }>> {
  const rows = await segments.listRange(channelId, startMs, endMs, 100_000);
  const gaps: Array<{ startMs: number; endMs: number }> = [];
  let at = startMs;
  for (const r of rows) {
    if (r.startMs > at && r.startMs - at >= minMs) gaps.push({ startMs: at, endMs: Math.min(r.startMs, endMs) });
    at = Math.max(at, r.endMs);
    if (at >= endMs) break;
  }
  if (endMs - at >= minMs) gaps.push({ startMs: at, endMs });
  return gaps;
}
