// Verification of the audit chain and its signed checkpoints (docs/design/audit.md): used by verify-audit and GET /audit/chain.
import type { AuditChainProblem } from '../../common/audit-chain';
import { auditEntryHash, checkpointPayload, GENESIS_HASH, type AuditCheckpoint, type ChainRow } from '../../storage/audit-chain';
import { assertNever } from '../../common/events';
import { publicKeyFingerprint, verifySignature } from '../platform/site-key';

/** Where the verifier reads rows (the repository, or the file opened read-only by scripts/verify-audit.ts). */
export interface ChainSource {
  /** Stored rows with id > afterId, id order, at most `limit`. */
  rows(afterId: number, limit: number): Promise<ChainRow[]>;
  checkpoints(): Promise<AuditCheckpoint[]>;
}

/** What is wrong at the first bad place: the entry (by id) and how (the API's view of it, common/audit-chain.ts). */
export type ChainProblem = AuditChainProblem;

export interface CheckpointState {
  id: number;
  lastId: number;
  tsMs: number;
  reason: AuditCheckpoint['reason'];
  /** The signature verifies with the key checked against and was made by a key with that fingerprint. */
  signatureOk: boolean;
}

export interface AuditChainReport {
  ok: boolean;
  /** Rows read. */
  rows: number;
  /** Id of the last stored entry (0: none). */
  lastId: number;
  /** Every entry up to this id is intact (the last id when ok). */
  verifiedUpToId: number;
  problem: ChainProblem | null;
  /** Checkpoints whose signature fails (a forged or foreign checkpoint). */
  badSignatures: number[];
  checkpoints: number;
  /** The newest checkpoint with a good signature, or null. */
  lastCheckpoint: CheckpointState | null;
  /** Entries after the newest good checkpoint: protected by the hash chain alone (a cut tail there is not detectable). */
  afterLastCheckpoint: number;
  /** Fingerprint of the key the signatures were checked against. */
  keyFingerprint: string;
  durationMs: number;
}

const BATCH = 5000;

/** Checks every entry's hash and link and every checkpoint's signature and hash; names the first bad entry. */
export async function verifyAuditChain(
  src: ChainSource,
  publicKeyPem: string,
  /** Verify only the entries after this one (a signed checkpoint's entry and hash): the start's crash check. */
  from?: { id: number; hash: string },
): Promise<AuditChainReport> {
  const t0 = performance.now();
  const keyFingerprint = publicKeyFingerprint(publicKeyPem);
  const cps = await src.checkpoints();
  const states: CheckpointState[] = cps.map((c) => ({
    id: c.id,
    lastId: c.lastId,
    tsMs: c.tsMs,
    reason: c.reason,
    signatureOk: c.keyFingerprint === keyFingerprint && verifySignature(publicKeyPem, checkpointPayload(c), c.signature),
  }));
  const badSignatures = states.filter((s) => !s.signatureOk).map((s) => s.id);
  // Good checkpoints by the entry they cover (the newest one per entry is enough: all must agree).
  const byLastId = new Map<number, AuditCheckpoint[]>();
  cps.forEach((c, i) => {
    if (!states[i]!.signatureOk) return;
    const list = byLastId.get(c.lastId) ?? [];
    list.push(c);
    byLastId.set(c.lastId, list);
  });

  let problem: ChainProblem | null = null;
  let prev: Pick<ChainRow, 'id' | 'hash'> | null = from ?? null;
  let pending: ChainRow | null = null;
  let rows = 0;
  let lastId = from?.id ?? 0;
  let verifiedUpToId = from?.id ?? 0;

  /** Judges `row` (its predecessor `prev`, its successor `next` or null at the end); null when intact. */
  const judge = (row: ChainRow, before: Pick<ChainRow, 'id' | 'hash'> | null, next: ChainRow | null): ChainProblem | null => {
    if (row.hash === null || row.prevHash === null) return { kind: 'inserted', id: row.id };
    const expectedPrev = before ? before.hash : GENESIS_HASH;
    const selfOk = auditEntryHash(row as ChainRow & { prevHash: string }) === row.hash;
    const linkOk = row.prevHash === expectedPrev;
    if (!selfOk) {
      if (linkOk && (next === null || next.prevHash === row.hash)) return { kind: 'changed', id: row.id };
      return { kind: 'inserted', id: row.id };
    }
    if (!linkOk) {
      const fromId = before ? before.id + 1 : 1;
      if (row.id > fromId) return { kind: 'removed', fromId, toId: row.id - 1 };
      if (before) return { kind: 'rehashed', id: before.id, nextId: row.id };
      return { kind: 'changed', id: row.id };
    }
    for (const c of byLastId.get(row.id) ?? []) if (c.hash !== row.hash) return { kind: 'rewritten', id: row.id, checkpointId: c.id };
    return null;
  };

  // The next batch is read (SQLite, on a worker thread) while this one is hashed.
  let next = src.rows(from?.id ?? 0, BATCH);
  for (;;) {
    const batch = await next;
    if (batch.length === BATCH) next = src.rows(batch[batch.length - 1]!.id, BATCH);
    for (const row of batch) {
      rows++;
      lastId = row.id;
      if (pending && !problem) {
        problem = judge(pending, prev, row);
        if (!problem) verifiedUpToId = pending.id;
      }
      if (pending) prev = pending;
      pending = row;
    }
    if (batch.length < BATCH) break;
  }
  if (pending && !problem) {
    problem = judge(pending, prev, null);
    if (!problem) verifiedUpToId = pending.id;
  }
  // A good checkpoint beyond the last entry: the tail it covered is gone.
  const good = cps.filter((_, i) => states[i]!.signatureOk);
  const beyond = good.filter((c) => c.lastId > lastId).sort((a, b) => b.lastId - a.lastId)[0];
  if (!problem && beyond) problem = { kind: 'truncated', fromId: lastId + 1, toId: beyond.lastId, checkpointId: beyond.id };

  const goodStates = states.filter((s) => s.signatureOk);
  const lastCheckpoint = goodStates.length ? goodStates.reduce((a, b) => (b.lastId > a.lastId || (b.lastId === a.lastId && b.id > a.id) ? b : a)) : null;
  return {
    ok: problem === null && badSignatures.length === 0,
    rows,
    lastId,
    verifiedUpToId,
    problem,
    badSignatures,
    checkpoints: cps.length,
    lastCheckpoint,
    afterLastCheckpoint: lastCheckpoint ? Math.max(0, lastId - lastCheckpoint.lastId) : rows,
    keyFingerprint,
    durationMs: performance.now() - t0,
  };
}

/** The problem in English (the CLI's wording; the console words it from its catalog). */
export function describeProblem(p: ChainProblem): string {
  switch (p.kind) {
    case 'changed':
      return `entry #${p.id} was changed: its fields no longer match its hash`;
    case 'rehashed':
      return `entry #${p.id} was changed and re-hashed: entry #${p.nextId} no longer links to it`;
    case 'removed':
      return p.fromId === p.toId ? `entry #${p.fromId} was removed` : `entries #${p.fromId} to #${p.toId} were removed`;
    case 'inserted':
      return `entry #${p.id} was inserted: it is not part of the chain`;
    case 'rewritten':
      return `entries up to #${p.id} were rewritten: its hash differs from signed checkpoint #${p.checkpointId}`;
    case 'truncated':
      return `entries #${p.fromId} to #${p.toId} were removed from the end (signed checkpoint #${p.checkpointId} covers #${p.toId})`;
    default:
      return assertNever(p);
  }
}
