// Routes /health (public), /segments (any role) and /audit (admin).
import * as E from '../../../common/endpoints';
import { DEFAULT_SEGMENT_LIMIT } from '../../../common/endpoints/system';
import { msg } from '../../../common/messages';
import fs from 'node:fs/promises';
import type { HealthInfo } from '../../../common/api';
import { ApiError } from '../errors';
import { bind, type Route } from '../router';
import { VERSION } from '../version';
import { toSegment } from '../views';
import type { DepsRef } from './deps';

export { DEFAULT_SEGMENT_LIMIT };

async function freeBytes(dir: string): Promise<number | null> {
  try {
    const st = await fs.statfs(dir);
    return st.bavail * st.bsize;
  } catch {
    return null;
  }
}

function checkRange(startMs: number | undefined, endMs: number | undefined): void {
  if (startMs !== undefined && endMs !== undefined && endMs <= startMs)
    throw ApiError.field('endMs', msg('range.end_after_start'), 'invalid query: endMs must be greater than startMs');
}

export function miscRoutes(deps: DepsRef): Route[] {
  return [
    bind(E.getHealth, async ({ principal }): Promise<HealthInfo> => {
      const d = deps();
      const info: HealthInfo = { ok: true, version: VERSION, uptimeMs: Math.max(0, d.now() - d.startedMs) };
      if (principal) {
        info.recordingsDir = d.config.recordingsDir;
        info.freeBytes = await freeBytes(d.config.recordingsDir);
      }
      return info;
    }),
    bind(E.getSegments, async ({ query }) => {
      checkRange(query.startMs, query.endMs);
      const rows = await deps().store.segments.listRange(query.cameraId, query.startMs, query.endMs, query.limit ?? DEFAULT_SEGMENT_LIMIT);
      return rows.map(toSegment);
    }),
    bind(E.getAudit, async ({ query }) => {
      checkRange(query.startMs, query.endMs);
      return deps().store.audit.query(query);
    }),
  ];
}
