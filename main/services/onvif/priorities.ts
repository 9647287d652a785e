// PTZ priority per user: the role's default or a per-user override (0..100), listed and set by admins.
import type { Role } from '../../../common/api';
import { msg } from '../../../common/messages';
import { DEFAULT_PTZ_PRIORITY, type UserPriority } from '../../../common/onvif';
import type { OnvifContext } from './context';
import type { UserActor } from '../../platform/actor';
import { notFound } from './errors';

export class PtzPriorities {
  constructor(private readonly ctx: Pick<OnvifContext, 'store' | 'audit'>) {}

  async priorityOf(actor: UserActor): Promise<number> {
    return (await this.ctx.store.onvif.getPriority(actor.userId)) ?? DEFAULT_PTZ_PRIORITY[actor.role];
  }

  async list(): Promise<UserPriority[]> {
    const set = new Map((await this.ctx.store.onvif.listPriorities()).map((p) => [p.userId, p.priority]));
    return (await this.ctx.store.users.list()).map((u) => ({
      userId: u.id,
      username: u.username,
      role: u.role,
      priority: set.get(u.id) ?? null,
      effective: set.get(u.id) ?? DEFAULT_PTZ_PRIORITY[u.role as Role],
    }));
  }

  async set(userId: number, priority: number | null, actor: UserActor): Promise<UserPriority> {
    const u = await this.ctx.store.users.get(userId);
    if (!u) throw notFound(msg('user.not_found', { id: userId }));
    await this.ctx.store.onvif.setPriority(userId, priority);
    await this.ctx.audit
      .record({
        actor: { userId: actor.userId, username: actor.username },
        action: 'ptz.priority.set',
        targetType: 'user',
        targetId: userId,
        detail: { username: u.username, priority },
        ip: actor.ip ?? null,
      })
      .catch(() => undefined);
    return { userId, username: u.username, role: u.role, priority, effective: priority ?? DEFAULT_PTZ_PRIORITY[u.role] };
  }
}
