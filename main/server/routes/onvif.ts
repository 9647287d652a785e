// API routes of the onvif feature (issue 4): discovery, one-step add, devices, PTZ control, presets, tours, priorities.
import * as E from '../../../common/endpoints';
import type { UserActor } from '../../platform/actor';
import { cameraAuditView } from '../camera-input';
import { actorOf, principalOf, bind, type Route } from '../router';
import { toCamera } from '../views';
import type { DepsRef } from './deps';
import type { Endpoint } from '../../../common/endpoint';

export function onvifRoutes(deps: DepsRef): Route[] {
  const onvif = () => deps().features.onvif;
  /** A PTZ command on one camera: no body, 204 when done. */
  const command = (e: Endpoint<{ id: number }, undefined, undefined, void>, run: (cameraId: number, actor: UserActor) => Promise<void>): Route =>
    bind(e, async (ctx) => {
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
    // ---------------- PTZ of one camera
    bind(E.getCamerasByidPtz, async (ctx) => onvif().ptzState(ctx.params.id, actorOf(ctx))),
    bind(E.getCamerasByidPtzPosition, async (ctx) => onvif().position(ctx.params.id)),
    bind(E.postCamerasByidPtzMove, async (ctx) => {
      await onvif().move(ctx.params.id, ctx.body, actorOf(ctx));
    }),
    command(E.postCamerasByidPtzStop, (id, actor) => onvif().stop(id, actor)),
    command(E.postCamerasByidPtzRelease, (id, actor) => onvif().release(id, actor)),
    command(E.postCamerasByidPtzHome, (id, actor) => onvif().home(id, actor)),
    command(E.postCamerasByidPtzHomeSet, (id, actor) => onvif().setHome(id, actor)),
    bind(E.getCamerasByidPtzPresets, async (ctx) => onvif().listPresets(ctx.params.id)),
    bind(E.postCamerasByidPtzPresets, async (ctx) => onvif().createPreset(ctx.params.id, ctx.body.name, actorOf(ctx))),
    bind(E.patchCamerasByidPtzPresetsBypresetId, async (ctx) => onvif().renamePreset(ctx.params.id, ctx.params.presetId, ctx.body.name, actorOf(ctx))),
    bind(E.deleteCamerasByidPtzPresetsBypresetId, async (ctx) => {
      await onvif().deletePreset(ctx.params.id, ctx.params.presetId, actorOf(ctx));
    }),
    bind(E.postCamerasByidPtzPresetsBypresetIdGoto, async (ctx) => {
      await onvif().userGotoPreset(ctx.params.id, ctx.params.presetId, actorOf(ctx));
    }),
    bind(E.getCamerasByidPtzTours, async (ctx) => onvif().listTours(ctx.params.id)),
    bind(E.postCamerasByidPtzTours, async (ctx) => onvif().createTour(ctx.params.id, ctx.body, actorOf(ctx))),
    bind(E.putCamerasByidPtzToursBytourId, async (ctx) => onvif().updateTour(ctx.params.id, ctx.params.tourId, ctx.body, actorOf(ctx))),
    bind(E.deleteCamerasByidPtzToursBytourId, async (ctx) => {
      await onvif().deleteTour(ctx.params.id, ctx.params.tourId, actorOf(ctx));
    }),
    bind(E.postCamerasByidPtzToursBytourIdStart, async (ctx) => onvif().startTour(ctx.params.id, ctx.params.tourId, actorOf(ctx))),
    command(E.postCamerasByidPtzTourStop, (id, actor) => onvif().stopTour(id, actor)),
  ];
}
