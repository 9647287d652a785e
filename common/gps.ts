// Gps contracts (issue 5): telemetry wire format and its validation, API bodies and views, and the gps events on the WebSocket stream.
import { s, type Infer } from './schema';
import type { UnitType } from './api';

/** Telemetry may not claim a time more than this far ahead of the server's clock. */
export const MAX_FUTURE_MS = 5 * 60_000;
/** Telemetry older than this (the year 2000) is a broken clock, not a buffered point. */
export const MIN_POINT_MS = Date.UTC(2000, 0, 1);
/** A unit whose last fix is older than this is shown as stale. */
export const STALE_AFTER_MS = 60_000;
/** Most points one HTTP batch or WebSocket message may carry. */
export const MAX_BATCH_POINTS = 5_000;

/** One telemetry point as a unit sends it (WGS-84; times are the unit's own, UTC ms). */
export interface TelemetryPoint {
  tMs: number;
  lat: number;
  lon: number;
  altM?: number | null;
  speedMps?: number | null;
  headingDeg?: number | null;
  accuracyM?: number | null;
  batteryPct?: number | null;
  signalDbm?: number | null;
  sos?: boolean;
  /** Set by the agent on points it kept on disk while the link was down (they are never shown as the live position). */
  buffered?: boolean;
}

/** Why a point or a message was refused (counted per unit). */
export const REJECT_REASONS = [
  'malformed_json',
  'bad_message',
  'bad_point',
  'lat_out_of_range',
  'lon_out_of_range',
  'future_timestamp',
  'old_timestamp',
  'too_many_points',
  'unknown_unit',
  'disabled_unit',
  'bad_key',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export type PointCheck = { ok: true; point: TelemetryPoint } | { ok: false; reason: RejectReason; field: string; message: string };

const OPTIONAL_NUMBERS: Array<[keyof TelemetryPoint, number, number]> = [
  ['altM', -1000, 100_000],
  ['speedMps', 0, 1000],
  ['headingDeg', 0, 360],
  ['accuracyM', 0, 100_000],
  ['batteryPct', 0, 100],
  ['signalDbm', -200, 0],
];
const KNOWN_FIELDS = new Set(['tMs', 'lat', 'lon', 'sos', 'buffered', ...OPTIONAL_NUMBERS.map(([k]) => k)]);

/** Validates one point against the server clock; never throws. */
export function checkPoint(raw: unknown, nowMs: number): PointCheck {
  const bad = (reason: RejectReason, field: string, message: string): PointCheck => ({ ok: false, reason, field, message });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad('bad_point', '', 'must be an object');
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r)) if (!KNOWN_FIELDS.has(k)) return bad('bad_point', k, 'unknown field');
  const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  if (!num(r.tMs) || !Number.isInteger(r.tMs)) return bad('bad_point', 'tMs', 'must be a whole number of ms');
  if (!num(r.lat)) return bad('bad_point', 'lat', 'must be a number');
  if (!num(r.lon)) return bad('bad_point', 'lon', 'must be a number');
  const tMs = r.tMs as number;
  const lat = r.lat as number;
  const lon = r.lon as number;
  if (lat < -90 || lat > 90) return bad('lat_out_of_range', 'lat', 'must be between -90 and 90');
  if (lon < -180 || lon > 180) return bad('lon_out_of_range', 'lon', 'must be between -180 and 180');
  if (tMs > nowMs + MAX_FUTURE_MS) return bad('future_timestamp', 'tMs', 'is more than 5 minutes in the future');
  if (tMs < MIN_POINT_MS) return bad('old_timestamp', 'tMs', 'is before the year 2000');
  const p: TelemetryPoint = { tMs, lat, lon };
  for (const [k, min, max] of OPTIONAL_NUMBERS) {
    const v = r[k];
    if (v === undefined || v === null) continue;
    if (!num(v) || (v as number) < min || (v as number) > max) return bad('bad_point', k, `must be a number from ${min} to ${max}`);
    (p as unknown as Record<string, number>)[k] = v as number;
  }
  for (const k of ['sos', 'buffered'] as const) {
    const v = r[k];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') return bad('bad_point', k, 'must be true or false');
    p[k] = v;
  }
  return { ok: true, point: p };
}

/** What a unit sends on the telemetry WebSocket. */
export type UnitMessage = { type: 'points'; seq: number; points: unknown[] } | { type: 'sos'; active: boolean; tMs?: number };

/** What the server answers on the telemetry WebSocket (and, as `IngestResult`, to an HTTP batch). */
export interface IngestResult {
  /** Points newly stored. */
  stored: number;
  /** Points already stored (same unit, same time): dropped. */
  duplicates: number;
  /** Refused points by index in the batch. */
  rejected: Array<{ index: number; reason: RejectReason; field: string; message: string }>;
}
export type ServerToUnit = ({ type: 'ack'; seq: number } & IngestResult) | { type: 'error'; reason: RejectReason; message: string };

// ---------------------------------------------------------------- views

/** A unit's latest live position and telemetry. */
export interface UnitPosition {
  unitId: number;
  tMs: number;
  lat: number;
  lon: number;
  altM: number | null;
  speedMps: number | null;
  headingDeg: number | null;
  accuracyM: number | null;
  batteryPct: number | null;
  signalDbm: number | null;
  sos: boolean;
}

/** A unit as the map shows it. */
export interface MapUnit {
  /** The mobile device's id (its GPS points' unit id). */
  unitId: number;
  /** The channel watched and played back with its track: an agent's own (= unitId), a GB/T 28181 body camera's first channel; null while it has none. */
  channelId: number | null;
  callsign: string;
  type: UnitType;
  officer: string | null;
  enabled: boolean;
  /** Last live position (null before the first one). */
  position: UnitPosition | null;
  /** A telemetry WebSocket of this unit is connected. */
  linkUp: boolean;
  /** Server time the unit last sent anything, UTC ms (null: never). */
  lastSeenMs: number | null;
  sos: boolean;
  /** Refused telemetry since the server started, by reason. */
  rejects: Partial<Record<RejectReason, number>>;
}

export interface TrackPointView {
  tMs: number;
  lat: number;
  lon: number;
  speedMps: number | null;
  headingDeg: number | null;
}

export const CircleGeometry = s.object({
  lat: s.number({ min: -90, max: 90 }),
  lon: s.number({ min: -180, max: 180 }),
  radiusM: s.number({ min: 1, max: 100_000 }),
});
export const LatLon = s.array(s.number({ min: -180, max: 180 }), { minItems: 2, maxItems: 2 });

export const GeofenceCreate = s.object({
  name: s.string({ minLength: 1, maxLength: 100, singleLine: true }),
  shape: s.enum(['polygon', 'circle'] as const),
  /** Polygon: [[lat, lon], ...] (3 to 500 vertices). */
  polygon: s.optional(s.array(LatLon, { minItems: 3, maxItems: 500 })),
  circle: s.optional(CircleGeometry),
  /** Units watched by id (null/absent with unitTypes absent: every unit). */
  unitIds: s.optional(s.nullable(s.array(s.int({ min: 1 }), { maxItems: 10_000 }))),
  unitTypes: s.optional(s.nullable(s.array(s.enum(['vehicle', 'body', 'handheld', 'portable'] as const), { maxItems: 4 }))),
  enabled: s.optional(s.boolean()),
});
export type GeofenceCreate = Infer<typeof GeofenceCreate>;
export const GeofenceUpdate = s.partial(GeofenceCreate);
export type GeofenceUpdate = Infer<typeof GeofenceUpdate>;

export interface Geofence {
  id: number;
  name: string;
  shape: 'polygon' | 'circle';
  polygon: Array<[number, number]> | null;
  circle: { lat: number; lon: number; radiusM: number } | null;
  unitIds: number[] | null;
  unitTypes: UnitType[] | null;
  enabled: boolean;
  createdMs: number;
  updatedMs: number;
}

export const CameraPlacementBody = s.object({
  lat: s.number({ min: -90, max: 90, description: 'WGS-84 latitude' }),
  lon: s.number({ min: -180, max: 180, description: 'WGS-84 longitude' }),
  viewDeg: s.nullable(s.number({ min: 0, max: 360, description: 'view direction, degrees clockwise from north' })),
});
export type CameraPlacementBody = Infer<typeof CameraPlacementBody>;

export interface CameraPlacement {
  cameraId: number;
  name: string;
  lat: number;
  lon: number;
  viewDeg: number | null;
}

export interface MapConfig {
  /** Leaflet URL template of the tile source ({z}/{x}/{y}); relative URLs are served by Argus (MBTiles). */
  tileUrl: string;
  /** 'gcj02': the tiles are drawn in GCJ-02; positions are converted before drawing. */
  datum: 'wgs84' | 'gcj02';
  /** The local MBTiles file exists and is served. */
  localTiles: boolean;
  /** Bounds and zooms of the local tiles, when known: [minLon, minLat, maxLon, maxLat]. */
  bounds: [number, number, number, number] | null;
  minZoom: number;
  maxZoom: number;
  center: [number, number] | null;
}

export interface NearestUnit {
  unitId: number;
  distanceM: number;
  position: UnitPosition;
}

// ---------------------------------------------------------------- WebSocket events

/** WebSocket events of this feature; add variants here (each with a distinct `type`). */
export type GpsServerEvent =
  /** Live positions that changed since the last batch (sent at most once a second). */
  | { type: 'gps.positions'; positions: UnitPosition[]; links: Array<{ unitId: number; linkUp: boolean; lastSeenMs: number | null }> }
  | { type: 'gps.geofence.changed'; geofence: Geofence | null; deletedId?: number }
  | { type: 'gps.camera.placed'; placement: CameraPlacement | null; cameraId: number }
  /** The local MBTiles file appeared, changed or went away while the server runs: the new map configuration. */
  | { type: 'gps.tiles.changed'; config: MapConfig };

/** Every event type above, for the console's parser (the Record makes the compiler insist the list is complete). */
export const GPS_EVENT_TYPES: Record<GpsServerEvent['type'], true> = {
  'gps.positions': true,
  'gps.geofence.changed': true,
  'gps.camera.placed': true,
  'gps.tiles.changed': true,
};

/** Where the field agent asks, with its stream key alone, which unit it is and where to publish (GET, X-Unit-Key). */
export const AGENT_UNIT_PATH = '/api/v1/gps/agent/unit';

/** The answer of AGENT_UNIT_PATH: the unit the key belongs to and the publish URL the Admin dialog shows. */
export interface AgentUnitConfig {
  unitId: number;
  callsign: string;
  /** rtmp://HOST:PORT/live/<unitId>?key=<streamKey> (publicHost and rtmpPort of the server's config); rtmps://HOST:RTMPS_PORT/... with TLS on. */
  publishUrl: string;
}

/** Checks an AGENT_UNIT_PATH answer; throws with what is wrong (the agent must not push to a URL it cannot trust). */
export function parseAgentUnitConfig(raw: unknown): AgentUnitConfig {
  const o = raw as Partial<AgentUnitConfig> | null;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new Error('server answer is not a JSON object');
  if (!Number.isInteger(o.unitId) || (o.unitId as number) < 1) throw new Error('server answer has no valid unitId');
  if (typeof o.callsign !== 'string' || o.callsign === '') throw new Error('server answer has no callsign');
  if (typeof o.publishUrl !== 'string') throw new Error('server answer has no publishUrl');
  let url: URL;
  try {
    url = new URL(o.publishUrl);
  } catch {
    throw new Error(`server answer's publishUrl is not a URL: ${JSON.stringify(o.publishUrl.slice(0, 80))}`);
  }
  if ((url.protocol !== 'rtmp:' && url.protocol !== 'rtmps:') || !url.hostname)
    throw new Error(`server answer's publishUrl is not an rtmp:// or rtmps:// URL (${url.protocol})`);
  if (url.pathname !== `/live/${o.unitId as number}`) throw new Error(`server answer's publishUrl is not for unit ${o.unitId as number}`);
  return { unitId: o.unitId as number, callsign: o.callsign, publishUrl: o.publishUrl };
}
