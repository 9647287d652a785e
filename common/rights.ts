// The rights table: each right and which roles hold it (one source of truth for the server's route guards and the console).
import { ROLES, type Role } from './api';

/**
 * Which roles hold each right. The server's route guards (`auth: 'cameras.manage'`) and the console's tabs,
 * buttons and menu items read this one table. Today a role holds a right everywhere; the access-control issue
 * adds grants per organisation node and channel (see RightScope / Grant below) without changing the rights.
 */
export const RIGHT_ROLES = {
  /** Manage cameras: add, change, delete, place on the map; ONVIF discovery and devices. */
  'cameras.manage': ['admin'],
  /** Manage mobile units and their stream keys. */
  'units.manage': ['admin'],
  /** Manage devices and channels (docs/design/devices.md): add, change, delete, keys, stream settings, map places. */
  'devices.manage': ['admin'],
  /** Edit the organisation tree: add, rename, move and delete nodes. */
  'org.manage': ['admin'],
  /** Manage user accounts: create, role, disable, reset a password. */
  'users.manage': ['admin'],
  /** Read the audit log. */
  'audit.view': ['admin'],
  /** Set users' PTZ priorities. */
  'ptz.priorities': ['admin'],
  /** Save a PTZ home position; create, change and delete PTZ tours. */
  'ptz.configure': ['admin', 'dispatcher'],
  /** Recorded video: playback, timeline, search, bookmarks and snapshots. */
  'recordings.view': ['admin', 'investigator', 'dispatcher'],
  /** Cases, legal hold and evidence exports. */
  'cases.manage': ['admin', 'investigator'],
  /** Release a case's legal hold. */
  'cases.releaseHold': ['admin'],
  /** GPS history: tracks and who was near a place in time. */
  'gps.history': ['admin', 'dispatcher', 'investigator'],
  /** Draw and change geofences; see refused telemetry. */
  'geofences.edit': ['admin', 'dispatcher'],
  /** Handle alarms: acknowledge, close, raise a manual alarm. */
  'alarms.handle': ['admin', 'dispatcher', 'officer'],
  /** Create, change and delete alarm linkage rules. */
  'alarmRules.edit': ['admin', 'dispatcher'],
  /** Define, start and stop a carousel of saved wall layouts (a control-room wall cycling its layouts). */
  'wall.carousel': ['admin', 'dispatcher'],
  /** Watch a channel live (wall tiles, live tickets). */
  'live.view': ['admin', 'dispatcher', 'investigator', 'officer'],
  /** Export a channel's recordings as evidence. */
  export: ['admin', 'investigator'],
  /** Take a snapshot of a channel. */
  snapshot: ['admin', 'dispatcher', 'investigator'],
  /** Steer a channel's PTZ camera (within the user's PTZ priority). */
  'ptz.control': ['admin', 'dispatcher'],
  /** Hear a channel's audio and talk to a unit. */
  audio: ['admin', 'dispatcher'],
  /** See units' positions on the map. */
  'map.positions': ['admin', 'dispatcher', 'investigator', 'officer'],
  /** See alarms (the list, the history and their events). */
  'alarms.view': ['admin', 'dispatcher', 'investigator', 'officer'],
  /** Grant and deny rights to users, groups and role templates; see who can see what. */
  'access.manage': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Right = keyof typeof RIGHT_ROLES;
export const RIGHTS = Object.keys(RIGHT_ROLES) as Right[];

/**
 * Rights that apply to channels and devices, granted on an organisation node (inherited by everything below it) or a
 * single channel. The others are global: only a grant at the root counts (docs/design/access.md).
 */
export const SCOPED_RIGHTS = [
  'live.view',
  'recordings.view',
  'export',
  'snapshot',
  'ptz.control',
  'ptz.configure',
  'audio',
  'map.positions',
  'gps.history',
  'alarms.view',
  'alarms.handle',
  'devices.manage',
  'cameras.manage',
  'units.manage',
  'cases.manage',
] as const satisfies readonly Right[];
export type ScopedRight = (typeof SCOPED_RIGHTS)[number];
export const isScopedRight = (r: Right): r is ScopedRight => (SCOPED_RIGHTS as readonly Right[]).includes(r);

/**
 * Where a right applies. Today every grant is global; the access-control issue grants rights per organisation
 * node (inherited by everything below it) or per channel (one camera or unit).
 */
export type RightScope = { kind: 'global' } | { kind: 'node'; nodeId: number } | { kind: 'channel'; channel: 'camera' | 'unit'; id: number };
export const GLOBAL: RightScope = { kind: 'global' };

/** One right granted within one scope. */
export interface Grant {
  right: Right;
  scope: RightScope;
}

/** Who asks: their role, and (later) grants of their own; a signed-in console user carries the server's summary of their effective rights. */
export interface RightsHolder {
  role: Role;
  grants?: readonly Grant[];
  /** The effective rights the server computed (login, /auth/me; common/access.ts RightsSummary): when present, it decides. */
  rights?: { readonly global: readonly Right[]; readonly any: readonly Right[] };
}

/** The roles that hold a right. */
export function rolesWith(right: Right): readonly Role[] {
  return RIGHT_ROLES[right];
}

/** The grants of a role: each of its rights, globally. */
export function roleGrants(role: Role): Grant[] {
  return RIGHTS.filter((r) => (RIGHT_ROLES[r] as readonly Role[]).includes(role)).map((right) => ({ right, scope: GLOBAL }));
}

/** Whether a grant's scope covers the asked scope (a global grant covers everything; others match exactly until the tree exists). */
function covers(granted: RightScope, asked: RightScope): boolean {
  if (granted.kind === 'global') return true;
  if (granted.kind === 'node') return asked.kind === 'node' && asked.nodeId === granted.nodeId;
  return asked.kind === 'channel' && asked.channel === granted.channel && asked.id === granted.id;
}

/** Whether the holder may use the right in the scope (no scope: anywhere, by the server's summary when the holder carries one; else everywhere by role). */
export function can(who: RightsHolder, right: Right, scope: RightScope = GLOBAL): boolean {
  // The server's summary: a right usable on at least one node or channel shows its screens (the server filters per channel).
  if (who.rights && scope.kind === 'global') return who.rights.any.includes(right);
  const grants = [...roleGrants(who.role), ...(who.grants ?? [])];
  return grants.some((g) => g.right === right && covers(g.scope, scope));
}

/** Every role's rights (for documentation and tests). */
export function rightsByRole(): Record<Role, Right[]> {
  return Object.fromEntries(ROLES.map((role) => [role, roleGrants(role).map((g) => g.right)])) as Record<Role, Right[]>;
}
