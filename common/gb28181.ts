// GB/T 28181 administration (issue 14 item 9): API bodies (validated with common/schema.ts) and the views of the SIP settings, devices, channels and subscriptions.
import type { WireMessage } from './messages';
import { s, type Infer } from './schema';

/** A GB/T 28181 ID (device, channel, server): 20 digits. */
export const GB_ID_PATTERN = /^\d{20}$/;
export const GB_TRANSPORTS = ['udp', 'tcp'] as const;
export type GbTransport = (typeof GB_TRANSPORTS)[number];
/** What happens to a REGISTER from an ID Argus does not know: refused (403), or held in the "awaiting approval" list. */
export const GB_UNKNOWN_DEVICE_POLICIES = ['refuse', 'hold'] as const;
export type GbUnknownDevicePolicy = (typeof GB_UNKNOWN_DEVICE_POLICIES)[number];
/** The admin list's grouping: registered (online), awaiting approval, offline (approved, not registered or keepalives missed). */
export const GB_DEVICE_STATES = ['online', 'awaiting_approval', 'offline'] as const;
export type GbDeviceState = (typeof GB_DEVICE_STATES)[number];
export const GB_SUBSCRIPTION_KINDS = ['Catalog', 'Alarm', 'MobilePosition'] as const;
export type GbSubscriptionKind = (typeof GB_SUBSCRIPTION_KINDS)[number];
/** active: accepted and renewed before expiry; pending: sent, not answered yet; failed: refused or unanswered (retried); off: not subscribed (device offline, or not wanted). */
export const GB_SUBSCRIPTION_STATES = ['active', 'pending', 'failed', 'off'] as const;
export type GbSubscriptionState = (typeof GB_SUBSCRIPTION_STATES)[number];
/** The server settings the console shows (each with its argus.json key and environment variable). */
export const GB_SETTING_FIELDS = ['port', 'bind', 'serverId', 'domain', 'sitePassword', 'unknownDevices'] as const;
export type GbSettingField = (typeof GB_SETTING_FIELDS)[number];

/** The SIP server's settings as in effect (read-only: settings are read at start; `where` says how to change each). */
export interface GbSettingsView {
  /** The SIP port devices register on (UDP and TCP); the bound one when the setting is 0; null when the SIP server does not listen. */
  port: number | null;
  bind: string;
  /** 20-digit SIP server ID (devices' "SIP server ID"). */
  serverId: string;
  /** 10-digit SIP domain (the digest realm). */
  domain: string;
  /** Whether a site password is set (devices without their own password use it); the password itself is never shown. */
  sitePasswordSet: boolean;
  unknownDevices: GbUnknownDevicePolicy;
  /** Where each setting is changed: its argus.json key and environment variable (a restart applies it). */
  where: Array<{ field: GbSettingField; key: string; env: string }>;
}

export interface GbPeerView {
  transport: GbTransport;
  host: string;
  port: number;
}

export interface GbSubscriptionView {
  kind: GbSubscriptionKind;
  state: GbSubscriptionState;
  /** When the current subscription expires (it is renewed before); null when none is active. */
  expiresMs: number | null;
  /** Last accepted SUBSCRIBE (first or renewal). */
  renewedMs: number | null;
  /** Why it failed (a registered message); null otherwise. */
  reason: WireMessage | null;
}

/** A GB/T 28181 device as Admin → GB/T 28181 shows it (never with its password). */
export interface GbDeviceView {
  /** The Argus device (/devices/:id). */
  deviceId: number;
  /** Its 20-digit GB/T 28181 device ID. */
  gbId: string;
  name: string;
  nodeId: number;
  approved: boolean;
  enabled: boolean;
  state: GbDeviceState;
  /** The last REGISTER (first or refresh) accepted; null when it never registered. */
  lastRegisterMs: number | null;
  lastKeepaliveMs: number | null;
  /** When the current registration expires; null when not registered. */
  expiresMs: number | null;
  /** Where it registered from (Via/source of the last REGISTER); null when not registered. */
  peer: GbPeerView | null;
  /** Whether the device has a password of its own (else the site password applies). Write-only: never returned. */
  hasPassword: boolean;
  vendor: string;
  model: string;
  firmware: string;
  channelCount: number;
  /** Last Catalog answer applied; null when none arrived yet. */
  lastCatalogMs: number | null;
  subscriptions: GbSubscriptionView[];
  /** First REGISTER seen (for a device awaiting approval: when it announced itself). */
  createdMs: number;
}

/** A channel of a GB device as its Catalog describes it (the Argus channel is /channels/:channelId). */
export interface GbChannelView {
  channelId: number;
  deviceId: number;
  /** 20-digit channel ID. */
  gbId: string;
  name: string;
  ordinal: number;
  /** Type code: digits 11–13 of the ID (131 camera, 132 network camera, 134 alarm input, ...). */
  typeCode: string;
  /** The Catalog's Status: ON / OFF (on = the device says the channel works). */
  online: boolean;
  civilCode: string | null;
  /** ParentID (the device, a virtual organisation or a business group). */
  parentId: string | null;
  businessGroupId: string | null;
  manufacturer: string;
  model: string;
  ptz: boolean;
  /** Longitude/latitude from the Catalog, when given. */
  lon: number | null;
  lat: number | null;
}

const name = s.string({ minLength: 1, maxLength: 128, singleLine: true });
export const GbApproveBody = s.object({
  nodeId: s.int({ min: 1, description: 'organisation node the device goes into' }),
  name: s.optional(name),
});
export type GbApproveBody = Infer<typeof GbApproveBody>;

export const GbDeviceCreate = s.object({
  gbId: s.string({ minLength: 20, maxLength: 20, pattern: GB_ID_PATTERN, description: '20-digit GB/T 28181 device ID' }),
  name,
  nodeId: s.int({ min: 1 }),
  password: s.optional(
    s.nullable(
      s.string({ minLength: 1, maxLength: 64, singleLine: true, description: 'its own digest password (write-only); absent/null: the site password' }),
    ),
  ),
});
export type GbDeviceCreate = Infer<typeof GbDeviceCreate>;

export const GbPasswordBody = s.object({
  password: s.nullable(
    s.string({
      minLength: 1,
      maxLength: 64,
      singleLine: true,
      description: 'digest password of this device (write-only); null: the site password applies again',
    }),
  ),
});
export type GbPasswordBody = Infer<typeof GbPasswordBody>;

export const GbDeviceListQuery = s.object({ state: s.optional(s.enum(GB_DEVICE_STATES)) });
export type GbDeviceListQuery = Infer<typeof GbDeviceListQuery>;
