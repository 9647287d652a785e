// API routes of the onvif feature (issue 4): discovery, one-step add, devices, PTZ control (ptz.control per channel), presets and tours (ptz.configure per channel), priorities.
import * as E from '../../../common/endpoints';
import type { UserActor } from '../../platform/actor';
import { cameraAuditView } from '../camera-input';
import { actorOf, principalOf, bind, type Route } from '../router';
import { toCamera } from '../views';
import type { DepsRef } from './deps';
import type { Endpoint } from '../../../common/endpoint';
import { msg } from '../../../common/messages';
import type { Right } from '../../../common/rights';
import { accessOf, needChannel } from '../access-guard';
import { ApiError } from '../errors';
import type { Principal } from '../router';

export function onvifRoutes(deps: DepsRef): Route[] {
  /** The feature, once the caller holds the right on the channel (404 for a channel they may not know, 403 without the right). */
  const on = (ctx: { principal: Principal | null; params: { id: number } }, right: Right) => {
    needChannel(accessOf(deps(), ctx), right, ctx.params.id, () => ApiError.notFound(msg('camera.not_found', { id: ctx.params.id })));
    return deps().features.onvif;
  };
  const onvif = () => deps().features.onvif;
  /** A PTZ command on one camera: no body, 204 when done. */
  const command = (e: Endpoint<{ id: number }, undefined, undefined, void>, right: Right, run: (cameraId: number, actor: UserActor) => Promise<void>): Route =>
    bind(e, async (ctx) => {
      on(ctx, right);
      await run(ctx.params.id, actorOf(ctx));
    });
  return [
    bind(E.postOnvifDiscover, async (ctx) => onvif().discover(ctx.body)),
    bind(E.getOnvifDevices, async () => onvif().listDevices()),
    bind(E.postOnvifDevices, async (ctx) => {
      const d = deps();
      const actor = actorOf(ctx);
      const plan = await d.features.onvif.inspect(ctx.body); // network only; fails before anything is stored
      const result = await d.configLock.run(async () => {
        const r = await d.features.onvif.register(plan, ctx.body, actor);
        for (const row of r.cameras) {
          await d.audit.record({
            actor: principalOf(ctx),
            action: 'camera.create',
            targetType: 'camera',
            targetId: row.id,
            detail: { ...cameraAuditView(row), onvifDeviceId: r.device.id },
            ip: ctx.ip,
          });
          try {
            await d.recording.apply(row);
          } catch (err) {
            d.log(`[http] recording.apply(camera ${row.id}) failed: ${(err as Error).message}`);
          }
        }
        return r;
      });
      for (const row of result.cameras) d.events.publish({ type: 'camera.changed', camera: toCamera(row, d.recording.status(row.id)) });
      return { device: result.device, cameraIds: result.cameras.map((c) => c.id) };
    }),
    bind(E.deleteOnvifDevicesByid, async (ctx) => {
      await onvif().deleteDevice(ctx.params.id, actorOf(ctx));
    }),
    bind(E.getOnvifPriorities, async () => onvif().listPriorities()),
    bind(E.putOnvifPrioritiesByid, async (ctx) => onvif().setPriority(ctx.params.id, ctx.body.priority, actorOf(ctx))),
    // ---------------- PTZ of one camera: seeing its state needs live.view, steering ptz.control, presets and tours ptz.configure
    bind(E.getCamerasByidPtz, async (ctx) => on(ctx, 'live.view').ptzState(ctx.params.id, actorOf(ctx))),
    bind(E.getCamerasByidPtzPosition, async (ctx) => on(ctx, 'live.view').position(ctx.params.id)),
    bind(E.postCamerasByidPtzMove, async (ctx) => {
      await on(ctx, 'ptz.control').move(ctx.params.id, ctx.body, actorOf(ctx));
    }),
    command(E.postCamerasByidPtzStop, 'ptz.control', (id, actor) => onvif().stop(id, actor)),
    command(E.postCamerasByidPtzRelease, 'ptz.control', (id, actor) => onvif().release(id, actor)),
    command(E.postCamerasByidPtzHome, 'ptz.control', (id, actor) => onvif().home(id, actor)),
    command(E.postCamerasByidPtzHomeSet, 'ptz.configure', (id, actor) => onvif().setHome(id, actor)),
    bind(E.getCamerasByidPtzPresets, async (ctx) => on(ctx, 'live.view').listPresets(ctx.params.id)),
    bind(E.postCamerasByidPtzPresets, async (ctx) => on(ctx, 'ptz.configure').createPreset(ctx.params.id, ctx.body.name, actorOf(ctx))),
    bind(E.patchCamerasByidPtzPresetsBypresetId, async (ctx) =>
      on(ctx, 'ptz.configure').renamePreset(ctx.params.id, ctx.params.presetId, ctx.body.name, actorOf(ctx)),
    ),
    bind(E.deleteCamerasByidPtzPresetsBypresetId, async (ctx) => {
      await on(ctx, 'ptz.configure').deletePreset(ctx.params.id, ctx.params.presetId, actorOf(ctx));
    }),
    bind(E.postCamerasByidPtzPresetsBypresetIdGoto, async (ctx) => {
      await on(ctx, 'ptz.control').userGotoPreset(ctx.params.id, ctx.params.presetId, actorOf(ctx));
    }),
    bind(E.getCamerasByidPtzTours, async (ctx) => on(ctx, 'live.view').listTours(ctx.params.id)),
    bind(E.postCamerasByidPtzTours, async (ctx) => on(ctx, 'ptz.configure').createTour(ctx.params.id, ctx.body, actorOf(ctx))),
    bind(E.putCamerasByidPtzToursBytourId, async (ctx) => on(ctx, 'ptz.configure').updateTour(ctx.params.id, ctx.params.tourId, ctx.body, actorOf(ctx))),
    bind(E.deleteCamerasByidPtzToursBytourId, async (ctx) => {
      await on(ctx, 'ptz.configure').deleteTour(ctx.params.id, ctx.params.tourId, actorOf(ctx));
    }),
    bind(E.postCamerasByidPtzToursBytourIdStart, async (ctx) => on(ctx, 'ptz.control').startTour(ctx.params.id, ctx.params.tourId, actorOf(ctx))),
    command(E.postCamerasByidPtzTourStop, 'ptz.control', (id, actor) => onvif().stopTour(id, actor)),
  ];
}
