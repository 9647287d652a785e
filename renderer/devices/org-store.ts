// The console's organisation tree: loaded over HTTP (/org/tree, /devices), kept current by the org.*, device.* and channel.* events.
import type { ServerEvent } from '../../common/events';
import { Store } from '../state/store';
import type { DevicesApi } from './api';
import { applyOrgEvent, emptyOrg, isDevicesEvent, orgStateOf, type OrgState } from './org-state';

export class OrgStore extends Store<OrgState> {
  private loading: Promise<void> | null = null;
  private reloadTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly api: Pick<DevicesApi, 'orgTree' | 'listDevices'>) {
    super(emptyOrg);
  }

  /** Loads tree and devices; a server without the organisation API (or failing to answer) leaves `available` false. */
  reload(): Promise<void> {
    this.loading ??= Promise.all([this.api.orgTree(), this.api.listDevices()])
      .then(
        ([tree, devices]) => this.set(orgStateOf(tree.nodes, devices)),
        () => this.set({ ...this.get(), available: false }),
      )
      .finally(() => (this.loading = null));
    return this.loading;
  }

  /** Reloads once shortly after (a camera or unit appeared that no device event brought). */
  reloadSoon(delayMs = 300): void {
    if (this.reloadTimer) return;
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = null;
      void this.reload();
    }, delayMs);
  }

  apply(ev: ServerEvent): void {
    const s = this.get();
    if (isDevicesEvent(ev)) {
      if (s.available) this.set(applyOrgEvent(s, ev));
      return;
    }
    if (!s.available) return;
    const id = ev.type === 'camera.changed' ? ev.camera.id : ev.type === 'unit.changed' ? ev.unit.id : null;
    if (id !== null && ![...s.devices.values()].some((d) => d.channels.some((c) => c.id === id))) this.reloadSoon();
  }

  close(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = null;
  }
}
