// Evidence export jobs: MP4 per source (stream copy or re-encode, optional watermark), GPX/KML tracks, manifest; background queue that survives restarts.
import fs from 'node:fs';
import path from 'node:path';
import type { ExportCreate, ExportJob, Manifest, ManifestSource } from '../../../common/investigation';
import { englishOf, msg, type ServerMessage } from '../../../common/messages';
import { concatCopyToMp4, joinMp4, reencodePieceToMp4, type ConcatInput } from '../../../media/export';
import { probe } from '../../../media/probe';
import type { FfmpegLauncher } from '../../../media/ffmpeg-launcher';
import type { SegmentRow, Store } from '../../../storage/repositories';
import type { PlaceQueries } from '../contracts';
import { copyEnd, copyStart, exactFrames, firstKeyframeMs, type FrameTimes } from './cut-points';
import { describeFiles, listPackageFiles, MANIFEST_NAME, sha256File } from './manifest';
import { signManifest } from './manifest-sign';
import type { SiteKey } from '../../platform/site-key';
import { indexFileOf, writeIndex } from './package-index';
import { insideDir, safeComponent } from './paths';
import { toGpx, toKml } from './tracks';
import { indexTsFile, type TsIndex } from './ts-index';
import type { InvestigationContext } from './context';

/** Segments further apart than this (ms) start a new recorded piece. */
const GAP_MS = 1500;

export interface ExporterDeps {
  store: InvestigationContext['store'];
  recordingsDir: string;
  exportsDir: string;
  /** Starts the export's ffmpeg jobs and probes. */
  ffmpeg: FfmpegLauncher;
  /** Where the ZIP index sidecars (CRC-32s) are kept. */
  indexDir: string;
  places: PlaceQueries;
  now: () => number;
  log: (m: string) => void;
  /** Signs each package's manifest (the site key). */
  siteKey: SiteKey;
  /** Called on every state or progress change (pushed to consoles as investigation.export). */
  onUpdate: (job: ExportJob) => void;
}

interface Piece {
  segs: SegmentRow[];
  startMs: number;
  endMs: number;
}

/** Recorded pieces of [startMs, endMs): runs of closed segments without gaps. */
export function piecesOf(segs: SegmentRow[], startMs: number, endMs: number): Piece[] {
  const out: Piece[] = [];
  for (const s of segs) {
    if (s.state !== 'closed' || s.endMs <= startMs || s.startMs >= endMs) continue;
    const last = out[out.length - 1];
    if (last && s.startMs - last.segs[last.segs.length - 1]!.endMs <= GAP_MS) {
      last.segs.push(s);
      last.endMs = Math.min(endMs, s.endMs);
    } else out.push({ segs: [s], startMs: Math.max(startMs, s.startMs), endMs: Math.min(endMs, s.endMs) });
  }
  return out;
}

export class ExportQueue {
  private readonly queue: number[] = [];
  private running: { id: number; abort: AbortController; done: Promise<void> } | null = null;
  private closed = false;
  private lastPush = new Map<number, number>();

  constructor(private readonly d: ExporterDeps) {}

  packageDir(job: ExportJob): string {
    return insideDir(this.d.exportsDir, [job.dirName], 'name');
  }

  /** Picks up jobs left queued or running by a previous process (resume: finished source files are kept). */
  async start(): Promise<void> {
    for (const job of await this.d.store.investigation.listUnfinishedExports()) {
      this.d.log(`[export ${job.id}] resuming after restart (was ${job.state})`);
      if (job.state === 'running') await this.d.store.investigation.updateExport(job.id, { state: 'queued' });
      this.enqueue(job.id);
    }
  }

  enqueue(id: number): void {
    if (this.closed) return;
    this.queue.push(id);
    this.pump();
  }

  /** Cancels a queued or running job; its package directory is removed. Returns false when it was already finished. */
  async cancel(id: number): Promise<ExportJob | null> {
    const job = await this.d.store.investigation.getExport(id);
    if (!job) return null;
    if (job.state !== 'queued' && job.state !== 'running') return job;
    const qi = this.queue.indexOf(id);
    if (qi >= 0) this.queue.splice(qi, 1);
    if (this.running?.id === id) {
      this.running.abort.abort();
      await this.running.done;
    }
    await fs.promises.rm(this.packageDir(job), { recursive: true, force: true });
    await fs.promises.rm(indexFileOf(this.d.indexDir, job.dirName), { force: true });
    const after = await this.d.store.investigation.updateExport(id, { state: 'cancelled', finishedMs: this.d.now() });
    if (after) this.d.onUpdate(after);
    return after;
  }

  /** Stops the running job without changing its state (it resumes at the next start). */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    if (this.running) {
      this.running.abort.abort();
      await this.running.done;
    }
  }

  private pump(): void {
    if (this.running || this.closed) return;
    const id = this.queue.shift();
    if (id === undefined) return;
    const abort = new AbortController();
    const done = this.run(id, abort.signal)
      .catch((err) => this.d.log(`[export ${id}] ${(err as Error).stack ?? err}`))
      .finally(() => {
        this.running = null;
        this.pump();
      });
    this.running = { id, abort, done };
  }

  private async update(id: number, patch: Parameters<Store['investigation']['updateExport']>[1], force = true): Promise<void> {
    const now = this.d.now();
    if (!force && now - (this.lastPush.get(id) ?? 0) < 250) {
      await this.d.store.investigation.updateExport(id, patch);
      return;
    }
    this.lastPush.set(id, now);
    const job = await this.d.store.investigation.updateExport(id, patch);
    if (job) this.d.onUpdate(job);
  }

  private async run(id: number, signal: AbortSignal): Promise<void> {
    const job = await this.d.store.investigation.getExport(id);
    if (!job || (job.state !== 'queued' && job.state !== 'running')) return;
    await this.update(id, { state: 'running' });
    try {
      const sha = await this.build(job, signal);
      // CRC-32s for the downloadable ZIP, once, while the files are hot in the page cache.
      await writeIndex(this.d.indexDir, job.dirName, this.packageDir(job));
      await this.update(id, { state: 'done', progress: 1, finishedMs: this.d.now(), manifestSha256: sha, error: null });
      this.d.log(`[export ${id}] done: ${this.packageDir(job)}`);
    } catch (err) {
      if ((err as Error).name === 'AbortError') {
        if (this.closed) this.d.log(`[export ${id}] interrupted by shutdown; resumes at the next start`);
        return; // cancel() or close() decides the state
      }
      this.d.log(`[export ${id}] failed: ${(err as Error).message}`);
      await this.update(id, { state: 'failed', error: (err as Error).message, reason: failureReason(err), finishedMs: this.d.now() });
    }
  }

  private segFile(s: SegmentRow): string {
    return path.join(this.d.recordingsDir, ...s.relPath.split('/'));
  }

  private frameIndex(s: SegmentRow): Promise<TsIndex> {
    return indexTsFile(this.segFile(s), { frames: true });
  }

  /**
   * Concat inputs of one recorded piece for a stream copy, starting on the keyframe at or before its start (never
   * after: evidence must not lose the first seconds asked for), and the true times of its first and last frames.
   */
  private async copyCut(p: Piece): Promise<{ inputs: ConcatInput[]; times: FrameTimes }> {
    const inputs: ConcatInput[] = [];
    let firstFrameMs = 0;
    let tail: { lastFrameMs: number; endMs: number } = { lastFrameMs: 0, endMs: 0 };
    for (const [k, s] of p.segs.entries()) {
      const input: ConcatInput = { file: this.segFile(s) };
      const isFirst = k === 0;
      const isLast = k === p.segs.length - 1;
      const idx = isFirst || isLast ? await this.frameIndex(s) : null;
      let fromDtsS = -Infinity;
      if (isFirst) {
        if (p.startMs > s.startMs) {
          const a = copyStart(idx!, s.startMs, (p.startMs - s.startMs) / 1000);
          input.inpointS = a.inpointS;
          firstFrameMs = a.firstFrameMs;
          fromDtsS = a.inpointS - idx!.firstPtsS;
        } else firstFrameMs = firstKeyframeMs(idx!, s.startMs);
      }
      if (isLast) {
        const b = copyEnd(idx!, s.startMs, p.endMs < s.endMs ? (p.endMs - s.startMs) / 1000 : undefined, fromDtsS);
        if (b.outpointS !== undefined) input.outpointS = b.outpointS;
        tail = b;
      }
      inputs.push(input);
    }
    return { inputs, times: { firstFrameMs, ...tail } };
  }

  private async exactTimes(p: Piece): Promise<FrameTimes> {
    const first = p.segs[0]!;
    const last = p.segs[p.segs.length - 1]!;
    return exactFrames(
      await this.frameIndex(first),
      first.startMs,
      (p.startMs - first.startMs) / 1000,
      await this.frameIndex(last),
      last.startMs,
      (p.endMs - last.startMs) / 1000,
    );
  }

  private async build(job: ExportJob, signal: AbortSignal): Promise<string> {
    const { store } = this.d;
    const req: ExportCreate = job.request;
    const kase = await store.investigation.getCase(job.caseId);
    if (!kase) throw new ExportFailure(msg('export.case_gone', { id: job.caseId }));
    const dir = this.packageDir(job);
    await fs.promises.mkdir(path.join(dir, 'video'), { recursive: true });
    const startMs = req.startMs;
    const endMs = req.endMs;
    const reencode = !!(req.reencode || req.watermark);

    // Plan: the recorded pieces of every source, and the total media time (for progress).
    const plans: Array<{ cameraId: number; name: string; kind: 'camera' | 'unit'; segs: SegmentRow[]; pieces: Piece[] }> = [];
    for (const src of req.sources) {
      const cam = await store.cameras.get(src.cameraId);
      const segs = await store.segments.listRange(src.cameraId, startMs, endMs, 100_000);
      const pieces = piecesOf(segs, startMs, endMs);
      plans.push({
        cameraId: src.cameraId,
        name: cam?.name ?? `camera-${src.cameraId}`,
        kind: cam?.kind === 'uplink' ? 'unit' : 'camera',
        segs: pieces.flatMap((p) => p.segs),
        pieces,
      });
    }
    const totalS = Math.max(
      0.001,
      plans.reduce((a, p) => a + p.pieces.reduce((b, q) => b + (q.endMs - q.startMs) / 1000, 0), 0),
    );
    let doneS = 0;
    const sources: ManifestSource[] = [];
    for (const [i, plan] of plans.entries()) {
      const label = `${kase.reference} | ${plan.name} | ${job.createdBy}`;
      const fileRel = plan.pieces.length ? `video/${String(i + 1).padStart(2, '0')}-${safeComponent(plan.name, 48)}.mp4` : null;
      const segInfo = [];
      for (const s of plan.segs) {
        const full = path.join(this.d.recordingsDir, ...s.relPath.split('/'));
        if (!fs.existsSync(full))
          throw new ExportFailure(
            msg('export.segment_missing', { source: plan.name }),
            `segment ${s.relPath} of ${plan.name} is missing (deleted by retention?)`,
          );
        segInfo.push({ id: s.id, relPath: s.relPath, startMs: s.startMs, endMs: s.endMs, sizeBytes: s.sizeBytes, sha256: await sha256File(full) });
      }
      let durationMs: number | null = null;
      // The true first/last frame times of each recorded piece, as cut.
      const truth: FrameTimes[] = [];
      if (fileRel) {
        const out = insideDir(dir, fileRel.split('/'), 'name');
        const mediaS = plan.pieces.reduce((b, q) => b + (q.endMs - q.startMs) / 1000, 0);
        if (fs.existsSync(out)) {
          // Kept from an interrupted run: its cut points are recomputed from the same segments.
          for (const [k, p] of plan.pieces.entries()) truth[k] = reencode ? await this.exactTimes(p) : (await this.copyCut(p)).times;
        } else {
          const tmp = `${out}.partial.mp4`;
          const onProgress = (t: number) => void this.update(job.id, { progress: Math.min(0.99, (doneS + Math.min(t, mediaS)) / totalS) }, false);
          if (!reencode) {
            const inputs: ConcatInput[] = [];
            for (const [k, p] of plan.pieces.entries()) {
              const cut = await this.copyCut(p);
              inputs.push(...cut.inputs);
              truth[k] = cut.times;
            }
            await concatCopyToMp4(this.d.ffmpeg, inputs, tmp, { signal, onProgress });
          } else {
            const parts: string[] = [];
            let acc = 0;
            for (const [k, p] of plan.pieces.entries()) {
              truth[k] = await this.exactTimes(p);
              const part = `${out}.piece${k}.mp4`;
              await reencodePieceToMp4(
                this.d.ffmpeg,
                p.segs.map((s) => path.join(this.d.recordingsDir, ...s.relPath.split('/'))),
                (p.startMs - p.segs[0]!.startMs) / 1000,
                (p.endMs - p.startMs) / 1000,
                part,
                req.watermark ? { label, wallStartMs: p.startMs } : null,
                { signal, onProgress: (t) => onProgress(acc + t) },
              );
              acc += (p.endMs - p.startMs) / 1000;
              parts.push(part);
            }
            if (parts.length === 1) await fs.promises.rename(parts[0]!, tmp);
            else {
              await joinMp4(this.d.ffmpeg, parts, tmp, { signal });
              for (const p of parts) await fs.promises.rm(p, { force: true });
            }
          }
          const fh = await fs.promises.open(tmp, 'r+');
          await fh.sync();
          await fh.close();
          await fs.promises.rename(tmp, out); // a finished file is complete: resume keeps it
        }
        durationMs = (await probe(this.d.ffmpeg, out)).durationMs;
        doneS += mediaS;
        await this.update(job.id, { progress: Math.min(0.99, doneS / totalS) });
      }
      if (plan.kind === 'unit' && req.tracks !== false) {
        try {
          const pts = await this.d.places.track(plan.cameraId, startMs, endMs, 100_000);
          await fs.promises.mkdir(path.join(dir, 'tracks'), { recursive: true });
          const base = `tracks/${String(i + 1).padStart(2, '0')}-${safeComponent(plan.name, 48)}`;
          await fs.promises.writeFile(insideDir(dir, `${base}.gpx`.split('/'), 'name'), toGpx(plan.name, pts));
          await fs.promises.writeFile(insideDir(dir, `${base}.kml`.split('/'), 'name'), toKml(plan.name, pts));
        } catch (err) {
          this.d.log(`[export ${job.id}] no GPS track for ${plan.name}: ${(err as Error).message}`);
        }
      }
      sources.push({
        cameraId: plan.cameraId,
        name: plan.name,
        kind: plan.kind,
        file: fileRel,
        startMs,
        endMs,
        recorded: truth.map((t) => ({ startMs: Math.round(t.firstFrameMs), endMs: Math.round(t.endMs) })),
        segments: segInfo,
        durationMs,
        firstFrameMs: truth.length ? Math.round(truth[0]!.firstFrameMs) : null,
        lastFrameMs: truth.length ? Math.round(truth[truth.length - 1]!.lastFrameMs) : null,
        cut: reencode ? 'frame-exact' : 'keyframe',
        watermarkText: req.watermark && fileRel ? label : null,
      });
    }
    if (signal.aborted) throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
    // Leftovers of an interrupted run are not part of the package.
    for (const rel of await listPackageFiles(dir))
      if (/\.(partial\.mp4|piece\d+\.mp4|ffconcat)$/.test(rel)) await fs.promises.rm(path.join(dir, ...rel.split('/')), { force: true });
    const exportedMs = this.d.now();
    const manifest: Manifest = {
      format: 'argus-evidence/1',
      caseReference: kase.reference,
      caseId: kase.id,
      exportId: job.id,
      exportedBy: job.createdBy,
      exportedMs,
      exportedIso: new Date(exportedMs).toISOString(),
      startMs,
      endMs,
      watermark: !!req.watermark,
      sources,
      files: await describeFiles(dir, await listPackageFiles(dir)),
    };
    const manifestFile = path.join(dir, MANIFEST_NAME);
    await fs.promises.writeFile(manifestFile, JSON.stringify(signManifest(manifest, this.d.siteKey), null, 2) + '\n');
    return sha256File(manifestFile);
  }
}

/** A failure of an export with a registered reason the console words (the English text stays for the log). */
class ExportFailure extends Error {
  constructor(
    readonly reason: ServerMessage,
    message?: string,
  ) {
    super(message ?? englishOf(reason));
  }
}

/** Why a job failed, as a registered message: its own reason, a full disk, or a generic one (the details are in the log). */
function failureReason(err: unknown): ServerMessage {
  if (err instanceof ExportFailure) return err.reason;
  const text = `${(err as NodeJS.ErrnoException).code ?? ''} ${(err as Error).message ?? ''}`;
  if (/ENOSPC|No space left on device/.test(text)) return msg('export.disk_full');
  return msg('export.build_failed');
}
