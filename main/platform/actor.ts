// Who did something, in domain terms (the one Actor type): a user (id, name, role, and the client address when known) or the system (with its reason).
import type { Role } from '../../common/api';

/** A logged-in user acting; `ip` is the client address for the audit log (absent when not known). */
export interface UserActor {
  kind: 'user';
  userId: number;
  username: string;
  role: Role;
  ip?: string | null;
}

/** Argus itself acting (an alarm rule, a tour, recovery); `reason` names what (e.g. 'alarm rule 3'). */
export interface SystemActor {
  kind: 'system';
  reason: string;
}

export type Actor = UserActor | SystemActor;

/** The user fields of an actor as the audit trail and records store them (nulls for the system). */
export function actorIdentity(a: Actor | null | undefined): { userId: number | null; username: string | null } {
  return a && a.kind === 'user' ? { userId: a.userId, username: a.username } : { userId: null, username: null };
}

/** The user actor for a user record (a row, or an adapter's session user) and client address. */
export function userActor(user: { id: number; username: string; role: Role }, ip?: string | null): UserActor {
  return { kind: 'user', userId: user.id, username: user.username, role: user.role, ...(ip !== undefined ? { ip } : {}) };
}
