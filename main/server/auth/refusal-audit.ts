// Sign-in attempts refused before any hash, audited as one 'auth.login_throttled' row per address per minute (a flood is not an audit bottleneck).
import type { AuditLog } from '../../services/audit-log';
import type { Refusal } from './throttle';

interface Tally {
  firstMs: number;
  count: number;
  reasons: Record<Refusal['reason'], number>;
  /** The first few user names tried (a flood of random names is not copied whole into the audit). */
  usernames: string[];
}

const MAX_NAMES = 5;

export class RefusalAudit {
  private tallies = new Map<string, Tally>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly audit: AuditLog,
    private readonly now: () => number,
    private readonly periodMs = 60_000,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /** Counts a refused attempt; the row is written when the address's minute is over (or on flush). */
  note(address: string, username: string, refusal: Refusal): void {
    let t = this.tallies.get(address);
    if (!t) {
      t = { firstMs: this.now(), count: 0, reasons: { address: 0, busy: 0, account: 0 }, usernames: [] };
      this.tallies.set(address, t);
    }
    t.count++;
    t.reasons[refusal.reason]++;
    if (t.usernames.length < MAX_NAMES && !t.usernames.includes(username)) t.usernames.push(username);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.periodMs).unref();
  }

  /** Writes one row per address with what was counted since the last flush. */
  flush(): Promise<void> {
    const tallies = this.tallies;
    this.tallies = new Map();
    this.flushing = this.flushing.then(async () => {
      for (const [address, t] of tallies) {
        await this.audit
          .record({
            actor: { userId: null, username: t.usernames.length === 1 ? t.usernames[0] : null },
            action: 'auth.login_throttled',
            targetType: 'user',
            detail: { count: t.count, sinceMs: t.firstMs, reasons: t.reasons, usernames: t.usernames },
            ip: address,
          })
          .catch(this.onError);
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }
}
