// Stand-in AccessControl from the role table alone (every grant global): today's behaviour, until grants are stored.
import { RIGHT_ROLES, type Right } from '../../../common/rights';
import type { Role } from '../../../common/api';
import type { UserRow } from '../../../storage/repositories';
import { ALL_IDS, type AccessControl, type IdSet, type UserAccess } from './contract';

const NONE: IdSet = { all: false, ids: new Set<number>() };

export function roleAccessOf(userId: number, role: Role): UserAccess {
  const has = (right: Right) => (RIGHT_ROLES[right] as readonly Role[]).includes(role);
  return {
    userId,
    global: has,
    any: has,
    channel: (right) => has(right),
    device: (right) => has(right),
    node: (right) => has(right),
    channels: (right) => (has(right) ? ALL_IDS : NONE),
    devices: (right) => (has(right) ? ALL_IDS : NONE),
  };
}

/** Every role's rights everywhere (RIGHT_ROLES), no grants of users, groups or nodes. */
export function createRoleAccess(): AccessControl {
  return {
    for: (user: UserRow) => roleAccessOf(user.id, user.role),
    onChange: () => () => undefined,
  };
}
