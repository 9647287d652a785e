// Recording service: one Recorder per enabled camera, its segment events written into the segment index and published.
import type { CameraStatus, Segment } from '../../common/api';
import type { ServerEvent } from '../../common/events';
import type { CameraRow, SegmentRow, Store } from '../../storage/repositories';
import { Recorder, type ClosedSegment, type OpenedSegment, type RecorderOptions } from '../../media/recorder';
import type { RecordingControl } from './recording-control';
import { quarantineSegment } from './quarantine';

export function toApiSegment(r: SegmentRow): Segment {
  return {
    id: r.id,
    cameraId: r.cameraId,
    startMs: r.startMs,
    endMs: r.endMs,
    durationMs: r.durationMs,
    sizeBytes: r.sizeBytes,
    videoCodec: r.videoCodec,
    audioCodec: r.audioCodec,
    width: r.width,
    height: r.height,
    fps: r.fps,
    state: r.state,
    protected: r.protected,
    recovered: r.recovered,
  };
}

/** The input URL with credentials put back in. */
export function inputUrl(c: Pick<CameraRow, 'url' | 'username' | 'password'>): string {
  if (!c.username && !c.password) return c.url;
  const u = new URL(c.url);
  u.username = encodeURIComponent(c.username ?? '');
  u.password = encodeURIComponent(c.password ?? '');
  return u.toString();
}

interface Entry {
  recorder: Recorder;
  /** Config fingerprint: a change restarts the recorder. */
  key: string;
}

export interface RecordingServiceDeps {
  store: Store;
  recordingsDir: string;
  publish: (ev: ServerEvent) => void;
  log?: (msg: string) => void;
  now?: () => number;
  recorderOptions?: RecorderOptions;
}

export class RecordingService implements RecordingControl {
  private readonly recorders = new Map<number, Entry>();
  /** Serializes index writes so a segment's insert and update never race. */
  private writeChain: Promise<unknown> = Promise.resolve();
  private readonly openRows = new Map<string, number>();
  private readonly log: (msg: string) => void;
  private readonly now: () => number;

  constructor(private readonly deps: RecordingServiceDeps) {
    this.log = (m) => (deps.log ?? console.log)(`[recording] ${m}`);
    this.now = deps.now ?? Date.now;
  }

  async startAll(): Promise<void> {
    for (const c of await this.deps.store.cameras.list()) if (c.kind === 'rtsp') await this.apply(c);
  }

  status(cameraId: number): CameraStatus {
    const e = this.recorders.get(cameraId);
    if (e) return e.recorder.status();
    return { cameraId, state: 'stopped', lastError: null, bitrateBps: null, sinceMs: this.now(), failures: 0, nextRetryMs: null };
  }

  async apply(c: CameraRow): Promise<void> {
    const key = JSON.stringify([inputUrl(c), c.transport, c.segmentSeconds]);
    const cur = this.recorders.get(c.id);
    if (cur && c.enabled && cur.key === key) return;
    if (cur) await this.remove(c.id);
    if (!c.enabled) return;
    const recorder = new Recorder(
      { cameraId: c.id, url: inputUrl(c), transport: c.transport, segmentSeconds: c.segmentSeconds, recordingsDir: this.deps.recordingsDir },
      {
        onStatus: (status) => this.deps.publish({ type: 'camera.status', status }),
        onSegmentOpened: (seg) => this.enqueue(() => this.segmentOpened(seg)),
        onSegmentClosed: (seg) => this.enqueue(() => this.segmentClosed(seg)),
        onSegmentError: (relPath, message) =>
          this.enqueue(async () => {
            this.openRows.delete(relPath);
            await quarantineSegment(this.deps.store, this.deps.recordingsDir, relPath, message, this.log);
          }),
      },
      { log: this.deps.log, now: this.deps.now, ...this.deps.recorderOptions },
    );
    this.recorders.set(c.id, { recorder, key });
    recorder.start();
  }

  async remove(cameraId: number): Promise<void> {
    const e = this.recorders.get(cameraId);
    if (!e) return;
    this.recorders.delete(cameraId);
    await e.recorder.close();
    await this.flush();
    this.deps.publish({ type: 'camera.status', status: this.status(cameraId) });
  }

  /** Stops every recorder (each closes its current segment) and waits for the index to be written. */
  async close(): Promise<void> {
    await Promise.all([...this.recorders.keys()].map((id) => this.remove(id)));
    await this.flush();
  }

  /** Resolves when all queued index writes are done. */
  flush(): Promise<void> {
    return this.writeChain.then(() => undefined);
  }

  private enqueue(fn: () => Promise<void>): void {
    this.writeChain = this.writeChain.then(fn).catch((e) => this.log(`index write failed: ${(e as Error).message}`));
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
    this.openRows.delete(seg.relPath);
    if (id === undefined) {
      id = (await this.deps.store.segments.insert({ cameraId: seg.cameraId, relPath: seg.relPath, protected: false, recovered: false, ...fields })).id;
    } else {
      await this.deps.store.segments.update(id, fields);
    }
    const row = await this.deps.store.segments.get(id);
    if (row) this.deps.publish({ type: 'segment.closed', segment: toApiSegment(row) });
  }
}
