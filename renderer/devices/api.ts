// The organisation tree, devices and channels over HTTP (/org/*, /devices/*, /channels/*), on the console's ApiClient.
import type { ChannelRef, DeviceUpdate, DeviceView, OrgNodeCreate, OrgNodeUpdate, OrgNodeView, OrgTree } from '../../common/devices';
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

export function devicesApi(api: Pick<ApiClient, 'request'>): DevicesApi {
  return {
    orgTree: () => api.request('GET', '/org/tree'),
    createNode: (body) => api.request('POST', '/org/nodes', { body }),
    updateNode: (id, body) => api.request('PATCH', `/org/nodes/${id}`, { body }),
    deleteNode: (id) => api.request('DELETE', `/org/nodes/${id}`),
    nodeChannels: (id, recursive) => api.request('GET', `/org/nodes/${id}/channels`, { query: { recursive } }),
    listDevices: () => api.request('GET', '/devices'),
    updateDevice: (id, body) => api.request('PATCH', `/devices/${id}`, { body }),
  };
}
