// The audit chain's hashes and checkpoint payload (docs/design/audit.md): what the server writes and verify-audit recomputes.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../common/canonical-json';

/** prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** The stored fields of one audit_log row that its hash covers (detail as the stored JSON text, not re-parsed). */
export interface ChainedFields {
  id: number;
  tsMs: number;
  userId: number | null;
  username: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** The detail column's text exactly as stored (JSON), or null. */
  detailJson: string | null;
  ip: string | null;
  prevHash: string;
}

/** SHA-256 hex over the canonical JSON of the row's fields and prev_hash (invariant 2 of docs/design/audit.md). */
export function auditEntryHash(f: ChainedFields): string {
  const body = canonicalJson({
    format: 'argus-audit/1',
    id: f.id,
    tsMs: f.tsMs,
    userId: f.userId,
    username: f.username,
    action: f.action,
    targetType: f.targetType,
    targetId: f.targetId,
    detail: f.detailJson,
    ip: f.ip,
    prevHash: f.prevHash,
  });
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

export type CheckpointReason = 'rows' | 'time' | 'start' | 'shutdown';

/** A signed checkpoint as stored in audit_checkpoints. */
export interface AuditCheckpoint {
  id: number;
  lastId: number;
  hash: string;
  tsMs: number;
  reason: CheckpointReason;
  keyFingerprint: string;
  /** Ed25519 signature of checkpointPayload(...), base64. */
  signature: string;
}

/** The bytes a checkpoint's signature covers (invariant 4). */
export function checkpointPayload(c: Pick<AuditCheckpoint, 'lastId' | 'hash' | 'tsMs' | 'reason'>): string {
  return canonicalJson({ format: 'argus-audit-checkpoint/1', lastId: c.lastId, hash: c.hash, tsMs: c.tsMs, reason: c.reason });
}

/** One audit_log row as the chain sees it (hash columns may be NULL: a row written around the chain). */
export interface ChainRow extends Omit<ChainedFields, 'prevHash'> {
  prevHash: string | null;
  hash: string | null;
}
