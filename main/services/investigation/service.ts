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
import type { Actor, OrgScopes, PlaceQueries } from '../contracts';
import type { InvestigationContext } from './context';
import type { InvestigationControl, PlaybackSession, Requester } from './control';
import { ExportQueue } from './exporter';
import { insideDir, refuseTraversal, safeComponent } from './paths';
import { PlaybackIndex } from './playback';
import { caseSegments, extendHeld } from './case-segments';
import { actorName, checkRange, MAX_EXPORT_MS, MAX_TIMELINE_MS } from './limits';
import { ROOT_NODE_ID } from '../../../common/devices';
import { searchHits } from './search-hits';
import { PlaybackTokens } from './playback-token';
import {
  mayCase,
  mayExportJob,
  mayViewChannel,
  requireCase,
  requireCaseNode,
  requireChannel,
  requireExportRight,
  requireSnapshotRight,
  visibleItems,
  type Viewer,
} from './rights';
import { captureSnapshot } from './snapshot-take';
import { siteKeyFor } from './manifest-sign';

export { actorName, MAX_EXPORT_MS, MAX_TIMELINE_MS } from './limits';

export interface InvestigationOptions {
  exportsDir: string;
  snapshotsDir: string;
  /** ZIP index sidecars of the packages (package-index.ts); default export-index beside exportsDir. */
  indexDir?: string;
  /** How long a playback link works (default PLAYBACK_TOKEN_TTL_MS). */
  playbackTokenTtlMs?: number;
}

export class InvestigationService implements InvestigationControl {
  readonly playback: PlaybackIndex;
  readonly exports: ExportQueue;
  /** Signs the playback links (playlists and their pieces). */
  readonly tokens: PlaybackTokens;

  constructor(
    private readonly ctx: InvestigationContext,
    private readonly places: PlaceQueries,
    readonly opts: InvestigationOptions,
    /** Where channels sit in the organisation tree (events name the channels no longer in it); absent: every channel is. */
    private readonly org?: OrgScopes,
  ) {
    this.playback = new PlaybackIndex(ctx.store, ctx.config.recordingsDir);
    this.tokens = new PlaybackTokens(ctx.now, opts.playbackTokenTtlMs);
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
        void this.publishExport(job);
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

  /** The case, if the viewer may see it (404 when it does not exist, 403 when another node's). */
  private async caseOr404(id: number, v: Viewer) {
    const c = await this.inv.getCase(id);
    if (!c) throw DomainError.notFound(msg('case.not_found', { id: id }));
    requireCase(v, c);
    return c;
  }

  /** The node of a case (null when it no longer exists). */
  private readonly caseNode = async (caseId: number): Promise<number | null> => (await this.inv.getCase(caseId))?.nodeId ?? null;

  /** The channels among these that are no longer in the organisation tree (their recordings are judged at the root). */
  private retired(channelIds: number[]): number[] {
    const org = this.org;
    return org ? channelIds.filter((channelId) => org.scopeOf({ channelId }) === null) : [];
  }

  private async publishExport(job: ExportJob): Promise<void> {
    const caseNodeId = await this.caseNode(job.caseId);
    const retired = this.retired(job.request.sources.map((s) => s.cameraId));
    if (caseNodeId !== null) this.ctx.publish({ type: 'investigation.export', export: job, caseNodeId, retired });
  }

  private async publishBookmark(op: 'created' | 'updated' | 'deleted', bookmark: Bookmark): Promise<void> {
    const caseNodeId = bookmark.caseId === null ? null : await this.caseNode(bookmark.caseId);
    this.ctx.publish({ type: 'investigation.bookmark', op, bookmark, caseNodeId, retired: this.retired([bookmark.cameraId]) });
  }

  private async publishCase(caseId: number): Promise<void> {
    const nodeId = await this.caseNode(caseId);
    if (nodeId !== null) this.ctx.publish({ type: 'investigation.case', caseId, nodeId });
  }

  // ---------------------------------------------------------------- timeline, playback, search
  async timeline(cameraId: number, startMs: number, endMs: number, v: Viewer): Promise<Timeline> {
    requireChannel(v, cameraId);
    checkRange(startMs, endMs, MAX_TIMELINE_MS, 'a timeline');
    const [ranges, events, bookmarks] = await Promise.all([
      this.inv.recordedRanges(cameraId, startMs, endMs, 1500),
      this.ctx.store.events.listRange({ cameraId, startMs, endMs, limit: 5000 }),
      this.inv.listBookmarks({ cameraId, startMs, endMs, limit: 5000 }),
    ]);
    const events_ = events.map((e) => ({ id: e.id, type: e.type, startMs: e.startMs, endMs: e.endMs }));
    return { cameraId, startMs, endMs, ranges, events: events_, bookmarks: await visibleItems(v, bookmarks, this.caseNode) };
  }

  async playbackMap(cameraId: number, startMs: number, endMs: number, session: PlaybackSession): Promise<PlaybackMap> {
    requireChannel(session.access, cameraId);
    checkRange(startMs, endMs, MAX_TIMELINE_MS, 'a playback window');
    const map = await this.playback.map(cameraId, startMs, endMs);
    const sig = this.tokens.mint({ channelId: cameraId, startMs, endMs: map.endMs, userId: session.userId, tokenHash: session.tokenHash });
    return { ...map, playlist: `${map.playlist}&sig=${encodeURIComponent(sig)}` };
  }

  async search(q: SearchQuery, v: Viewer): Promise<SearchHit[]> {
    // Hits on channels the viewer may not see are dropped before the limit is applied.
    const hits = await searchHits(this.ctx.store, this.places, { ...q, limit: v === null ? q.limit : 1000 });
    return hits.filter((h) => mayViewChannel(v, h.cameraId)).slice(0, q.limit ?? 200);
  }

  // ---------------------------------------------------------------- bookmarks
  async createBookmark(input: { cameraId: number; startMs: number; endMs: number; note: string; actor: Actor }): Promise<{ id: number }> {
    const b = await this.addBookmark({ ...input, caseId: null }, { actor: input.actor, access: null });
    return { id: b.id };
  }

  async listBookmarks(q: BookmarkQuery, v: Viewer): Promise<Bookmark[]> {
    if (q.cameraId !== undefined) requireChannel(v, q.cameraId);
    if (q.caseId !== undefined) await this.caseOr404(q.caseId, v);
    const limit = q.limit ?? 1000;
    const rows = await this.inv.listBookmarks({ ...q, limit: v === null ? limit : 5000 });
    return (await visibleItems(v, rows, this.caseNode)).slice(0, limit);
  }

  async addBookmark(b: { cameraId: number; startMs: number; endMs: number; note: string; caseId: number | null }, who: Requester): Promise<Bookmark> {
    if (b.endMs < b.startMs) throw DomainError.field('endMs', msg('range.end_not_before_start'));
    await this.cameraOr404(b.cameraId);
    requireChannel(who.access, b.cameraId);
    if (b.caseId !== null) await this.caseOr404(b.caseId, who.access);
    const row = await this.inv.createBookmark({ ...b, createdBy: actorName(who.actor), createdMs: this.ctx.now() });
    await this.audit(who, 'bookmark.create', 'bookmark', row.id, {
      cameraId: row.cameraId,
      startMs: row.startMs,
      endMs: row.endMs,
      caseId: row.caseId,
      note: row.note,
    });
    if (row.caseId !== null) await extendHeld(this.ctx.store, row.caseId);
    await this.publishBookmark('created', row);
    return row;
  }

  async updateBookmark(id: number, patch: BookmarkUpdate, who: Requester): Promise<Bookmark> {
    const before = await this.bookmarkOr404(id, who.access);
    if (patch.caseId !== undefined && patch.caseId !== null) await this.caseOr404(patch.caseId, who.access);
    const after = (await this.inv.updateBookmark(id, patch))!;
    await this.audit(who, 'bookmark.update', 'bookmark', id, {
      before: { note: before.note, caseId: before.caseId },
      after: { note: after.note, caseId: after.caseId },
    });
    if (after.caseId !== null) await extendHeld(this.ctx.store, after.caseId);
    // Consoles that saw it in its old case learn that it left (a 'deleted' for them would need per-user events).
    await this.publishBookmark('updated', after);
    return after;
  }

  /** A bookmark the viewer may see: its channel's recordings and its case (403 otherwise). */
  private async bookmarkOr404(id: number, v: Viewer): Promise<Bookmark> {
    const b = await this.inv.getBookmark(id);
    if (!b) throw DomainError.notFound(msg('bookmark.not_found', { id: id }));
    requireChannel(v, b.cameraId);
    if (b.caseId !== null) await this.caseOr404(b.caseId, v);
    return b;
  }

  async deleteBookmark(id: number, who: Requester): Promise<void> {
    const b = await this.bookmarkOr404(id, who.access);
    if (b.caseId !== null && (await this.inv.activeHold(b.caseId))) throw DomainError.conflict('caseId', msg('bookmark.on_hold'));
    await this.inv.deleteBookmark(id);
    await this.audit(who, 'bookmark.delete', 'bookmark', id, b);
    await this.publishBookmark('deleted', b);
  }

  // ---------------------------------------------------------------- cases and legal hold
  async listCases(v: Viewer): Promise<Case[]> {
    return (await this.inv.listCases()).filter((c) => mayCase(v, c.nodeId));
  }

  async getCase(id: number, v: Viewer): Promise<Case> {
    const c = await this.inv.caseView(id);
    if (!c) throw DomainError.notFound(msg('case.not_found', { id: id }));
    requireCase(v, c);
    return c;
  }

  async createCase(c: { reference: string; title: string; nodeId?: number }, who: Requester): Promise<Case> {
    refuseTraversal(c.reference, 'reference');
    const nodeId = c.nodeId ?? who.homeNodeId ?? ROOT_NODE_ID;
    requireCaseNode(who.access, nodeId);
    try {
      const row = await this.inv.createCase({ reference: c.reference, title: c.title, nodeId, createdBy: actorName(who.actor) }, this.ctx.now());
      await this.audit(who, 'case.create', 'case', row.id, { reference: row.reference, title: row.title, nodeId });
      await this.publishCase(row.id);
      return await this.getCase(row.id, null);
    } catch (err) {
      if (err instanceof StorageError && err.code === 'conflict') throw DomainError.conflict('reference', msg('case.reference_taken'), err.message);
      throw err;
    }
  }

  async placeHold(caseId: number, reason: string, who: Requester): Promise<LegalHold> {
    const c = await this.caseOr404(caseId, who.access);
    const segs = await caseSegments(this.ctx.store, caseId);
    let hold: LegalHold;
    try {
      hold = await this.inv.placeHold(caseId, reason, actorName(who.actor), segs, this.ctx.now());
    } catch (err) {
      if (err instanceof StorageError && err.code === 'conflict') throw DomainError.conflict('hold', msg('case.already_held'));
      throw err;
    }
    await this.audit(who, 'case.hold', 'case', caseId, { reference: c.reference, reason, segments: hold.segments });
    await this.publishCase(caseId);
    return hold;
  }

  async releaseHold(caseId: number, who: Requester): Promise<LegalHold> {
    const c = await this.caseOr404(caseId, who.access);
    const hold = await this.inv.releaseHold(caseId, actorName(who.actor), this.ctx.now());
    if (!hold) throw DomainError.conflict('hold', msg('case.not_held'));
    await this.audit(who, 'case.release', 'case', caseId, { reference: c.reference, holdId: hold.id, segments: hold.segments });
    await this.publishCase(caseId);
    return hold;
  }

  // ---------------------------------------------------------------- exports
  async createExport(req: ExportCreate, who: Requester): Promise<ExportJob> {
    checkRange(req.startMs, req.endMs, MAX_EXPORT_MS, 'an export');
    if (req.name !== undefined) refuseTraversal(req.name, 'name');
    const c = await this.caseOr404(req.caseId, who.access);
    // The export right on EVERY channel of the request.
    for (const s of req.sources) requireExportRight(who.access, s.cameraId);
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
    await this.publishExport(job);
    this.exports.enqueue(job.id);
    return job;
  }

  async listExports(caseId: number | undefined, v: Viewer): Promise<ExportJob[]> {
    if (caseId !== undefined) await this.caseOr404(caseId, v);
    const jobs = await this.inv.listExports({ caseId, limit: 500 });
    const nodes = new Map<number, number | null>();
    const out: ExportJob[] = [];
    for (const j of jobs) {
      if (!nodes.has(j.caseId)) nodes.set(j.caseId, await this.caseNode(j.caseId));
      const node = nodes.get(j.caseId)!;
      if (v === null || (node !== null && mayExportJob(v, j, node))) out.push(j);
    }
    return out;
  }

  /** An export the viewer may see: its case and the recordings of all its channels (403 otherwise). */
  async getExport(id: number, v: Viewer): Promise<ExportJob> {
    const j = await this.inv.getExport(id);
    if (!j) throw DomainError.notFound(msg('export.not_found', { id: id }));
    await this.caseOr404(j.caseId, v);
    for (const s of j.request.sources) requireChannel(v, s.cameraId);
    return j;
  }

  async cancelExport(id: number, who: Requester): Promise<ExportJob> {
    const before = await this.getExport(id, who.access);
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
    const s = await this.snapshot({ cameraId: input.cameraId, note: input.note, caseId: null }, { actor: input.actor, access: null });
    return { id: s.id };
  }

  async snapshot(input: { cameraId: number; tMs?: number; note: string; caseId: number | null }, who: Requester): Promise<Snapshot> {
    const cam = await this.cameraOr404(input.cameraId);
    requireSnapshotRight(who.access, cam.id);
    const kase = input.caseId !== null ? await this.caseOr404(input.caseId, who.access) : null;
    const { row, tMs, source, sha256 } = await captureSnapshot(this.ctx, this.opts.snapshotsDir, cam, kase, input, who);
    await this.audit(who, 'snapshot.create', 'snapshot', row.id, { cameraId: cam.id, tMs, source, caseId: row.caseId, sha256 });
    if (row.caseId !== null) await extendHeld(this.ctx.store, row.caseId);
    this.ctx.publish({ type: 'investigation.snapshot', snapshot: row, caseNodeId: kase?.nodeId ?? null, retired: this.retired([row.cameraId]) });
    return row;
  }

  async listSnapshots(q: { cameraId?: number; caseId?: number }, v: Viewer): Promise<Snapshot[]> {
    if (q.cameraId !== undefined) requireChannel(v, q.cameraId);
    if (q.caseId !== undefined) await this.caseOr404(q.caseId, v);
    return visibleItems(v, await this.inv.listSnapshots({ ...q, limit: 500 }), this.caseNode);
  }

  /** The JPEG of a snapshot the viewer may see (its channel's recordings, and its case when filed in one). */
  async snapshotFile(id: number, v: Viewer): Promise<string> {
    const s = await this.inv.getSnapshot(id);
    if (!s) throw DomainError.notFound(msg('snapshot.not_found', { id: id }));
    requireChannel(v, s.cameraId);
    if (s.caseId !== null) await this.caseOr404(s.caseId, v);
    return path.join(insideDir(this.opts.snapshotsDir, s.relPath.split('/'), 'snapshot'), 'snapshot.jpg');
  }
}
