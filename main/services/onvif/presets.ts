// PTZ presets: they live on the device (Set/Remove/GotoPreset); Argus mirrors them with stable ids and its own names.
import { msg } from '../../../common/messages';
import type { PtzPreset, PtzTour } from '../../../common/onvif';
import type { Actor } from '../contracts';
import type { OnvifContext } from './context';
import type { OnvifAudit } from './audit';
import type { UserActor } from '../../platform/actor';
import { conflict, notFound } from './errors';
import type { PtzController } from './ptz';
import type { PtzTargets } from './ptz-targets';

type PresetsContext = Pick<OnvifContext, 'store' | 'publish'>;

export class PtzPresets {
  constructor(
    private readonly ctx: PresetsContext,
    private readonly targets: PtzTargets,
    private readonly ptz: PtzController,
    private readonly audit: OnvifAudit,
    /** The camera's tours, pushed along with its presets. */
    private readonly toursOf: (cameraId: number) => Promise<PtzTour[]>,
  ) {}

  /** Pushes the camera's presets and tours (`ptz.presets`). */
  async publish(cameraId: number): Promise<void> {
    this.ctx.publish({ type: 'ptz.presets', cameraId, presets: await this.list(cameraId), tours: await this.toursOf(cameraId) });
  }

  /** The presets as the device has them (synced into storage); storage alone when the device cannot be reached. */
  async list(cameraId: number): Promise<PtzPreset[]> {
    const target = await this.targets.ptzOf(cameraId);
    try {
      const onDevice = await target.presets();
      if (onDevice) return await this.ctx.store.onvif.syncPresets(cameraId, onDevice);
    } catch {
      // the stored list below
    }
    return this.ctx.store.onvif.listPresets(cameraId);
  }

  async create(cameraId: number, name: string, actor: UserActor): Promise<PtzPreset> {
    const target = await this.targets.ptzOf(cameraId);
    await this.ptz.control(cameraId, actor);
    const stored = await this.ctx.store.onvif.listPresets(cameraId);
    if (stored.some((p) => p.name === name)) throw conflict('name', msg('preset.name_taken', { name }));
    const token = await this.ptz.serial(cameraId, () =>
      target.setPreset(
        name,
        stored.map((p) => p.token),
      ),
    );
    const row = await this.ctx.store.onvif.upsertPreset(cameraId, token, name);
    await this.audit(actor, 'ptz.preset.create', cameraId, { presetId: row.id, name });
    await this.publish(cameraId);
    return row;
  }

  private async presetOr404(cameraId: number, presetId: number) {
    const p = await this.ctx.store.onvif.getPreset(presetId);
    if (!p || p.cameraId !== cameraId) throw notFound(msg('preset.not_found', { cameraId, presetId }));
    return p;
  }

  async rename(cameraId: number, presetId: number, name: string, actor: UserActor): Promise<PtzPreset> {
    await this.targets.ptzOf(cameraId);
    const p = await this.presetOr404(cameraId, presetId);
    const clash = (await this.ctx.store.onvif.listPresets(cameraId)).find((x) => x.name === name && x.id !== presetId);
    if (clash) throw conflict('name', msg('preset.name_taken', { name }));
    // SetPreset with the existing token would also move the preset to the current position: ONVIF has no rename.
    // So the device keeps its name and position; the name Argus shows lives in storage.
    const row = await this.ctx.store.onvif.upsertPreset(cameraId, p.token, name);
    await this.audit(actor, 'ptz.preset.rename', cameraId, { presetId, from: p.name, to: name });
    await this.publish(cameraId);
    return row;
  }

  async delete(cameraId: number, presetId: number, actor: UserActor): Promise<void> {
    const target = await this.targets.ptzOf(cameraId);
    const p = await this.presetOr404(cameraId, presetId);
    const inTour = (await this.ctx.store.onvif.listTours(cameraId)).find((t) => t.steps.some((s) => s.presetId === presetId));
    if (inTour) throw conflict('presetId', msg('preset.in_tour', { preset: p.name, tour: inTour.name }));
    await this.ptz.control(cameraId, actor);
    await this.ptz.serial(cameraId, () => target.removePreset(p.token));
    await this.ctx.store.onvif.deletePreset(presetId);
    await this.audit(actor, 'ptz.preset.delete', cameraId, { presetId, name: p.name });
    await this.publish(cameraId);
  }

  async userGoto(cameraId: number, presetId: number, actor: UserActor): Promise<void> {
    const target = await this.targets.ptzOf(cameraId);
    const p = await this.presetOr404(cameraId, presetId);
    await this.ptz.control(cameraId, actor);
    await this.ptz.serial(cameraId, () => target.gotoPreset(p.token));
    await this.audit(actor, 'ptz.preset.goto', cameraId, { presetId, name: p.name });
  }

  /** For other features (alarm linkage): system priority; refused while a higher-priority operator holds the camera. */
  async goto(cameraId: number, presetId: number, actor: Actor): Promise<void> {
    if (actor.kind === 'user') return this.userGoto(cameraId, presetId, actor);
    const target = await this.targets.ptzOf(cameraId);
    const p = await this.presetOr404(cameraId, presetId);
    this.ptz.controlForSystem(cameraId, actor);
    await this.ptz.serial(cameraId, () => target.gotoPreset(p.token));
    await this.audit(actor, 'ptz.preset.goto', cameraId, { presetId, name: p.name });
  }
}
