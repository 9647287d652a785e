// What the signed-in user may do, from the rights table the server enforces (common/rights.ts): tabs, buttons and menu items ask here.
import { can, type Right } from '../common/rights';
import { useServices } from './services';

export type { Right } from '../common/rights';

/** A check of the signed-in user's rights (the same table the server's route guards use). */
export function useCan(): (right: Right) => boolean {
  const { user } = useServices();
  return (right) => can(user, right);
}
