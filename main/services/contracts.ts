// Service contracts one feature offers another (alarm linkage drives PTZ, bookmarks and snapshots); implemented by the features.

import type { DeviceKind } from '../../common/devices';
import type { PtzPosition } from '../../common/onvif';
import type { Actor } from '../platform/actor';

/** Who asked: a user (with role, for PTZ priority) or the system (an alarm rule, a tour); the one Actor type of main/platform/actor.ts. */
export type { Actor };

/** Rights per organisation node and channel (issue 13): the one contract every feature's checks ask (main/services/access/). */
export type { AccessControl, UserAccess } from './access/contract';

/** PTZ moves another feature may ask for (implemented by the ONVIF feature, issue 4). */
export interface PtzActions {
  /** Moves the camera to a stored preset (by preset id as the API shows it). Rejects with a clear message when impossible. */
  gotoPreset(cameraId: number, presetId: number, actor: Actor): Promise<void>;
}

/**
 * One protocol's PTZ commands for the channels of its devices (GB/T 28181 PTZCmd; later JT/T 0x9301), chosen by the
 * channel's device kind. The ONVIF feature's PTZ controller (control priority, continuous moves that stop on their own,
 * presets mirrored in ptz_presets, tours, alarm linkage) drives it exactly as it drives an ONVIF device; a driver only
 * talks to the device. Errors are DomainErrors (Unavailable when the device cannot be reached).
 */
export interface PtzDriver {
  /** The device kind whose channels it steers. */
  readonly kind: DeviceKind;
  /** Whether the channel can be steered (its device is of this kind); null when it is no channel of this driver's. */
  channel(channelId: number): Promise<{ ptz: boolean } | null>;
  /** Pan, tilt, zoom velocities in -1..1 (pan > 0 right, tilt > 0 up, zoom > 0 in); keeps moving until stop. */
  continuousMove(channelId: number, v: { pan: number; tilt: number; zoom: number }): Promise<void>;
  stop(channelId: number): Promise<void>;
  gotoHome(channelId: number): Promise<void>;
  setHome(channelId: number): Promise<void>;
  position(channelId: number): Promise<PtzPosition>;
  /** The presets on the device (token, name); null when the device cannot list them (the stored list is then shown). */
  presets(channelId: number): Promise<Array<{ token: string; name: string }> | null>;
  /** Stores the current position as a new preset; `taken` are the tokens of the channel's stored presets. Returns its token. */
  setPreset(channelId: number, name: string, taken: readonly string[]): Promise<string>;
  removePreset(channelId: number, token: string): Promise<void>;
  gotoPreset(channelId: number, token: string): Promise<void>;
}

/** Bookmarks and snapshots another feature may create (implemented by the investigation feature, issue 6). */
export interface EvidenceActions {
  /** Marks [startMs, endMs] of a camera's (or unit's) recording with a note; returns the bookmark id. */
  createBookmark(input: { cameraId: number; startMs: number; endMs: number; note: string; actor: Actor }): Promise<{ id: number }>;
  /** Takes a JPEG of the camera's live picture now; returns the snapshot id. */
  takeSnapshot(input: { cameraId: number; note: string; actor: Actor }): Promise<{ id: number }>;
}

/** Where a channel or device sits in the organisation tree (implemented by the device service, issue 17). */
export interface OrgScopes {
  /** The node path (root first) of the channel's device, or of the device; null when unknown. From memory, O(depth). */
  scopeOf(target: { channelId: number } | { deviceId: number }): { nodePath: readonly number[] } | null;
}

/** The organisation tree in memory as rights checks read it (implemented by the device service's OrgTreeIndex, issue 17). */
export interface OrgTreeView {
  /** Grows with every structural change (nodes, devices or channels added, moved or removed). */
  readonly version: number;
  /** Calls fn after every structural change; returns the unsubscribe. */
  watch(fn: () => void): () => void;
  node(id: number): { id: number; parentId: number | null; name: string } | null;
  device(id: number): { id: number; nodeId: number; name: string } | null;
  channel(id: number): { id: number; deviceId: number; name: string } | null;
  /** Ids from the root to the node, both included ([] for an unknown node). O(depth). */
  pathOf(nodeId: number): number[];
  channelsOf(deviceId: number): ReadonlyArray<{ id: number }>;
  channelsUnder(nodeId: number, recursive: boolean): ReadonlyArray<{ channelId: number; deviceId: number; name: string }>;
  devicesUnder(nodeId: number, recursive: boolean): ReadonlyArray<{ id: number; nodeId: number; name: string }>;
  allChannels(): ReadonlyArray<{ id: number; deviceId: number }>;
  allDevices(): ReadonlyArray<{ id: number; nodeId: number }>;
}

/** A GPS point as stored (WGS-84). */
export interface TrackPoint {
  unitId: number;
  /** The unit's own timestamp, UTC ms. */
  tMs: number;
  lat: number;
  lon: number;
  altM: number | null;
  speedMps: number | null;
  headingDeg: number | null;
  accuracyM: number | null;
}

/** Place and track questions (implemented by the GPS/map feature, issue 5; used by search and export, issue 6). */
export interface PlaceQueries {
  /** Units with at least one point within radiusM of (lat, lon) in [startMs, endMs]: first and last such time. */
  unitsNear(q: {
    lat: number;
    lon: number;
    radiusM: number;
    startMs: number;
    endMs: number;
  }): Promise<Array<{ unitId: number; firstMs: number; lastMs: number; minDistanceM: number }>>;
  /** Fixed cameras placed within radiusM of (lat, lon), with their distance. */
  camerasNear(q: { lat: number; lon: number; radiusM: number }): Promise<Array<{ cameraId: number; distanceM: number }>>;
  /** One unit's points in [startMs, endMs], in time order (at most `limit`). */
  track(unitId: number, startMs: number, endMs: number, limit?: number): Promise<TrackPoint[]>;
}

/** One position a mobile device of another protocol reports (GB/T 28181 MobilePosition; later JT/T 0x0200), WGS-84. */
export interface ReportedPosition {
  /** The device's own time, UTC ms. */
  tMs: number;
  lat: number;
  lon: number;
  altM?: number | null;
  speedMps?: number | null;
  headingDeg?: number | null;
}

/**
 * Positions of mobile devices of other kinds reach the map, tracks and geofences as an agent unit's telemetry does
 * (implemented by the GPS/map feature, issue 5). The device is a unit of the map once it has a mobile identity.
 */
export interface PositionIntake {
  /** Validates and stores the device's positions (refusals counted per unit as for agents); resolves once stored. */
  submitPositions(deviceId: number, points: readonly ReportedPosition[]): Promise<{ stored: number; rejected: number }>;
  /** The device's link to Argus came up or went down (its registration): shown as the unit's link on the map. */
  positionLink(deviceId: number, up: boolean): void;
}

/** An alarm that names a channel, as the recording policy needs it: its id, channel and first and latest occurrence (UTC ms). */
export interface AlarmOnChannel {
  alarmId: number;
  channelId: number;
  firstMs: number;
  lastMs: number;
}

/** What the alarms feature tells recording (implemented by main/services/recording-policy.ts, issue 17 item 1). */
export interface AlarmRecordingActions {
  /**
   * An alarm naming a channel was raised or occurred again: its alarm window opens or widens, and a channel that records
   * on alarm without pre-alarm starts its recorder. Never throws; the work is done in the background.
   */
  alarmOccurred(a: AlarmOnChannel): void;
}

/** One holder's share of a GB/T 28181 channel's live stream: the run's input, and its release (issue 14). */
export interface GbLiveLease {
  input: import('../../media/stream-source').StreamInput;
  release(): void;
}

/**
 * The GB/T 28181 live streams (implemented by main/services/gb28181/live.ts, used by the GB channels' StreamSource in
 * main/services/sources/gb28181.ts): one INVITE per channel shared by every holder, BYE after the last release.
 * `acquire` rejects with SourceUnavailable (reason worded by the console) when the stream cannot be had now.
 */
export interface GbLiveStreams {
  acquire(deviceGbId: string, channelGbId: string, signal: AbortSignal): Promise<GbLiveLease>;
}
