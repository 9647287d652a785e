// The console's alarm state: open alarms kept current from the event stream, replay after reconnect, and the linkage to execute.
import { severityRank, type Alarm, type AlarmFeedEvent, type AlarmLinkage } from '../../common/alarms';
import type { Role } from '../../common/api';
import type { ServerEvent } from '../../common/events';
import { Store } from '../state/store';
import type { AlarmApi } from './alarm-api';

/** A camera a rule wants on a wall (window 0: the Live tab; N: the wall window on display N). */
export interface WallRequest {
  key: string;
  alarmId: number;
  cameraId: number;
  window: number;
  tile: number | null;
}

/** An alert for this operator (sound and/or desktop notification). */
export interface AlarmAlert {
  seq: number;
  alarm: Alarm;
  sound: boolean;
  desktop: boolean;
  escalated: boolean;
}

/** Linkage of events older than this (replayed after a long absence) is not executed again: the alarm is only listed. */
export const LINKAGE_MAX_AGE_MS = 120_000;
const MAX_WALL_QUEUE = 32;

/** Live list order: most severe first, then newest. */
export function compareAlarms(a: Alarm, b: Alarm): number {
  return severityRank(a.severity) - severityRank(b.severity) || b.lastMs - a.lastMs || b.id - a.id;
}

/** Is this operator meant to be alerted? Nobody named: everyone who sees the alarm. */
export function alertsMe(l: AlarmLinkage, me: { id: number; role: Role }): boolean {
  if (l.notifyRoles.length === 0 && l.notifyUserIds.length === 0) return true;
  return l.notifyRoles.includes(me.role) || l.notifyUserIds.includes(me.id);
}

export interface ConsoleAlarmsOptions {
  api: Pick<AlarmApi, 'list' | 'feed'>;
  subscribe: (fn: (ev: ServerEvent) => void) => () => void;
  me: { id: number; role: Role };
  now?: () => number;
  log?: (m: string) => void;
}

export class ConsoleAlarms {
  /** Alarms by id: every one not closed. */
  readonly alarms = new Store<ReadonlyMap<number, Alarm>>(new Map());
  readonly wallQueue = new Store<readonly WallRequest[]>([]);
  readonly alert = new Store<AlarmAlert | null>(null);
  /** Error of the last load or replay, null when in sync. */
  readonly error = new Store<unknown>(null);
  /** The last delivery sequence number applied. */
  readonly seq = new Store<number>(0);
  private loaded = false;
  private syncing: Promise<void> | null = null;
  private again = false;
  private unsub: (() => void) | null = null;
  private readonly now: () => number;

  constructor(private readonly o: ConsoleAlarmsOptions) {
    this.now = o.now ?? Date.now;
  }

  start(): void {
    if (this.unsub) return;
    this.unsub = this.o.subscribe((ev) => {
      if (ev.type === 'hello') void this.sync();
      else if (ev.type === 'alarm.event') this.onLive(ev);
    });
    void this.sync();
  }

  close(): void {
    this.unsub?.();
    this.unsub = null;
  }

  /** Loads the open alarms once, then replays every event after the last one applied (also after each reconnect). */
  sync(): Promise<void> {
    if (this.syncing) {
      this.again = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      do {
        this.again = false;
        try {
          if (!this.loaded) {
            const list = await this.o.api.list({ state: 'open', limit: 2000 });
            const map = new Map(this.alarms.get());
            for (const a of list.alarms) map.set(a.id, a);
            this.alarms.set(map);
            if (list.seq > this.seq.get()) this.seq.set(list.seq);
            this.loaded = true;
          }
          for (;;) {
            const page = await this.o.api.feed(this.seq.get(), 1000);
            for (const ev of page.events) this.apply(ev);
            if (!page.more) break;
          }
          this.error.set(null);
        } catch (err) {
          this.error.set(err);
          this.o.log?.(`[alarms] sync failed: ${(err as Error).message}`);
        }
      } while (this.again);
    })().finally(() => (this.syncing = null));
    return this.syncing;
  }

  private onLive(ev: AlarmFeedEvent): void {
    if (!this.loaded || this.syncing) {
      // The load or replay in progress brings it (in order).
      void this.sync();
      return;
    }
    if (ev.seq > this.seq.get() + 1) {
      void this.sync(); // a gap: fetch what came in between, in order
      return;
    }
    this.apply(ev);
  }

  /** Applies one feed event exactly once (by sequence number), then executes its linkage if it is fresh. */
  apply(ev: AlarmFeedEvent): void {
    if (ev.seq <= this.seq.get()) return;
    this.seq.set(ev.seq);
    const map = new Map(this.alarms.get());
    // Closed alarms leave the console's working set (the history search finds them).
    if (ev.alarm.state === 'closed') map.delete(ev.alarm.id);
    else map.set(ev.alarm.id, ev.alarm);
    this.alarms.set(map);
    const l = ev.linkage;
    if (!l || this.now() - ev.atMs > LINKAGE_MAX_AGE_MS) return;
    if (ev.kind === 'raised' && l.wall.length > 0) {
      const reqs = l.wall.map((w, i) => ({ key: `${ev.seq}:${i}`, alarmId: ev.alarm.id, cameraId: w.cameraId, window: w.window, tile: w.tile }));
      this.wallQueue.set([...this.wallQueue.get(), ...reqs].slice(-MAX_WALL_QUEUE));
    }
    if ((ev.kind === 'raised' || ev.kind === 'escalated') && (l.sound || l.desktop) && alertsMe(l, this.o.me))
      this.alert.set({ seq: ev.seq, alarm: ev.alarm, sound: l.sound, desktop: l.desktop, escalated: ev.kind === 'escalated' });
  }

  /** Removes wall requests once a wall has placed them. */
  consumeWall(keys: readonly string[]): void {
    if (keys.length === 0) return;
    this.wallQueue.set(this.wallQueue.get().filter((r) => !keys.includes(r.key)));
  }

  /** Open alarms in live-list order. */
  open(): Alarm[] {
    return [...this.alarms.get().values()].filter((a) => a.state !== 'closed').sort(compareAlarms);
  }
}
