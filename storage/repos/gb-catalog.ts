// Repository interface of GB/T 28181 catalogs (table gb_channels, migration 022); the SQLite implementation is storage/sqlite/gb-catalog.ts.
import type { RecordMode } from '../../common/devices';

/** What a catalog item maps to (main/services/gb28181/catalog-codes.ts decides it from the ID). */
export type GbItemKind = 'video' | 'alarm_input' | 'civil' | 'business_group' | 'virtual_org' | 'device' | 'other';

/** One stored catalog item of a device. */
export interface GbCatalogItemRow {
  /** devices.id of the device whose catalog listed it. */
  deviceId: number;
  /** The item's DeviceID in the catalog. */
  gbId: string;
  kind: GbItemKind;
  /** Kind video: its channel (null when an admin deleted it; the next catalog makes it again). */
  channelId: number | null;
  /** Organisation kinds: the node it maps to. */
  orgNodeId: number | null;
  name: string | null;
  /** The catalog item it hangs under; null = directly under the device. */
  parentGbId: string | null;
  civilCode: string | null;
  businessGroupId: string | null;
  /** ON, OFF, VLOST, DEFECT ...; null = unknown. */
  status: string | null;
  address: string | null;
  longitude: number | null;
  latitude: number | null;
  ptzType: number | null;
  /** 0-based position in the last catalog that listed it. */
  catalogOrder: number;
  /** Listed by the last complete catalog and not deleted by a NOTIFY since. */
  present: boolean;
  /** Its channel was disabled because the item left the catalog (it is enabled again when the item returns). */
  disabledByCatalog: boolean;
  raw: Record<string, string>;
  createdMs: number;
  updatedMs: number;
}

/** An item to store: absent (null) fields keep their stored value. */
export interface GbItemInput {
  gbId: string;
  kind: GbItemKind;
  name: string | null;
  parentGbId: string | null;
  civilCode: string | null;
  businessGroupId: string | null;
  status: string | null;
  address: string | null;
  longitude: number | null;
  latitude: number | null;
  ptzType: number | null;
  /** PTZ capability of a video item from its PTZType; null keeps the channel's. */
  ptz: boolean | null;
  raw: Record<string, string>;
}

/** Settings of channels a catalog creates. */
export interface GbChannelDefaults {
  segmentSeconds: number;
  retentionDays: number;
  recordMode: RecordMode;
}

/** One change of a device's catalog, applied in one transaction. */
export interface GbCatalogChange {
  /** Items listed (a catalog answer in catalog order, or a NOTIFY's ADD/UPDATE items). */
  items: GbItemInput[];
  /** Organisation items in creation order (parents first) with the codes of their possible parents, nearest first. */
  org: Array<{ gbId: string; parentCodes: string[] }>;
  /** A complete catalog: every stored item it does not list becomes absent (its channel disabled). */
  full: boolean;
  /** Items deleted (NOTIFY DEL): absent, channel disabled. */
  removed: string[];
  /** Status changes of stored items (NOTIFY ON/OFF/VLOST/DEFECT); unknown IDs are ignored. */
  statuses: Array<{ gbId: string; status: string }>;
  channelDefaults: GbChannelDefaults;
}

/** What a change did, for the device tree, the recorders and the console. */
export interface GbCatalogApplied {
  /** Channels made now. */
  created: number[];
  /** Channels whose name, PTZ or place changed. */
  updated: number[];
  /** Channels disabled because their item left the catalog. */
  disabled: number[];
  /** Channels enabled again because their item came back. */
  enabled: number[];
  /** Organisation nodes made now. */
  orgCreated: number[];
  /** Organisation nodes renamed because the catalog renamed their item. */
  orgRenamed: number[];
  /** Items whose status changed. */
  statusChanged: string[];
  /** Video items that got no channel (the device has 4096 already). */
  skipped: string[];
}

export interface GbCatalogRepo {
  /**
   * Applies a catalog change of a device (kind gb28181) in one transaction: organisation nodes made or found by code
   * (under the first parent code that names a node, else the device's node; a name taken among siblings gets the code
   * appended; never deeper than the tree allows), channels made (ordinal after the device's last, a name taken by another
   * channel gets the ID's tail appended, the catalog's position as map place) or updated, absent items' channels
   * disabled — never deleted. Idempotent: applying the same catalog again changes nothing. Throws StorageError
   * 'not_found' (field 'deviceId') for a missing device.
   */
  apply(deviceId: number, change: GbCatalogChange, nowMs: number): Promise<GbCatalogApplied>;
  /** The device's items, in catalog order (absent ones after the present ones). */
  list(deviceId: number): Promise<GbCatalogItemRow[]>;
  get(deviceId: number, gbId: string): Promise<GbCatalogItemRow | null>;
  /** The item mapped to a channel (a GB channel's catalog facts), or null. */
  byChannel(channelId: number): Promise<GbCatalogItemRow | null>;
}
