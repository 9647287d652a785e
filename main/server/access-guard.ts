// Object-level rights of the live and operational routes (issue 13): what a user may know exists, 404 vs 403, list filters.
import type { Camera, Unit } from '../../common/api';
import type { ChannelView, DeviceView } from '../../common/devices';
import { ErrorKind } from '../../common/errors';
import { msg } from '../../common/messages';
import { SCOPED_RIGHTS, type Right, type ScopedRight } from '../../common/rights';
import type { UserAccess } from '../services/access/contract';
import { ApiError } from './errors';
import { principalOf, type Principal } from './router';
import type { ApiDeps } from './routes/deps';

/**
 * The rights that make a channel or device known to a user: watch it, play it back or configure it. Whoever holds
 * none of them on an object is answered 404 for it (as if it did not exist: a police system must not reveal which
 * cameras watch what); whoever sees it but lacks the right asked for gets 403.
 */
export const SEE_RIGHTS = ['live.view', 'recordings.view', 'devices.manage', 'cameras.manage', 'units.manage'] as const satisfies readonly Right[];
/** Rights that show a camera's stream URL and account name (never its password). */
export const STREAM_RIGHTS = ['devices.manage', 'cameras.manage'] as const satisfies readonly Right[];

export function accessOf(d: ApiDeps, ctx: { principal: Principal | null }): UserAccess {
  return d.access.for(principalOf(ctx).user);
}

/**
 * The right on a channel. Held everywhere (granted at the root, denied nowhere) covers a channel the tree does not
 * know yet too: a camera made through /cameras reaches the device tree just after its camera.changed is published.
 */
export const onChannel = (a: UserAccess, right: Right, id: number): boolean => a.channel(right, id) || a.global(right);
/** The same for a device (a unit). */
export const onDevice = (a: UserAccess, right: Right, id: number): boolean => a.device(right, id) || a.global(right);

export const seesChannel = (a: UserAccess, id: number): boolean => SEE_RIGHTS.some((r) => onChannel(a, r, id));
export const seesDevice = (a: UserAccess, id: number): boolean => SEE_RIGHTS.some((r) => onDevice(a, r, id));
/** May read the channel's stream address and account name. */
export const seesStream = (a: UserAccess, channelId: number): boolean => STREAM_RIGHTS.some((r) => onChannel(a, r, channelId));

/** The scoped rights the user holds on a channel or unit (a unit's channel has its device's id): the console's per-object tools. */
export const myRightsOn = (a: UserAccess, id: number): ScopedRight[] => SCOPED_RIGHTS.filter((r) => onChannel(a, r, id) || a.device(r, id));

/** A camera as a user may see it: its stream address and account name only for cameras.manage / devices.manage on it; the rights they hold on it. */
export function cameraFor(a: UserAccess, c: Camera): Camera {
  const myRights = myRightsOn(a, c.id);
  return seesStream(a, c.id) ? { ...c, myRights } : { ...c, url: '', subUrl: null, username: null, myRights };
}

/** A unit with the rights the user holds on it. */
export const unitFor = (a: UserAccess, u: Unit): Unit => ({ ...u, myRights: myRightsOn(a, u.id) });

/** A channel as a user may see it: its stream address and account name only with devices.manage / cameras.manage on it. */
export function channelFor(a: UserAccess, c: ChannelView): ChannelView {
  return c.stream === null || seesStream(a, c.id) ? c : { ...c, stream: null };
}

/** A device as a user may see it: only the channels they see (all of them when its node grants it), streams as above. */
export function deviceFor(a: UserAccess, d: DeviceView): DeviceView {
  return { ...d, channels: d.channels.filter((c) => seesChannel(a, c.id)).map((c) => channelFor(a, c)) };
}

function forbidden(right: Right): ApiError {
  return new ApiError(ErrorKind.Forbidden, msg('auth.forbidden'), { message: `you do not hold the right ${right} on this object` });
}

/** 404 (`notFound`) when the user may not know the channel, 403 when they see it but lack the right. */
export function needChannel(a: UserAccess, right: Right, id: number, notFound: () => Error = () => ApiError.notFound(msg('channel.not_found', { id }))): void {
  if (onChannel(a, right, id)) return;
  throw seesChannel(a, id) ? forbidden(right) : notFound();
}

/** The same for a device (a unit is a device; its channel has the same id). */
export function needDevice(a: UserAccess, right: Right, id: number, notFound: () => Error = () => ApiError.notFound(msg('device.not_found', { id }))): void {
  if (onDevice(a, right, id)) return;
  throw seesDevice(a, id) ? forbidden(right) : notFound();
}

/** A node-level right (create a device under a node): 403, nodes are not secret. */
export function needNode(a: UserAccess, right: Right, nodeId: number): void {
  if (!a.node(right, nodeId)) throw forbidden(right);
}

/** A global right (alarms without a source, server-wide things). */
export function needGlobal(a: UserAccess, right: Right): void {
  if (!a.global(right)) throw forbidden(right);
}

/**
 * An alarm or device event's source: a channel id (cameras; a unit's channel id is its device id), or null for a
 * server-wide one (low disk), which needs the right globally.
 */
export function holdsOnSource(a: UserAccess, right: Right, sourceId: number | null): boolean {
  if (sourceId === null) return a.global(right);
  return onChannel(a, right, sourceId) || a.device(right, sourceId);
}

export function needOnSource(a: UserAccess, right: Right, sourceId: number | null, notFound: () => Error): void {
  if (holdsOnSource(a, right, sourceId)) return;
  // Whoever may see alarms of the source but not handle them learns it exists; others get 404.
  throw right !== 'alarms.view' && holdsOnSource(a, 'alarms.view', sourceId) ? forbidden(right) : notFound();
}
