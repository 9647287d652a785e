// What route handlers and other features may ask of the GB/T 28181 feature (issue 14): settings, registered and pending devices, approval, passwords, catalog, subscriptions.
import type { GbChannelView, GbDeviceListQuery, GbDeviceView, GbSettingsView } from '../../../common/gb28181';
import type { Actor } from '../../platform/actor';

/**
 * The administration side of the feature (Admin → GB/T 28181, main/server/routes/gb28181.ts). Devices are named by
 * their Argus device id (devices.id, kind gb28181). Every method throws a DomainError with a registered `gb.*`
 * message: `gb.device_not_found` (404) for an id that is not a GB device, `gb.not_awaiting` (409) when
 * approving twice, `gb.not_registered` (409) for a catalog refresh of a device that is not registered,
 * `org.node_not_found` (404) for an approval into a missing node. Rights are checked by the routes; the routes also
 * write the audit rows (gb.device.approve / gb.device.reject / gb.device.password / gb.site_password / gb.catalog.refresh), so the
 * control does not audit these again.
 */
export interface GbControl {
  /** The SIP server's settings as in effect, and where each is changed (settings are read at start). */
  settings(): Promise<GbSettingsView>;
  /** Every GB device (approved or awaiting approval) with its registration, peer and subscriptions; ordered by id. */
  listDevices(query?: GbDeviceListQuery): Promise<GbDeviceView[]>;
  device(deviceId: number): Promise<GbDeviceView>;
  /**
   * Accepts a device awaiting approval into an organisation node (optionally renamed): it becomes approved, moves to
   * the node with its channels, and (when registered) gets its Catalog queried and its subscriptions started. A
   * device.changed event follows.
   */
  approve(deviceId: number, nodeId: number, name: string | undefined, actor: Actor): Promise<GbDeviceView>;
  /**
   * Refuses a device awaiting approval (or forgets an approved one): its device row and channels' configuration go
   * (recordings stay), its registration is dropped. A later REGISTER from it is treated as from an unknown ID again.
   */
  reject(deviceId: number, actor: Actor): Promise<void>;
  /** Sets (or with null clears, so the site password applies) the device's digest password; stored encrypted, never returned. */
  setPassword(deviceId: number, password: string | null, actor: Actor): Promise<void>;
  /**
   * Sets (or with null clears) the site password kept in the database (gb_site), which devices without their own use;
   * the `sipSitePassword` setting, when set, is the one in effect otherwise. Stored encrypted, never returned.
   */
  setSitePassword(password: string | null, actor: Actor): Promise<void>;
  /** Queries the device's Catalog now and applies the answer; resolves with its channels after. */
  refreshCatalog(deviceId: number, actor: Actor): Promise<GbChannelView[]>;
  /** The device's channels as its last Catalog described them, by ordinal. */
  channels(deviceId: number): Promise<GbChannelView[]>;
}
