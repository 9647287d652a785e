// SQLite ChannelRepo and RtspRepo: channels and their RTSP stream rows (docs/design/devices.md).
import type { ChannelPatch, ChannelPlace, ChannelRepo, ChannelRow, NewChannel, NewRtspChannel, RtspChannelRow, RtspRepo } from '../repos/devices';
import type { Db } from './db';

const notYet = (): never => {
  throw new Error('ChannelRepo: not implemented yet');
};

export class SqliteChannelRepo implements ChannelRepo {
  constructor(private readonly db: Db) {}
  list(): Promise<ChannelRow[]> { return notYet(); }
  listByDevice(_deviceId: number): Promise<ChannelRow[]> { return notYet(); }
  get(_id: number): Promise<ChannelRow | null> { return notYet(); }
  getByName(_name: string): Promise<ChannelRow | null> { return notYet(); }
  create(_deviceId: number, _ch: NewChannel, _nowMs: number): Promise<ChannelRow> { return notYet(); }
  update(_id: number, _patch: ChannelPatch, _nowMs: number): Promise<ChannelRow | null> { return notYet(); }
  setPlace(_id: number, _place: ChannelPlace | null, _nowMs: number): Promise<boolean> { return notYet(); }
  delete(_id: number): Promise<boolean> { return notYet(); }
}

export class SqliteRtspRepo implements RtspRepo {
  constructor(private readonly db: Db) {}
  list(): Promise<RtspChannelRow[]> { return notYet(); }
  get(_channelId: number): Promise<RtspChannelRow | null> { return notYet(); }
  set(_channelId: number, _row: NewRtspChannel): Promise<RtspChannelRow> { return notYet(); }
  update(_channelId: number, _patch: Partial<NewRtspChannel>): Promise<RtspChannelRow | null> { return notYet(); }
  delete(_channelId: number): Promise<boolean> { return notYet(); }
}
