// SQLite DeviceRepo and AgentRepo: devices, the id counter and agent keys (docs/design/devices.md).
import type { AgentDeviceRow, AgentRepo, DevicePatch, DeviceRepo, DeviceRow, DeviceWithChannels, NewDeviceWithChannels } from '../repos/devices';
import type { DeviceKind } from '../../common/devices';
import type { Db } from './db';

const notYet = (): never => {
  throw new Error('DeviceRepo: not implemented yet');
};

export class SqliteDeviceRepo implements DeviceRepo {
  constructor(private readonly db: Db) {}
  list(): Promise<DeviceRow[]> { return notYet(); }
  get(_id: number): Promise<DeviceRow | null> { return notYet(); }
  getWithChannels(_id: number): Promise<DeviceWithChannels | null> { return notYet(); }
  getByCallsign(_callsign: string): Promise<DeviceRow | null> { return notYet(); }
  getByCode(_kind: DeviceKind, _code: string): Promise<DeviceRow | null> { return notYet(); }
  createWithChannels(_input: NewDeviceWithChannels, _nowMs: number): Promise<DeviceWithChannels> { return notYet(); }
  update(_id: number, _patch: DevicePatch, _nowMs: number): Promise<DeviceRow | null> { return notYet(); }
  delete(_id: number): Promise<boolean> { return notYet(); }
  nextId(): Promise<number> { return notYet(); }
}

export class SqliteAgentRepo implements AgentRepo {
  constructor(private readonly db: Db) {}
  list(): Promise<AgentDeviceRow[]> { return notYet(); }
  get(_deviceId: number): Promise<AgentDeviceRow | null> { return notYet(); }
  setKey(_deviceId: number, _streamKeyHash: string, _nowMs: number): Promise<AgentDeviceRow | null> { return notYet(); }
}
