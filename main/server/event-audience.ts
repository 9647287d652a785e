// Which consoles receive which events: features whose data only some roles may read say so here (others go to every console).
import type { ServerEvent } from '../../common/events';
import { INVESTIGATION_EVENT_TYPES, type InvestigationServerEvent } from '../../common/investigation';
import type { UserAccess } from '../services/access/contract';
import { roleAccessOf } from '../services/access/role-access';
import { mayReceiveInvestigationEvent } from '../services/investigation/rights';
import type { Principal } from './router';

function isInvestigationEvent(ev: ServerEvent): ev is InvestigationServerEvent {
  return Object.prototype.hasOwnProperty.call(INVESTIGATION_EVENT_TYPES, ev.type);
}

/** `access`: the client's compiled rights (the role table's when the hub was built without them: bare tests). */
export function mayReceive(p: Principal, ev: ServerEvent, access: UserAccess | null): boolean {
  if (isInvestigationEvent(ev)) return mayReceiveInvestigationEvent(ev, p.user.id, access ?? roleAccessOf(p.user.id, p.user.role));
  return true;
}
