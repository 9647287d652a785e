// The ONVIF service: the OnvifControl façade that wires the device registry, event subscriptions, enrolment, PTZ controller, presets, tours and priorities.
import { msg } from '../../../common/messages';
import type {
  AddDeviceRequest,
  DiscoverRequest,
  DiscoverResponse,
  OnvifDeviceView,
  PtzMoveRequest,
  PtzPosition,
  PtzPreset,
  PtzState,
  PtzTour,
  TourBody,
  TourStatus,
  UserPriority,
} from '../../../common/onvif';
import type { CameraRow } from '../../../storage/repositories';
import type { Actor, PtzDriver } from '../contracts';
import type { OnvifContext } from './context';
import { onvifAudit, type OnvifAudit } from './audit';
import type { UserActor } from '../../platform/actor';
import type { DevicePlan, OnvifControl } from './control';
import { DeviceEnrolment } from './enrol';
import { notFound } from './errors';
import { EventSubscriptions } from './event-subscriptions';
import { PtzPresets } from './presets';
import { PtzPriorities } from './priorities';
import { PtzController } from './ptz';
import { PtzTargets } from './ptz-targets';
import { DeviceRegistry } from './registry';
import { TourRunner } from './tours';

export class OnvifService implements OnvifControl {
  private readonly audit: OnvifAudit;
  private readonly events: EventSubscriptions;
  private readonly registry: DeviceRegistry;
  private readonly enrolment: DeviceEnrolment;
  private readonly priorities: PtzPriorities;
  private readonly targets: PtzTargets;
  private readonly ptz: PtzController;
  private readonly presets: PtzPresets;
  private readonly tours: TourRunner;
  private unsubscribe: (() => void) | null = null;

  /** `ptzDrivers`: the PTZ of channels of other device kinds (GB/T 28181 ...), steered with the same control, presets and tours. */
  constructor(
    private readonly ctx: OnvifContext,
    ptzDrivers: readonly PtzDriver[] = [],
  ) {
    this.audit = onvifAudit(ctx);
    this.events = new EventSubscriptions(ctx, (deviceId) => this.registry.camerasOf(deviceId));
    this.registry = new DeviceRegistry(ctx, this.events);
    this.enrolment = new DeviceEnrolment(ctx, this.registry, this.audit);
    this.priorities = new PtzPriorities(ctx);
    this.targets = new PtzTargets(ctx, this.registry, ptzDrivers);
    // The controller and the tour runner know each other: commands make a tour yield, the end of control resumes it.
    this.ptz = new PtzController(ctx, this.targets, this.priorities, this.audit, {
      yieldTour: (cameraId) => this.tours.yieldTour(cameraId),
      resumeTour: (cameraId) => this.tours.resumeTour(cameraId),
    });
    this.presets = new PtzPresets(ctx, this.targets, this.ptz, this.audit, (cameraId) => this.tours.list(cameraId));
    this.tours = new TourRunner(ctx, this.targets, this.ptz, this.priorities, this.audit, (cameraId) => this.presets.publish(cameraId));
  }

  // ------------------------------------------------------------------ lifecycle

  async start(): Promise<void> {
    await this.registry.start();
    this.unsubscribe = this.ctx.onServerEvent((ev) => {
      if (ev.type === 'camera.deleted') this.forgetCamera(ev.cameraId);
    });
    this.ptz.start();
    await this.tours.start();
  }

  async close(): Promise<void> {
    this.registry.beginClose();
    this.unsubscribe?.();
    this.tours.close();
    // Leave no camera spinning: stop every continuous move before the clients go.
    await this.ptz.close();
    await this.registry.close();
  }

  private forgetCamera(cameraId: number): void {
    this.ptz.forget(cameraId);
    this.tours.forget(cameraId);
    this.registry.forgetCamera(cameraId);
  }

  // ------------------------------------------------------------------ devices

  discover(req: DiscoverRequest): Promise<DiscoverResponse> {
    return this.enrolment.discover(req);
  }

  inspect(req: AddDeviceRequest): Promise<DevicePlan> {
    return this.enrolment.inspect(req);
  }

  register(plan: DevicePlan, req: AddDeviceRequest, actor: UserActor): Promise<{ device: OnvifDeviceView; cameras: CameraRow[] }> {
    return this.enrolment.register(plan, req, actor);
  }

  async listDevices(): Promise<OnvifDeviceView[]> {
    return this.registry.list();
  }

  async deleteDevice(id: number, actor: UserActor): Promise<void> {
    const rt = this.registry.get(id);
    if (!rt) throw notFound(msg('onvif.device_not_found', { id: id }));
    const cams = this.registry.camerasOf(id).map((l) => l.cameraId);
    for (const c of cams) {
      await this.ptz.endMove(c, false);
      this.forgetCamera(c);
    }
    await this.registry.remove(id);
    await this.ctx.store.onvif.deleteDevice(id);
    await this.audit(actor, 'onvif.device.delete', cams[0] ?? 0, { deviceId: id, host: rt.row.host, port: rt.row.port, cameraIds: cams });
  }

  // ------------------------------------------------------------------ PTZ

  async ptzState(cameraId: number, actor: UserActor): Promise<PtzState> {
    const target = await this.targets.find(cameraId);
    const link = target ? null : await this.registry.findLink(cameraId);
    if (!target && !link && !(await this.ctx.store.cameras.get(cameraId))) throw notFound(msg('camera.not_found', { id: cameraId }));
    const myPriority = await this.priorities.priorityOf(actor);
    const base = { cameraId, controlIdleMs: this.ctx.config.ptzControlIdleMs, moveTimeoutMs: this.ctx.config.ptzMoveTimeoutMs, myPriority };
    if (!(target ?? link)?.ptz) return { ...base, ptz: false, holder: null, tour: null, presets: [], tours: [] };
    return {
      ...base,
      ptz: true,
      holder: this.ptz.holder(cameraId),
      tour: this.tours.status(cameraId),
      presets: await this.presets.list(cameraId),
      tours: await this.tours.list(cameraId),
    };
  }

  position(cameraId: number): Promise<PtzPosition> {
    return this.ptz.position(cameraId);
  }

  move(cameraId: number, v: PtzMoveRequest, actor: UserActor): Promise<void> {
    return this.ptz.move(cameraId, v, actor);
  }

  stop(cameraId: number, actor: UserActor): Promise<void> {
    return this.ptz.stop(cameraId, actor);
  }

  release(cameraId: number, actor: UserActor): Promise<void> {
    return this.ptz.release(cameraId, actor);
  }

  home(cameraId: number, actor: UserActor): Promise<void> {
    return this.ptz.home(cameraId, actor);
  }

  setHome(cameraId: number, actor: UserActor): Promise<void> {
    return this.ptz.setHome(cameraId, actor);
  }

  // ------------------------------------------------------------------ presets

  listPresets(cameraId: number): Promise<PtzPreset[]> {
    return this.presets.list(cameraId);
  }

  createPreset(cameraId: number, name: string, actor: UserActor): Promise<PtzPreset> {
    return this.presets.create(cameraId, name, actor);
  }

  renamePreset(cameraId: number, presetId: number, name: string, actor: UserActor): Promise<PtzPreset> {
    return this.presets.rename(cameraId, presetId, name, actor);
  }

  deletePreset(cameraId: number, presetId: number, actor: UserActor): Promise<void> {
    return this.presets.delete(cameraId, presetId, actor);
  }

  userGotoPreset(cameraId: number, presetId: number, actor: UserActor): Promise<void> {
    return this.presets.userGoto(cameraId, presetId, actor);
  }

  /** For other features (alarm linkage): system priority; refused while a higher-priority operator holds the camera. */
  gotoPreset(cameraId: number, presetId: number, actor: Actor): Promise<void> {
    return this.presets.goto(cameraId, presetId, actor);
  }

  // ------------------------------------------------------------------ tours

  listTours(cameraId: number): Promise<PtzTour[]> {
    return this.tours.list(cameraId);
  }

  createTour(cameraId: number, body: TourBody, actor: UserActor): Promise<PtzTour> {
    return this.tours.create(cameraId, body, actor);
  }

  updateTour(cameraId: number, tourId: number, body: TourBody, actor: UserActor): Promise<PtzTour> {
    return this.tours.update(cameraId, tourId, body, actor);
  }

  deleteTour(cameraId: number, tourId: number, actor: UserActor): Promise<void> {
    return this.tours.delete(cameraId, tourId, actor);
  }

  startTour(cameraId: number, tourId: number, actor: UserActor): Promise<TourStatus> {
    return this.tours.startTour(cameraId, tourId, actor);
  }

  stopTour(cameraId: number, actor: UserActor): Promise<void> {
    return this.tours.stopTour(cameraId, actor);
  }

  // ------------------------------------------------------------------ priorities

  listPriorities(): Promise<UserPriority[]> {
    return this.priorities.list();
  }

  setPriority(userId: number, priority: number | null, actor: UserActor): Promise<UserPriority> {
    return this.priorities.set(userId, priority, actor);
  }
}
