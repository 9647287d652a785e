// Repository interface for ONVIF devices, stored credentials, PTZ presets and tours (issue 4); the SQLite implementation is storage/sqlite/onvif.ts.
import type { EventSupport, OnvifCameraLink, PtzPreset, PtzTour } from '../../common/onvif';
import type { CameraRow, NewCamera } from '../repositories';

export type OnvifEventSupport = EventSupport;

export interface OnvifDeviceRow {
  /** The ONVIF link's own id (named by /api/v1/onvif/devices/:id). */
  id: number;
  /** The device (devices.id) this link belongs to; its channels are the linked cameras. */
  deviceId: number;
  host: string;
  port: number;
  urn: string | null;
  username: string;
  /** Encrypted password (sealed with the secrets key by main/platform/secret-box.ts; re-sealed by storage/sqlite/secrets.ts at start). */
  passwordEnc: string;
  manufacturer: string;
  model: string;
  firmware: string;
  serial: string;
  events: OnvifEventSupport;
  createdMs: number;
}

export type NewOnvifDevice = Omit<OnvifDeviceRow, 'id' | 'deviceId' | 'events' | 'createdMs'>;

export type OnvifCameraRow = OnvifCameraLink;

export type NewOnvifCamera = Omit<OnvifCameraRow, 'cameraId' | 'deviceId'>;

export type PresetRow = PtzPreset;

export interface TourRow extends PtzTour {
  running: boolean;
  updatedMs: number;
}

export interface OnvifRepo {
  /**
   * Creates the device (kind 'onvif', under `nodeId` when given, else the node of the first camera's groupName), one channel per source with
   * its rtsp row (the first channel's id = the device's id) and their links in ONE transaction: either all or nothing. Throws StorageError 'conflict' (field 'name') on a duplicate camera name, (field 'host') when the device
   * address is already added.
   */
  createDevice(
    device: NewOnvifDevice,
    cameras: Array<{ camera: NewCamera; link: NewOnvifCamera }>,
    nowMs: number,
    nodeId?: number,
  ): Promise<{ device: OnvifDeviceRow; cameras: CameraRow[] }>;
  listDevices(): Promise<OnvifDeviceRow[]>;
  getDevice(id: number): Promise<OnvifDeviceRow | null>;
  getDeviceByAddress(host: string, port: number): Promise<OnvifDeviceRow | null>;
  setEvents(id: number, events: OnvifEventSupport): Promise<void>;
  /**
   * Deletes the ONVIF link and the channels' onvif rows; the device becomes kind 'rtsp' and its channels stay (as
   * plain RTSP cameras, PTZ capability cleared, presets and tours kept). False when absent.
   */
  deleteDevice(id: number): Promise<boolean>;
  /** Links of every camera still existing, ordered by camera id. */
  listLinks(): Promise<OnvifCameraRow[]>;
  getLink(cameraId: number): Promise<OnvifCameraRow | null>;

  listPresets(cameraId: number): Promise<PresetRow[]>;
  getPreset(id: number): Promise<PresetRow | null>;
  /** Inserts or renames (same camera and token). */
  upsertPreset(cameraId: number, token: string, name: string): Promise<PresetRow>;
  deletePreset(id: number): Promise<boolean>;
  /** Makes the stored presets of a camera the device's set: adds new tokens (device name), drops missing ones, keeps ids and names (renames are Argus-side) of known tokens. */
  syncPresets(cameraId: number, device: Array<{ token: string; name: string }>): Promise<PresetRow[]>;

  listTours(cameraId: number): Promise<TourRow[]>;
  listRunningTours(): Promise<TourRow[]>;
  getTour(id: number): Promise<TourRow | null>;
  createTour(cameraId: number, name: string, steps: TourRow['steps'], nowMs: number): Promise<TourRow>;
  updateTour(id: number, name: string, steps: TourRow['steps'], nowMs: number): Promise<TourRow | null>;
  setTourRunning(id: number, running: boolean, nowMs: number): Promise<void>;
  deleteTour(id: number): Promise<boolean>;

  /** Per-user PTZ priorities (users without a row use their role's default). */
  listPriorities(): Promise<Array<{ userId: number; priority: number }>>;
  getPriority(userId: number): Promise<number | null>;
  setPriority(userId: number, priority: number | null): Promise<void>;
}
