// Taking a snapshot: one JPEG frame of a live or recorded segment, its evidence manifest beside it, and its row.
import { msg } from '../../../common/messages';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Manifest, Snapshot } from '../../../common/investigation';
import type { CaseRow } from '../../../storage/repos/investigation';
import type { CameraRow, SegmentRow } from '../../../storage/repositories';
import { DomainError } from '../../platform/errors';
import type { InvestigationContext } from './context';
import type { Requester } from './control';
import { actorName } from './limits';
import { describeFiles, MANIFEST_NAME, sha256File } from './manifest';
import { signManifest, siteKeyFor } from './manifest-sign';
import { insideDir } from './paths';
import { grabFrame, LIVE_FALLBACK_MS } from './snapshot-frame';

async function segmentAt(ctx: InvestigationContext, cameraId: number, tMs: number): Promise<SegmentRow | null> {
  const segs = await ctx.store.segments.listRange(cameraId, tMs, tMs + 1, 5);
  return segs.find((s) => s.startMs <= tMs && s.endMs > tMs) ?? segs[0] ?? null;
}

/** Grabs the frame (live when input.tMs is absent), writes snapshot.jpg and its manifest under snapshotsDir, and stores the row. */
export async function captureSnapshot(
  ctx: InvestigationContext,
  snapshotsDir: string,
  cam: CameraRow,
  kase: CaseRow | null,
  input: { tMs?: number; note: string },
  who: Requester,
): Promise<{ row: Snapshot; tMs: number; source: 'live' | 'playback'; sha256: string }> {
  const now = ctx.now();
  let seg: SegmentRow | null;
  let offsetS: number;
  let tMs: number;
  let source: 'live' | 'playback';
  let liveFallback: SegmentRow | null = null;
  if (input.tMs === undefined) {
    // Live: the newest frame of the segment being written (about a second old).
    const segs = await ctx.store.segments.listRange(cam.id, now - 2 * 3_600_000, now + 60_000, 10_000);
    seg = [...segs].reverse().find((s) => s.state === 'writing') ?? null;
    if (!seg) throw DomainError.conflict('cameraId', msg('snapshot.not_recording', { name: cam.name }));
    liveFallback = [...segs].reverse().find((s) => s.state === 'closed' && s.endMs >= now - LIVE_FALLBACK_MS) ?? null;
    offsetS = -1;
    tMs = now - 1000;
    source = 'live';
  } else {
    seg = await segmentAt(ctx, cam.id, input.tMs);
    if (!seg || seg.startMs > input.tMs) throw DomainError.field('tMs', msg('snapshot.no_recording', { name: cam.name }));
    offsetS = (input.tMs - seg.startMs) / 1000;
    tMs = input.tMs;
    source = 'playback';
  }
  let segFile = path.join(ctx.config.recordingsDir, ...seg.relPath.split('/'));
  const relPath = `${new Date(tMs).toISOString().slice(0, 10)}/${cam.id}-${tMs}-${randomBytes(3).toString('hex')}`;
  const dir = insideDir(snapshotsDir, relPath.split('/'), 'snapshot');
  await fs.promises.mkdir(dir, { recursive: true });
  const jpg = path.join(dir, 'snapshot.jpg');
  const used = await grabFrame(ctx.ffmpeg, ctx.config.recordingsDir, jpg, {
    seg,
    offsetS,
    live: source === 'live',
    fallback: liveFallback,
    cameraName: cam.name,
  });
  if (used !== seg) [seg, tMs, segFile] = [used, used.endMs, path.join(ctx.config.recordingsDir, ...used.relPath.split('/'))];
  const sha = await sha256File(jpg);
  const size = (await fs.promises.stat(jpg)).size;
  const row = await ctx.store.investigation.createSnapshot({
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
        watermarkText: null,
      },
    ],
    files: await describeFiles(dir, ['snapshot.jpg']),
  };
  await fs.promises.writeFile(path.join(dir, MANIFEST_NAME), JSON.stringify(signManifest(manifest, siteKeyFor(ctx.config.dataDir)), null, 2) + '\n');
  return { row, tMs, source, sha256: sha };
}
