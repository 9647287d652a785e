// The PTZ controller: one holder per camera (priorities, takeover, idle release), continuous moves that stop on their own, commands kept in order per camera.
import { ErrorKind } from '../../../common/errors';
import { msg } from '../../../common/messages';
import { SYSTEM_PTZ_PRIORITY, type PtzHolder, type PtzMoveRequest, type PtzPosition } from '../../../common/onvif';
import type { Actor } from '../contracts';
import type { OnvifContext } from './context';
import { PtzArbiter, type Contender } from './arbiter';
import type { OnvifAudit } from './audit';
import type { UserActor } from '../../platform/actor';
import { fail } from './errors';
import type { PtzPriorities } from './priorities';
import type { PtzTargets } from './ptz-targets';

interface MoveState {
  x: number;
  y: number;
  zoom: number;
  lastCmdMs: number;
  lastSentMs: number;
  timer: NodeJS.Timeout;
  actor: UserActor;
}

/** What control changes mean for a camera's tour: any command makes it yield; the end of control resumes it. */
export interface TourHooks {
  yieldTour(cameraId: number): void;
  resumeTour(cameraId: number): void;
}

type PtzContext = Pick<OnvifContext, 'config' | 'log' | 'now' | 'publish'>;

function sameDir(a: { x: number; y: number; zoom: number }, b: { x: number; y: number; zoom: number }): boolean {
  return Math.sign(a.x) === Math.sign(b.x) && Math.sign(a.y) === Math.sign(b.y) && Math.sign(a.zoom) === Math.sign(b.zoom);
}

/** Long-lived: start() begins sweeping idle control; close() stops every moving camera. */
export class PtzController {
  private readonly arbiter: PtzArbiter;
  private readonly moves = new Map<number, MoveState>();
  /** Per-camera chains so commands reach a device in the order they were given. */
  private readonly chains = new Map<number, Promise<unknown>>();
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: PtzContext,
    private readonly targets: PtzTargets,
    private readonly priorities: PtzPriorities,
    private readonly audit: OnvifAudit,
    private readonly tours: TourHooks,
  ) {
    this.arbiter = new PtzArbiter(ctx.config.ptzControlIdleMs, ctx.now, (cameraId, previous, reason) => this.onReleased(cameraId, previous, reason));
  }

  private get cfg() {
    return this.ctx.config;
  }

  start(): void {
    this.sweepTimer = setInterval(() => this.arbiter.sweep(), 500);
    this.sweepTimer.unref();
  }

  /** Leaves no camera spinning: stops every continuous move (before the clients go). */
  async close(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    await Promise.all([...this.moves.keys()].map((cameraId) => this.endMove(cameraId, false)));
    this.moves.clear();
  }

  /** Forgets a camera (deleted) without stopping anything. */
  forget(cameraId: number): void {
    const m = this.moves.get(cameraId);
    if (m) clearTimeout(m.timer);
    this.moves.delete(cameraId);
    this.arbiter.drop(cameraId);
  }

  /** Runs `fn` after every command given to the camera before it. */
  serial<T>(cameraId: number, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(cameraId) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    this.chains.set(
      cameraId,
      next.catch(() => undefined),
    );
    return next;
  }

  holder(cameraId: number): PtzHolder | null {
    return this.arbiter.holder(cameraId);
  }

  /** Ends control without a takeover (a tour being started takes it over). */
  forceRelease(cameraId: number, userId: number | null): void {
    this.arbiter.release(cameraId, userId, true);
  }

  /** Ends a continuous move, if any: stops the camera (in the camera's command order when `queued`); errors ignored. */
  async endMove(cameraId: number, queued = true): Promise<void> {
    const m = this.moves.get(cameraId);
    if (!m) return;
    clearTimeout(m.timer);
    this.moves.delete(cameraId);
    await (queued ? this.serial(cameraId, () => this.deviceStop(cameraId)) : this.deviceStop(cameraId)).catch(() => undefined);
  }

  private contender(actor: UserActor, priority: number): Contender {
    return { userId: actor.userId, username: actor.username, role: actor.role, priority };
  }

  /** Takes or refreshes control for a user command; 409 naming the holder when refused. Yields a running tour. */
  async control(cameraId: number, actor: UserActor): Promise<void> {
    const priority = await this.priorities.priorityOf(actor);
    const r = this.arbiter.acquire(cameraId, this.contender(actor, priority));
    if (!r.ok) {
      const h = r.holder;
      throw fail(
        ErrorKind.Conflict,
        msg('ptz.held', { username: h.username, priority }),
        'holder',
        `PTZ of camera ${cameraId} is held by ${h.username} (${h.role}, priority ${h.priority}) since ${new Date(h.sinceMs).toISOString()}; ` +
          `your priority ${priority} is not higher. Control is released after ${Math.round(this.cfg.ptzControlIdleMs / 1000)} s without commands.`,
      );
    }
    if (r.change !== 'none') {
      this.ctx.publish({ type: 'ptz.control', cameraId, holder: r.holder, reason: r.change === 'takeover' ? 'takeover' : 'taken' });
      if (r.change === 'takeover') {
        // The previous holder's movement ends with their control (their repeats are now refused).
        await this.endMove(cameraId);
        await this.audit(actor, 'ptz.takeover', cameraId, { from: r.previous?.username ?? null, fromPriority: r.previous?.priority ?? null, priority });
      }
    }
    this.tours.yieldTour(cameraId);
  }

  /** Control for a system action (alarm linkage) at system priority; refused while a higher-priority operator holds the camera. Yields a running tour. */
  controlForSystem(cameraId: number, actor: Extract<Actor, { kind: 'system' }>): void {
    const r = this.arbiter.acquire(cameraId, { userId: null, username: `system (${actor.reason})`, role: 'system', priority: SYSTEM_PTZ_PRIORITY });
    if (!r.ok)
      throw fail(
        ErrorKind.Conflict,
        msg('ptz.held_recall', { username: r.holder.username }),
        undefined,
        `PTZ of camera ${cameraId} is held by ${r.holder.username} (${r.holder.role}); preset not recalled`,
      );
    if (r.change !== 'none') this.ctx.publish({ type: 'ptz.control', cameraId, holder: r.holder, reason: r.change === 'takeover' ? 'takeover' : 'taken' });
    this.tours.yieldTour(cameraId);
  }

  private onReleased(cameraId: number, previous: PtzHolder, reason: 'released' | 'idle'): void {
    this.ctx.publish({ type: 'ptz.control', cameraId, holder: null, reason });
    const m = this.moves.get(cameraId);
    if (m && reason === 'idle') {
      // Cannot really happen (moves refresh control), but never leave a camera spinning.
      clearTimeout(m.timer);
      this.moves.delete(cameraId);
      void this.deviceStop(cameraId).catch(() => undefined);
    }
    if (reason === 'idle') void this.audit({ kind: 'system', reason: 'idle timeout' }, 'ptz.release', cameraId, { holder: previous.username, reason });
    this.tours.resumeTour(cameraId);
  }

  async position(cameraId: number): Promise<PtzPosition> {
    return (await this.targets.ptzOf(cameraId)).status();
  }

  /** How long the device itself keeps moving without a new command (ContinuousMove Timeout): a crashed server cannot leave it spinning. */
  private get deviceMoveTimeoutMs(): number {
    return this.cfg.ptzMoveTimeoutMs + 1000;
  }

  async move(cameraId: number, v: PtzMoveRequest, actor: UserActor): Promise<void> {
    const target = await this.targets.ptzOf(cameraId);
    await this.control(cameraId, actor);
    const vec = { x: v.pan, y: v.tilt, zoom: v.zoom ?? 0 };
    if (vec.x === 0 && vec.y === 0 && vec.zoom === 0) return this.stop(cameraId, actor);
    await this.serial(cameraId, async () => {
      const now = this.ctx.now();
      const cur = this.moves.get(cameraId);
      const changed = !cur || cur.x !== vec.x || cur.y !== vec.y || cur.zoom !== vec.zoom;
      const resend = changed || now - cur.lastSentMs > this.deviceMoveTimeoutMs / 2;
      if (resend) await target.continuousMove({ pan: vec.x, tilt: vec.y, zoom: vec.zoom }, this.deviceMoveTimeoutMs);
      if (cur) clearTimeout(cur.timer);
      const timer = setTimeout(() => void this.moveTimedOut(cameraId), this.cfg.ptzMoveTimeoutMs);
      this.moves.set(cameraId, { ...vec, lastCmdMs: now, lastSentMs: resend ? now : cur!.lastSentMs, timer, actor });
      // One audit entry per movement, not per repeat: a new entry when it starts or changes direction.
      if (!cur || !sameDir(cur, vec)) await this.audit(actor, 'ptz.move', cameraId, { pan: vec.x, tilt: vec.y, zoom: vec.zoom });
    });
  }

  private async moveTimedOut(cameraId: number): Promise<void> {
    const m = this.moves.get(cameraId);
    if (!m || this.ctx.now() - m.lastCmdMs < this.cfg.ptzMoveTimeoutMs - 5) return;
    this.moves.delete(cameraId);
    this.ctx.log(`[onvif] camera ${cameraId}: no move command for ${this.cfg.ptzMoveTimeoutMs} ms (release lost?); stopping`);
    await this.serial(cameraId, () => this.deviceStop(cameraId)).catch((err) =>
      this.ctx.log(`[onvif] camera ${cameraId}: stop after lost release failed: ${(err as Error).message}`),
    );
    await this.audit({ kind: 'system', reason: 'lost release' }, 'ptz.stop', cameraId, {
      reason: 'move timeout',
      holder: m.actor.username,
      timeoutMs: this.cfg.ptzMoveTimeoutMs,
    });
  }

  private async deviceStop(cameraId: number): Promise<void> {
    const target = await this.targets.find(cameraId);
    if (!target) return;
    await target.stop();
  }

  async stop(cameraId: number, actor: UserActor): Promise<void> {
    const target = await this.targets.ptzOf(cameraId);
    await this.control(cameraId, actor);
    await this.serial(cameraId, async () => {
      const m = this.moves.get(cameraId);
      if (m) clearTimeout(m.timer);
      this.moves.delete(cameraId);
      await target.stop();
      await this.audit(actor, 'ptz.stop', cameraId, {});
    });
  }

  async release(cameraId: number, actor: UserActor): Promise<void> {
    await this.targets.linkOr404(cameraId);
    const holder = this.arbiter.holder(cameraId);
    if (!holder || holder.userId !== actor.userId) return; // nothing to release
    await this.endMove(cameraId);
    this.arbiter.release(cameraId, actor.userId);
    await this.audit(actor, 'ptz.release', cameraId, {});
  }

  async home(cameraId: number, actor: UserActor): Promise<void> {
    const target = await this.targets.ptzOf(cameraId);
    await this.control(cameraId, actor);
    await this.serial(cameraId, () => target.gotoHome());
    await this.audit(actor, 'ptz.home', cameraId, {});
  }

  async setHome(cameraId: number, actor: UserActor): Promise<void> {
    const target = await this.targets.ptzOf(cameraId);
    await this.control(cameraId, actor);
    await this.serial(cameraId, () => target.setHome());
    await this.audit(actor, 'ptz.home.set', cameraId, {});
  }
}
