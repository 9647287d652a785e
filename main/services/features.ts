// The feature plug-in contract: what a feature (ONVIF, GPS/map, investigation, alarms) gets from the back end and gives back.
import type { GbCascades } from './gb28181/cascade-manager';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { ServerEvent } from '../../common/events';
import type { Store, UserRow } from '../../storage/repositories';
import type { MediaHub } from '../../media/hub';
import type { FfmpegLauncher } from '../../media/ffmpeg-launcher';
import type { TileArchiveOpener } from '../../storage/repos/tiles';
import type { Config } from '../config';
import type { AuditLog } from './audit-log';
import type { DeviceEventService } from './device-events';
import type { RecordingService } from './recording';
import type { UnitService } from './units';
import type { AlarmControl } from './alarms/control';
import type { GpsControl } from './gps/control';
import type { InvestigationControl } from './investigation/control';
import type { OnvifControl } from './onvif/control';
import type { GbAdminCommands } from './gb28181/admin-commands';
import type { GbControl } from './gb28181/control';
import type { GbRecordsControl } from './gb28181/records-feature';
import type { LogSink } from '../../common/log';
import type { AccessControl } from './access/contract';

/**
 * Everything a feature may use. Built once by main/server/backend.ts. `R` names the repositories the feature may use
 * (each feature declares its own in `<feature>/context.ts`): it gets only those, not the whole Store.
 */
export interface FeatureContext<R extends keyof Store = keyof Store> {
  config: Config;
  store: Pick<Store, R>;
  /** The feature's own logger (a child named after it); callable like a `(msg) => void`, leveled through asLog. */
  log: LogSink;
  now: () => number;
  /** Pushes an event to every connected console. */
  publish: (ev: ServerEvent) => void;
  /** Sees every event pushed to consoles (camera status, unit status, ...); returns the unsubscribe function. */
  onServerEvent: (listener: (ev: ServerEvent) => void) => () => void;
  audit: AuditLog;
  deviceEvents: DeviceEventService;
  recording: RecordingService;
  units: UnitService;
  hub: MediaHub;
  /** The one launcher every ffmpeg/ffprobe start goes through (exports, snapshots, frame previews, probes). */
  ffmpeg: FfmpegLauncher;
  /** Opens the map's tile archive (MBTiles); storage implementations are chosen by the composition root only. */
  openTiles: TileArchiveOpener;
  /** Rights per organisation node and channel: what a user may see and do (raw mounts and lists filter by it). */
  access: AccessControl;
}

/** The session behind a raw request as a mount sees it (the HTTP adapter's Principal, main/server/router.ts, is one). */
export interface MountSession {
  user: UserRow;
  /** SHA-256 hex of the session token (keys per-session state, e.g. a playback view). */
  tokenHash: string;
}

/** Resolves the session behind a raw request (Authorization: Bearer, or ?token= for players and WebSockets). */
export interface MountAuth {
  principal(req: http.IncomingMessage, url: URL): Promise<MountSession | null>;
  /** The live session with this token hash (a signed playback link names its session); null once it has ended. */
  session(tokenHash: string): Promise<MountSession | null>;
}

/**
 * A non-JSON endpoint under a path prefix (video playlists and segments, map tiles, the units' telemetry WebSocket).
 * It authenticates itself (MountAuth for users, a unit's secret for units) and answers 401 when it cannot.
 */
export interface RawMount {
  /** Path prefix, e.g. '/api/v1/tiles/'. Longest prefix wins; checked before the JSON router. */
  prefix: string;
  http?(req: http.IncomingMessage, res: http.ServerResponse, url: URL, auth: MountAuth): Promise<void>;
  upgrade?(req: http.IncomingMessage, socket: Duplex, head: Buffer, url: URL, auth: MountAuth): void;
}

export interface Feature<C> {
  /** What route handlers (and other features) call. */
  control: C;
  mounts: RawMount[];
  /** Starts background work (subscriptions, health checks, tours, ingest flushers); called after the server listens. */
  start(): Promise<void>;
  /** Stops everything it started; called before storage closes. */
  close(): Promise<void>;
}

/** The features' controls as route handlers see them (ApiDeps.features). */
export interface FeatureControls {
  onvif: OnvifControl;
  gps: GpsControl;
  investigation: InvestigationControl;
  alarms: AlarmControl;
  /** GB/T 28181 (issue 14): devices, approval, passwords, the SIP endpoint. */
  gb: GbControl;
  /** GB/T 28181 device commands for admins: remote reboot, recording on the device (issue 14 item 5). */
  gbCommands: GbAdminCommands;
  /** GB/T 28181 device recordings (issue 14 item 7): ranges on the device, downloads, device playback. */
  gbRecords: GbRecordsControl;
  /** Cascade to superior GB/T 28181 platforms (issue 14 item 8): upper platforms, shared channels, registration state. */
  gbCascade: GbCascades;
}
