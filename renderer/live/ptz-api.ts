// HTTP calls of the PTZ pad and the ONVIF dialog, derived from the declarations (common/endpoints/onvif.ts), through the console's one client (renderer/api.ts).
import * as E from '../../common/endpoints';
import type { AddDeviceRequest, DiscoverRequest, PtzMoveRequest, TourBody } from '../../common/onvif';
import { api } from '../api';

export const ptzApi = {
  state: (id: number) => api.call(E.getCamerasByidPtz, { params: { id } }),
  move: (id: number, v: PtzMoveRequest) => api.call(E.postCamerasByidPtzMove, { params: { id }, body: v }),
  stop: (id: number) => api.call(E.postCamerasByidPtzStop, { params: { id } }),
  release: (id: number) => api.call(E.postCamerasByidPtzRelease, { params: { id } }),
  home: (id: number) => api.call(E.postCamerasByidPtzHome, { params: { id } }),
  setHome: (id: number) => api.call(E.postCamerasByidPtzHomeSet, { params: { id } }),
  createPreset: (id: number, name: string) => api.call(E.postCamerasByidPtzPresets, { params: { id }, body: { name } }),
  renamePreset: (id: number, presetId: number, name: string) => api.call(E.patchCamerasByidPtzPresetsBypresetId, { params: { id, presetId }, body: { name } }),
  deletePreset: (id: number, presetId: number) => api.call(E.deleteCamerasByidPtzPresetsBypresetId, { params: { id, presetId } }),
  gotoPreset: (id: number, presetId: number) => api.call(E.postCamerasByidPtzPresetsBypresetIdGoto, { params: { id, presetId } }),
  createTour: (id: number, body: TourBody) => api.call(E.postCamerasByidPtzTours, { params: { id }, body }),
  deleteTour: (id: number, tourId: number) => api.call(E.deleteCamerasByidPtzToursBytourId, { params: { id, tourId } }),
  startTour: (id: number, tourId: number) => api.call(E.postCamerasByidPtzToursBytourIdStart, { params: { id, tourId } }),
  stopTour: (id: number) => api.call(E.postCamerasByidPtzTourStop, { params: { id } }),
};

export const onvifApi = {
  discover: (body: DiscoverRequest) => api.call(E.postOnvifDiscover, { body }),
  devices: () => api.call(E.getOnvifDevices),
  add: (body: AddDeviceRequest) => api.call(E.postOnvifDevices, { body }),
  remove: (id: number) => api.call(E.deleteOnvifDevicesByid, { params: { id } }),
  priorities: () => api.call(E.getOnvifPriorities),
  setPriority: (id: number, priority: number | null) => api.call(E.putOnvifPrioritiesByid, { params: { id }, body: { priority } }),
};

/** Velocity of a pad direction at a speed (0..1). */
export function padVector(dir: { x: number; y: number }, speed: number): PtzMoveRequest {
  const s = Math.min(1, Math.max(0.05, speed));
  return { pan: dir.x * s, tilt: dir.y * s, zoom: 0 };
}

/** Arrow keys and +/- to a velocity direction; null for other keys. */
export function keyDirection(key: string): { x: number; y: number; zoom: number } | null {
  switch (key) {
    case 'ArrowUp':
      return { x: 0, y: 1, zoom: 0 };
    case 'ArrowDown':
      return { x: 0, y: -1, zoom: 0 };
    case 'ArrowLeft':
      return { x: -1, y: 0, zoom: 0 };
    case 'ArrowRight':
      return { x: 1, y: 0, zoom: 0 };
    case '+':
    case '=':
      return { x: 0, y: 0, zoom: 1 };
    case '-':
    case '_':
      return { x: 0, y: 0, zoom: -1 };
    default:
      return null;
  }
}
