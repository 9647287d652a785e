// Every JSON endpoint of the API, declared once (common/endpoint.ts): `E.<operationId>`; ENDPOINT_AREAS lists them by area.
import { declarationsOf, type AnyEndpoint } from '../endpoint';
import * as access from './access';
import * as alarms from './alarms';
import * as auth from './auth';
import * as cameras from './cameras';
import * as channels from './channels';
import * as channelsPtz from './channels-ptz';
import * as devices from './devices';
import * as factors from './factors';
import * as gb28181 from './gb28181';
import * as gbCascade from './gb28181-cascade';
import * as gbControl from './gb28181-control';
import * as gbRecords from './gb28181-records';
import * as gps from './gps';
import * as investigation from './investigation';
import * as layouts from './layouts';
import * as live from './live';
import * as onvif from './onvif';
import * as org from './org';
import * as system from './system';
import * as units from './units';
import * as users from './users';
import * as wallState from './wall-state';

export * from './access';
export * from './alarms';
export * from './auth';
export * from './cameras';
export * from './channels';
export * from './channels-ptz';
export * from './devices';
export * from './factors';
export * from './gb28181';
export * from './gb28181-cascade';
export * from './gb28181-control';
export * from './gb28181-records';
export * from './gps';
export * from './investigation';
export * from './layouts';
export * from './live';
export * from './onvif';
export * from './org';
export * from './system';
export * from './units';
export * from './users';
export * from './wall-state';

function only(mod: Record<string, unknown>): Record<string, AnyEndpoint> {
  return Object.fromEntries(Object.entries(mod).filter(([, v]) => isEndpoint(v))) as Record<string, AnyEndpoint>;
}

function isEndpoint(v: unknown): v is AnyEndpoint {
  return typeof v === 'object' && v !== null && typeof (v as AnyEndpoint).method === 'string' && typeof (v as AnyEndpoint).path === 'string' && 'response' in v;
}

/** The declarations by area, in the order the API documents them. */
export const ENDPOINT_AREAS = {
  system: only(system),
  auth: only(auth),
  factors: only(factors),
  cameras: only(cameras),
  units: only(units),
  live: only(live),
  layouts: only(layouts),
  wallState: only(wallState),
  users: only(users),
  onvif: only(onvif),
  gps: only(gps),
  investigation: only(investigation),
  alarms: only(alarms),
  org: only(org),
  devices: only(devices),
  channels: only(channels),
  channelsPtz: only(channelsPtz),
  access: only(access),
  gb28181: only(gb28181),
  gbCascade: only(gbCascade),
  gbControl: only(gbControl),
  gbRecords: only(gbRecords),
};

/** Every declaration, once. */
export const ALL_ENDPOINTS: readonly AnyEndpoint[] = declarationsOf(ENDPOINT_AREAS);
