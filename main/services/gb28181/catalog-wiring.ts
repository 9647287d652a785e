// Keeps the device tree and consoles in step with catalog changes (the composition root connects the device service here).
import { asLog, type LogSink } from '../../../common/log';
import type { GbCatalog, GbCatalogChanged } from './catalog';

/** The part of the device service (main/services/devices/service.ts DeviceService) a catalog change needs. */
export interface GbDeviceTreeSink {
  /** Reads tree, devices and channels again. */
  reload(): Promise<void>;
  /** org.changed with the whole tree. */
  treeChanged(): void;
  /** The device's memory, counts, device.changed and channel.changed events. */
  deviceChanged(id: number, structural: boolean): Promise<unknown>;
}

/** What a change needs of the tree: nodes made or renamed → reload + org.changed; channels/device → device.changed. */
export async function applyToTree(c: GbCatalogChanged, tree: GbDeviceTreeSink): Promise<void> {
  const a = c.applied;
  if (a && a.orgCreated.length + a.orgRenamed.length > 0) {
    await tree.reload();
    tree.treeChanged();
  }
  const structural = a !== null && a.created.length > 0;
  if (c.deviceChanged || (a && a.created.length + a.updated.length + a.enabled.length + a.disabled.length > 0))
    await tree.deviceChanged(c.deviceId, structural);
}

/** Follows every change of the catalog service; returns the unsubscribe. */
export function followCatalogChanges(catalog: GbCatalog, tree: GbDeviceTreeSink, log?: LogSink): () => void {
  const l = asLog(log, 'gb-catalog');
  return catalog.onChanged((c) =>
    applyToTree(c, tree).catch((err: unknown) =>
      l.error('device tree update after a catalog change failed', { deviceId: c.gbId, err: (err as Error).message }),
    ),
  );
}
