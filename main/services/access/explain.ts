// The two questions of the admin screen: who can use a right on a channel (and why), and what a user can reach (and by which grants).
import type { AccessReason, ChannelAudienceView, UserReachView } from '../../../common/access';
import { ROOT_NODE_ID } from '../../../common/devices';
import { msg } from '../../../common/messages';
import { isScopedRight, type Right } from '../../../common/rights';
import type { UserRow } from '../../../storage/repositories';
import { DomainError } from '../../platform/errors';
import type { AccessService } from './service';
import type { Grant } from './state';

const reasonOf = (g: Grant): AccessReason => ({
  grantId: g.id,
  principalKind: g.principalKind,
  role: g.role,
  principalId: g.principalId,
  effect: g.effect,
  scopeKind: g.scopeKind,
  scopeId: g.scopeId,
});

/** The grants that apply to a user (role template, own, groups, home node and above). */
function grantsOf(svc: AccessService, user: Pick<UserRow, 'id' | 'role'>): Grant[] {
  const tree = svc.deps.tree();
  return [...svc.state.applicable(user, tree.pathOf(svc.state.nodeOf(user.id)))];
}

/** Whether a grant's scope covers a channel for this user (a global right: only a grant at the root). */
function coversChannel(svc: AccessService, g: Grant, userId: number, channelId: number, deviceId: number, path: readonly number[]): boolean {
  if (!isScopedRight(g.right)) return g.scopeKind === 'node' && g.scopeId === ROOT_NODE_ID;
  switch (g.scopeKind) {
    case 'node':
      return path.includes(g.scopeId!);
    case 'channel':
      return g.scopeId === channelId;
    case 'own':
      return svc.state.devicesOfUser.get(userId)?.has(deviceId) ?? false;
  }
}

/** "Who can see channel X": every user, whether they hold the right there, and the allows and denies that decide it. */
export async function whoCan(svc: AccessService, channelId: number, right: Right): Promise<ChannelAudienceView> {
  await svc.ready();
  const tree = svc.deps.tree();
  const c = tree.channel(channelId);
  const d = c ? tree.device(c.deviceId) : null;
  if (!c || !d) throw DomainError.notFound(msg('channel.not_found', { id: channelId }));
  const path = tree.pathOf(d.nodeId);
  const users = await svc.deps.users.list();
  return {
    channelId,
    right,
    users: users.map((u) => {
      const covering = u.disabled ? [] : grantsOf(svc, u).filter((g) => g.right === right && coversChannel(svc, g, u.id, channelId, d.id, path));
      return {
        userId: u.id,
        username: u.username,
        role: u.role,
        allowed: svc.for(u).channel(right, channelId),
        allows: covering.filter((g) => g.effect === 'allow').map(reasonOf),
        denies: covering.filter((g) => g.effect === 'deny').map(reasonOf),
      };
    }),
  };
}

/** "What can user Y see": every grant that applies to them with its scope, and the channels they hold `right` on. */
export async function whatCan(svc: AccessService, userId: number, right: Right): Promise<UserReachView> {
  await svc.ready();
  const user = await svc.deps.users.get(userId);
  if (!user) throw DomainError.notFound(msg('user.not_found', { id: userId }));
  const access = svc.for(user);
  const channels = access.channels(right);
  return {
    userId,
    nodeId: svc.state.nodeOf(userId),
    groupIds: [...(svc.state.groupsOfUser.get(userId) ?? [])].sort((a, b) => a - b),
    deviceIds: [...(svc.state.devicesOfUser.get(userId) ?? [])].sort((a, b) => a - b),
    summary: access.summary(),
    entries: (user.disabled ? [] : grantsOf(svc, user))
      .sort((a, b) => a.right.localeCompare(b.right) || a.id - b.id)
      .map((g) => ({ right: g.right, scopeKind: g.scopeKind, scopeId: g.scopeId, effect: g.effect, reason: reasonOf(g) })),
    channels: { right, all: channels.all, ids: channels.all ? [] : [...channels.ids].sort((a, b) => a - b) },
  };
}
