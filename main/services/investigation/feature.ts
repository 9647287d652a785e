// The investigation feature (issue 6): investigators: playback, search, bookmarks, cases, legal hold, export, snapshots.
import path from 'node:path';
import type { OrgScopes, PlaceQueries } from '../contracts';
import type { Feature } from '../features';
import type { InvestigationContext } from './context';
import type { InvestigationControl } from './control';
import { investigationMounts, PlaybackAudit } from './mounts';
import { InvestigationService } from './service';

export interface InvestigationFeatureOptions {
  /** Default <dataDir>/exports. */
  exportsDir?: string;
  /** Default <dataDir>/snapshots. */
  snapshotsDir?: string;
  /** A viewing session is audited ('playback.view') after this long without requests; default the playbackAuditIdleMs setting. */
  playbackIdleMs?: number;
  /** How long a signed playback link works (default PLAYBACK_TOKEN_TTL_MS, 20 min). */
  playbackTokenTtlMs?: number;
}

export function createInvestigationFeature(
  ctx: InvestigationContext,
  links: { places: PlaceQueries; org: OrgScopes },
  opts: InvestigationFeatureOptions = {},
): Feature<InvestigationControl> & { service: InvestigationService } {
  const indexDir = path.join(ctx.config.dataDir, 'export-index');
  const service = new InvestigationService(
    ctx,
    links.places,
    {
      exportsDir: opts.exportsDir ?? path.join(ctx.config.dataDir, 'exports'),
      snapshotsDir: opts.snapshotsDir ?? path.join(ctx.config.dataDir, 'snapshots'),
      indexDir,
      playbackTokenTtlMs: opts.playbackTokenTtlMs,
    },
    links.org,
  );
  const idle = opts.playbackIdleMs ?? ctx.config.playbackAuditIdleMs;
  const audit = new PlaybackAudit(ctx.audit, idle);
  return {
    control: service,
    service,
    mounts: investigationMounts(
      service,
      audit,
      {
        indexDir,
        packageDir: (job) => service.exportDir(job),
        audit: (p, job, detail, ip) =>
          ctx.audit.record({ actor: p, action: 'export.download', targetType: 'export', targetId: job.id, detail: { caseId: job.caseId, ...detail }, ip }),
        publish: ctx.publish,
        now: ctx.now,
      },
      ctx.config.recordingsDir,
      ctx.ffmpeg,
      ctx.access,
      links.org,
    ),
    async start() {
      await service.exports.start();
    },
    async close() {
      await service.exports.close();
      await audit.close();
    },
  };
}
