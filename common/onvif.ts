// Onvif contracts (issue 4): API bodies and views, and the onvif events on the WebSocket stream.
import { msg, type ServerMessage } from './messages';
import type { Role } from './api';
import { s, type Infer } from './schema';

// ---------- discovery ----------
const hostField = s.string({
  minLength: 1,
  maxLength: 253,
  pattern: /^[A-Za-z0-9.:_-]+$/,
  patternHint: msg('schema.host'),
});

export const DiscoverRequest = s.object({
  /** Multicast WS-Discovery probe on the local segment (default true). */
  multicast: s.optional(s.boolean('multicast WS-Discovery probe on the local segment (default true)')),
  /** Directed (unicast) probes: "10.1.2.3", "cam.example", "10.1.2.0/28" or "10.1.2.10-10.1.2.40" (at most 1024 addresses). */
  targets: s.optional(
    s.array(s.string({ minLength: 1, maxLength: 80, description: 'host, IPv4 address, a.b.c.d/nn (nn >= 22) or a.b.c.d-a.b.c.e' }), { maxItems: 32 }),
  ),
  /** UDP port of the directed probes (default 3702). */
  port: s.optional(s.int({ min: 1, max: 65535, description: 'UDP port of directed probes (default 3702)' })),
  /** How long to wait for answers, ms (default 3000). */
  timeoutMs: s.optional(s.int({ min: 200, max: 15000, description: 'how long to collect answers, ms (default 3000)' })),
  /** With credentials, firmware and serial number are read from each device (GetDeviceInformation). */
  username: s.optional(s.string({ maxLength: 128 })),
  password: s.optional(s.string({ maxLength: 256, description: 'write-only: never returned or logged' })),
});
export type DiscoverRequest = Infer<typeof DiscoverRequest>;

export interface DiscoveredDevice {
  /** WS-Addressing endpoint reference (urn:uuid:...), stable per device. */
  urn: string;
  host: string;
  port: number;
  /** Device service URLs the device announced. */
  xaddrs: string[];
  manufacturer: string | null;
  model: string | null;
  firmware: string | null;
  serial: string | null;
  /** 'multicast' or 'directed'. */
  via: 'multicast' | 'directed';
  /** The ONVIF device id when this device is already added, else null. */
  addedDeviceId: number | null;
  /** Why device information could not be read with the given credentials, else null. */
  infoError: string | null;
}

export interface DiscoverResponse {
  devices: DiscoveredDevice[];
  /** Problems that did not stop the discovery (e.g. "multicast not possible on this host"). */
  warnings: string[];
}

// ---------- devices ----------
export const AddDeviceRequest = s.object({
  host: hostField,
  port: s.optional(s.int({ min: 1, max: 65535, description: 'HTTP port of the device service (default 80)' })),
  username: s.string({ minLength: 1, maxLength: 128 }),
  password: s.string({ maxLength: 256, description: 'write-only: stored encrypted, never returned or logged' }),
  /** Camera name (several video sources: "<name> 1", "<name> 2"...). Default: the device model. */
  name: s.optional(s.string({ minLength: 1, maxLength: 60, refine: (v) => (v.trim() === v ? null : msg('schema.spaces_around')) })),
  groupName: s.optional(s.nullable(s.string({ maxLength: 128 }))),
  enabled: s.optional(s.boolean('start recording at once (default true)')),
  nodeId: s.optional(
    s.int({ min: 1, description: 'organisation node the new device goes under (default: the node of groupName, else the root); 400 org.node_not_found' }),
  ),
});
export type AddDeviceRequest = Infer<typeof AddDeviceRequest>;

export type EventSupport = 'unknown' | 'supported' | 'unsupported';

export interface OnvifHealth {
  deviceId: number;
  reachable: boolean;
  /** Device clock minus server clock, ms (device clocks have 1 s resolution); null when unknown. */
  clockOffsetMs: number | null;
  /** |clockOffsetMs| above the tolerance (5 s): evidence timestamps from this device are suspect. */
  clockSkewed: boolean;
  checkedMs: number | null;
  /** Why the last check failed (English), else null. */
  error: string | null;
  /** The same as a registered code (common/messages.ts) the console words, else null. */
  reason: ServerMessage | null;
}

export interface OnvifDeviceView {
  /** The ONVIF link's id (/onvif/devices/:id). */
  id: number;
  /** The device (/devices/:id) this ONVIF link belongs to; its channels are cameraIds. */
  deviceId: number;
  host: string;
  port: number;
  urn: string | null;
  username: string;
  /** Always true: the password is stored (encrypted) and never returned. */
  hasPassword: boolean;
  manufacturer: string;
  model: string;
  firmware: string;
  serial: string;
  /** The cameras made from its video sources, in source order. */
  cameraIds: number[];
  events: EventSupport;
  health: OnvifHealth;
  createdMs: number;
}

export interface AddDeviceResponse {
  device: OnvifDeviceView;
  /** Ids of the cameras created (one per video source). */
  cameraIds: number[];
}

/** The ONVIF link of one camera. */
export interface OnvifCameraLink {
  cameraId: number;
  deviceId: number;
  sourceToken: string;
  profileToken: string;
  subProfileToken: string | null;
  snapshotUri: string | null;
  ptz: boolean;
  codec: string | null;
  width: number | null;
  height: number | null;
  fps: number | null;
}

// ---------- PTZ ----------
const axis = (what: string) => s.number({ min: -1, max: 1, description: what });
export const PtzMoveRequest = s.object({
  /** Pan velocity -1 (left) .. 1 (right). */
  pan: axis('pan velocity, -1 (left) .. 1 (right)'),
  /** Tilt velocity -1 (down) .. 1 (up). */
  tilt: axis('tilt velocity, -1 (down) .. 1 (up)'),
  /** Zoom velocity -1 (out) .. 1 (in). */
  zoom: s.optional(axis('zoom velocity, -1 (out) .. 1 (in)')),
});
export type PtzMoveRequest = Infer<typeof PtzMoveRequest>;

export const PresetCreate = s.object({ name: s.string({ minLength: 1, maxLength: 64 }) });
export type PresetCreate = Infer<typeof PresetCreate>;
export const PresetRename = PresetCreate;

export interface PtzPreset {
  id: number;
  cameraId: number;
  /** The device's token for it. */
  token: string;
  name: string;
}

export const TourStep = s.object({
  presetId: s.int({ min: 1 }),
  dwellSeconds: s.int({ min: 1, max: 3600, description: 'how long to stay at the preset, seconds' }),
});
export const TourBody = s.object({
  name: s.string({ minLength: 1, maxLength: 64 }),
  steps: s.array(TourStep, { minItems: 1, maxItems: 64 }),
});
export type TourBody = Infer<typeof TourBody>;

export interface PtzTour {
  id: number;
  cameraId: number;
  name: string;
  steps: Array<{ presetId: number; dwellSeconds: number }>;
}

/** running: moving through its steps; yielded: paused while an operator holds control (resumes on release). */
export type TourRunState = 'running' | 'yielded';

export interface TourStatus {
  cameraId: number;
  tourId: number;
  name: string;
  state: TourRunState;
  /** Index of the step being shown (or to resume with). */
  stepIndex: number;
}

export interface PtzHolder {
  /** null for the system (alarm linkage). */
  userId: number | null;
  username: string;
  role: Role | 'system';
  priority: number;
  sinceMs: number;
  /** Control ends this long after the last command (UTC ms). */
  expiresMs: number;
}

export interface PtzState {
  cameraId: number;
  /** False: the camera has no PTZ (or is not an ONVIF camera); the other fields are then empty. */
  ptz: boolean;
  holder: PtzHolder | null;
  tour: TourStatus | null;
  presets: PtzPreset[];
  tours: PtzTour[];
  /** Your own PTZ priority. */
  myPriority: number;
  /** Release after this many ms without a command. */
  controlIdleMs: number;
  /** Continuous moves stop this long after the last move command (the console repeats while held). */
  moveTimeoutMs: number;
}

export interface PtzPosition {
  pan: number;
  tilt: number;
  zoom: number;
  moving: boolean;
}

// ---------- priorities ----------
export const DEFAULT_PTZ_PRIORITY: Record<Role, number> = { admin: 40, dispatcher: 30, investigator: 20, officer: 10 };
/** Priority of system actions (alarm linkage): above investigators and officers, below dispatchers and admins. */
export const SYSTEM_PTZ_PRIORITY = 25;

export const PriorityBody = s.object({
  priority: s.nullable(s.int({ min: 0, max: 100, description: 'PTZ priority of this user; null = the default of their role' })),
});
export type PriorityBody = Infer<typeof PriorityBody>;

export interface UserPriority {
  userId: number;
  username: string;
  role: Role;
  /** Per-user setting, or null (role default). */
  priority: number | null;
  effective: number;
}

/** WebSocket events of this feature; add variants here (each with a distinct `type`). */
export type OnvifServerEvent =
  /** Who holds PTZ control of a camera changed. */
  | { type: 'ptz.control'; cameraId: number; holder: PtzHolder | null; reason: 'taken' | 'takeover' | 'released' | 'idle' }
  /** A tour started, yielded, resumed, moved to a step or stopped (tour null). */
  | { type: 'ptz.tour'; cameraId: number; tour: TourStatus | null }
  /** Presets or tours of a camera changed. */
  | { type: 'ptz.presets'; cameraId: number; presets: PtzPreset[]; tours: PtzTour[] }
  /** Result of a periodic device check. */
  | { type: 'onvif.health'; health: OnvifHealth; cameraIds: number[] };

/** Every event type above, for the console's parser (the Record makes the compiler insist the list is complete). */
export const ONVIF_EVENT_TYPES: Record<OnvifServerEvent['type'], true> = {
  'ptz.control': true,
  'ptz.tour': true,
  'ptz.presets': true,
  'onvif.health': true,
};
