// API views of the audit chain (docs/design/audit.md): its verified state, the signed checkpoints, the site's public key.

/** What is wrong at the first bad place of the chain (main/services/audit-verify.ts words it for the CLI). */
export type AuditChainProblem =
  /** Fields of the entry no longer match its hash (edited in place). */
  | { kind: 'changed'; id: number }
  /** The entry was edited and re-hashed: the next entry (nextId) no longer links to it. */
  | { kind: 'rehashed'; id: number; nextId: number }
  /** Entries fromId..toId are missing (the next stored entry links to a hash nobody has). */
  | { kind: 'removed'; fromId: number; toId: number }
  /** The entry is not part of the chain (no hash, or the next entry links past it). */
  | { kind: 'inserted'; id: number }
  /** Entries up to id differ from what checkpoint `checkpointId` signed (rewritten with fresh hashes). */
  | { kind: 'rewritten'; id: number; checkpointId: number }
  /** The signed checkpoint covers entries up to lastId, but the log ends at id: the tail was cut off. */
  | { kind: 'truncated'; fromId: number; toId: number; checkpointId: number };

export type AuditCheckpointReason = 'rows' | 'time' | 'start' | 'shutdown';

/** One signed checkpoint: Ed25519 over the canonical JSON {format:'argus-audit-checkpoint/1', lastId, hash, tsMs, reason}. */
export interface AuditCheckpointView {
  id: number;
  lastId: number;
  hash: string;
  tsMs: number;
  reason: AuditCheckpointReason;
  keyFingerprint: string;
  signature: string;
}

/** GET /audit/chain: the chain verified now, against the site key. */
export interface AuditChainState {
  ok: boolean;
  /** Entries read. */
  rows: number;
  /** The last entry's id (0: none). */
  lastId: number;
  /** Every entry up to this id is intact. */
  verifiedUpToId: number;
  problem: AuditChainProblem | null;
  /** Ids of checkpoints whose signature fails. */
  badSignatures: number[];
  checkpoints: number;
  lastCheckpoint: { id: number; lastId: number; tsMs: number; reason: AuditCheckpointReason } | null;
  /** Entries after the last good checkpoint (protected by the chain alone). */
  afterLastCheckpoint: number;
  /** Fingerprint of the site key (SHA-256 hex of its SPKI DER). */
  keyFingerprint: string;
  verifiedMs: number;
  durationMs: number;
}

/** The site's public key: what verify-audit and verify-export check signatures against. */
export interface SitePublicKey {
  algorithm: 'Ed25519';
  /** PEM "PUBLIC KEY" (SPKI). */
  pem: string;
  /** SHA-256 hex of the SPKI DER: compare by eye or over the phone. */
  fingerprint: string;
}
