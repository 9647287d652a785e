// The catalog side of GbControl: sync states, what the console and the other GB modules ask of the catalog service, and its delegation.
import type { ServerMessage } from '../../../common/messages';
import type { GbCatalogItemRow } from '../../../storage/repos/gb-catalog';
import type { GbDeviceStatusSnapshot } from './catalog-device';
import type { GbCatalogChannelView, GbCatalogSubscriptionView } from './catalog-views';
import type { GbSubscriptionState } from './subscriptions';

/** never: not queried since start; running; complete / partial (fewer items than SumNum arrived: nothing disabled); failed. */
export type GbCatalogPhase = 'never' | 'running' | 'complete' | 'partial' | 'failed';

export interface GbCatalogSyncState {
  /** The device's GB ID. */
  deviceId: string;
  phase: GbCatalogPhase;
  startedMs: number | null;
  finishedMs: number | null;
  /** SumNum of the last answer; null when none came. */
  sumNum: number | null;
  /** Items received (duplicates included). */
  received: number;
  /** Why the last query failed (gb.no_answer, gb.refused, gb.not_registered ...), null after a success. */
  error: ServerMessage | null;
}

/** What the console and the other GB modules use of the catalog service (part of GbControl). */
export interface GbCatalogControl {
  /** Queries DeviceInfo and Catalog now; resolves with the sync state. Throws DomainError gb.device_not_found / gb.not_registered. */
  refreshCatalog(gbId: string): Promise<GbCatalogSyncState>;
  catalogState(gbId: string): GbCatalogSyncState;
  /** The device's catalog items (channels with channelId, alarm inputs, organisation entries), catalog order. */
  catalogItems(gbId: string): Promise<GbCatalogItemRow[]>;
  /** The last DeviceStatus answer, or null. */
  deviceStatus(gbId: string): GbDeviceStatusSnapshot | null;
  /** Subscription states (of one device, or all). */
  subscriptionStates(gbId?: string): GbSubscriptionState[];
  /** The console's view of the device's channels (GbChannelView of common/gb28181.ts), by ordinal. */
  channelViews(gbId: string): Promise<GbCatalogChannelView[]>;
  /** The console's view of the device's three subscriptions (GbSubscriptionView). */
  subscriptionViews(gbId: string): GbCatalogSubscriptionView[];
  /**
   * What a registration starts, for a device that was approved while registered: DeviceInfo, Catalog, DeviceStatus,
   * subscriptions (in the background; a device that is not registered is left alone).
   */
  startDevice(gbId: string): void;
}

/** GbCatalogControl by delegation: the feature's service (GbService, the GbControl) extends it and holds the catalog. */
export abstract class GbCatalogDelegate implements GbCatalogControl {
  abstract readonly catalog: GbCatalogControl;
  refreshCatalog(gbId: string): Promise<GbCatalogSyncState> {
    return this.catalog.refreshCatalog(gbId);
  }
  catalogState(gbId: string): GbCatalogSyncState {
    return this.catalog.catalogState(gbId);
  }
  catalogItems(gbId: string): Promise<GbCatalogItemRow[]> {
    return this.catalog.catalogItems(gbId);
  }
  deviceStatus(gbId: string): GbDeviceStatusSnapshot | null {
    return this.catalog.deviceStatus(gbId);
  }
  subscriptionStates(gbId?: string): GbSubscriptionState[] {
    return this.catalog.subscriptionStates(gbId);
  }
  channelViews(gbId: string): Promise<GbCatalogChannelView[]> {
    return this.catalog.channelViews(gbId);
  }
  subscriptionViews(gbId: string): GbCatalogSubscriptionView[] {
    return this.catalog.subscriptionViews(gbId);
  }
  startDevice(gbId: string): void {
    this.catalog.startDevice(gbId);
  }
}
