// Admin commands to GB/T 28181 devices: remote reboot (TeleBoot) and recording on the device (RecordCmd), each audited.
import { msg } from '../../../common/messages';
import type { Store } from '../../../storage/repositories';
import type { UserActor } from '../../platform/actor';
import { DomainError } from '../../platform/errors';
import type { AuditLog } from '../audit-log';
import type { GbDeviceControl } from './device-control';

export interface GbAdminCommandsDeps {
  store: Pick<Store, 'devices' | 'channels'>;
  control: GbDeviceControl;
  audit: AuditLog;
}

export class GbAdminCommands {
  constructor(private readonly deps: GbAdminCommandsDeps) {}

  private async gbDevice(deviceId: number): Promise<{ id: number; code: string; name: string }> {
    const d = await this.deps.store.devices.get(deviceId);
    if (!d || d.kind !== 'gb28181' || !d.code) throw DomainError.notFound(msg('gb.not_gb_device', { id: deviceId }));
    return { id: d.id, code: d.code, name: d.name };
  }

  /** TeleBoot: the device restarts (it unregisters, or its keepalives stop, and it registers again). */
  async reboot(deviceId: number, actor: UserActor): Promise<void> {
    const d = await this.gbDevice(deviceId);
    await this.deps.control.send(d.code, d.code, { kind: 'teleBoot' });
    await this.deps.audit.record({
      actor: { userId: actor.userId, username: actor.username },
      action: 'gb.device.reboot',
      targetType: 'device',
      targetId: d.id,
      detail: { gbId: d.code, name: d.name },
      ip: actor.ip ?? null,
    });
  }

  /** RecordCmd Record / StopRecord: recording on the device's own storage (not Argus's recording of the channel). */
  async record(channelId: number, on: boolean, actor: UserActor): Promise<void> {
    const ch = await this.deps.store.channels.get(channelId);
    if (!ch?.code) throw DomainError.notFound(msg('gb.not_gb_channel', { id: channelId }));
    const d = await this.gbDevice(ch.deviceId).catch(() => {
      throw DomainError.notFound(msg('gb.not_gb_channel', { id: channelId }));
    });
    await this.deps.control.send(d.code, ch.code, { kind: 'record', on });
    await this.deps.audit.record({
      actor: { userId: actor.userId, username: actor.username },
      action: on ? 'gb.record.start' : 'gb.record.stop',
      targetType: 'camera',
      targetId: channelId,
      detail: { gbId: ch.code, deviceId: d.id, name: ch.name },
      ip: actor.ip ?? null,
    });
  }
}
