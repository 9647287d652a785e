// Which consoles receive which events: features whose data only some roles may read say so here (others go to every console).
import type { ServerEvent } from '../../common/events';
import { INVESTIGATION_EVENT_TYPES, type InvestigationServerEvent } from '../../common/investigation';
import type { AccessControl } from '../services/access/contract';
import { mayReceiveInvestigationEvent } from '../services/investigation/rights';
import type { Principal } from './router';

function isInvestigationEvent(ev: ServerEvent): ev is InvestigationServerEvent {
  return Object.prototype.hasOwnProperty.call(INVESTIGATION_EVENT_TYPES, ev.type);
}

export function mayReceive(p: Principal, ev: ServerEvent, access: AccessControl): boolean {
  if (isInvestigationEvent(ev)) return mayReceiveInvestigationEvent(ev, p.user.id, access.for(p.user));
  return true;
}
