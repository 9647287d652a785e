// Device events (motion, tamper, inputs, SOS, geofence crossings, ...): one normalized shape stored in the events table and pushed to consoles.

/** Event types every producer uses (ONVIF, telemetry, geofences, the server itself). Alarm rules match on these. */
export const DEVICE_EVENT_TYPES = [
  'motion',
  'tamper',
  'digital_input',
  'sos',
  'geofence_enter',
  'geofence_exit',
  'camera_offline',
  'unit_offline',
  'video_loss',
  'recording_failed',
  'disk_low',
  'manual',
] as const;
export type DeviceEventType = (typeof DEVICE_EVENT_TYPES)[number];

/** 'active'/'inactive' for stateful signals (motion on/off), 'pulse' for one-off happenings (a geofence crossing). */
export type DeviceEventState = 'active' | 'inactive' | 'pulse';

export interface DeviceEvent {
  id: number;
  /** The camera (a mobile unit's id is its camera id), or null for a server-wide event (low disk). */
  cameraId: number | null;
  type: DeviceEventType;
  state: DeviceEventState;
  /** When it happened (the device's or unit's time, UTC ms). */
  startMs: number;
  endMs: number | null;
  /** Where, when known (WGS-84 degrees). */
  lat?: number | null;
  lon?: number | null;
  /** Producer-specific facts, e.g. { source: 'onvif', topic: 'tns1:VideoSource/MotionAlarm' } or { geofenceId: 3 }. */
  detail: Record<string, unknown> | null;
}
