// A signed-in session as its owner (or an administrator) sees it in the session list: never the token or its hash.
import { s, type Infer } from './schema';

export const SessionView = s.object({
  id: s.string({ description: 'public id of the session (not its token); DELETE it to end the session' }),
  createdMs: s.int({ description: 'sign-in time (UTC ms)' }),
  lastSeenMs: s.int({ description: 'last request (UTC ms)' }),
  expiresMs: s.int({ description: 'when it ends unless used again: the earlier of the idle and the absolute end (UTC ms)' }),
  address: s.string({ description: 'client address of the sign-in' }),
  userAgent: s.string({ description: 'browser or client of the sign-in' }),
  current: s.boolean('the session of this request'),
});
export type SessionView = Infer<typeof SessionView>;

const sessionId = () => s.string({ minLength: 32, maxLength: 32, pattern: /^[0-9a-f]{32}$/, description: 'public session id' });

/** Path of a session of the signed-in user. */
export const SessionIdParams = s.object({ sessionId: sessionId() });

/** Path of a session of a user (administrators). */
export const UserSessionParams = s.object({ id: s.int({ min: 1, description: 'user id' }), sessionId: sessionId() });
