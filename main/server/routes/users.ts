// Routes /users (right users.manage): list, create, update, reset a password; disabling or a reset ends the user's sessions; all audited.
import { msg } from '../../../common/messages';
import { PasswordReset } from '../../../common/accounts';
import { API_PREFIX, UserCreate, UserUpdate } from '../../../common/api';
import { s } from '../../../common/schema';
import type { UserRow } from '../../../storage/repositories';
import { checkNewUserPassword, resetPassword } from '../accounts/passwords';
import { hashPassword, toUserInfo } from '../auth';
import { ApiError } from '../errors';
import { principalOf, route, type Route } from '../router';
import { UserInfoSchema } from '../views';
import { IdParams, type ApiDeps, type DepsRef } from './deps';


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
  const base = `${API_PREFIX}/users`;
  return [
    route({
      method: 'GET',
      path: base,
      auth: 'users.manage',
      tag: 'users',
      summary: 'All users',
      response: { description: 'users', schema: s.array(UserInfoSchema) },
      handler: async () => (await deps().store.users.list()).map(toUserInfo),
    }),
    route({
      method: 'POST',
      path: base,
      auth: 'users.manage',
      tag: 'users',
      summary: 'Create a user',
      description: 'A duplicate username is 409 with field "username"; a password the policy refuses is 400 with field "password" and its code.',
      body: UserCreate,
      response: { status: 201, description: 'the new user', schema: UserInfoSchema },
      handler: async (ctx) => {
        const d = deps();
        const actor = principalOf(ctx);
        const { body } = ctx;
        checkNewUserPassword(body.username, body.password);
        const passwordHash = await hashPassword(body.password);
        const user = await d.configLock.run(async () => {
          if (await d.store.users.getByUsername(body.username))
            throw ApiError.conflict('username', msg('user.name_taken', { username: body.username }));
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
      },
    }),
    route({
      method: 'PATCH',
      path: `${base}/:id`,
      auth: 'users.manage',
      tag: 'users',
      summary: "Change a user's role, display name or disabled flag",
      description:
        'Disabling a user ends all their sessions and event streams at once (a password is reset with POST /users/:id/password). ' +
        'The last active administrator cannot be demoted or disabled (409).',
      params: IdParams,
      body: UserUpdate,
      response: { description: 'the updated user', schema: UserInfoSchema },
      handler: async (ctx) => {
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
      },
    }),
    route({
      method: 'POST',
      path: `${base}/:id/password`,
      auth: 'users.manage',
      tag: 'users',
      summary: "Reset a user's password; they must change it at their next sign-in",
      description:
        'The new password must pass the policy (400 with field "newPassword" and its code). Every session, event stream and ' +
        'live stream of the user ends; until they change it, their requests other than /auth/password, /auth/me and ' +
        '/auth/logout answer 403 with code "password.change_required". Audited as user.password_reset (never the password).',
      params: IdParams,
      body: PasswordReset,
      response: { description: 'the user, with mustChangePassword set', schema: UserInfoSchema },
      handler: (ctx) => resetPassword(deps(), principalOf(ctx), ctx.params.id, ctx.body.newPassword, ctx.ip),
    }),
  ];
}
