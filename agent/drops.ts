// Counted reasons why GPS reports did not become fixes: each reason is logged once when it first happens, then only as counts in the periodic status and the totals.

export class DropCounter {
  private readonly counts = new Map<string, number>();
  private changed = false;

  constructor(
    private readonly what: string,
    private readonly log: (m: string) => void,
  ) {}

  /** Counts one drop; the first of each reason is logged with an example. */
  add(reason: string, example?: string): void {
    const n = (this.counts.get(reason) ?? 0) + 1;
    this.counts.set(reason, n);
    this.changed = true;
    if (n === 1) this.log(`${this.what}: dropping reports: ${reason}${example ? ` (e.g. ${example.slice(0, 160)})` : ''}; counted, see the gps status lines`);
  }

  get total(): number {
    let t = 0;
    for (const n of this.counts.values()) t += n;
    return t;
  }

  /** 'no time in fix ×12, mode < 2 (no fix) ×3' or 'none'. */
  summary(): string {
    if (this.counts.size === 0) return 'none';
    return [...this.counts.entries()].map(([r, n]) => `${r} ×${n}`).join(', ');
  }

  entries(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  /** True once after each change (for periodic status lines that say something only when there is news). */
  takeChanged(): boolean {
    const c = this.changed;
    this.changed = false;
    return c;
  }
}
