// The organisation tree, devices and channels over HTTP (/org/*, /devices/*), through the declarations in common/endpoints (org.ts, devices.ts).
import type { ChannelRef, DeviceUpdate, DeviceView, OrgNodeCreate, OrgNodeUpdate, OrgNodeView, OrgTree } from '../../common/devices';
import * as D from '../../common/endpoints';
import type { ApiClient } from '../api';

export interface DevicesApi {
  orgTree(): Promise<OrgTree>;
  createNode(body: OrgNodeCreate): Promise<OrgNodeView>;
  updateNode(id: number, body: OrgNodeUpdate): Promise<OrgNodeView>;
  deleteNode(id: number): Promise<void>;
  /** The node's channels in tree order (its devices' channels, then its child nodes' when recursive). */
  nodeChannels(id: number, recursive: boolean): Promise<ChannelRef[]>;
  listDevices(): Promise<DeviceView[]>;
  updateDevice(id: number, body: DeviceUpdate): Promise<DeviceView>;
}

export function devicesApi(api: Pick<ApiClient, 'call'>): DevicesApi {
  return {
    orgTree: () => api.call(D.getOrgTree),
    createNode: (body) => api.call(D.postOrgNodes, { body }),
    updateNode: (id, body) => api.call(D.patchOrgNodesByid, { params: { id }, body }),
    deleteNode: (id) => api.call(D.deleteOrgNodesByid, { params: { id } }),
    nodeChannels: (id, recursive) => api.call(D.getOrgNodesByidChannels, { params: { id }, query: { recursive } }),
    listDevices: () => api.call(D.getDevices),
    updateDevice: (id, body) => api.call(D.patchDevicesByid, { params: { id }, body }),
  };
}
