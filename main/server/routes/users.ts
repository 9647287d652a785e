// Routes /users (right users.manage): list, create, update, reset a password; disabling or a reset ends the user's sessions; all audited.
import * as E from '../../../common/endpoints';
import { msg } from '../../../common/messages';
import type { UserRow } from '../../../storage/repositories';
import { checkNewUserPassword, resetPassword } from '../accounts/passwords';
import { hashPassword, toUserInfo } from '../auth';
import { ApiError } from '../errors';
import { principalOf, bind, type Route } from '../router';
import type { ApiDeps, DepsRef } from './deps';

/** Refuses a change that would leave no enabled administrator (nobody could manage Argus any more). */
async function keepAnAdmin(d: ApiDeps, before: UserRow, patch: { role?: string; disabled?: boolean }): Promise<void> {
  const losesAdmin = (patch.role !== undefined && patch.role !== 'admin') || patch.disabled === true;
  if (before.role !== 'admin' || before.disabled || !losesAdmin) return;
  const admins = (await d.store.users.list()).filter((u) => u.role === 'admin' && !u.disabled);
  if (admins.length <= 1) {
    const field = patch.disabled === true ? 'disabled' : 'role';
    throw ApiError.conflict(field, msg('user.last_admin'));
  }
}

export function userRoutes(deps: DepsRef): Route[] {
  return [
    bind(E.getUsers, async () => (await deps().store.users.list()).map(toUserInfo)),
    bind(E.postUsers, async (ctx) => {
      const d = deps();
      const actor = principalOf(ctx);
      const { body } = ctx;
      checkNewUserPassword(body.username, body.password);
      const passwordHash = await hashPassword(body.password);
      const user = await d.configLock.run(async () => {
        if (await d.store.users.getByUsername(body.username)) throw ApiError.conflict('username', msg('user.name_taken', { username: body.username }));
        const created = await d.store.users.create({
          username: body.username,
          passwordHash,
          role: body.role,
          displayName: body.displayName ?? '',
          disabled: false,
          createdMs: d.now(),
        });
        await d.audit.record({
          actor,
          action: 'user.create',
          targetType: 'user',
          targetId: created.id,
          detail: { username: created.username, role: created.role, displayName: created.displayName },
          ip: ctx.ip,
        });
        return created;
      });
      return toUserInfo(user);
    }),
    bind(E.patchUsersByid, async (ctx) => {
      const d = deps();
      const actor = principalOf(ctx);
      const { body } = ctx;
      const user = await d.configLock.run(async () => {
        const before = await d.store.users.get(ctx.params.id);
        if (!before) throw ApiError.notFound(msg('user.not_found', { id: ctx.params.id }));
        await keepAnAdmin(d, before, body);
        const patch: Partial<Omit<UserRow, 'id' | 'username' | 'createdMs'>> = {};
        if (body.role !== undefined) patch.role = body.role;
        if (body.displayName !== undefined) patch.displayName = body.displayName;
        if (body.disabled !== undefined) patch.disabled = body.disabled;
        const after = await d.store.users.update(before.id, patch);
        if (!after) throw ApiError.notFound(msg('user.not_found', { id: before.id }));

        if (after.disabled) {
          await d.store.sessions.deleteForUser(after.id);
          d.events.closeUser(after.id);
          d.live.closeUser(after.id);
        }

        const changes: Record<string, unknown> = {};
        if (before.role !== after.role) changes.role = { from: before.role, to: after.role };
        if (before.displayName !== after.displayName) changes.displayName = { from: before.displayName, to: after.displayName };
        if (before.disabled !== after.disabled) changes.disabled = { from: before.disabled, to: after.disabled };
        await d.audit.record({
          actor,
          action: 'user.update',
          targetType: 'user',
          targetId: after.id,
          detail: { username: after.username, changes },
          ip: ctx.ip,
        });
        return after;
      });
      return toUserInfo(user);
    }),
    bind(E.postUsersByidPassword, (ctx) => resetPassword(deps(), principalOf(ctx), ctx.params.id, ctx.body.newPassword, ctx.ip)),
  ];
}
