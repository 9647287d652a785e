// Recording service: one Recorder per enabled camera or online unit, segment events into the index; camera relays into the hub.
import { englishOf, msg } from '../../common/messages';
import type { CameraStatus } from '../../common/api';
import type { ServerEvent } from '../../common/events';
import type { CameraRow, Store } from '../../storage/repositories';
import { cameraStreamPath } from '../../media/hub';
import { Recorder, type ClosedSegment, type OpenedSegment, type RecorderEvents, type RecorderOptions } from '../../media/recorder';
import { StreamRelay, type RelayStatus } from '../../media/relay';
import type { FfmpegLauncher } from '../../media/ffmpeg-launcher';
import { asLog, type Log, type LogSink } from '../../common/log';
import type { RecordingControl } from './recording-control';
import { quarantineSegment } from './quarantine';
import { LiveRelays, RecordingPolicy } from './recording-policy';

import { toApiSegment } from './segment-view';
import { agentSource, inputUrl, sourceFor, type GbLiveRef, type HubStreams } from './sources';

export { inputUrl } from './sources';

interface Entry {
  recorder: Recorder;
  /** Config fingerprint: a change restarts the recorder. */
  key: string;
  kind: 'camera' | 'unit';
}

interface SubEntry {
  relay: StreamRelay;
  key: string;
}

/** What the recording service needs from the media hub: relay targets, and the units' streams (their sources). */
export type RelayTarget = HubStreams;

export interface RecordingServiceDeps {
  store: Store;
  recordingsDir: string;
  publish: (ev: ServerEvent) => void;
  /** The service's logger; each recorder and relay gets a child of it (`{ component: 'recorder' | 'relay', cameraId }`). */
  log?: LogSink;
  /** Starts every recorder's and relay's ffmpeg, probe and repair. */
  ffmpeg: FfmpegLauncher;
  now?: () => number;
  recorderOptions?: RecorderOptions;
  /** The media hub cameras are relayed into (live view); absent or not listening: recording only. */
  hub?: RelayTarget | null;
  /** The GB/T 28181 live streams (filled once the GB feature exists); absent: GB channels are unavailable. */
  gb?: GbLiveRef | null;
  /** Status changes of a unit's recorder (units publish their own status event). */
  onUnitRecorderStatus?: (status: CameraStatus) => void;
}

export class RecordingService implements RecordingControl {
  private readonly recorders = new Map<number, Entry>();
  /** Recorders being stopped (their status stays visible until their last segment is indexed). */
  private readonly closing = new Map<number, Entry>();
  /** Relay-only ffmpeg of each camera with a sub stream (live view only, never recorded). */
  private readonly subRelays = new Map<number, SubEntry>();
  /** Serializes index writes so a segment's insert and update never race. */
  private writeChain: Promise<unknown> = Promise.resolve();
  private readonly openRows = new Map<string, number>();
  /**
   * Closed segments whose index write failed (e.g. SQLITE_FULL on a full data volume): written again before every later
   * index write and by a timer, so no row stays `writing` (and no file unindexed) once the database can write again.
   */
  private readonly unwritten = new Map<string, ClosedSegment>();
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly log: Log;
  private readonly now: () => number;
  /** Each channel's recording policy (recording-policy.ts); the alarms feature reaches it as AlarmRecordingActions. */
  readonly policy: RecordingPolicy;
  /** Live-only relays of channels whose policy does not record now. */
  private readonly live: LiveRelays;
  /** Applies one channel at a time (PATCHes, alarms and window ends may ask at once). */
  private applyChain: Promise<unknown> = Promise.resolve();
  /** Units publishing now, with their segment length: their channel records while it publishes, as its policy says. */
  private readonly publishing = new Map<number, number>();

  constructor(private readonly deps: RecordingServiceDeps) {
    this.log = asLog(deps.log, 'recording');
    this.now = deps.now ?? Date.now;
    const reapply = (id: number) =>
      void (this.publishing.has(id) ? this.applyUnit(id) : deps.store.cameras.get(id).then((c) => (c ? this.apply(c) : undefined))).catch((e: Error) =>
        this.log(`applying ${id} failed: ${e.message}`),
      );
    this.policy = new RecordingPolicy({ repos: deps.store, now: this.now, log: this.log, reapply });
    const publish = (id: number) => deps.publish({ type: 'camera.status', status: this.status(id) });
    this.live = new LiveRelays({
      hub: deps.hub ?? null,
      gb: deps.gb ?? null,
      ffmpeg: deps.ffmpeg,
      log: this.log,
      now: deps.now,
      supervision: deps.recorderOptions,
      onStatus: publish,
    });
  }

  async startAll(): Promise<void> {
    for (const c of await this.deps.store.cameras.list()) if (c.kind !== 'uplink') await this.apply(c);
  }

  status(cameraId: number): CameraStatus {
    const e = this.recorders.get(cameraId) ?? this.closing.get(cameraId);
    if (e) return e.kind === 'camera' ? this.decorate(e.recorder.status()) : e.recorder.status();
    const byPolicy = this.live.status(cameraId, this.now());
    if (byPolicy) return byPolicy;
    return { cameraId, state: 'stopped', lastError: null, reason: null, bitrateBps: null, sinceMs: this.now(), failures: 0, nextRetryMs: null };
  }

  liveRelaying(channelId: number): boolean {
    return this.live.relaying(channelId);
  }

  private get hubReady(): boolean {
    return !!this.deps.hub?.listening;
  }

  async apply(c: CameraRow): Promise<void> {
    if (c.kind === 'uplink') return;
    const run = this.applyChain.then(() => this.applyNow(c));
    this.applyChain = run.catch(() => undefined);
    return run;
  }

  private async applyNow(c: CameraRow): Promise<void> {
    const policy = c.enabled ? await this.policy.decide(c.id) : null;
    const record = policy?.record === true;
    // One publisher per hub path: the live-only relay goes before a recorder starts, and comes after it stopped.
    if (record || !c.enabled) await this.live.stop(c.id);
    const key = JSON.stringify([inputUrl(c), c.transport, c.segmentSeconds, this.hubReady]);
    const cur = this.recorders.get(c.id);
    if (!(cur && record && cur.key === key)) {
      if (cur) await this.remove(c.id);
      if (record) this.startRecorder(c, key);
    }
    if (policy && !policy.record) await this.live.set(c, policy.reason);
    await this.applySubRelay(c);
  }

  private startRecorder(c: CameraRow, key: string): void {
    const hub = this.hubReady ? this.deps.hub! : null;
    const source = sourceFor(c, 'main', { hub: this.deps.hub ?? null, gb: this.deps.gb ?? null });
    if (!source) return;
    const recorder = new Recorder(
      {
        cameraId: c.id,
        source,
        segmentSeconds: c.segmentSeconds,
        recordingsDir: this.deps.recordingsDir,
        relayUrl: hub ? () => hub.onceUrlFor(cameraStreamPath(c.id, 'main')) : null,
        relayUnavailable: hub ? null : msg('status.hub_down'),
      },
      this.recorderEvents('camera'),
      { log: this.log.child({ component: 'recorder', cameraId: c.id }), now: this.deps.now, ffmpeg: this.deps.ffmpeg, ...this.deps.recorderOptions },
    );
    this.recorders.set(c.id, { recorder, key, kind: 'camera' });
    recorder.start();
  }

  /** The sub stream's relay follows the camera: enabled, has a subUrl and the hub runs. Changing it never restarts recording. */
  private async applySubRelay(c: CameraRow): Promise<void> {
    const source = sourceFor(c, 'sub', { hub: this.deps.hub ?? null, gb: this.deps.gb ?? null });
    const want = c.enabled && source && this.hubReady;
    const subInput = c.subUrl ? inputUrl({ url: c.subUrl, username: c.username, password: c.password }) : null;
    const key = JSON.stringify([subInput, c.transport]);
    const cur = this.subRelays.get(c.id);
    if (cur && want && cur.key === key) return;
    if (cur) {
      this.subRelays.delete(c.id);
      await cur.relay.close();
    }
    if (!want) return;
    const relay = new StreamRelay(
      { cameraId: c.id, label: 'sub', source, relayUrl: () => this.deps.hub!.onceUrlFor(cameraStreamPath(c.id, 'sub')) },
      {
        log: this.log.child({ component: 'relay', cameraId: c.id, stream: 'sub' }),
        ffmpeg: this.deps.ffmpeg,
        now: this.deps.now,
        minBackoffMs: this.deps.recorderOptions?.minBackoffMs,
        maxBackoffMs: this.deps.recorderOptions?.maxBackoffMs,
        onStatus: (s: RelayStatus) => {
          if (s.state === 'stopped' || !this.recorders.has(c.id)) return;
          this.deps.publish({ type: 'camera.status', status: this.status(c.id) });
        },
      },
    );
    this.subRelays.set(c.id, { relay, key });
    relay.start();
  }

  /**
   * A unit went online (publishes): its channel records from the hub while it publishes, as the channel's recording
   * policy says (continuous; on alarm; off: live only, straight from the hub). `_inputUrlFromHub` is what callers passed
   * before sources; the source finds the URL itself.
   */
  startUnit(unit: { id: number; segmentSeconds: number }, _inputUrlFromHub?: string): void {
    if (!this.deps.hub) return;
    this.publishing.set(unit.id, unit.segmentSeconds);
    this.applyUnit(unit.id).catch((e: Error) => this.log(`applying unit ${unit.id} failed: ${e.message}`));
  }

  /** Starts or stops a publishing unit's recorder so that it matches its channel's policy now (after a PATCH or an alarm). */
  applyUnit(unitId: number): Promise<void> {
    const run = this.applyChain.then(() => this.applyUnitNow(unitId));
    this.applyChain = run.catch(() => undefined);
    return run;
  }

  private async applyUnitNow(unitId: number): Promise<void> {
    const decision = this.publishing.has(unitId) ? await this.policy.decide(unitId) : null;
    const segmentSeconds = this.publishing.get(unitId);
    const record = decision?.record === true && segmentSeconds !== undefined;
    const cur = this.recorders.get(unitId);
    if (!record) {
      if (cur) await this.remove(unitId);
      return;
    }
    if (cur) return;
    const source = agentSource(unitId, this.deps.hub!);
    const recorder = new Recorder({ cameraId: unitId, source, segmentSeconds, recordingsDir: this.deps.recordingsDir }, this.recorderEvents('unit'), {
      log: this.log.child({ component: 'recorder', cameraId: unitId }),
      now: this.deps.now,
      ffmpeg: this.deps.ffmpeg,
      ...this.deps.recorderOptions,
    });
    this.recorders.set(unitId, { recorder, key: source.describe(), kind: 'unit' });
    recorder.start();
  }

  /** Stops a unit's recorder (closing its segment); the stop has begun when this returns its promise. */
  stopUnit(unitId: number): Promise<void> {
    this.publishing.delete(unitId);
    return this.remove(unitId);
  }

  private recorderEvents(kind: 'camera' | 'unit'): RecorderEvents {
    return {
      onStatus: (status: CameraStatus) => {
        if (kind === 'camera') this.deps.publish({ type: 'camera.status', status: this.decorate(status) });
        else this.deps.onUnitRecorderStatus?.(status);
      },
      onSegmentOpened: (seg) => this.enqueue(() => this.segmentOpened(seg)),
      onSegmentClosed: (seg) => this.enqueue(() => this.segmentClosed(seg)),
      onSegmentError: (relPath, message) =>
        this.enqueue(async () => {
          this.openRows.delete(relPath);
          await quarantineSegment(this.deps.store, this.deps.recordingsDir, relPath, message, this.log);
        }),
    };
  }

  /** A camera recorder's status with the sub stream's problem, shown only when nothing more important is. */
  private decorate(status: CameraStatus): CameraStatus {
    const sub = this.subRelays.get(status.cameraId)?.relay.status();
    if (status.lastError === null && sub?.reason && sub.state !== 'relaying') {
      const reason = msg('status.sub_stream', { reason: sub.reason });
      return { ...status, lastError: englishOf(reason), reason };
    }
    return status;
  }

  async remove(cameraId: number): Promise<void> {
    const sub = this.subRelays.get(cameraId);
    if (sub) this.subRelays.delete(cameraId);
    const e = this.recorders.get(cameraId);
    if (e) {
      this.recorders.delete(cameraId);
      this.closing.set(cameraId, e);
    }
    await Promise.all([e?.recorder.close(), sub?.relay.close(), this.live.stop(cameraId)]);
    if (!e) return;
    await this.flush();
    if (this.closing.get(cameraId) === e) this.closing.delete(cameraId);
    if (e.kind === 'camera') this.deps.publish({ type: 'camera.status', status: this.status(cameraId) });
    else this.deps.onUnitRecorderStatus?.(e.recorder.status());
  }

  /** Stops every recorder and relay (each recorder closes its current segment) and waits for the index to be written. */
  async close(): Promise<void> {
    await this.policy.close();
    await this.applyChain;
    await Promise.all([...new Set([...this.recorders.keys(), ...this.subRelays.keys(), ...this.live.ids()])].map((id) => this.remove(id)));
    await this.flush();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    // Last chance; what still fails is left to crash recovery at the next start (rows `writing`, files unindexed).
    if (this.unwritten.size > 0) await this.writeUnwritten();
  }

  /** Closed segments whose index row could not be written yet. */
  get unwrittenCount(): number {
    return this.unwritten.size;
  }

  /** Resolves when all queued index writes are done. */
  flush(): Promise<void> {
    return this.writeChain.then(() => undefined);
  }

  private enqueue(fn: () => Promise<void>): void {
    this.writeChain = this.writeChain
      .then(async () => {
        if (this.unwritten.size > 0) await this.writeUnwritten();
        await fn();
      })
      .catch((e) => this.log(`index write failed: ${(e as Error).message}`));
  }

  /** Writes the closed segments left over from failed index writes; stops at the first that still fails. */
  private async writeUnwritten(): Promise<void> {
    for (const seg of [...this.unwritten.values()]) {
      try {
        await this.writeClosed(seg);
      } catch {
        return;
      }
      this.unwritten.delete(seg.relPath);
      this.log(`segment ${seg.relPath} indexed after an earlier index write failure`);
    }
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.unwritten.size === 0) return;
      this.enqueue(async () => undefined);
      void this.flush().then(() => {
        if (this.unwritten.size > 0) this.scheduleRetry();
      });
    }, 2000);
    this.retryTimer.unref();
  }

  private async segmentOpened(seg: OpenedSegment): Promise<void> {
    const row = await this.deps.store.segments.insert({
      cameraId: seg.cameraId,
      relPath: seg.relPath,
      startMs: seg.startMs,
      endMs: seg.startMs,
      durationMs: 0,
      sizeBytes: 0,
      videoCodec: null,
      audioCodec: null,
      width: null,
      height: null,
      fps: null,
      state: 'writing',
      protected: false,
      recovered: false,
    });
    this.openRows.set(seg.relPath, row.id);
  }

  private async segmentClosed(seg: ClosedSegment): Promise<void> {
    try {
      await this.writeClosed(seg);
    } catch (e) {
      this.unwritten.set(seg.relPath, seg);
      this.scheduleRetry();
      throw e;
    }
  }

  private async writeClosed(seg: ClosedSegment): Promise<void> {
    const fields = {
      startMs: seg.startMs,
      endMs: seg.endMs,
      durationMs: seg.durationMs,
      sizeBytes: seg.sizeBytes,
      videoCodec: seg.videoCodec,
      audioCodec: seg.audioCodec,
      width: seg.width,
      height: seg.height,
      fps: seg.fps,
      state: 'closed' as const,
    };
    let id = this.openRows.get(seg.relPath) ?? (await this.deps.store.segments.getByPath(seg.relPath))?.id;
    if (id === undefined) {
      id = (await this.deps.store.segments.insert({ cameraId: seg.cameraId, relPath: seg.relPath, protected: false, recovered: false, ...fields })).id;
    } else {
      await this.deps.store.segments.update(id, fields);
    }
    this.openRows.delete(seg.relPath);
    const row = await this.deps.store.segments.get(id);
    if (row) this.deps.publish({ type: 'segment.closed', segment: toApiSegment(row) });
  }
}
