// The GB/T 28181 device-recordings service: a channel's recordings on its device (RecordInfo), downloads into Argus's recordings, playback from the device; every operator action audited.
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { ErrorKind } from '../../../common/errors';
import { asLog, type Log, type LogSink } from '../../../common/log';
import { msg, type MessageCode } from '../../../common/messages';
import type { DeviceDownload, DevicePlaybackView, DeviceRecords, DeviceRecordType } from '../../../common/gb28181-records';
import type { FfmpegLauncher } from '../../../media/ffmpeg-launcher';
import type { GbDownloadRow } from '../../../storage/repos/gb-records';
import type { Store } from '../../../storage/repositories';
import type { Actor } from '../../platform/actor';
import { DomainError } from '../../platform/errors';
import type { AuditLog } from '../audit-log';
import { DevicePlayback } from './records-playback';
import { DownloadFailed, downloadGap, stagingRoot, uncoveredGaps, type HistoryReceiverFactory } from './records-download';
import { field, mergeRanges, parseRecordItems, recordInfoQueryFields } from './records-info';
import type { PlaybackCommand } from './records-rtsp';
import { historySsrc, type HistoryOffer } from './records-sdp';
import type { GbSignalling } from './signalling';

export type GbRecordsStore = Pick<Store, 'segments' | 'gbRecords' | 'gbCatalog' | 'devices'>;

export interface GbRecordsOptions {
  signalling: GbSignalling;
  store: GbRecordsStore;
  audit: AuditLog;
  ffmpeg: FfmpegLauncher;
  /** media/rtp RtpReceiver for each download or playback. */
  receiver: HistoryReceiverFactory;
  recordingsDir: string;
  /** Media address put in SDP (the device sends there); bind address of the receivers. */
  mediaHost: string;
  bindHost?: string;
  transport?: HistoryOffer['transport'];
  /** The devices' clock: minutes east of UTC (China +480); default the server's zone. */
  utcOffsetMin?: number;
  segmentSeconds?: number;
  downloadSpeed?: number;
  noMediaTimeoutMs?: number;
  queryTimeoutMs?: number;
  maxPlaybacks?: number;
  log?: LogSink;
  now?: () => number;
}

const MAX_QUERY_MS = 7 * 86_400_000;
const MAX_DOWNLOAD_MS = 4 * 3_600_000;
/** A timeline redraw asks for the same window again: answers are reused this long. */
const CACHE_MS = 15_000;

/** Where a channel is on GB/T 28181: its device's ID and its own ID in the catalog. */
export interface GbChannelPlace {
  deviceId: string;
  channelGbId: string;
}

export class GbRecordService {
  private readonly log: Log;
  private readonly now: () => number;
  private readonly cache = new Map<string, { atMs: number; value: DeviceRecords }>();
  private readonly running = new Map<number, { channelId: number; abort: AbortController; done: Promise<void> }>();
  private readonly playbacks = new Map<string, DevicePlayback>();
  private ssrcSeq = 0;

  constructor(private readonly o: GbRecordsOptions) {
    this.log = asLog(o.log, 'gb-records');
    this.now = o.now ?? Date.now;
  }

  /** Downloads a stopped server left 'running' fail (their staging files are removed: nothing of them was indexed). */
  async start(): Promise<void> {
    fs.rmSync(stagingRoot(this.o.recordingsDir), { recursive: true, force: true });
    const n = await this.o.store.gbRecords.failRunning('gb.records.interrupted', this.now());
    if (n > 0) this.log.warn('downloads interrupted by the last stop marked failed', { count: n });
  }

  async close(): Promise<void> {
    for (const r of this.running.values()) r.abort.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
    await Promise.all([...this.playbacks.values()].map((p) => p.close()));
    this.playbacks.clear();
  }

  /** The channel's device and GB IDs; DomainError gb.records.not_gb_channel for another kind of channel. */
  async place(channelId: number): Promise<GbChannelPlace> {
    const item = await this.o.store.gbCatalog.byChannel(channelId);
    const device = item ? await this.o.store.devices.get(item.deviceId) : null;
    if (!item || !device?.code) throw new DomainError(ErrorKind.BadRequest, msg('gb.records.not_gb_channel', { id: channelId }));
    return { deviceId: device.code, channelGbId: item.gbId };
  }

  /** The channel's recordings on the device in [startMs, endMs) and the downloads of that window. */
  async deviceRecords(channelId: number, startMs: number, endMs: number, type: DeviceRecordType = 'all'): Promise<DeviceRecords> {
    checkRange(startMs, endMs, MAX_QUERY_MS);
    const key = `${channelId}|${startMs}|${endMs}|${type}`;
    const hit = this.cache.get(key);
    const downloads = await this.downloadsOf(channelId, startMs, endMs);
    if (hit && this.now() - hit.atMs < CACHE_MS) return { ...hit.value, downloads };
    const p = await this.place(channelId);
    const utcOffsetMin = this.utcOffsetMin(startMs);
    const fields = recordInfoQueryFields({ channelId: p.channelGbId, startMs, endMs, type, utcOffsetMin });
    // The XML's DeviceID names the channel; the MESSAGE goes to its device (endpoint.ts query's toId).
    const opts: { timeoutMs: number; multi: boolean; toId: string } = { timeoutMs: this.o.queryTimeoutMs ?? 10_000, multi: true, toId: p.channelGbId };
    const answers = await this.o.signalling.query(p.deviceId, 'Query', 'RecordInfo', fields, opts);
    const parsed = parseRecordItems(answers, { channelId: p.channelGbId, startMs, endMs, utcOffsetMin });
    if (parsed.dropped > 0) this.log.warn('RecordInfo items without readable times dropped', { channelId, dropped: parsed.dropped });
    const value: DeviceRecords = {
      channelId,
      startMs,
      endMs,
      ranges: mergeRanges(parsed.items),
      items: parsed.items.map((i) => ({ startMs: i.startMs, endMs: i.endMs, type: i.type, name: i.name, filePath: i.filePath, sizeBytes: i.sizeBytes })),
      sumNum: parsed.sumNum,
      complete: parsed.sumNum === null || answersItemCount(answers) >= parsed.sumNum,
      downloads,
    };
    this.cache.set(key, { atMs: this.now(), value });
    for (const [k, v] of this.cache) if (this.now() - v.atMs >= CACHE_MS) this.cache.delete(k);
    return value;
  }

  /** Starts downloading the parts of the range Argus has no recording of; audited. */
  async download(channelId: number, startMs: number, endMs: number, actor: Actor): Promise<DeviceDownload> {
    checkRange(startMs, endMs, MAX_DOWNLOAD_MS);
    const p = await this.place(channelId);
    for (const [id, r] of this.running) if (r.channelId === channelId) throw DomainError.conflict('channelId', msg('gb.records.download_running', { id }));
    const gaps = await uncoveredGaps(this.o.store.segments, channelId, startMs, endMs);
    if (gaps.length === 0) throw DomainError.conflict('startMs', msg('gb.records.already_recorded'));
    const who = actor.kind === 'user' ? { userId: actor.userId, username: actor.username } : { userId: null, username: null };
    const row = await this.o.store.gbRecords.create({ channelId, deviceGbId: p.deviceId, channelGbId: p.channelGbId, startMs, endMs, ...who }, this.now());
    await this.o.audit.record({
      actor,
      action: 'gb.records.download',
      targetType: 'channel',
      targetId: channelId,
      detail: { downloadId: row.id, device: p.deviceId, channel: p.channelGbId, startMs, endMs, gaps },
      ip: actor.kind === 'user' ? (actor.ip ?? null) : null,
    });
    const abort = new AbortController();
    const done = this.runDownload(row, p, gaps, abort.signal).finally(() => this.running.delete(row.id));
    this.running.set(row.id, { channelId, abort, done });
    return this.view(row);
  }

  async getDownload(channelId: number, downloadId: number): Promise<DeviceDownload> {
    const row = await this.o.store.gbRecords.get(downloadId);
    if (!row || row.channelId !== channelId) throw DomainError.notFound(msg('gb.records.download_not_found', { id: downloadId }));
    return this.view(row);
  }

  /** Cancels a running download (BYE; nothing of it is indexed); audited. */
  async cancelDownload(channelId: number, downloadId: number, actor: Actor): Promise<void> {
    await this.getDownload(channelId, downloadId);
    const r = this.running.get(downloadId);
    await this.o.audit.record({ actor, action: 'gb.records.download_cancel', targetType: 'channel', targetId: channelId, detail: { downloadId } });
    if (!r) return;
    r.abort.abort();
    await r.done;
  }

  /** Resolves when the download ended (tests, shutdown). */
  async settled(downloadId: number): Promise<void> {
    await this.running.get(downloadId)?.done;
  }

  /** Opens a playback from the device; audited. */
  async openPlayback(channelId: number, startMs: number, endMs: number, actor: Actor): Promise<DevicePlaybackView> {
    checkRange(startMs, endMs, MAX_QUERY_MS);
    const max = this.o.maxPlaybacks ?? 4;
    if (this.playbacks.size >= max) throw new DomainError(ErrorKind.TooManyRequests, msg('gb.records.playback_limit', { max }));
    const p = await this.place(channelId);
    const ssrc = this.nextSsrc();
    const id = randomBytes(9).toString('base64url');
    const receiver = this.o.receiver({ transport: this.o.transport ?? 'udp', ssrc: Number(ssrc), bindHost: this.o.bindHost ?? '0.0.0.0' });
    const pb = await DevicePlayback.open(
      { id, channelId, deviceId: p.deviceId, channelGbId: p.channelGbId, startMs, endMs, ssrc },
      { signalling: this.o.signalling, receiver, mediaHost: this.o.mediaHost, transport: this.o.transport ?? 'udp' },
    );
    this.playbacks.set(id, pb);
    pb.onEnded(() => this.playbacks.delete(id));
    await this.o.audit.record({
      actor,
      action: 'gb.records.playback',
      targetType: 'channel',
      targetId: channelId,
      detail: { sessionId: id, device: p.deviceId, channel: p.channelGbId, startMs, endMs },
    });
    return { ...pb.state };
  }

  /** The playback session (for a relay of its bytes, or a test). */
  playback(channelId: number, sessionId: string): DevicePlayback {
    const pb = this.playbacks.get(sessionId);
    if (!pb || pb.state.channelId !== channelId) throw DomainError.notFound(msg('gb.records.playback_not_found', { id: sessionId }));
    return pb;
  }

  controlPlayback(channelId: number, sessionId: string, cmd: PlaybackCommand): Promise<DevicePlaybackView> {
    return this.playback(channelId, sessionId).control(cmd);
  }

  async closePlayback(channelId: number, sessionId: string): Promise<void> {
    const pb = this.playback(channelId, sessionId);
    this.playbacks.delete(sessionId);
    await pb.close();
  }

  private async runDownload(row: GbDownloadRow, p: GbChannelPlace, gaps: Array<{ startMs: number; endMs: number }>, signal: AbortSignal): Promise<void> {
    const o = this.o;
    let failure: MessageCode | null = null;
    let gotMs = 0;
    for (const gap of gaps) {
      if (signal.aborted) break;
      try {
        gotMs += await downloadGap(
          {
            signalling: o.signalling,
            receiver: o.receiver,
            ffmpeg: o.ffmpeg,
            segments: o.store.segments,
            gbRecords: o.store.gbRecords,
            recordingsDir: o.recordingsDir,
            mediaHost: o.mediaHost,
            bindHost: o.bindHost ?? '0.0.0.0',
            transport: o.transport ?? 'udp',
            segmentSeconds: o.segmentSeconds ?? 60,
            downloadSpeed: o.downloadSpeed ?? 4,
            noMediaTimeoutMs: o.noMediaTimeoutMs ?? 10_000,
            now: this.now,
            log: this.log,
          },
          { downloadId: row.id, channelId: row.channelId, deviceId: p.deviceId, channelGbId: p.channelGbId, ...gap, ssrc: this.nextSsrc() },
          signal,
        );
      } catch (e) {
        failure = e instanceof DownloadFailed ? e.code : e instanceof DomainError ? e.code : 'gb.records.no_recording';
        this.log.warn('download from the device failed', { downloadId: row.id, error: (e as Error).message });
        if (signal.aborted || !(e instanceof DownloadFailed) || e.code !== 'gb.records.no_recording') break;
      }
    }
    const state = signal.aborted ? 'cancelled' : failure === null || gotMs > 0 ? 'done' : 'failed';
    await o.store.gbRecords.finish(row.id, state, state === 'done' ? null : (failure ?? 'gb.records.cancelled'), this.now());
    await o.audit.record({
      actor: { kind: 'system', reason: `gb download ${row.id}` },
      action: 'gb.records.download_end',
      targetType: 'channel',
      targetId: row.channelId,
      detail: { downloadId: row.id, state, receivedMs: gotMs, error: failure },
    });
    this.log.info('download from the device ended', { downloadId: row.id, state, receivedMs: gotMs });
  }

  private async downloadsOf(channelId: number, startMs: number, endMs: number): Promise<DeviceDownload[]> {
    const rows = await this.o.store.gbRecords.listForChannel(channelId, startMs, endMs);
    return Promise.all(rows.map((r) => this.view(r)));
  }

  private async view(r: GbDownloadRow): Promise<DeviceDownload> {
    return {
      id: r.id,
      channelId: r.channelId,
      startMs: r.startMs,
      endMs: r.endMs,
      state: r.state,
      username: r.username,
      createdMs: r.createdMs,
      finishedMs: r.finishedMs,
      receivedMs: r.receivedMs,
      errorCode: r.errorCode,
      segmentIds: await this.o.store.gbRecords.segmentIds(r.id),
    };
  }

  private nextSsrc(): string {
    this.ssrcSeq = (this.ssrcSeq % 9999) + 1;
    return historySsrc(this.o.signalling.domain, this.ssrcSeq);
  }

  private utcOffsetMin(atMs: number): number {
    return this.o.utcOffsetMin ?? -new Date(atMs).getTimezoneOffset();
  }
}

function checkRange(startMs: number, endMs: number, maxMs: number): void {
  if (endMs <= startMs) throw DomainError.field('endMs', msg('gb.records.bad_range'));
  if (endMs - startMs > maxMs) throw DomainError.field('endMs', msg('gb.records.range_too_long', { hours: Math.round(maxMs / 3_600_000) }));
}

/** Items the device sent over all MESSAGEs, before filtering (to tell a complete answer from a partial one). */
function answersItemCount(answers: readonly { fields: Record<string, unknown> }[]): number {
  let n = 0;
  for (const a of answers) {
    const item = field(field(a.fields, 'RecordList'), 'Item');
    n += Array.isArray(item) ? item.length : item ? 1 : 0;
  }
  return n;
}
