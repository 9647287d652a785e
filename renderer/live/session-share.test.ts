// Session hand-over to wall windows over BroadcastChannel (Node has the same API as the browser).
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../session';
import { requestSession, serveSession, watchSessions } from './session-share';

const session: Session = {
  token: 't-1',
  expiresMs: 1,
  user: { id: 1, username: 'disp', role: 'dispatcher', displayName: 'D', disabled: false, createdMs: 1, mustChangePassword: false },
};
const stops: Array<() => void> = [];
afterEach(() => {
  while (stops.length) stops.pop()!();
});

describe('session share', () => {
  it('a wall window asking gets the signed-in console session', async () => {
    stops.push(serveSession(() => session));
    expect(await requestSession(1000)).toEqual(session);
  });

  it('answers null when no console is signed in', async () => {
    stops.push(serveSession(() => null));
    expect(await requestSession(200)).toBeNull();
  });

  it('a waiting wall window takes the session a console announces on sign-in', async () => {
    const got = new Promise<Session>((resolve) => stops.push(watchSessions(resolve)));
    stops.push(serveSession(() => session));
    expect(await got).toEqual(session);
  });
});
