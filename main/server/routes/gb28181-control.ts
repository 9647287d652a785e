// Routes of GB/T 28181 device control for admins: remote reboot (devices.manage on the device) and recording on the device (devices.manage on the channel); declared in common/endpoints/gb28181-control.ts.
import * as E from '../../../common/endpoints';
import { accessOf, needChannel, needDevice } from '../access-guard';
import { actorOf, bind, type Route } from '../router';
import type { DepsRef } from './deps';

export function gbControlRoutes(deps: DepsRef): Route[] {
  return [
    bind(E.postGb28181DevicesByidReboot, async (ctx) => {
      needDevice(accessOf(deps(), ctx), 'devices.manage', ctx.params.id);
      await deps().features.gbCommands.reboot(ctx.params.id, actorOf(ctx));
    }),
    bind(E.postGb28181ChannelsByidRecordStart, async (ctx) => {
      needChannel(accessOf(deps(), ctx), 'devices.manage', ctx.params.id);
      await deps().features.gbCommands.record(ctx.params.id, true, actorOf(ctx));
    }),
    bind(E.postGb28181ChannelsByidRecordStop, async (ctx) => {
      needChannel(accessOf(deps(), ctx), 'devices.manage', ctx.params.id);
      await deps().features.gbCommands.record(ctx.params.id, false, actorOf(ctx));
    }),
  ];
}
