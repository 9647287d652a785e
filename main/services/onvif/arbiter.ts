// PTZ control priority: one holder per camera; a higher priority takes over at once; control ends after an idle period.
import type { PtzHolder } from '../../../common/onvif';
import type { Role } from '../../../common/api';

export interface Contender {
  userId: number | null;
  username: string;
  role: Role | 'system';
  priority: number;
}

export type AcquireResult =
  { ok: true; change: 'none' | 'taken' | 'takeover'; previous: PtzHolder | null; holder: PtzHolder } | { ok: false; holder: PtzHolder };

export type ReleaseReason = 'released' | 'idle';

/**
 * Pure bookkeeping (no I/O): who holds each camera. The owner calls sweep() periodically (and on each command) to
 * end idle control; `onRelease` is told about every ending so tours can resume.
 */
export class PtzArbiter {
  private readonly holders = new Map<number, PtzHolder>();

  constructor(
    private readonly idleMs: number,
    private readonly now: () => number,
    private readonly onRelease: (cameraId: number, previous: PtzHolder, reason: ReleaseReason) => void,
  ) {}

  holder(cameraId: number): PtzHolder | null {
    this.sweepOne(cameraId);
    return this.holders.get(cameraId) ?? null;
  }

  /** Same holder: refreshes. Free camera: taken. Lower priority holder: taken over. Equal or higher: refused. */
  acquire(cameraId: number, who: Contender): AcquireResult {
    this.sweepOne(cameraId);
    const now = this.now();
    const cur = this.holders.get(cameraId) ?? null;
    const same = cur && (who.userId !== null ? cur.userId === who.userId : cur.userId === null && cur.username === who.username);
    if (cur && same) {
      const next = { ...cur, priority: who.priority, expiresMs: now + this.idleMs };
      this.holders.set(cameraId, next);
      return { ok: true, change: 'none', previous: cur, holder: next };
    }
    if (cur && who.priority <= cur.priority) return { ok: false, holder: cur };
    const holder: PtzHolder = {
      userId: who.userId,
      username: who.username,
      role: who.role,
      priority: who.priority,
      sinceMs: now,
      expiresMs: now + this.idleMs,
    };
    this.holders.set(cameraId, holder);
    return { ok: true, change: cur ? 'takeover' : 'taken', previous: cur, holder };
  }

  /** Ends control when `userId` holds it (or always with force). Returns the ended holder. */
  release(cameraId: number, userId: number | null, force = false): PtzHolder | null {
    const cur = this.holders.get(cameraId);
    if (!cur) return null;
    if (!force && cur.userId !== userId) return null;
    this.holders.delete(cameraId);
    this.onRelease(cameraId, cur, 'released');
    return cur;
  }

  /** Forgets a camera (deleted) without telling anyone. */
  drop(cameraId: number): void {
    this.holders.delete(cameraId);
  }

  sweep(): void {
    for (const id of [...this.holders.keys()]) this.sweepOne(id);
  }

  private sweepOne(cameraId: number): void {
    const cur = this.holders.get(cameraId);
    if (cur && cur.expiresMs <= this.now()) {
      this.holders.delete(cameraId);
      this.onRelease(cameraId, cur, 'idle');
    }
  }
}
