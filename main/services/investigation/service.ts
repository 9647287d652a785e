// The investigation service behind InvestigationControl: bookmarks, cases and legal holds, exports, snapshots, timeline and search.
import { msg } from '../../../common/messages';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type {
  Bookmark,
  BookmarkQuery,
  BookmarkUpdate,
  Case,
  ExportCreate,
  ExportJob,
  LegalHold,
  PlaybackMap,
  SearchHit,
  SearchQuery,
  Snapshot,
  Timeline,
} from '../../../common/investigation';
import { StorageError } from '../../../storage/repositories';
import { actorIdentity } from '../../platform/actor';
import { DomainError } from '../../platform/errors';
import type { Actor, PlaceQueries } from '../contracts';
import type { InvestigationContext } from './context';
import type { InvestigationControl, Requester } from './control';
import { ExportQueue } from './exporter';
import { insideDir, refuseTraversal, safeComponent } from './paths';
import { PlaybackIndex } from './playback';
import { caseSegments, extendHeld } from './case-segments';
import { actorName, checkRange, MAX_EXPORT_MS, MAX_TIMELINE_MS } from './limits';
import { searchHits } from './search-hits';
import { captureSnapshot } from './snapshot-take';
import { siteKeyFor } from './manifest-sign';

export { actorName, MAX_EXPORT_MS, MAX_TIMELINE_MS } from './limits';

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
    private readonly ctx: InvestigationContext,
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
      siteKey: siteKeyFor(ctx.config.dataDir),
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

  search(q: SearchQuery): Promise<SearchHit[]> {
    return searchHits(this.ctx.store, this.places, q);
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
    if (row.caseId !== null) await extendHeld(this.ctx.store, row.caseId);
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
    if (after.caseId !== null) await extendHeld(this.ctx.store, after.caseId);
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

  async placeHold(caseId: number, reason: string, who: Requester): Promise<LegalHold> {
    const c = await this.caseOr404(caseId);
    const segs = await caseSegments(this.ctx.store, caseId);
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
    await extendHeld(this.ctx.store, c.id);
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

  async snapshot(input: { cameraId: number; tMs?: number; note: string; caseId: number | null }, who: Requester): Promise<Snapshot> {
    const cam = await this.cameraOr404(input.cameraId);
    const kase = input.caseId !== null ? await this.caseOr404(input.caseId) : null;
    const { row, tMs, source, sha256 } = await captureSnapshot(this.ctx, this.opts.snapshotsDir, cam, kase, input, who);
    await this.audit(who, 'snapshot.create', 'snapshot', row.id, { cameraId: cam.id, tMs, source, caseId: row.caseId, sha256 });
    if (row.caseId !== null) await extendHeld(this.ctx.store, row.caseId);
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
