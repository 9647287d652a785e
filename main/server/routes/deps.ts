// What route handlers depend on; the app builds it, the OpenAPI generator builds routes without it.
import type { ServerEvent } from '../../../common/events';
import type { Store } from '../../../storage/repositories';
import type { Config } from '../../config';
import type { FeatureControls } from '../../services/features';
import type { RecordingControl } from '../../services/recording-control';
import type { UnitControl } from '../../services/unit-control';
import type { AuditLog } from '../../services/audit-log';
import type { DevicesControl } from '../../services/devices/index';
import type { AccessService } from '../../services/access/service';
import type { AuthService } from '../auth';
import type { LiveGateway } from '../live';
import type { Mutex } from '../mutex';

export interface EventSink {
  publish(ev: ServerEvent): void;
  closeSession(tokenHash: string): void;
  closeUser(userId: number): void;
  closeUserExcept(userId: number, keepTokenHash: string): void;
}

export interface ApiDeps {
  config: Config;
  store: Store;
  recording: RecordingControl;
  /** Units online, publish checks and publish URLs. */
  units: UnitControl;
  /** Live tickets and streams. */
  live: LiveGateway;
  events: EventSink;
  auth: AuthService;
  audit: AuditLog;
  /** Serializes configuration changes (cameras, units, users). */
  configLock: Mutex;
  now: () => number;
  log: (msg: string) => void;
  startedMs: number;
  /** Devices, channels and the organisation tree. */
  devices: DevicesControl;
  /** Rights per organisation node and channel (issue 13): every object-level check and list filter asks it. */
  access: AccessService;
  /** ONVIF, GPS/map, investigation and alarm services (absent ones answer 503). */
  features: FeatureControls;
}

/** Deps are only reached inside handlers, so the route table can be built for documentation without them. */
export type DepsRef = () => ApiDeps;

export { IdParams } from '../../../common/endpoints/params';
