// What the signed-in user may do in Playback and Cases: the rights summary the server sends at sign-in (per node and channel, issue 13), never the role name.
import type { UserInfo } from '../../common/api';
import type { Right } from '../../common/rights';

/** Holds the right on at least one node or channel (the server then answers each object by its channel and case node). */
export const holdsSomewhere = (user: UserInfo, right: Right): boolean => user.rights?.any.includes(right) ?? false;

/** Holds a global right (granted at the root and denied nowhere), such as releasing a legal hold. */
export const holdsGlobally = (user: UserInfo, right: Right): boolean => user.rights?.global.includes(right) ?? false;
