// Routes /health (public), /segments (any role) and /audit (admin).
import { msg } from '../../../common/messages';
import fs from 'node:fs/promises';
import { API_PREFIX, AuditQuery, SegmentQuery, type HealthInfo } from '../../../common/api';
import { s } from '../../../common/schema';
import { ApiError } from '../errors';
import { route, type Route } from '../router';
import { VERSION } from '../version';
import { AuditEntrySchema, HealthInfoSchema, SegmentSchema, toSegment } from '../views';
import type { DepsRef } from './deps';

export const DEFAULT_SEGMENT_LIMIT = 1000;

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
    route({
      method: 'GET',
      path: `${API_PREFIX}/health`,
      auth: 'public',
      tag: 'system',
      summary: 'Liveness check; details (recordings directory, free space) only with a valid token',
      response: { description: 'the server is up', schema: HealthInfoSchema },
      handler: async ({ principal }): Promise<HealthInfo> => {
        const d = deps();
        const info: HealthInfo = { ok: true, version: VERSION, uptimeMs: Math.max(0, d.now() - d.startedMs) };
        if (principal) {
          info.recordingsDir = d.config.recordingsDir;
          info.freeBytes = await freeBytes(d.config.recordingsDir);
        }
        return info;
      },
    }),
    route({
      method: 'GET',
      path: `${API_PREFIX}/segments`,
      auth: 'any',
      tag: 'recordings',
      summary: 'Recorded segments of one camera overlapping [startMs, endMs), oldest first',
      description: `endMs must be greater than startMs. limit defaults to ${DEFAULT_SEGMENT_LIMIT}.`,
      query: SegmentQuery,
      response: { description: 'segments', schema: s.array(SegmentSchema) },
      handler: async ({ query }) => {
        checkRange(query.startMs, query.endMs);
        const rows = await deps().store.segments.listRange(query.cameraId, query.startMs, query.endMs, query.limit ?? DEFAULT_SEGMENT_LIMIT);
        return rows.map(toSegment);
      },
    }),
    route({
      method: 'GET',
      path: `${API_PREFIX}/audit`,
      auth: 'audit.view',
      tag: 'system',
      summary: 'The audit trail (logins, failed logins, configuration changes), newest first',
      query: AuditQuery,
      response: { description: 'audit entries', schema: s.array(AuditEntrySchema) },
      handler: async ({ query }) => {
        checkRange(query.startMs, query.endMs);
        return deps().store.audit.query(query);
      },
    }),
  ];
}
