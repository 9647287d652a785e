// The audit chain's hashes and checkpoint payload (docs/design/audit.md): what the server writes and verify-audit recomputes.
import crypto from 'node:crypto';
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

/**
 * The canonical JSON (RFC 8785 style, common/canonical-json.ts) of a row's hashed fields, written out directly: the
 * keys are fixed, so their sorted order is too (verify-audit hashes 100,000+ rows/s this way). Equal to
 * canonicalJson({format: 'argus-audit/1', id, tsMs, userId, username, action, targetType, targetId, detail, ip,
 * prevHash}) — storage/audit-chain.test.ts checks it.
 */
export function auditEntryCanonical(f: ChainedFields): string {
  const j = JSON.stringify;
  const num = (n: number | null) => (n === null ? 'null' : Number.isSafeInteger(n) ? String(n) : canonicalJson(n));
  return (
    `{"action":${j(f.action)},"detail":${f.detailJson === null ? 'null' : j(f.detailJson)},"format":"argus-audit/1","id":${num(f.id)},` +
    `"ip":${f.ip === null ? 'null' : j(f.ip)},"prevHash":${j(f.prevHash)},"targetId":${f.targetId === null ? 'null' : j(f.targetId)},` +
    `"targetType":${f.targetType === null ? 'null' : j(f.targetType)},"tsMs":${num(f.tsMs)},"userId":${num(f.userId)},` +
    `"username":${f.username === null ? 'null' : j(f.username)}}`
  );
}

/** SHA-256 hex over the canonical JSON of the row's fields and prev_hash (invariant 2 of docs/design/audit.md). */
export function auditEntryHash(f: ChainedFields): string {
  return crypto.hash('sha256', auditEntryCanonical(f), 'hex'); // one-shot: half the cost of createHash per row
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
