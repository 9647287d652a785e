// The investigation service behind InvestigationControl: bookmarks, cases and legal holds, exports, snapshots, timeline and search.
import { msg } from '../../../common/messages';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ErrorKind } from '../../../common/errors';
import type {
  Bookmark,
  BookmarkQuery,
  BookmarkUpdate,
  Case,
  ExportCreate,
  ExportJob,
  LegalHold,
  Manifest,
  PlaybackMap,
  SearchHit,
  SearchQuery,
  Snapshot,
  Timeline,
} from '../../../common/investigation';
import type { SegmentRow } from '../../../storage/repositories';
import { StorageError } from '../../../storage/repositories';
import { actorIdentity } from '../../platform/actor';
import { DomainError } from '../../platform/errors';
import type { Actor, PlaceQueries } from '../contracts';
import type { FeatureContext } from '../features';
import type { InvestigationControl, Requester } from './control';
import { ExportQueue } from './exporter';
import { describeFiles, MANIFEST_NAME, sha256File } from './manifest';
import { insideDir, refuseTraversal, safeComponent } from './paths';
import { PlaybackIndex } from './playback';
import { grabFrame, LIVE_FALLBACK_MS } from './snapshot-frame';

const DAY_MS = 86_400_000;
/** Longest range a timeline request may cover. */
export const MAX_TIMELINE_MS = 62 * DAY_MS;
/** Longest export range. */
export const MAX_EXPORT_MS = 24 * 3_600_000;

export function actorName(a: Actor): string {
  return a.kind === 'user' ? a.username : `system:${a.reason}`;
}

function checkRange(startMs: number, endMs: number, maxMs: number, what: string): void {
  if (!(endMs > startMs)) throw DomainError.field('endMs', msg('range.end_after_start'));
  if (endMs - startMs > maxMs)
    throw DomainError.field(
      'endMs',
      msg('range.max_hours', { hours: Math.round(maxMs / 3_600_000) }),
      `invalid body: endMs ${what} may span at most ${Math.round(maxMs / 3_600_000)} h`,
    );
}

export interface InvestigationOptions {
  exportsDir: string;
  snapshotsDir: string;
  /** ZIP index sidecars of the packages (package-index.ts); default export-index beside exportsDir. */
  indexDir?: string;
}

export class InvestigationService implements InvestigationControl {
  readonly playback: PlaybackIndex;
  readonly exports: ExportQueue;

  constructor(
    private readonly ctx: FeatureContext,
    private readonly places: PlaceQueries,
    readonly opts: InvestigationOptions,
  ) {
    this.playback = new PlaybackIndex(ctx.store, ctx.config.recordingsDir);
    this.exports = new ExportQueue({
      store: ctx.store,
      recordingsDir: ctx.config.recordingsDir,
      ffmpeg: ctx.ffmpeg,
      exportsDir: opts.exportsDir,
      indexDir: opts.indexDir ?? path.join(path.dirname(opts.exportsDir), 'export-index'),
      places,
      now: ctx.now,
      log: ctx.log,
      onUpdate: (job) => {
        ctx.publish({ type: 'investigation.export', export: job });
        if (job.state === 'done' || job.state === 'failed')
          void ctx.audit.record({
            actor: null,
            action: `export.${job.state}`,
            targetType: 'export',
            targetId: job.id,
            detail: { caseId: job.caseId, dir: job.dirName, manifestSha256: job.manifestSha256, error: job.error },
          });
      },
    });
  }

  private get inv() {
    return this.ctx.store.investigation;
  }

  private audit(who: Requester, action: string, targetType: string, targetId: number | string, detail: unknown): Promise<void> {
    return this.ctx.audit.record({ actor: actorIdentity(who.actor), action, targetType, targetId, detail, ip: who.ip ?? null });
  }

  private async cameraOr404(id: number) {
    const cam = await this.ctx.store.cameras.get(id);
    if (!cam) throw DomainError.notFound(msg('source.not_found', { id: id }));
    return cam;
  }

  private async caseOr404(id: number) {
    const c = await this.inv.getCase(id);
    if (!c) throw DomainError.notFound(msg('case.not_found', { id: id }));
    return c;
  }

  // ---------------------------------------------------------------- timeline, playback, search
  async timeline(cameraId: number, startMs: number, endMs: number): Promise<Timeline> {
    checkRange(startMs, endMs, MAX_TIMELINE_MS, 'a timeline');
    const [ranges, events, bookmarks] = await Promise.all([
      this.inv.recordedRanges(cameraId, startMs, endMs, 1500),
      this.ctx.store.events.listRange({ cameraId, startMs, endMs, limit: 5000 }),
      this.inv.listBookmarks({ cameraId, startMs, endMs, limit: 5000 }),
    ]);
    return { cameraId, startMs, endMs, ranges, events: events.map((e) => ({ id: e.id, type: e.type, startMs: e.startMs, endMs: e.endMs })), bookmarks };
  }

  async playbackMap(cameraId: number, startMs: number, endMs: number): Promise<PlaybackMap> {
    checkRange(startMs, endMs, MAX_TIMELINE_MS, 'a playback window');
    return this.playback.map(cameraId, startMs, endMs);
  }

  async search(q: SearchQuery): Promise<SearchHit[]> {
    checkRange(q.startMs, q.endMs, MAX_TIMELINE_MS, 'a search');
    const limit = q.limit ?? 200;
    const wanted = q.cameraIds ? new Set(q.cameraIds.split(',').map(Number)) : null;
    const inScope = (id: number | null) => id !== null && (!wanted || wanted.has(id));
    const hits: SearchHit[] = [];
    const hasPlace = q.lat !== undefined || q.lon !== undefined || q.radiusM !== undefined;
    if (hasPlace) {
      if (q.lat === undefined || q.lon === undefined || q.radiusM === undefined)
        throw DomainError.field(q.lat === undefined ? 'lat' : q.lon === undefined ? 'lon' : 'radiusM', msg('search.place_incomplete'));
      let cams, units;
      try {
        [cams, units] = await Promise.all([
          this.places.camerasNear({ lat: q.lat, lon: q.lon, radiusM: q.radiusM }),
          this.places.unitsNear({ lat: q.lat, lon: q.lon, radiusM: q.radiusM, startMs: q.startMs, endMs: q.endMs }),
        ]);
      } catch (err) {
        throw new DomainError(ErrorKind.Unavailable, msg('search.place_unavailable'), {
          message: `search by place needs the GPS/map feature: ${(err as Error).message}`,
        });
      }
      for (const c of cams) {
        if (!inScope(c.cameraId)) continue;
        const ranges = await this.inv.recordedRanges(c.cameraId, q.startMs, q.endMs, 1500);
        if (ranges.length === 0) continue;
        const name = (await this.ctx.store.cameras.get(c.cameraId))?.name ?? `#${c.cameraId}`;
        hits.push({
          kind: 'place-camera',
          cameraId: c.cameraId,
          atMs: ranges[0]!.startMs,
          startMs: ranges[0]!.startMs,
          endMs: ranges[ranges.length - 1]!.endMs,
          label: name,
          distanceM: Math.round(c.distanceM),
        });
      }
      for (const u of units) {
        if (!inScope(u.unitId)) continue;
        // Near the point during its recording: the unit's recording must overlap the time it was near.
        const ranges = await this.inv.recordedRanges(u.unitId, u.firstMs - 1000, u.lastMs + 1000, 1500);
        if (ranges.length === 0) continue;
        const name = (await this.ctx.store.cameras.get(u.unitId))?.name ?? `#${u.unitId}`;
        hits.push({
          kind: 'place-unit',
          cameraId: u.unitId,
          atMs: Math.max(u.firstMs, ranges[0]!.startMs),
          startMs: u.firstMs,
          endMs: u.lastMs,
          label: name,
          distanceM: Math.round(u.minDistanceM),
        });
      }
    }
    if (q.eventType) {
      const evs = await this.ctx.store.events.listRange({ type: q.eventType, startMs: q.startMs, endMs: q.endMs, limit });
      for (const e of evs)
        if (inScope(e.cameraId))
          hits.push({ kind: 'event', cameraId: e.cameraId!, atMs: e.startMs, startMs: e.startMs, endMs: e.endMs ?? e.startMs, label: e.type });
    }
    if (q.text) {
      for (const b of await this.inv.listBookmarks({ text: q.text, startMs: q.startMs, endMs: q.endMs, limit }))
        if (inScope(b.cameraId)) hits.push({ kind: 'bookmark', cameraId: b.cameraId, atMs: b.startMs, startMs: b.startMs, endMs: b.endMs, label: b.note });
    }
    if (!hasPlace && !q.eventType && !q.text) {
      const ids = wanted ? [...wanted] : (await this.ctx.store.cameras.list()).map((c) => c.id);
      for (const id of ids)
        for (const r of await this.inv.recordedRanges(id, q.startMs, q.endMs, 1500))
          hits.push({
            kind: 'recording',
            cameraId: id,
            atMs: r.startMs,
            startMs: r.startMs,
            endMs: r.endMs,
            label: (await this.ctx.store.cameras.get(id))?.name ?? `#${id}`,
          });
    }
    return hits.sort((a, b) => a.atMs - b.atMs).slice(0, limit);
  }

  // ---------------------------------------------------------------- bookmarks
  async createBookmark(input: { cameraId: number; startMs: number; endMs: number; note: string; actor: Actor }): Promise<{ id: number }> {
    const b = await this.addBookmark({ ...input, caseId: null }, { actor: input.actor });
    return { id: b.id };
  }

  listBookmarks(q: BookmarkQuery): Promise<Bookmark[]> {
    return this.inv.listBookmarks({ ...q, limit: q.limit ?? 1000 });
  }

  async addBookmark(b: { cameraId: number; startMs: number; endMs: number; note: string; caseId: number | null }, who: Requester): Promise<Bookmark> {
    if (b.endMs < b.startMs) throw DomainError.field('endMs', msg('range.end_not_before_start'));
    await this.cameraOr404(b.cameraId);
    if (b.caseId !== null) await this.caseOr404(b.caseId);
    const row = await this.inv.createBookmark({ ...b, createdBy: actorName(who.actor), createdMs: this.ctx.now() });
    await this.audit(who, 'bookmark.create', 'bookmark', row.id, {
      cameraId: row.cameraId,
      startMs: row.startMs,
      endMs: row.endMs,
      caseId: row.caseId,
      note: row.note,
    });
    if (row.caseId !== null) await this.extendHeld(row.caseId);
    this.ctx.publish({ type: 'investigation.bookmark', op: 'created', bookmark: row });
    return row;
  }

  async updateBookmark(id: number, patch: BookmarkUpdate, who: Requester): Promise<Bookmark> {
    if (patch.caseId !== undefined && patch.caseId !== null) await this.caseOr404(patch.caseId);
    const before = await this.inv.getBookmark(id);
    if (!before) throw DomainError.notFound(msg('bookmark.not_found', { id: id }));
    const after = (await this.inv.updateBookmark(id, patch))!;
    await this.audit(who, 'bookmark.update', 'bookmark', id, {
      before: { note: before.note, caseId: before.caseId },
      after: { note: after.note, caseId: after.caseId },
    });
    if (after.caseId !== null) await this.extendHeld(after.caseId);
    this.ctx.publish({ type: 'investigation.bookmark', op: 'updated', bookmark: after });
    return after;
  }

  async deleteBookmark(id: number, who: Requester): Promise<void> {
    const b = await this.inv.getBookmark(id);
    if (!b) throw DomainError.notFound(msg('bookmark.not_found', { id: id }));
    if (b.caseId !== null && (await this.inv.activeHold(b.caseId))) throw DomainError.conflict('caseId', msg('bookmark.on_hold'));
    await this.inv.deleteBookmark(id);
    await this.audit(who, 'bookmark.delete', 'bookmark', id, b);
    this.ctx.publish({ type: 'investigation.bookmark', op: 'deleted', bookmark: b });
  }

  // ---------------------------------------------------------------- cases and legal hold
  listCases(): Promise<Case[]> {
    return this.inv.listCases();
  }

  async getCase(id: number): Promise<Case> {
    const c = await this.inv.caseView(id);
    if (!c) throw DomainError.notFound(msg('case.not_found', { id: id }));
    return c;
  }

  async createCase(c: { reference: string; title: string }, who: Requester): Promise<Case> {
    refuseTraversal(c.reference, 'reference');
    try {
      const row = await this.inv.createCase({ ...c, createdBy: actorName(who.actor) }, this.ctx.now());
      await this.audit(who, 'case.create', 'case', row.id, { reference: row.reference, title: row.title });
      this.ctx.publish({ type: 'investigation.case', caseId: row.id });
      return await this.getCase(row.id);
    } catch (err) {
      if (err instanceof StorageError && err.code === 'conflict') throw DomainError.conflict('reference', msg('case.reference_taken'), err.message);
      throw err;
    }
  }

  /** The segments a case's bookmarks, exports and snapshots cover. */
  private async caseSegments(caseId: number): Promise<number[]> {
    const ranges: Array<{ cameraId: number; startMs: number; endMs: number }> = [];
    for (const b of await this.inv.listBookmarks({ caseId, limit: 100_000 }))
      ranges.push({ cameraId: b.cameraId, startMs: b.startMs, endMs: Math.max(b.endMs, b.startMs + 1) });
    for (const e of await this.inv.listExports({ caseId, limit: 10_000 }))
      for (const s of e.request.sources) ranges.push({ cameraId: s.cameraId, startMs: e.request.startMs, endMs: e.request.endMs });
    for (const s of await this.inv.listSnapshots({ caseId, limit: 100_000 })) ranges.push({ cameraId: s.cameraId, startMs: s.tMs, endMs: s.tMs + 1 });
    const ids = new Set<number>();
    for (const r of ranges) for (const seg of await this.ctx.store.segments.listRange(r.cameraId, r.startMs, r.endMs, 100_000)) ids.add(seg.id);
    return [...ids];
  }

  /** A held case that gains items protects their segments too. */
  private async extendHeld(caseId: number): Promise<void> {
    const hold = await this.inv.activeHold(caseId);
    if (hold) await this.inv.extendHold(hold.id, await this.caseSegments(caseId));
  }

  async placeHold(caseId: number, reason: string, who: Requester): Promise<LegalHold> {
    const c = await this.caseOr404(caseId);
    const segs = await this.caseSegments(caseId);
    let hold: LegalHold;
    try {
      hold = await this.inv.placeHold(caseId, reason, actorName(who.actor), segs, this.ctx.now());
    } catch (err) {
      if (err instanceof StorageError && err.code === 'conflict') throw DomainError.conflict('hold', msg('case.already_held'));
      throw err;
    }
    await this.audit(who, 'case.hold', 'case', caseId, { reference: c.reference, reason, segments: hold.segments });
    this.ctx.publish({ type: 'investigation.case', caseId });
    return hold;
  }

  async releaseHold(caseId: number, who: Requester): Promise<LegalHold> {
    const c = await this.caseOr404(caseId);
    const hold = await this.inv.releaseHold(caseId, actorName(who.actor), this.ctx.now());
    if (!hold) throw DomainError.conflict('hold', msg('case.not_held'));
    await this.audit(who, 'case.release', 'case', caseId, { reference: c.reference, holdId: hold.id, segments: hold.segments });
    this.ctx.publish({ type: 'investigation.case', caseId });
    return hold;
  }

  // ---------------------------------------------------------------- exports
  async createExport(req: ExportCreate, who: Requester): Promise<ExportJob> {
    checkRange(req.startMs, req.endMs, MAX_EXPORT_MS, 'an export');
    if (req.name !== undefined) refuseTraversal(req.name, 'name');
    const c = await this.caseOr404(req.caseId);
    for (const [i, s] of req.sources.entries()) {
      if (!(await this.ctx.store.cameras.get(s.cameraId)) && (await this.ctx.store.segments.listRange(s.cameraId, req.startMs, req.endMs, 1)).length === 0)
        throw DomainError.field(`sources[${i}].cameraId`, msg('source.not_found', { id: s.cameraId }));
    }
    const stamp = new Date(this.ctx.now()).toISOString().replace(/[:.]/g, '').slice(0, 15);
    const dirName = `${safeComponent(c.reference, 64)}_${stamp}_${safeComponent(req.name ?? 'export', 64)}_${randomBytes(3).toString('hex')}`;
    insideDir(this.opts.exportsDir, [dirName], 'name');
    const job = await this.inv.createExport({ caseId: c.id, dirName, request: req, createdBy: actorName(who.actor) }, this.ctx.now());
    await this.audit(who, 'export.create', 'export', job.id, {
      caseReference: c.reference,
      sources: req.sources.map((s) => s.cameraId),
      startMs: req.startMs,
      endMs: req.endMs,
      reencode: !!req.reencode,
      watermark: !!req.watermark,
      dir: dirName,
    });
    await this.extendHeld(c.id);
    this.ctx.publish({ type: 'investigation.export', export: job });
    this.exports.enqueue(job.id);
    return job;
  }

  listExports(caseId?: number): Promise<ExportJob[]> {
    return this.inv.listExports({ caseId, limit: 500 });
  }

  async getExport(id: number): Promise<ExportJob> {
    const j = await this.inv.getExport(id);
    if (!j) throw DomainError.notFound(msg('export.not_found', { id: id }));
    return j;
  }

  async cancelExport(id: number, who: Requester): Promise<ExportJob> {
    const before = await this.getExport(id);
    if (before.state !== 'queued' && before.state !== 'running')
      throw DomainError.conflict('state', msg('export.finished', { id }), `export ${id} is already ${before.state}`);
    const after = (await this.exports.cancel(id))!;
    await this.audit(who, 'export.cancel', 'export', id, { caseId: after.caseId });
    return after;
  }

  ctxStore() {
    return this.ctx.store;
  }

  exportDir(job: ExportJob): string {
    return this.exports.packageDir(job);
  }

  // ---------------------------------------------------------------- snapshots
  async takeSnapshot(input: { cameraId: number; note: string; actor: Actor }): Promise<{ id: number }> {
    const s = await this.snapshot({ cameraId: input.cameraId, note: input.note, caseId: null }, { actor: input.actor });
    return { id: s.id };
  }

  private async segmentAt(cameraId: number, tMs: number): Promise<SegmentRow | null> {
    const segs = await this.ctx.store.segments.listRange(cameraId, tMs, tMs + 1, 5);
    return segs.find((s) => s.startMs <= tMs && s.endMs > tMs) ?? segs[0] ?? null;
  }

  async snapshot(input: { cameraId: number; tMs?: number; note: string; caseId: number | null }, who: Requester): Promise<Snapshot> {
    const cam = await this.cameraOr404(input.cameraId);
    const kase = input.caseId !== null ? await this.caseOr404(input.caseId) : null;
    const now = this.ctx.now();
    let seg: SegmentRow | null;
    let offsetS: number;
    let tMs: number;
    let source: 'live' | 'playback';
    let liveFallback: SegmentRow | null = null;
    if (input.tMs === undefined) {
      // Live: the newest frame of the segment being written (about a second old).
      const segs = await this.ctx.store.segments.listRange(cam.id, now - 2 * 3_600_000, now + 60_000, 10_000);
      seg = [...segs].reverse().find((s) => s.state === 'writing') ?? null;
      if (!seg) throw DomainError.conflict('cameraId', msg('snapshot.not_recording', { name: cam.name }));
      liveFallback = [...segs].reverse().find((s) => s.state === 'closed' && s.endMs >= now - LIVE_FALLBACK_MS) ?? null;
      offsetS = -1;
      tMs = now - 1000;
      source = 'live';
    } else {
      seg = await this.segmentAt(cam.id, input.tMs);
      if (!seg || seg.startMs > input.tMs) throw DomainError.field('tMs', msg('snapshot.no_recording', { name: cam.name }));
      offsetS = (input.tMs - seg.startMs) / 1000;
      tMs = input.tMs;
      source = 'playback';
    }
    let segFile = path.join(this.ctx.config.recordingsDir, ...seg.relPath.split('/'));
    const relPath = `${new Date(tMs).toISOString().slice(0, 10)}/${cam.id}-${tMs}-${randomBytes(3).toString('hex')}`;
    const dir = insideDir(this.opts.snapshotsDir, relPath.split('/'), 'snapshot');
    await fs.promises.mkdir(dir, { recursive: true });
    const jpg = path.join(dir, 'snapshot.jpg');
    const used = await grabFrame(this.ctx.ffmpeg, this.ctx.config.recordingsDir, jpg, {
      seg,
      offsetS,
      live: source === 'live',
      fallback: liveFallback,
      cameraName: cam.name,
    });
    if (used !== seg) [seg, tMs, segFile] = [used, used.endMs, path.join(this.ctx.config.recordingsDir, ...used.relPath.split('/'))];
    const sha = await sha256File(jpg);
    const size = (await fs.promises.stat(jpg)).size;
    const row = await this.inv.createSnapshot({
      cameraId: cam.id,
      tMs,
      source,
      note: input.note,
      caseId: kase?.id ?? null,
      relPath,
      sha256: sha,
      sizeBytes: size,
      createdBy: actorName(who.actor),
      createdMs: now,
    });
    const manifest: Manifest = {
      format: 'argus-evidence/1',
      caseReference: kase?.reference ?? '',
      caseId: kase?.id ?? 0,
      exportId: 0,
      exportedBy: actorName(who.actor),
      exportedMs: now,
      exportedIso: new Date(now).toISOString(),
      startMs: tMs,
      endMs: tMs,
      watermark: false,
      sources: [
        {
          cameraId: cam.id,
          name: cam.name,
          kind: cam.kind === 'uplink' ? 'unit' : 'camera',
          file: 'snapshot.jpg',
          startMs: tMs,
          endMs: tMs,
          recorded: [{ startMs: seg.startMs, endMs: seg.endMs }],
          segments: [
            {
              id: seg.id,
              relPath: seg.relPath,
              startMs: seg.startMs,
              endMs: seg.endMs,
              sizeBytes: seg.sizeBytes,
              sha256: seg.state === 'closed' ? await sha256File(segFile) : '',
            },
          ],
          durationMs: null,
          cut: 'frame-exact',
          firstFrameMs: tMs,
          lastFrameMs: tMs,
        },
      ],
      files: await describeFiles(dir, ['snapshot.jpg']),
    };
    await fs.promises.writeFile(path.join(dir, MANIFEST_NAME), JSON.stringify(manifest, null, 2) + '\n');
    await this.audit(who, 'snapshot.create', 'snapshot', row.id, { cameraId: cam.id, tMs, source, caseId: row.caseId, sha256: sha });
    if (row.caseId !== null) await this.extendHeld(row.caseId);
    this.ctx.publish({ type: 'investigation.snapshot', snapshot: row });
    return row;
  }

  listSnapshots(q: { cameraId?: number; caseId?: number }): Promise<Snapshot[]> {
    return this.inv.listSnapshots({ ...q, limit: 500 });
  }

  async snapshotFile(id: number): Promise<string> {
    const s = await this.inv.getSnapshot(id);
    if (!s) throw DomainError.notFound(msg('snapshot.not_found', { id: id }));
    return path.join(insideDir(this.opts.snapshotsDir, s.relPath.split('/'), 'snapshot'), 'snapshot.jpg');
  }
}
