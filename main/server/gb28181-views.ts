// Admin → GB/T 28181's views: a GB device (the feature's GbDeviceInfo, its devices row and its catalog state) as the API shows it (common/gb28181.ts).
import type { DeviceView } from '../../common/devices';
import { GB_SUBSCRIPTION_KINDS, type GbDeviceState, type GbDeviceView, type GbPeerView, type GbSubscriptionView } from '../../common/gb28181';
import type { GbDeviceInfo } from '../services/gb28181/control';

/** What the catalog side knows of a device (absent: no catalog read yet, nothing subscribed). */
export interface GbCatalogFacts {
  lastCatalogMs: number | null;
  subscriptions: GbSubscriptionView[];
}

/** Every subscription kind, off: a device whose catalog side has nothing yet. */
export const NO_SUBSCRIPTIONS: readonly GbSubscriptionView[] = GB_SUBSCRIPTION_KINDS.map((kind) => ({
  kind,
  state: 'off',
  expiresMs: null,
  renewedMs: null,
  reason: null,
}));

export function gbState(d: Pick<GbDeviceInfo, 'approved' | 'online'>): GbDeviceState {
  if (!d.approved) return 'awaiting_approval';
  return d.online ? 'online' : 'offline';
}

/** "host:port" (an IPv6 host in brackets or bare) and the transport → the peer; null when either is missing. */
export function peerOf(transport: GbDeviceInfo['transport'], remote: string | null): GbPeerView | null {
  if (!transport || !remote) return null;
  const i = remote.lastIndexOf(':');
  const port = Number(remote.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { transport, host: remote.slice(0, i).replace(/^\[(.*)\]$/, '$1'), port };
}

export function gbDeviceView(info: GbDeviceInfo, device: DeviceView | null, catalog: GbCatalogFacts | null): GbDeviceView {
  return {
    deviceId: info.deviceId,
    gbId: info.gbId,
    name: info.name,
    nodeId: info.nodeId,
    approved: info.approved,
    enabled: info.enabled,
    state: gbState(info),
    lastRegisterMs: info.registeredMs,
    lastKeepaliveMs: info.lastSeenMs,
    expiresMs: info.expiresMs,
    peer: peerOf(info.transport, info.remote),
    hasPassword: info.hasPassword,
    vendor: device?.vendor ?? '',
    model: device?.model ?? '',
    firmware: device?.firmware ?? '',
    channelCount: device?.channels.length ?? 0,
    lastCatalogMs: catalog?.lastCatalogMs ?? null,
    subscriptions: catalog?.subscriptions ?? [...NO_SUBSCRIPTIONS],
    createdMs: info.firstSeenMs,
  };
}
