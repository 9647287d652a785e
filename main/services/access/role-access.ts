// The role table alone as a UserAccess (every right of the role, everywhere): what an event hub built without the access service (bare tests) filters by.
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
