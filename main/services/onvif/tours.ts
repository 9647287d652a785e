// The tour runner: stored tours of presets, run on the server (resumed after a restart), yielding to any user command and resuming when control ends.
import { ErrorKind } from '../../../common/errors';
import { msg } from '../../../common/messages';
import type { PtzTour, TourBody, TourStatus } from '../../../common/onvif';
import type { TourRow } from '../../../storage/repos/onvif';
import type { OnvifContext } from './context';
import type { OnvifAudit } from './audit';
import type { UserActor } from '../../platform/actor';
import { fail, notFound } from './errors';
import type { PtzPriorities } from './priorities';
import type { PtzController, TourHooks } from './ptz';
import type { PtzTargets } from './ptz-targets';

interface TourRun {
  tour: TourRow;
  stepIndex: number;
  state: 'running' | 'yielded';
  timer: NodeJS.Timeout | null;
  /** Bumped on every (re)schedule so a stale step callback does nothing. */
  generation: number;
  failures: number;
}

type ToursContext = Pick<OnvifContext, 'store' | 'log' | 'now' | 'publish'>;

const toTour = (t: TourRow): PtzTour => ({ id: t.id, cameraId: t.cameraId, name: t.name, steps: t.steps });

/** Long-lived: start() resumes the tours stored as running; close() ends every run (state in storage kept). */
export class TourRunner implements TourHooks {
  private readonly tours = new Map<number, TourRun>();
  private closed = false;

  constructor(
    private readonly ctx: ToursContext,
    private readonly targets: PtzTargets,
    private readonly ptz: PtzController,
    private readonly priorities: PtzPriorities,
    private readonly audit: OnvifAudit,
    /** Pushes the camera's presets and tours after a change. */
    private readonly publishPresets: (cameraId: number) => Promise<void>,
  ) {}

  /** Resumes the tours that were running (after the registry has loaded the cameras; a channel of another kind is found through its driver). */
  async start(): Promise<void> {
    for (const t of await this.ctx.store.onvif.listRunningTours()) {
      if (await this.targets.find(t.cameraId).catch(() => null)) this.runTour(t, 0);
    }
  }

  close(): void {
    this.closed = true;
    for (const run of this.tours.values()) if (run.timer) clearTimeout(run.timer);
    this.tours.clear();
  }

  /** Forgets a camera (deleted) without publishing. */
  forget(cameraId: number): void {
    const run = this.tours.get(cameraId);
    if (run?.timer) clearTimeout(run.timer);
    this.tours.delete(cameraId);
  }

  async list(cameraId: number): Promise<PtzTour[]> {
    await this.targets.linkOr404(cameraId);
    return (await this.ctx.store.onvif.listTours(cameraId)).map(toTour);
  }

  private async checkSteps(cameraId: number, body: TourBody): Promise<void> {
    const ids = new Set((await this.ctx.store.onvif.listPresets(cameraId)).map((p) => p.id));
    body.steps.forEach((s, i) => {
      if (!ids.has(s.presetId)) throw fail(ErrorKind.Validation, msg('preset.not_found', { cameraId, presetId: s.presetId }), `steps.${i}.presetId`);
    });
  }

  async create(cameraId: number, body: TourBody, actor: UserActor): Promise<PtzTour> {
    await this.targets.ptzOf(cameraId);
    await this.checkSteps(cameraId, body);
    const t = await this.ctx.store.onvif.createTour(cameraId, body.name, body.steps, this.ctx.now());
    await this.audit(actor, 'ptz.tour.create', cameraId, { tourId: t.id, name: t.name, steps: t.steps });
    await this.publishPresets(cameraId);
    return toTour(t);
  }

  private async tourOr404(cameraId: number, tourId: number): Promise<TourRow> {
    const t = await this.ctx.store.onvif.getTour(tourId);
    if (!t || t.cameraId !== cameraId) throw notFound(msg('tour.not_found', { cameraId, tourId }));
    return t;
  }

  async update(cameraId: number, tourId: number, body: TourBody, actor: UserActor): Promise<PtzTour> {
    await this.targets.ptzOf(cameraId);
    await this.tourOr404(cameraId, tourId);
    await this.checkSteps(cameraId, body);
    const t = (await this.ctx.store.onvif.updateTour(tourId, body.name, body.steps, this.ctx.now()))!;
    const run = this.tours.get(cameraId);
    if (run && run.tour.id === tourId) run.tour = t;
    await this.audit(actor, 'ptz.tour.update', cameraId, { tourId, name: t.name, steps: t.steps });
    await this.publishPresets(cameraId);
    return toTour(t);
  }

  async delete(cameraId: number, tourId: number, actor: UserActor): Promise<void> {
    await this.targets.linkOr404(cameraId);
    const t = await this.tourOr404(cameraId, tourId);
    if (this.tours.get(cameraId)?.tour.id === tourId) this.endTour(cameraId);
    await this.ctx.store.onvif.deleteTour(tourId);
    await this.audit(actor, 'ptz.tour.delete', cameraId, { tourId, name: t.name });
    await this.publishPresets(cameraId);
  }

  status(cameraId: number): TourStatus | null {
    const run = this.tours.get(cameraId);
    if (!run) return null;
    return { cameraId, tourId: run.tour.id, name: run.tour.name, state: run.state, stepIndex: run.stepIndex };
  }

  private publishTour(cameraId: number): void {
    this.ctx.publish({ type: 'ptz.tour', cameraId, tour: this.status(cameraId) });
  }

  async startTour(cameraId: number, tourId: number, actor: UserActor): Promise<TourStatus> {
    await this.targets.ptzOf(cameraId);
    const t = await this.tourOr404(cameraId, tourId);
    // Starting needs the right to steer: refused while a higher or equal priority operator holds the camera.
    const priority = await this.priorities.priorityOf(actor);
    const holder = this.ptz.holder(cameraId);
    if (holder && holder.userId !== actor.userId && holder.priority >= priority)
      throw fail(
        ErrorKind.Conflict,
        msg('ptz.held_tour', { username: holder.username }),
        'holder',
        `PTZ of camera ${cameraId} is held by ${holder.username} (${holder.role}); the tour cannot start now`,
      );
    const prev = this.tours.get(cameraId);
    if (prev) {
      this.endTour(cameraId);
      await this.ctx.store.onvif.setTourRunning(prev.tour.id, false, this.ctx.now());
    }
    // The starter hands control to the tour.
    await this.ptz.endMove(cameraId);
    if (holder) this.ptz.forceRelease(cameraId, holder.userId); // resumeTour finds no tour yet: harmless
    await this.ctx.store.onvif.setTourRunning(tourId, true, this.ctx.now());
    this.runTour(t, 0);
    await this.audit(actor, 'ptz.tour.start', cameraId, { tourId, name: t.name });
    return this.status(cameraId)!;
  }

  async stopTour(cameraId: number, actor: UserActor): Promise<void> {
    await this.targets.linkOr404(cameraId);
    const run = this.tours.get(cameraId);
    if (!run) return;
    this.endTour(cameraId);
    await this.ctx.store.onvif.setTourRunning(run.tour.id, false, this.ctx.now());
    await this.audit(actor, 'ptz.tour.stop', cameraId, { tourId: run.tour.id, name: run.tour.name });
  }

  private endTour(cameraId: number): void {
    const run = this.tours.get(cameraId);
    if (!run) return;
    if (run.timer) clearTimeout(run.timer);
    run.generation++;
    this.tours.delete(cameraId);
    this.publishTour(cameraId);
  }

  private runTour(tour: TourRow, stepIndex: number): void {
    const run: TourRun = { tour, stepIndex, state: 'running', timer: null, generation: 0, failures: 0 };
    this.tours.set(tour.cameraId, run);
    if (this.ptz.holder(tour.cameraId)) {
      run.state = 'yielded';
      this.publishTour(tour.cameraId);
      return;
    }
    void this.tourStep(tour.cameraId, run, run.generation);
  }

  /** Goes to the current step's preset, then waits its dwell time and moves on (loops until stopped). */
  private async tourStep(cameraId: number, run: TourRun, generation: number): Promise<void> {
    if (this.closed || this.tours.get(cameraId) !== run || run.generation !== generation || run.state !== 'running') return;
    const steps = run.tour.steps;
    if (steps.length === 0) return;
    const step = steps[run.stepIndex % steps.length];
    this.publishTour(cameraId);
    let ok = true;
    try {
      const p = await this.ctx.store.onvif.getPreset(step.presetId);
      if (!p) throw new Error(`preset ${step.presetId} no longer exists`);
      const target = await this.targets.find(cameraId);
      if (!target) throw new Error('camera is not available');
      await this.ptz.serial(cameraId, () => target.gotoPreset(p.token));
      if (run.failures > 0) this.ctx.log(`[onvif] camera ${cameraId}: tour "${run.tour.name}" continues`);
      run.failures = 0;
    } catch (err) {
      ok = false;
      if (run.failures === 0)
        this.ctx.log(`[onvif] camera ${cameraId}: tour "${run.tour.name}" step ${run.stepIndex + 1} failed: ${(err as Error).message}; continuing`);
      run.failures++;
    }
    if (this.tours.get(cameraId) !== run || run.generation !== generation || run.state !== 'running') return;
    const dwellMs = ok ? step.dwellSeconds * 1000 : Math.min(step.dwellSeconds * 1000, 5000);
    run.timer = setTimeout(() => {
      run.timer = null;
      if (run.generation !== generation || run.state !== 'running') return;
      run.stepIndex = (run.stepIndex + 1) % run.tour.steps.length;
      void this.tourStep(cameraId, run, generation);
    }, dwellMs);
  }

  yieldTour(cameraId: number): void {
    const run = this.tours.get(cameraId);
    if (!run || run.state !== 'running') return;
    if (run.timer) clearTimeout(run.timer);
    run.timer = null;
    run.generation++;
    run.state = 'yielded';
    this.publishTour(cameraId);
  }

  resumeTour(cameraId: number): void {
    const run = this.tours.get(cameraId);
    if (!run || run.state !== 'yielded' || this.closed) return;
    run.state = 'running';
    run.generation++;
    // Back to the step it was showing, with its full dwell.
    void this.tourStep(cameraId, run, run.generation);
  }
}
