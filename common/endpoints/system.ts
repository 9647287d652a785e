// Declarations of the system endpoints (served by main/server/routes/misc.ts).
import { AuditQuery, SegmentQuery } from '../api';
import type { AuditEntry } from '../api';
import { endpoint, typed } from '../endpoint';
import { s } from '../schema';
import { AuditEntrySchema, HealthInfoSchema, SegmentSchema } from './schemas';

export const DEFAULT_SEGMENT_LIMIT = 1000;

export const getHealth = endpoint({
  method: 'GET',
  path: '/api/v1/health',
  auth: 'public',
  tag: 'system',
  summary: 'Liveness check; details (recordings directory, free space) only with a valid token',
  response: { description: 'the server is up', schema: HealthInfoSchema },
});

export const getSegments = endpoint({
  method: 'GET',
  path: '/api/v1/segments',
  auth: 'any',
  tag: 'recordings',
  summary: 'Recorded segments of one camera overlapping [startMs, endMs), oldest first',
  description: `endMs must be greater than startMs. limit defaults to ${DEFAULT_SEGMENT_LIMIT}.`,
  query: SegmentQuery,
  response: { description: 'segments', schema: s.array(SegmentSchema) },
});

export const getAudit = endpoint({
  method: 'GET',
  path: '/api/v1/audit',
  auth: 'audit.view',
  tag: 'system',
  summary: 'The audit trail (logins, failed logins, configuration changes), newest first',
  query: AuditQuery,
  response: { description: 'audit entries', schema: typed<AuditEntry[]>(s.array(AuditEntrySchema).json) },
});

export const getOpenapiJson = endpoint({
  method: 'GET',
  path: '/api/v1/openapi.json',
  auth: 'public',
  tag: 'system',
  summary: 'This API description (OpenAPI 3.0)',
  response: { description: 'the OpenAPI document', schema: { type: 'object' } },
});
