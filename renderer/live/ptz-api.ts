// HTTP calls of the PTZ pad and the ONVIF dialog (routes of main/server/routes/onvif.ts), through the console's one client (renderer/api.ts).
import type {
  AddDeviceRequest,
  AddDeviceResponse,
  DiscoverRequest,
  DiscoverResponse,
  OnvifDeviceView,
  PtzMoveRequest,
  PtzPreset,
  PtzState,
  PtzTour,
  TourBody,
  TourStatus,
  UserPriority,
} from '../../common/onvif';
import { api } from '../api';

/** body, when given, is the JSON body. */
const request = <T>(method: string, path: string, body?: unknown): Promise<T> => api.request<T>(method, path, { body });

const cam = (id: number, rest = '') => `/cameras/${id}/ptz${rest}`;

export const ptzApi = {
  state: (id: number) => request<PtzState>('GET', cam(id)),
  move: (id: number, v: PtzMoveRequest) => request<void>('POST', cam(id, '/move'), v),
  stop: (id: number) => request<void>('POST', cam(id, '/stop')),
  release: (id: number) => request<void>('POST', cam(id, '/release')),
  home: (id: number) => request<void>('POST', cam(id, '/home')),
  setHome: (id: number) => request<void>('POST', cam(id, '/home/set')),
  createPreset: (id: number, name: string) => request<PtzPreset>('POST', cam(id, '/presets'), { name }),
  renamePreset: (id: number, presetId: number, name: string) => request<PtzPreset>('PATCH', cam(id, `/presets/${presetId}`), { name }),
  deletePreset: (id: number, presetId: number) => request<void>('DELETE', cam(id, `/presets/${presetId}`)),
  gotoPreset: (id: number, presetId: number) => request<void>('POST', cam(id, `/presets/${presetId}/goto`)),
  createTour: (id: number, body: TourBody) => request<PtzTour>('POST', cam(id, '/tours'), body),
  deleteTour: (id: number, tourId: number) => request<void>('DELETE', cam(id, `/tours/${tourId}`)),
  startTour: (id: number, tourId: number) => request<TourStatus>('POST', cam(id, `/tours/${tourId}/start`)),
  stopTour: (id: number) => request<void>('POST', cam(id, '/tour/stop')),
};

export const onvifApi = {
  discover: (body: DiscoverRequest) => request<DiscoverResponse>('POST', '/onvif/discover', body),
  devices: () => request<OnvifDeviceView[]>('GET', '/onvif/devices'),
  add: (body: AddDeviceRequest) => request<AddDeviceResponse>('POST', '/onvif/devices', body),
  remove: (id: number) => request<void>('DELETE', `/onvif/devices/${id}`),
  priorities: () => request<UserPriority[]>('GET', '/onvif/priorities'),
  setPriority: (userId: number, priority: number | null) => request<UserPriority>('PUT', `/onvif/priorities/${userId}`, { priority }),
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
