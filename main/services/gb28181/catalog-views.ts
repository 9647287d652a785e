// What the console's GB/T 28181 admin shows of catalogs and subscriptions (the shapes of common/gb28181.ts GbChannelView / GbSubscriptionView).
import { assertNever } from '../../../common/events';
import type { GbChannelView, GbSubscriptionView } from '../../../common/gb28181';
import type { ChannelRow } from '../../../storage/repos/devices';
import type { GbCatalogItemRow } from '../../../storage/repos/gb-catalog';
import { text } from './catalog-items';
import { GB_SUBSCRIPTION_KINDS, type GbSubscriptionPhase, type GbSubscriptionState } from './subscriptions';

/** A channel of a GB device as its Catalog describes it: the console's own shape. */
export type GbCatalogChannelView = GbChannelView;

/** The console's four subscription states. */
export type GbSubscriptionViewState = GbSubscriptionView['state'];

export type GbCatalogSubscriptionView = GbSubscriptionView;

export function viewState(phase: GbSubscriptionPhase): GbSubscriptionViewState {
  switch (phase) {
    case 'active':
      return 'active';
    case 'subscribing':
      return 'pending';
    case 'retrying':
    case 'refused':
      return 'failed';
    case 'stopped':
      return 'off';
    default:
      return assertNever(phase);
  }
}

/** One view per kind (a kind never subscribed is 'off'). */
export function subscriptionViews(states: readonly GbSubscriptionState[]): GbCatalogSubscriptionView[] {
  return GB_SUBSCRIPTION_KINDS.map((kind) => {
    const s = states.find((x) => x.kind === kind);
    if (!s) return { kind, state: 'off', expiresMs: null, renewedMs: null, reason: null };
    return { kind, state: viewState(s.phase), expiresMs: s.expiresAtMs, renewedMs: s.acceptedMs, reason: s.lastError };
  });
}

/** The device's video channels with their catalog facts, by ordinal (items whose channel an admin deleted are left out). */
export function channelViews(rows: readonly GbCatalogItemRow[], channels: readonly ChannelRow[]): GbCatalogChannelView[] {
  const byChannel = new Map(rows.filter((r) => r.channelId !== null).map((r) => [r.channelId!, r] as const));
  const out: GbCatalogChannelView[] = [];
  for (const ch of [...channels].sort((a, b) => a.ordinal - b.ordinal)) {
    const r = byChannel.get(ch.id);
    if (!r) continue;
    out.push({
      channelId: ch.id,
      deviceId: ch.deviceId,
      gbId: r.gbId,
      name: ch.name,
      ordinal: ch.ordinal,
      typeCode: /^\d{20}$/.test(r.gbId) ? r.gbId.slice(10, 13) : '',
      online: r.present && r.status === 'ON',
      civilCode: r.civilCode,
      parentId: r.parentGbId,
      businessGroupId: r.businessGroupId,
      manufacturer: text(r.raw, 'Manufacturer') ?? '',
      model: text(r.raw, 'Model') ?? '',
      ptz: ch.ptz,
      lon: r.longitude,
      lat: r.latitude,
    });
  }
  return out;
}
