// Declarations of the GB/T 28181 administration endpoints (served by main/server/routes/gb28181.ts).
import { endpoint, typed } from '../endpoint';
import {
  GB_DEVICE_STATES,
  GB_SUBSCRIPTION_KINDS,
  GB_SUBSCRIPTION_STATES,
  GB_TRANSPORTS,
  GB_UNKNOWN_DEVICE_POLICIES,
  GbApproveBody,
  GbDeviceCreate,
  GbDeviceListQuery,
  GbPasswordBody,
  type GbChannelView,
  type GbDeviceView,
  type GbSettingsView,
} from '../gb28181';
import type { JsonSchema } from '../schema';
import { IdParams } from './params';

const obj = (description: string, properties: Record<string, JsonSchema> = {}): JsonSchema => ({ type: 'object', description, properties });
const int = (description?: string, nullable = false): JsonSchema => ({
  type: 'integer',
  ...(description ? { description } : {}),
  ...(nullable ? { nullable } : {}),
});
const str = (description?: string, nullable = false): JsonSchema => ({
  type: 'string',
  ...(description ? { description } : {}),
  ...(nullable ? { nullable } : {}),
});
const oneOf = (values: readonly string[]): JsonSchema => ({ type: 'string', enum: [...values] });

const SettingsSchema = obj('the SIP server settings in effect (read at start; `where` names the argus.json key and environment variable of each)', {
  port: int('SIP port (UDP and TCP) devices register on; null when the SIP server does not listen', true),
  bind: str(),
  serverId: str('20-digit SIP server ID'),
  domain: str('10-digit SIP domain (digest realm)'),
  sitePasswordSet: { type: 'boolean', description: 'whether a site password is set (never shown)' },
  unknownDevices: oneOf(GB_UNKNOWN_DEVICE_POLICIES),
  where: { type: 'array', items: obj('where a setting is changed', { field: str(), key: str(), env: str() }) },
});
const SubscriptionSchema = obj('a subscription of the device', {
  kind: oneOf(GB_SUBSCRIPTION_KINDS),
  state: oneOf(GB_SUBSCRIPTION_STATES),
  expiresMs: int(undefined, true),
  renewedMs: int(undefined, true),
  reason: { type: 'object', nullable: true, description: 'why it failed: a registered message { code, params }' },
});
const DeviceSchema = obj('a GB/T 28181 device (never with its password)', {
  deviceId: int('the Argus device (/devices/:id)'),
  gbId: str('20-digit GB/T 28181 device ID'),
  name: str(),
  nodeId: int(),
  approved: { type: 'boolean' },
  enabled: { type: 'boolean' },
  state: oneOf(GB_DEVICE_STATES),
  lastRegisterMs: int(undefined, true),
  lastKeepaliveMs: int(undefined, true),
  expiresMs: int('when the current registration expires', true),
  peer: { ...obj('where it registered from', { transport: oneOf(GB_TRANSPORTS), host: str(), port: int() }), nullable: true },
  hasPassword: { type: 'boolean', description: 'the device has a password of its own (else the site password applies)' },
  vendor: str(),
  model: str(),
  firmware: str(),
  channelCount: int(),
  lastCatalogMs: int(undefined, true),
  subscriptions: { type: 'array', items: SubscriptionSchema },
  createdMs: int(),
});
const ChannelSchema = obj('a channel as the Catalog describes it', {
  channelId: int('the Argus channel (/channels/:id)'),
  deviceId: int(),
  gbId: str('20-digit channel ID'),
  name: str(),
  ordinal: int(),
  typeCode: str('131 camera, 132 network camera, 134 alarm input, ...'),
  online: { type: 'boolean', description: 'Status ON in the Catalog' },
  civilCode: str(undefined, true),
  parentId: str(undefined, true),
  businessGroupId: str(undefined, true),
  manufacturer: str(),
  model: str(),
  ptz: { type: 'boolean' },
  lon: { type: 'number', nullable: true },
  lat: { type: 'number', nullable: true },
});
const DevicesSchema = typed<GbDeviceView[]>({ type: 'array', items: DeviceSchema });
const ChannelsSchema = typed<GbChannelView[]>({ type: 'array', items: ChannelSchema });

export const getGb28181Settings = endpoint({
  method: 'GET',
  path: '/api/v1/gb28181/settings',
  auth: 'devices.manage',
  tag: 'gb28181',
  summary: 'The SIP server settings in effect: port, server ID, domain, whether a site password is set, the unknown-device policy',
  description: 'Settings are read at start (argus.json or the environment; `where` names both for each); the site password is never returned.',
  response: { description: 'settings', schema: typed<GbSettingsView>(SettingsSchema) },
});

export const putGb28181SitePassword = endpoint({
  method: 'PUT',
  path: '/api/v1/gb28181/site-password',
  auth: 'devices.manage',
  tag: 'gb28181',
  summary: 'Set the site password (the digest password of devices without their own; null clears it); stored encrypted, never returned',
  description: 'Needs devices.manage at the root. Audited (gb.site_password, without the password).',
  body: GbPasswordBody,
  response: { status: 204, description: 'saved' },
});

export const getGb28181Devices = endpoint({
  method: 'GET',
  path: '/api/v1/gb28181/devices',
  auth: 'devices.manage',
  tag: 'gb28181',
  summary: 'GB/T 28181 devices (online, awaiting approval, offline) with last registration, peer address, transport and subscriptions',
  description: 'Devices awaiting approval are listed to holders of devices.manage at the root only; approved ones where the caller holds it.',
  query: GbDeviceListQuery,
  response: { description: 'devices ordered by id', schema: DevicesSchema },
});

export const postGb28181Devices = endpoint({
  method: 'POST',
  path: '/api/v1/gb28181/devices',
  auth: 'devices.manage',
  tag: 'gb28181',
  summary: 'Add a GB/T 28181 device before it registers (approved, in a node), with its own password or the site password',
  description: 'Needs devices.manage on the node. 409 with field gbId when the ID is taken. Audited (gb.device_add, without the password).',
  body: GbDeviceCreate,
  response: { status: 201, description: 'the device', schema: typed<GbDeviceView>(DeviceSchema) },
});

export const getGb28181DevicesByid = endpoint({
  method: 'GET',
  path: '/api/v1/gb28181/devices/:id',
  auth: 'devices.manage',
  tag: 'gb28181',
  summary: 'One GB/T 28181 device (by its Argus device id)',
  params: IdParams,
  response: { description: 'the device', schema: typed<GbDeviceView>(DeviceSchema) },
});

export const postGb28181DevicesByidApprove = endpoint({
  method: 'POST',
  path: '/api/v1/gb28181/devices/:id/approve',
  auth: 'devices.manage',
  tag: 'gb28181',
  summary: 'Accept a device awaiting approval into an organisation node (optionally renamed); its catalog is queried when it is registered',
  description: 'Needs devices.manage on the device and on the node. 409 gb.not_awaiting when it is approved already. Audited (gb.device_approve).',
  params: IdParams,
  body: GbApproveBody,
  response: { description: 'the device, approved', schema: typed<GbDeviceView>(DeviceSchema) },
});

export const postGb28181DevicesByidReject = endpoint({
  method: 'POST',
  path: '/api/v1/gb28181/devices/:id/reject',
  auth: 'devices.manage',
  tag: 'gb28181',
  summary: 'Refuse a device awaiting approval (an approved one is deleted with DELETE /devices/:id)',
  description: '409 gb.not_awaiting for an approved device. A later REGISTER from it is held again (or refused). Audited (gb.device_reject).',
  params: IdParams,
  response: { status: 204, description: 'rejected' },
});

export const putGb28181DevicesByidPassword = endpoint({
  method: 'PUT',
  path: '/api/v1/gb28181/devices/:id/password',
  auth: 'devices.manage',
  tag: 'gb28181',
  summary: "Set the device's own digest password (null: the site password applies again); stored encrypted, never returned",
  description: 'Audited (gb.device_password, without the password).',
  params: IdParams,
  body: GbPasswordBody,
  response: { status: 204, description: 'saved' },
});

export const postGb28181DevicesByidCatalog = endpoint({
  method: 'POST',
  path: '/api/v1/gb28181/devices/:id/catalog',
  auth: 'devices.manage',
  tag: 'gb28181',
  summary: 'Query the Catalog of a registered device now and apply it (added, changed and removed channels)',
  description: '503 gb.not_registered when the device is not registered. Audited (gb.catalog_refresh).',
  params: IdParams,
  response: { description: 'its channels after the refresh', schema: ChannelsSchema },
});

export const getGb28181DevicesByidChannels = endpoint({
  method: 'GET',
  path: '/api/v1/gb28181/devices/:id/channels',
  auth: 'devices.manage',
  tag: 'gb28181',
  summary: "The device's channels as its last Catalog described them (type code, status, civil code, parent)",
  params: IdParams,
  response: { description: 'channels by ordinal', schema: ChannelsSchema },
});
