// The audit chain's checkpointer: signs the chain head every N entries or M ms, at start (crash recovery) and at shutdown.
import type { Log } from '../../common/log';
import { checkpointPayload, type AuditCheckpoint, type CheckpointReason } from '../../storage/audit-chain';
import type { Store } from '../../storage/repositories';
import type { SiteKey } from '../platform/site-key';
import { verifyAuditChain, describeProblem, type AuditChainReport } from './audit-verify';

/** Defaults: a checkpoint after 100 entries or 60 s with new entries, whichever comes first. */
export const CHECKPOINT_EVERY_ROWS = 100;
export const CHECKPOINT_EVERY_MS = 60_000;

export interface AuditChainOptions {
  store: Pick<Store, 'audit'>;
  key: SiteKey;
  log: Log;
  now?: () => number;
  everyRows?: number;
  everyMs?: number;
}

export class AuditChain {
  private sinceCheckpoint = 0;
  private timer: NodeJS.Timeout | null = null;
  private off: (() => void) | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly o: AuditChainOptions) {
    this.now = o.now ?? Date.now;
  }

  /** The public half of the site key (what verify-audit and verify-export check against). */
  get publicKey(): { pem: string; fingerprint: string } {
    return { pem: this.o.key.publicKeyPem, fingerprint: this.o.key.fingerprint };
  }

  /**
   * Checks the entries written after the last checkpoint (a crash leaves some unsigned) and signs them; a broken
   * tail is logged and left unsigned, so a checkpoint never vouches for a tampered entry. Then counts and ticks.
   */
  async start(): Promise<void> {
    const { audit } = this.o.store;
    const last = await audit.lastCheckpoint();
    const head = await audit.chainHead();
    const tail = await verifyAuditChain(
      { rows: (a, l) => audit.chainRows(a, l), checkpoints: () => audit.checkpoints() },
      this.o.key.publicKeyPem,
      last ? { id: last.lastId, hash: last.hash } : undefined,
    );
    if (last && head.id < last.lastId) {
      this.o.log.error('audit chain: entries covered by the last signed checkpoint are missing; not signing', {
        headId: head.id,
        checkpointLastId: last.lastId,
      });
    } else if (tail.problem) {
      this.o.log.error(`audit chain broken after the last checkpoint: ${describeProblem(tail.problem)}; not signing`, { problem: tail.problem });
    } else {
      await this.checkpoint('start');
    }
    const everyRows = this.o.everyRows ?? CHECKPOINT_EVERY_ROWS;
    this.off = audit.onAppended(() => {
      if (++this.sinceCheckpoint >= everyRows) void this.checkpoint('rows');
    });
    this.timer = setInterval(() => {
      if (this.sinceCheckpoint > 0) void this.checkpoint('time');
    }, this.o.everyMs ?? CHECKPOINT_EVERY_MS);
    this.timer.unref();
  }

  /** Signs the stored head now (null when the last checkpoint already covers it). Never throws: failures are logged. */
  checkpoint(reason: CheckpointReason): Promise<AuditCheckpoint | null> {
    this.sinceCheckpoint = 0;
    const p = this.running.then(async () => {
      try {
        return await this.o.store.audit.addCheckpoint(reason, this.now(), (c) => ({
          signature: this.o.key.sign(checkpointPayload(c)),
          keyFingerprint: this.o.key.fingerprint,
        }));
      } catch (err) {
        this.o.log.error(`audit checkpoint failed: ${(err as Error).message}`, { err, reason });
        return null;
      }
    });
    this.running = p;
    return p;
  }

  /** Verifies the whole chain and every checkpoint against the site key. */
  verify(): Promise<AuditChainReport> {
    const { audit } = this.o.store;
    return verifyAuditChain({ rows: (a, l) => audit.chainRows(a, l), checkpoints: () => audit.checkpoints() }, this.o.key.publicKeyPem);
  }

  /** Stops counting and signs the head (the clean shutdown's checkpoint). */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.off?.();
    this.off = null;
    await this.checkpoint('shutdown');
  }
}
