// Connection state reported by protocol adapters that keep a control link of their own (GB/T 28181 registration and keepalive; later JT/T 808): one board the device service reads.
import type { ServerMessage } from '../../common/messages';
import type { ConnectionState } from '../../common/devices';

/** A device's control-link state as its adapter reports it (docs/design/devices.md, invariant 9). */
export interface ControlLinkState {
  state: ConnectionState;
  /** Why it is not online (a registered message), or null. */
  reason: ServerMessage | null;
  online: boolean;
  sinceMs: number;
  /** Where the device was last seen (host:port), or null. */
  remoteAddress: string | null;
}

export class DeviceLinkBoard {
  private readonly states = new Map<number, ControlLinkState>();
  private readonly listeners = new Set<(deviceId: number) => void>();

  get(deviceId: number): ControlLinkState | null {
    return this.states.get(deviceId) ?? null;
  }

  /** Sets a device's control-link state and tells the listeners (the device service publishes device.status). */
  set(deviceId: number, s: ControlLinkState): void {
    const prev = this.states.get(deviceId);
    if (prev && prev.state === s.state && prev.online === s.online && prev.remoteAddress === s.remoteAddress && prev.reason?.code === s.reason?.code) return;
    this.states.set(deviceId, s);
    for (const fn of this.listeners) fn(deviceId);
  }

  delete(deviceId: number): void {
    if (this.states.delete(deviceId)) for (const fn of this.listeners) fn(deviceId);
  }

  onChange(fn: (deviceId: number) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
