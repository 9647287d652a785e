// What route handlers and other features may ask of the onvif feature (issue 4).
import type { CameraRow } from '../../../storage/repositories';
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
import type { UserActor } from '../../platform/actor';
import type { PtzActions } from '../contracts';

/** Everything read from a device before anything is stored (one-step add, phase 1). */
export interface DevicePlan {
  host: string;
  port: number;
  urn: string | null;
  username: string;
  password: string;
  info: { manufacturer: string; model: string; firmware: string; serial: string };
  sources: Array<{
    sourceToken: string;
    mainProfile: string;
    subProfile: string | null;
    mainUri: string;
    subUri: string | null;
    snapshotUri: string | null;
    ptz: boolean;
    codec: string | null;
    width: number | null;
    height: number | null;
    fps: number | null;
  }>;
}

export interface OnvifControl extends PtzActions {
  discover(req: DiscoverRequest): Promise<DiscoverResponse>;
  /** Phase 1 of the one-step add: reads the device (network only, nothing stored). Rejects with a DomainError on any failure. */
  inspect(req: AddDeviceRequest): Promise<DevicePlan>;
  /** Phase 2: stores the device and its cameras all-or-nothing and starts watching it. */
  register(plan: DevicePlan, req: AddDeviceRequest, actor: UserActor): Promise<{ device: OnvifDeviceView; cameras: CameraRow[] }>;
  listDevices(): Promise<OnvifDeviceView[]>;
  deleteDevice(id: number, actor: UserActor): Promise<void>;

  ptzState(cameraId: number, actor: UserActor): Promise<PtzState>;
  position(cameraId: number): Promise<PtzPosition>;
  move(cameraId: number, v: PtzMoveRequest, actor: UserActor): Promise<void>;
  stop(cameraId: number, actor: UserActor): Promise<void>;
  release(cameraId: number, actor: UserActor): Promise<void>;
  home(cameraId: number, actor: UserActor): Promise<void>;
  setHome(cameraId: number, actor: UserActor): Promise<void>;

  listPresets(cameraId: number): Promise<PtzPreset[]>;
  createPreset(cameraId: number, name: string, actor: UserActor): Promise<PtzPreset>;
  renamePreset(cameraId: number, presetId: number, name: string, actor: UserActor): Promise<PtzPreset>;
  deletePreset(cameraId: number, presetId: number, actor: UserActor): Promise<void>;
  userGotoPreset(cameraId: number, presetId: number, actor: UserActor): Promise<void>;

  listTours(cameraId: number): Promise<PtzTour[]>;
  createTour(cameraId: number, body: TourBody, actor: UserActor): Promise<PtzTour>;
  updateTour(cameraId: number, tourId: number, body: TourBody, actor: UserActor): Promise<PtzTour>;
  deleteTour(cameraId: number, tourId: number, actor: UserActor): Promise<void>;
  startTour(cameraId: number, tourId: number, actor: UserActor): Promise<TourStatus>;
  stopTour(cameraId: number, actor: UserActor): Promise<void>;

  listPriorities(): Promise<UserPriority[]>;
  setPriority(userId: number, priority: number | null, actor: UserActor): Promise<UserPriority>;
}
