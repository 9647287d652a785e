// What route handlers (Admin → GB/T 28181) and the other GB modules may ask of the GB/T 28181 feature (issue 14).
import type { Actor } from '../../platform/actor';
import type { GbCatalogControl } from './catalog';
import type { GbSignalling } from './signalling';

/** A GB device as the console lists it (never its password). */
export interface GbDeviceInfo {
  /** devices.id */
  deviceId: number;
  /** The 20-digit GB/T 28181 device ID. */
  gbId: string;
  name: string;
  nodeId: number;
  approved: boolean;
  enabled: boolean;
  /** Has a password of its own (else the site password applies). */
  hasPassword: boolean;
  registered: boolean;
  online: boolean;
  transport: 'udp' | 'tcp' | null;
  /** host:port it registered from (after NAT), or null. */
  remote: string | null;
  expiresMs: number | null;
  /** When the current registration was accepted (first REGISTER or refresh); null while not registered. */
  registeredMs: number | null;
  lastSeenMs: number | null;
  keepaliveS: number;
  firstSeenMs: number;
}

/** The SIP settings as the console shows them (the site password only as set / not set). */
export interface GbSettingsView {
  serverId: string;
  domain: string;
  /** The port SIP listens on (UDP and TCP); 0 while it is not listening. */
  port: number;
  host: string;
  listening: boolean;
  unknownDevices: 'refuse' | 'hold';
  sitePasswordSet: boolean;
}

export type GbDeviceFilter = 'all' | 'registered' | 'awaiting' | 'offline';

/** With the catalog side (feat/gb-catalog): refreshCatalog, catalogState, catalogItems, channelViews, subscriptionViews, startDevice ... by GB device ID. */
export interface GbControl extends GbCatalogControl {
  /** The SIP endpoint every GB module uses (catalog, media, control, records, cascade). */
  readonly signalling: GbSignalling;
  settings(): Promise<GbSettingsView>;
  list(filter?: GbDeviceFilter): Promise<GbDeviceInfo[]>;
  device(deviceId: number): Promise<GbDeviceInfo>;
  /** Adds a device before it first registers (approved, in `nodeId`), with its own password or the site's. Audited. */
  add(input: { gbId: string; name: string; nodeId: number; password: string | null }, actor: Actor): Promise<GbDeviceInfo>;
  /** Accepts a device awaiting approval into an organisation node (optionally renamed). Audited. */
  approve(deviceId: number, nodeId: number, name: string | null, actor: Actor): Promise<GbDeviceInfo>;
  /** Refuses a device awaiting approval: its row goes; a later REGISTER is held again (or refused). Audited. */
  reject(deviceId: number, actor: Actor): Promise<void>;
  /** Sets or clears (null: the site password applies) a device's own digest password. Audited, never logged. */
  setPassword(deviceId: number, password: string | null, actor: Actor): Promise<void>;
  /** The device's keepalive interval (5–3600 s; from its DeviceConfig BasicParam HeartBeatInterval): stored, applies at once. */
  setKeepalive(gbId: string, keepaliveS: number): Promise<void>;
  /** Sets or clears (null: the sipSitePassword setting applies) the site password. Audited, never logged. */
  setSitePassword(password: string | null, actor: Actor): Promise<void>;
}
