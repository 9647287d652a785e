// Pending MANSCDP queries: fresh SNs, Response MESSAGEs matched by device and SN, several collected until SumNum items arrived or the device went quiet.
import { fieldOf, textOf } from './manscdp';
import type { Manscdp } from './signalling';

interface Pending {
  deviceId: string;
  cmdType: string;
  multi: boolean;
  got: Manscdp[];
  items: number;
  timer: NodeJS.Timeout;
  timeoutMs: number;
  resolve: (got: Manscdp[]) => void;
}

/** The number of list items a Response carries (DeviceList, RecordList, ... : every field whose value has Item children). */
export function itemCount(m: Manscdp): number {
  let n = 0;
  for (const v of Object.values(m.fields)) {
    const items = fieldOf(v, 'Item');
    if (Array.isArray(items)) n += items.length;
  }
  return n;
}

export class QueryBook {
  private readonly pending = new Map<number, Pending>();
  private sn = Math.floor(Math.random() * 100_000) + 1;

  nextSn(): number {
    this.sn = this.sn >= 999_999_999 ? 1 : this.sn + 1;
    return this.sn;
  }

  /** Registers a query; `done` resolves with the Responses collected (empty when none came within timeoutMs). */
  open(deviceId: string, cmdType: string, multi: boolean, timeoutMs: number): { sn: number; done: Promise<Manscdp[]> } {
    const sn = this.nextSn();
    const done = new Promise<Manscdp[]>((resolve) => {
      const p: Pending = {
        deviceId,
        cmdType: cmdType.toLowerCase(),
        multi,
        got: [],
        items: 0,
        timeoutMs,
        resolve,
        timer: setTimeout(() => this.finish(sn), timeoutMs),
      };
      p.timer.unref();
      this.pending.set(sn, p);
    });
    return { sn, done };
  }

  drop(sn: number): void {
    this.finish(sn);
  }

  /** Takes a Response from `fromId` if a query waits for it; true when it was one. */
  deliver(fromId: string, m: Manscdp): boolean {
    const p = this.pending.get(m.sn);
    if (!p || p.deviceId !== fromId || p.cmdType !== m.cmdType.toLowerCase()) return false;
    p.got.push(m);
    if (!p.multi) {
      this.finish(m.sn);
      return true;
    }
    p.items += itemCount(m);
    const sumText = textOf(fieldOf(m.fields, 'SumNum')).trim();
    const sum = /^\d+$/.test(sumText) ? Number(sumText) : null;
    if (sum === null || p.items >= sum) {
      this.finish(m.sn);
    } else {
      clearTimeout(p.timer);
      p.timer = setTimeout(() => this.finish(m.sn), p.timeoutMs);
      p.timer.unref();
    }
    return true;
  }

  private finish(sn: number): void {
    const p = this.pending.get(sn);
    if (!p) return;
    this.pending.delete(sn);
    clearTimeout(p.timer);
    p.resolve(p.got);
  }

  cancelAll(): void {
    for (const sn of [...this.pending.keys()]) this.finish(sn);
  }
}
