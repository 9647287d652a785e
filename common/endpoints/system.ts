// Declarations of the system endpoints (served by main/server/routes/misc.ts).
import { AuditQuery, SegmentQuery } from '../api';
import type { AuditEntry } from '../api';
import type { AuditChainState, AuditCheckpointView, SitePublicKey } from '../audit-chain';
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

export const getAuditChain = endpoint({
  method: 'GET',
  path: '/api/v1/audit/chain',
  auth: 'audit.view',
  tag: 'system',
  summary: 'The audit chain verified now: intact up to which entry, the first changed/removed/inserted one, the last signed checkpoint',
  description: 'Reads every entry (about 100,000 per second) and checks every checkpoint signature against the site key (docs/design/audit.md).',
  response: { description: 'the chain state', schema: typed<AuditChainState>({ type: 'object', description: 'AuditChainState' }) },
});

export const AuditCheckpointQuery = s.object({
  startMs: s.optional(s.timeMs()),
  endMs: s.optional(s.timeMs()),
});

export const getAuditCheckpoints = endpoint({
  method: 'GET',
  path: '/api/v1/audit/checkpoints',
  auth: 'audit.view',
  tag: 'system',
  summary: 'The signed checkpoints of the audit chain made in [startMs, endMs), and the first one after endMs (it covers the last entries)',
  query: AuditCheckpointQuery,
  response: {
    description: 'checkpoints, oldest first',
    schema: typed<AuditCheckpointView[]>({ type: 'array', items: { type: 'object' }, description: 'AuditCheckpointView' }),
  },
});

export const getSitePublicKey = endpoint({
  method: 'GET',
  path: '/api/v1/site-key',
  auth: 'any',
  tag: 'system',
  summary: "The site's Ed25519 public key (PEM and fingerprint) that signs audit checkpoints and evidence manifests",
  description: 'Any signed-in user: investigators hand it to whoever verifies a package (npm run verify-export -- --public-key FILE).',
  response: { description: 'the public key', schema: typed<SitePublicKey>({ type: 'object', description: 'SitePublicKey' }) },
});

export const getOpenapiJson = endpoint({
  method: 'GET',
  path: '/api/v1/openapi.json',
  auth: 'public',
  tag: 'system',
  summary: 'This API description (OpenAPI 3.0)',
  response: { description: 'the OpenAPI document', schema: { type: 'object' } },
});
