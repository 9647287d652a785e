// Routes /cameras: list and read (the cameras a user sees), create/update/delete (cameras.manage on it), each change applied to recording and audited.
import * as E from '../../../common/endpoints';
import { msg } from '../../../common/messages';
import type { Camera } from '../../../common/api';
import type { CameraRow } from '../../../storage/repositories';
import { cameraAuditView, cameraChanges, cameraPatchFromBody, DEFAULT_RETENTION_DAYS, newCameraFromBody } from '../camera-input';
import { accessOf, cameraFor, needChannel, needGlobal, seesChannel } from '../access-guard';
import { ApiError } from '../errors';
import { principalOf, bind, type Route } from '../router';
import { toCamera } from '../views';
import type { ApiDeps, DepsRef } from './deps';

function view(d: ApiDeps, row: CameraRow): Camera {
  return toCamera(row, d.recording.status(row.id));
}

const notFound = (id: number) => () => ApiError.notFound(msg('camera.not_found', { id }));

/** A fixed camera (the rows of mobile units share the table and id space but are served under /units). */
async function getOr404(d: ApiDeps, id: number): Promise<CameraRow> {
  const row = await d.store.cameras.get(id);
  if (!row || row.kind !== 'rtsp') throw ApiError.notFound(msg('camera.not_found', { id: id }));
  return row;
}

/** Camera names and unit callsigns share one namespace (both show on the video wall). */
async function checkNameFree(d: ApiDeps, name: string, exceptId?: number): Promise<void> {
  const other = await d.store.cameras.getByName(name);
  if (other && other.id !== exceptId)
    throw ApiError.conflict('name', other.kind === 'rtsp' ? msg('camera.name_taken', { name }) : msg('camera.name_is_unit', { name }));
}

/** Brings the recorder in line with the row; a failure shows in the camera status, the saved change stands. */
async function applyRecording(d: ApiDeps, row: CameraRow): Promise<void> {
  try {
    await d.recording.apply(row);
  } catch (err) {
    d.log(`[http] recording.apply(camera ${row.id}) failed: ${(err as Error).stack ?? String(err)}`);
  }
}

export function cameraRoutes(deps: DepsRef): Route[] {
  return [
    bind(E.getCameras, async (ctx) => {
      const d = deps();
      const a = accessOf(d, ctx);
      return (await d.store.cameras.list()).filter((r) => r.kind === 'rtsp' && seesChannel(a, r.id)).map((r) => cameraFor(a, view(d, r)));
    }),
    bind(E.getCamerasByid, async (ctx) => {
      const d = deps();
      const a = accessOf(d, ctx);
      if (!seesChannel(a, ctx.params.id)) throw notFound(ctx.params.id)();
      return cameraFor(a, view(d, await getOr404(d, ctx.params.id)));
    }),
    bind(E.postCameras, async (ctx) => {
      const d = deps();
      const actor = principalOf(ctx);
      needGlobal(accessOf(d, ctx), 'cameras.manage');
      const input = newCameraFromBody(ctx.body, { segmentSeconds: d.config.segmentSeconds, retentionDays: DEFAULT_RETENTION_DAYS });
      const row = await d.configLock.run(async () => {
        await checkNameFree(d, input.name);
        const created = await d.store.cameras.create(input, d.now()); // unique index catches a racing duplicate
        await d.audit.record({ actor, action: 'camera.create', targetType: 'camera', targetId: created.id, detail: cameraAuditView(created), ip: ctx.ip });
        await applyRecording(d, created);
        return created;
      });
      const camera = view(d, row);
      d.events.publish({ type: 'camera.changed', camera });
      return camera;
    }),
    bind(E.patchCamerasByid, async (ctx) => {
      const d = deps();
      const actor = principalOf(ctx);
      needChannel(accessOf(d, ctx), 'cameras.manage', ctx.params.id, notFound(ctx.params.id));
      const patch = cameraPatchFromBody(ctx.body);
      const row = await d.configLock.run(async () => {
        const before = await getOr404(d, ctx.params.id);
        if (patch.name !== undefined && patch.name !== before.name) await checkNameFree(d, patch.name, before.id);
        const after = await d.store.cameras.update(before.id, patch, d.now());
        if (!after) throw ApiError.notFound(msg('camera.not_found', { id: before.id }));
        const changes = cameraChanges(before, after);
        if (Object.keys(changes).length > 0)
          await d.audit.record({ actor, action: 'camera.update', targetType: 'camera', targetId: after.id, detail: { name: after.name, changes }, ip: ctx.ip });
        await applyRecording(d, after);
        return after;
      });
      const camera = view(d, row);
      d.events.publish({ type: 'camera.changed', camera });
      return camera;
    }),
    bind(E.deleteCamerasByid, async (ctx) => {
      const d = deps();
      const actor = principalOf(ctx);
      needChannel(accessOf(d, ctx), 'cameras.manage', ctx.params.id, notFound(ctx.params.id));
      await d.configLock.run(async () => {
        const row = await getOr404(d, ctx.params.id);
        await d.recording.remove(row.id);
        if (!(await d.store.cameras.delete(row.id))) throw ApiError.notFound(msg('camera.not_found', { id: row.id }));
        await d.audit.record({ actor, action: 'camera.delete', targetType: 'camera', targetId: row.id, detail: cameraAuditView(row), ip: ctx.ip });
      });
      d.events.publish({ type: 'camera.deleted', cameraId: ctx.params.id });
    }),
  ];
}
