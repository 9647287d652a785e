// RTP reordering in a small jitter window: packets out in sequence order (16-bit wrap), duplicates dropped, gaps given up as lost.
import type { RtpPacket } from './packet';

export interface ReorderOptions {
  /** Packets held while waiting for a missing one before it is given up as lost. */
  windowPackets: number;
  /** Longest a packet waits for a missing predecessor (checked by flushDue()). */
  maxDelayMs: number;
  now: () => number;
}

export interface ReorderCounters {
  lost: number;
  duplicates: number;
  /** Arrived after its place was given up (or emitted already). */
  late: number;
  /** Sequence jumps taken as a new sender (device restart): the old sequence abandoned. */
  resyncs: number;
}

/** A jump further than this (either way) is a new sequence, not a reordering. */
const RESYNC_DISTANCE = 3000;

export class RtpReorder {
  readonly counters: ReorderCounters = { lost: 0, duplicates: 0, late: 0, resyncs: 0 };
  private expected: number | null = null;
  private readonly pending = new Map<number, { pkt: RtpPacket; atMs: number }>();
  /** Sequence numbers emitted in the last half of the sequence space (a packet behind is a duplicate if marked, else late). */
  private readonly emitted = new Uint8Array(0x10000);

  constructor(
    private readonly opts: ReorderOptions,
    private readonly emit: (pkt: RtpPacket) => void,
  ) {}

  /** Packets waiting for a missing predecessor. */
  get held(): number {
    return this.pending.size;
  }

  push(pkt: RtpPacket): void {
    if (this.expected === null) this.expected = pkt.seq;
    const ahead = (pkt.seq - this.expected) & 0xffff;
    if (ahead >= 0x8000) {
      const behind = 0x10000 - ahead;
      if (behind > RESYNC_DISTANCE) return this.resync(pkt);
      if (this.emitted[pkt.seq]) this.counters.duplicates++;
      else this.counters.late++;
      return;
    }
    if (ahead > RESYNC_DISTANCE) return this.resync(pkt);
    if (this.pending.has(pkt.seq)) {
      this.counters.duplicates++;
      return;
    }
    this.pending.set(pkt.seq, { pkt, atMs: this.opts.now() });
    this.drain();
    if (this.pending.size >= this.opts.windowPackets) this.skipGap();
  }

  /** Gives up a gap whose oldest waiting packet has waited maxDelayMs; call it from a timer while `held` > 0. */
  flushDue(): void {
    const now = this.opts.now();
    while (this.pending.size > 0) {
      let oldest = Infinity;
      for (const p of this.pending.values()) oldest = Math.min(oldest, p.atMs);
      if (now - oldest < this.opts.maxDelayMs) return;
      this.skipGap();
    }
  }

  /** Emits everything held, in order, counting the gaps as lost (the stream ends). */
  flushAll(): void {
    while (this.pending.size > 0) this.skipGap();
  }

  private drain(): void {
    while (this.expected !== null) {
      const next = this.pending.get(this.expected);
      if (!next) return;
      this.pending.delete(this.expected);
      this.emitted[this.expected] = 1;
      this.emitted[(this.expected + 0x8000) & 0xffff] = 0;
      this.expected = (this.expected + 1) & 0xffff;
      this.emit(next.pkt);
    }
  }

  /** Moves past the first gap: the nearest held packet becomes the expected one. */
  private skipGap(): void {
    if (this.expected === null || this.pending.size === 0) return;
    let nearest = 0x10000;
    for (const seq of this.pending.keys()) nearest = Math.min(nearest, (seq - this.expected) & 0xffff);
    this.counters.lost += nearest;
    for (let i = 0; i < nearest; i++) this.emitted[(this.expected + i) & 0xffff] = 0;
    this.expected = (this.expected + nearest) & 0xffff;
    this.drain();
  }

  private resync(pkt: RtpPacket): void {
    this.flushAll();
    this.counters.resyncs++;
    this.expected = pkt.seq;
    this.pending.set(pkt.seq, { pkt, atMs: this.opts.now() });
    this.drain();
  }
}
