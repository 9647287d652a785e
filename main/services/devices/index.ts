// The device model's services as one control (what the routes and the composition root use): reads and events, tree edits, device/channel edits.
import { DeviceEditor } from './edit';
import { OrgEditor } from './org';
import { DeviceService, type DeviceServiceDeps } from './service';

export interface DevicesControl {
  /** Tree, counts, search, scopes, views; follows statuses (onServerEvent). */
  read: DeviceService;
  /** Organisation tree edits (org.manage). */
  org: OrgEditor;
  /** Device and channel edits (devices.manage). */
  edit: DeviceEditor;
}

export function createDevices(deps: DeviceServiceDeps): DevicesControl {
  const read = new DeviceService(deps);
  return { read, org: new OrgEditor(read), edit: new DeviceEditor(read) };
}

export type { DeviceServiceDeps } from './service';
export type { ChannelChange, RtspChannelInput } from './edit';
