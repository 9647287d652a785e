// What the signed-in user may do, from the rights table the server enforces (common/rights.ts): tabs, buttons and menu items ask here.
import { can, type Right, type RightsHolder } from '../common/rights';
import { useServices, type ConsoleServices } from './services';

export type { Right } from '../common/rights';

/** A check of the signed-in user's rights (the same table the server's route guards use). */
export function useCan(): (right: Right) => boolean {
  const { user } = useServices();
  return (right) => can(user, right);
}

/** The rights the server says the user holds on one camera or unit (its `myRights`); null when it did not say (an older server). */
type WithRights = { readonly myRights?: readonly Right[] } | null | undefined;

/**
 * Whether the user may use a scoped right on this camera or unit: the server's per-object answer when it sent one,
 * else the user's summary (held somewhere). The server decides either way; this only hides tools they may not use.
 */
export function canOn(user: RightsHolder, obj: WithRights, right: Right): boolean {
  return obj?.myRights ? obj.myRights.includes(right) : can(user, right);
}

/**
 * The same for an alarm's or event's source: a camera or unit the console knows (its myRights); a server-wide source
 * (null) or one it does not list needs the right everywhere.
 */
export function canOnSource(user: RightsHolder, known: WithRights, sourceId: number | null, right: Right): boolean {
  if (sourceId !== null && known?.myRights) return known.myRights.includes(right);
  return user.rights ? user.rights.global.includes(right) : can(user, right);
}

/** A right on an alarm's or event's source as the console knows it (its camera or unit). */
export function canOnSourceOf(s: Pick<ConsoleServices, 'user' | 'cameras' | 'units'>, sourceId: number | null, right: Right): boolean {
  const known = sourceId === null ? null : (s.cameras.get().get(sourceId) ?? s.units.get().get(sourceId) ?? null);
  return canOnSource(s.user, known, sourceId, right);
}
